-- PostgreSQL's schema: the same tables, columns and meaning as migrations/sqlite, version for version.
-- Small key/value facts about the bot itself, such as the hash of the last command sync.
CREATE TABLE bot_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
