-- Gratitude: each server's gratitude channel and weekly digest, the cards, who wants a DM when thanked,
-- and the weekly appreciation rotation. Times are unix seconds in UTC.

-- One row per server that chose a gratitude channel.
CREATE TABLE gratitude_configs (
    guild_id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    -- The digest's local day (0 = Monday … 6 = Sunday) and time (HH:MM) in the server's timezone.
    digest_weekday INTEGER NOT NULL CHECK (digest_weekday BETWEEN 0 AND 6),
    digest_time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    rotation INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 1)),
    -- Who ran /setup gratitude last: the person told if the digest cannot be posted.
    configured_by INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One row per card. message_id stays NULL until the card is posted, and such rows are never shown.
-- sender_id is kept for anonymous cards too, so the sender can export or erase them; it is never shown.
-- recipient_id becomes NULL when the person thanked erases their data.
CREATE TABLE gratitude_cards (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    message_id INTEGER,
    sender_id INTEGER NOT NULL,
    recipient_id INTEGER,
    text TEXT NOT NULL,
    anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    -- Set for "Appreciate this message": the message the card links to.
    source_channel_id INTEGER,
    source_message_id INTEGER,
    created_at INTEGER NOT NULL
);

-- The recent list and the digest read a server's cards by time.
CREATE INDEX gratitude_cards_guild ON gratitude_cards (guild_id, created_at);
CREATE INDEX gratitude_cards_sender ON gratitude_cards (sender_id);
CREATE INDEX gratitude_cards_recipient ON gratitude_cards (recipient_id);
CREATE UNIQUE INDEX gratitude_cards_message ON gratitude_cards (message_id) WHERE message_id IS NOT NULL;

-- People who asked for a DM when someone thanks them; no row means no DM (the default).
CREATE TABLE gratitude_notify (
    user_id INTEGER PRIMARY KEY,
    enabled_at INTEGER NOT NULL
);

-- The appreciation rotation: in each server and week (the local date of the draw), who appreciates whom.
-- A week's draw is stored whole in one transaction, so a restart sends the missing DMs instead of drawing
-- again. The unique receiver makes every member someone's; the CHECK keeps anyone from drawing themselves.
CREATE TABLE gratitude_rotation_draws (
    guild_id INTEGER NOT NULL,
    week TEXT NOT NULL,
    giver_id INTEGER NOT NULL,
    receiver_id INTEGER NOT NULL,
    -- NULL until the giver's DM went out ('sent') or Discord refused it ('undeliverable').
    dm_status TEXT CHECK (dm_status IN ('sent', 'undeliverable')),
    drawn_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, week, giver_id),
    UNIQUE (guild_id, week, receiver_id),
    CHECK (giver_id <> receiver_id)
);
