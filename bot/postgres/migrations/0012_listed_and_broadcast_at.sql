-- Whether a member agreed to be named to the club's coaches as one who
-- gets the morning messages (coaches otherwise see counts only); off until
-- the member turns it on with /settings listed yes.
ALTER TABLE members ADD COLUMN listed BIGINT NOT NULL DEFAULT 0;

-- When a confirmed broadcast goes out: '' means straight away, else a UTC
-- RFC 3339 instant; the outbox row waits until then.
ALTER TABLE broadcasts ADD COLUMN send_at TEXT NOT NULL DEFAULT '';
