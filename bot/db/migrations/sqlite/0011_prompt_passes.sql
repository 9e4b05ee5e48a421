-- Who passed on a posted prompt ("Pass today"): a reveal waits for everyone in the circle to answer or
-- pass. A pass holds no text, only that this person chose not to answer this prompt.
CREATE TABLE prompt_passes (
    post_id INTEGER NOT NULL REFERENCES prompt_posts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    guild_id INTEGER NOT NULL,
    passed_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id)
);

CREATE INDEX prompt_passes_user ON prompt_passes (user_id);
