-- A picture sent with an outbox message (a chart): the PNG's bytes, apart
-- from the JSON body. NULL for a message without one. It goes with its row
-- (/forgetme, pruning).
ALTER TABLE outbox ADD COLUMN image BYTEA;
