-- Small key/value facts about the bot itself, such as the hash of the last command sync.
CREATE TABLE bot_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
