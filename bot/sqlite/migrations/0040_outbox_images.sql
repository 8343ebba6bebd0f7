-- A picture sent with an outbox message (a chart): the PNG's bytes, kept
-- apart from the JSON body, which holds the picture's name and caption.
-- NULL for a message without one. The row's other rules hold for it: it
-- goes with its member (/forgetme) and when the row is pruned.
ALTER TABLE outbox ADD COLUMN image BLOB;
