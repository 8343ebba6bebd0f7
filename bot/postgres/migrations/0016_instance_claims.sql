-- The store instance that claimed an outbox row: a row claimed by a process
-- that no longer holds the live instance (its heartbeat ran out) is orphaned and goes
-- back to pending at the next start, even before its claim's lease ends.
ALTER TABLE outbox ADD COLUMN instance TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_sent ON outbox (status, sent_at);
