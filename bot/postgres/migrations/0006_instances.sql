-- Instances sharing the database: each keeps its row alive (a heartbeat);
-- one whose row ran out is gone and its outbox claims go back to the
-- others. The scheduler's tick runs on the holder of tick_lease alone.
-- Times here are the database's own clock (timestamptz), so the
-- instances' clocks need not agree.
CREATE TABLE instances (
	token      TEXT PRIMARY KEY,
	pid        BIGINT NOT NULL,
	host       TEXT NOT NULL,
	since      TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE tick_lease (
	id         BIGINT PRIMARY KEY CHECK (id = 1),
	token      TEXT NOT NULL,
	pid        BIGINT NOT NULL,
	host       TEXT NOT NULL,
	since      TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
