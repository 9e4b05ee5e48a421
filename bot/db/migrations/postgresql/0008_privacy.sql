-- Privacy: how long each person keeps their check-ins and private answers, and servers that removed
-- the bot (purged after a grace period). Times are unix seconds in UTC.

-- One row per person who chose a retention period; no row means the default (DEFAULT_RETENTION_DAYS).
-- 0 means "keep until I delete it".
CREATE TABLE privacy_settings (
    user_id BIGINT PRIMARY KEY,
    retention_days BIGINT NOT NULL CHECK (retention_days IN (0, 30, 90, 365)),
    updated_at BIGINT NOT NULL
);

-- Servers the bot was removed from. Rejoining within the grace period deletes the row (data kept);
-- housekeeping purges the server's data once left_at is older than GUILD_PURGE_DAYS.
CREATE TABLE departed_guilds (
    guild_id BIGINT PRIMARY KEY,
    left_at BIGINT NOT NULL
);
