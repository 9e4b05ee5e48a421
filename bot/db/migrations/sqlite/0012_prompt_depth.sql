-- How deep a server lets its daily prompts go (/setup depth): light only, up to medium, or all.
-- 'all' was the only behaviour before, so existing servers keep it.
ALTER TABLE prompt_configs ADD COLUMN depth TEXT NOT NULL DEFAULT 'all' CHECK (depth IN ('light', 'medium', 'all'));
