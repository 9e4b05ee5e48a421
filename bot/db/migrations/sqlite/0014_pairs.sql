-- Pairs: two to six people who use Hearth from their own DM or group DM, with no server.
-- A pair's daily time and timezone live in its schedules row (owner_key 'pair_prompt:<id>'), and
-- pausing it pauses that row, so each is stored once.
CREATE TABLE pairs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The DM or group DM the invitation was posted in.
    channel_id INTEGER NOT NULL,
    created_by INTEGER NOT NULL,
    -- 'invited' until a second person joins; 'ended' once fewer than two are left.
    status TEXT NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'ended')),
    created_at INTEGER NOT NULL,
    ended_at INTEGER
);

CREATE INDEX pairs_channel ON pairs (channel_id, status);

CREATE TABLE pair_members (
    pair_id INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    -- The name they had when they joined, for labels such as the pair's name in autocomplete.
    display_name TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (pair_id, user_id)
);

CREATE INDEX pair_members_user ON pair_members (user_id);

-- The prompt of one pair on one local day, chosen once: a retried or recovered delivery finds it.
CREATE TABLE pair_days (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
    local_date TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    theme TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- Set once, in the transaction that finds every member answered or passed.
    revealed_at INTEGER,
    UNIQUE (pair_id, local_date)
);

-- One member's answer (sealed text) or pass (text NULL) to one pair day.
CREATE TABLE pair_answers (
    day_id INTEGER NOT NULL REFERENCES pair_days (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    text TEXT,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (day_id, user_id)
);

CREATE INDEX pair_answers_user ON pair_answers (user_id);

-- Reminders and repair requests can now be made outside any server (guild_id NULL).
-- SQLite cannot drop NOT NULL in place: each table is rebuilt with its rows, its ids and its
-- AUTOINCREMENT counter. The nudges are rebuilt too, pointing at the new reminders table before
-- the old one goes, so dropping it cascades to nothing.
CREATE TABLE appreciation_reminders_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    -- The server it was set up in, if any: "Send gratitude now" uses that server's gratitude channel.
    guild_id INTEGER,
    target_id INTEGER NOT NULL,
    target_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO appreciation_reminders_new (id, user_id, guild_id, target_id, target_name, created_at)
SELECT id, user_id, guild_id, target_id, target_name, created_at FROM appreciation_reminders;

CREATE TABLE appreciation_nudges_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reminder_id INTEGER NOT NULL REFERENCES appreciation_reminders_new (id) ON DELETE CASCADE,
    occurrence_key TEXT NOT NULL UNIQUE,
    idea_id TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    snoozed_until INTEGER,
    done_at INTEGER
);
INSERT INTO appreciation_nudges_new (id, reminder_id, occurrence_key, idea_id, sent_at, snoozed_until, done_at)
SELECT id, reminder_id, occurrence_key, idea_id, sent_at, snoozed_until, done_at FROM appreciation_nudges;

CREATE TABLE repair_requests_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    initiator_id INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL,
    -- The server it was started in, if any.
    guild_id INTEGER,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'sending', 'sent', 'answered', 'undelivered', 'withdrawn')),
    feel TEXT,
    when_text TEXT,
    because TEXT,
    need TEXT,
    will_do TEXT,
    answer TEXT CHECK (answer IN ('ready', 'time', 'later')),
    created_at INTEGER NOT NULL,
    attempted_at INTEGER,
    sent_at INTEGER,
    answered_at INTEGER,
    dm_channel_id INTEGER,
    dm_message_id INTEGER
);
INSERT INTO repair_requests_new SELECT
    id, initiator_id, recipient_id, guild_id, status, feel, when_text, because, need, will_do, answer,
    created_at, attempted_at, sent_at, answered_at, dm_channel_id, dm_message_id
FROM repair_requests;

-- Carry each AUTOINCREMENT counter over: ids of deleted rows live on in DM buttons.
DELETE FROM sqlite_sequence
WHERE name IN ('appreciation_reminders_new', 'appreciation_nudges_new', 'repair_requests_new');
INSERT INTO sqlite_sequence (name, seq)
SELECT name || '_new', seq FROM sqlite_sequence
WHERE name IN ('appreciation_reminders', 'appreciation_nudges', 'repair_requests');

DROP TABLE appreciation_nudges;
DROP TABLE appreciation_reminders;
DROP TABLE repair_requests;
ALTER TABLE appreciation_reminders_new RENAME TO appreciation_reminders;
ALTER TABLE appreciation_nudges_new RENAME TO appreciation_nudges;
ALTER TABLE repair_requests_new RENAME TO repair_requests;

CREATE INDEX appreciation_reminders_user ON appreciation_reminders (user_id);
CREATE INDEX appreciation_nudges_reminder ON appreciation_nudges (reminder_id, id);
CREATE INDEX repair_requests_pair ON repair_requests (initiator_id, recipient_id, attempted_at);
CREATE INDEX repair_requests_recipient ON repair_requests (recipient_id);
