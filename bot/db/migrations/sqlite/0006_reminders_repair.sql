-- Appreciation reminders, the nudges they sent, guided repair requests, and per-person blocks.
-- Times are unix seconds in UTC. A reminder's rule (days, local time, timezone) lives in its
-- schedules row (owner_key 'appreciation:<id>'), so it is stored once.
-- Ids are AUTOINCREMENT: they live on in the custom_ids of DM buttons, so a deleted row's id must
-- never come back as someone's new reminder, nudge or request.

-- One row per recurring "appreciate this person" reminder.
CREATE TABLE appreciation_reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    -- The server it was set up in: "Send gratitude now" uses that server's gratitude channel.
    guild_id INTEGER NOT NULL,
    target_id INTEGER NOT NULL,
    -- The target's display name when the reminder was made, for autocomplete labels only.
    target_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX appreciation_reminders_user ON appreciation_reminders (user_id);

-- One row per reminder DM. The occurrence key makes a retried delivery reuse its nudge (and idea);
-- the ideas already sent are the reminder's deck: no idea comes back before every other one was used.
CREATE TABLE appreciation_nudges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reminder_id INTEGER NOT NULL REFERENCES appreciation_reminders (id) ON DELETE CASCADE,
    occurrence_key TEXT NOT NULL UNIQUE,
    idea_id TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    snoozed_until INTEGER,
    done_at INTEGER
);

CREATE INDEX appreciation_nudges_reminder ON appreciation_nudges (reminder_id, id);

-- Guided repair: a draft written privately, then (maybe) sent to the other person by DM.
-- The statement's parts are private text: kept only while the request is a draft, and cleared
-- once it was delivered, refused or withdrawn (the recipient's DM is then the only copy).
CREATE TABLE repair_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    initiator_id INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL,
    guild_id INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'sending', 'sent', 'answered', 'undelivered', 'withdrawn')),
    feel TEXT,
    when_text TEXT,
    because TEXT,
    need TEXT,
    will_do TEXT,
    answer TEXT CHECK (answer IN ('ready', 'time', 'later')),
    created_at INTEGER NOT NULL,
    -- When Send was pressed: every attempt counts towards the per-day cap, delivered or not.
    attempted_at INTEGER,
    sent_at INTEGER,
    answered_at INTEGER,
    -- Where the recipient's copy is, so withdrawing can take the statement out of it.
    dm_channel_id INTEGER,
    dm_message_id INTEGER
);

CREATE INDEX repair_requests_pair ON repair_requests (initiator_id, recipient_id, attempted_at);
CREATE INDEX repair_requests_recipient ON repair_requests (recipient_id);

-- "Stop messages from this person": the blocked person's repair requests and gratitude DMs to
-- the blocker are dropped. The blocked person is never told.
CREATE TABLE user_blocks (
    blocker_id INTEGER NOT NULL,
    blocked_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id != blocked_id)
);

CREATE INDEX user_blocks_blocked ON user_blocks (blocked_id);
