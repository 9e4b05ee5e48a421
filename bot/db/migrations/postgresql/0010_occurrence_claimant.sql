-- Which bot process claimed an occurrence ('main', or its shards such as 'shards 0,1 of 4'). After a
-- crash, a restarted process recovers only its own claims; another process's are still in flight.
ALTER TABLE schedule_occurrences ADD COLUMN claimed_by TEXT;
