-- Private check-ins: how safe and connected someone felt (1-5), what they felt and needed, and an
-- optional note. Only the author ever reads a check-in; no guild is stored, so no server is tied to it.
-- Times are unix seconds in UTC.
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    -- JSON arrays of content ids (content/checkins.toml), in the order they were chosen.
    feelings TEXT NOT NULL DEFAULT '[]',
    needs TEXT NOT NULL DEFAULT '[]',
    -- Private text (at most 1000 characters, checked before saving), sealed with the data key when one
    -- is set (bot/crypto.py, bound to this row's id): never shared, logged or shown to anyone else.
    note TEXT,
    source TEXT NOT NULL CHECK (source IN ('command', 'dm')),
    -- For an answer to a scheduled DM ('<schedule id>:<sent unix seconds>'): a second press of the
    -- same DM's buttons finds the first answer instead of counting twice.
    prompt_key TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX checkins_user_time ON checkins (user_id, created_at);
CREATE UNIQUE INDEX checkins_prompt ON checkins (user_id, prompt_key) WHERE prompt_key IS NOT NULL;

-- Who the author chose to send a summary of a check-in to (never the note), and whether it arrived.
CREATE TABLE checkin_shares (
    checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    recipient_id INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sent', 'dm_closed')),
    shared_at INTEGER NOT NULL,
    PRIMARY KEY (checkin_id, recipient_id)
);
