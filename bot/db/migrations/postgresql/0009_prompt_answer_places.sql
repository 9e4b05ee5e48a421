-- Where each private answer was shown (the channel or thread and the message holding it), so erasing
-- someone can edit exactly the reveal messages that show their answer. NULL on answers shown before
-- this column existed: erasure then falls back to the post's reveal message.
ALTER TABLE prompt_answers ADD COLUMN shared_channel_id BIGINT;
ALTER TABLE prompt_answers ADD COLUMN shared_message_id BIGINT;
