-- Daily prompts: each server's configuration, what was posted when, circles, private answers, suggestions.
-- Times are unix seconds in UTC; local dates are ISO dates (YYYY-MM-DD) in the server's own timezone.

-- One row per server that enabled daily prompts.
CREATE TABLE prompt_configs (
    guild_id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    local_time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    ping_role_id INTEGER,
    threads INTEGER NOT NULL DEFAULT 0 CHECK (threads IN (0, 1)),
    audience TEXT NOT NULL DEFAULT 'any' CHECK (audience IN ('couple', 'friends', 'family', 'any')),
    paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    paused_reason TEXT,
    -- Who ran /setup prompts last: the person told when prompts pause on their own.
    configured_by INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One row per posted prompt. The unique (guild, local date) pair is the one-post-per-day rule,
-- and the history is the server's deck: what was used, and which theme came last.
CREATE TABLE prompt_posts (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    local_date TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    theme TEXT NOT NULL,
    channel_id INTEGER NOT NULL,
    message_id INTEGER,
    thread_id INTEGER,
    posted_at INTEGER NOT NULL,
    -- Set once, by whoever wins the race to reveal the answers; the message comes after.
    revealed_at INTEGER,
    reveal_message_id INTEGER,
    UNIQUE (guild_id, local_date)
);

CREATE INDEX prompt_posts_history ON prompt_posts (guild_id, posted_at);

-- Who in a server takes part in answering and reveals.
CREATE TABLE circle_members (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- Private answers: never shown to anyone but the author until the post's reveal.
CREATE TABLE prompt_answers (
    post_id INTEGER NOT NULL REFERENCES prompt_posts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    guild_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Set when this answer was shown in a channel (in the reveal or added to it later).
    shared_at INTEGER,
    PRIMARY KEY (post_id, user_id)
);

CREATE INDEX prompt_answers_user ON prompt_answers (user_id);

-- Prompts members suggest; approved ones join their server's deck.
CREATE TABLE prompt_suggestions (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    theme TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at INTEGER NOT NULL,
    reviewed_by INTEGER,
    reviewed_at INTEGER
);

CREATE INDEX prompt_suggestions_guild ON prompt_suggestions (guild_id, status);
