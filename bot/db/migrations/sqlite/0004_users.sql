-- What Hearth keeps about a person across servers: their timezone and whether DMs reach them.
CREATE TABLE users (
    user_id INTEGER PRIMARY KEY,
    timezone TEXT,
    -- Kept so a DM does not need a channel-open request each time.
    dm_channel_id INTEGER,
    -- Set when Discord refused a DM (closed DMs 50007, no shared server 50278); no DM is tried again
    -- until the person changes something, because every refusal counts towards Discord's invalid-request limit.
    dm_undeliverable_since INTEGER,
    -- Set with dm_undeliverable_since and cleared once the person has been told, on their next command.
    dm_notice_pending INTEGER NOT NULL DEFAULT 0 CHECK (dm_notice_pending IN (0, 1)),
    created_at INTEGER NOT NULL
);
