-- Which weekdays a server gets its daily prompt on (/setup days), as a mask: bit 0 is Monday.
-- 127 (every day) was the only behaviour before, so existing servers keep it.
ALTER TABLE prompt_configs ADD COLUMN weekdays INTEGER NOT NULL DEFAULT 127 CHECK (weekdays BETWEEN 1 AND 127);

-- The prompt a day's card showed before /prompt skip replaced it; set at most once per day.
ALTER TABLE prompt_posts ADD COLUMN skipped_prompt_id TEXT;

-- Set by the first answer or pass, in its own transaction: a day someone responded to keeps its
-- prompt. A flag on the row, not a look at the answers, so a skip and an answer that meet on
-- PostgreSQL serialize on this row's lock.
ALTER TABLE prompt_posts ADD COLUMN responded INTEGER NOT NULL DEFAULT 0 CHECK (responded IN (0, 1));
UPDATE prompt_posts SET responded = 1
WHERE EXISTS (SELECT 1 FROM prompt_answers WHERE prompt_answers.post_id = prompt_posts.id)
   OR EXISTS (SELECT 1 FROM prompt_passes WHERE prompt_passes.post_id = prompt_posts.id);
