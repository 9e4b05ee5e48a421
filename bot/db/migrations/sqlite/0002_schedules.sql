-- The scheduler's due queue: one row per feature schedule, owned by the row, not by APScheduler.
-- Times are unix seconds in UTC. A row with NULL local_time is a one-shot: it fires once and is deleted.
CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    -- One schedule per owner (e.g. 'daily_prompt:guild:123'), so features upsert instead of piling up rows.
    owner_key TEXT NOT NULL UNIQUE,
    guild_id INTEGER,
    user_id INTEGER,
    timezone TEXT,
    local_time TEXT,
    -- Bit 0 = Monday … bit 6 = Sunday; 127 = daily.
    weekdays INTEGER,
    next_run_at INTEGER NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    paused_reason TEXT,
    payload TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    -- Set while the row waits to (re)deliver an occurrence whose due time differs from next_run_at:
    -- a retry after a transient failure, or a one-shot in flight. Keeps the occurrence key and grace
    -- check tied to the original due time while next_run_at holds the retry time.
    pending_due_at INTEGER,
    -- Failed delivery attempts of that pending occurrence, for the retry backoff.
    attempts INTEGER NOT NULL DEFAULT 0,
    CHECK (
        (local_time IS NULL AND weekdays IS NULL)
        OR (local_time IS NOT NULL AND timezone IS NOT NULL AND weekdays BETWEEN 1 AND 127)
    )
);

-- The tick's due query reads only this index.
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE paused = 0;

-- One row per (schedule, occurrence): the primary key is what makes a delivery happen at most once.
CREATE TABLE schedule_occurrences (
    schedule_id INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    occurrence_key TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'skipped', 'failed', 'uncertain')),
    claimed_at INTEGER NOT NULL,
    finished_at INTEGER,
    -- Which delivery attempt this claim is (1 = first try).
    attempts INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (schedule_id, occurrence_key)
);

-- Crash recovery looks for claims that never finished.
CREATE INDEX schedule_occurrences_claimed ON schedule_occurrences (claimed_at) WHERE status = 'claimed';
-- Old finished occurrences are pruned by due time.
CREATE INDEX schedule_occurrences_due ON schedule_occurrences (due_at);
