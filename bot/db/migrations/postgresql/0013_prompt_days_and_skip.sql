-- Which weekdays a server gets its daily prompt on (/setup days), as a mask: bit 0 is Monday.
-- 127 (every day) was the only behaviour before, so existing servers keep it.
ALTER TABLE prompt_configs ADD COLUMN weekdays INTEGER NOT NULL DEFAULT 127 CHECK (weekdays BETWEEN 1 AND 127);

-- The prompt a day's card showed before /prompt skip replaced it; set at most once per day.
ALTER TABLE prompt_posts ADD COLUMN skipped_prompt_id TEXT;
