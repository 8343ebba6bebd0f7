-- What members record about their training, and the button conversations
-- they are in the middle of. Every row belongs to one member and goes when
-- the member does (ON DELETE CASCADE). Calendar dates are YYYY-MM-DD in the
-- member's timezone, kept beside them in tz.

-- Logged sessions. rpe is the effort used for load: the member's own, or the
-- kind's default when rpe_given is 0. A rest day has rpe 0.
CREATE TABLE sessions (
	id          INTEGER PRIMARY KEY,
	member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	date        TEXT NOT NULL,
	tz          TEXT NOT NULL,
	kind        TEXT NOT NULL,
	distance_km REAL NOT NULL DEFAULT 0,
	minutes     REAL NOT NULL DEFAULT 0,
	rpe         INTEGER NOT NULL DEFAULT 0,
	rpe_given   INTEGER NOT NULL DEFAULT 0,
	logged_at   TEXT NOT NULL
);
CREATE INDEX sessions_member_date ON sessions (member_id, date);

-- Readiness check-ins: health data, stored only with the member's consent.
-- 0 means "not answered"; several check-ins on one day are merged.
CREATE TABLE checkins (
	id          INTEGER PRIMARY KEY,
	member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	date        TEXT NOT NULL,
	tz          TEXT NOT NULL,
	sleep       INTEGER NOT NULL DEFAULT 0,
	soreness    INTEGER NOT NULL DEFAULT 0,
	energy      INTEGER NOT NULL DEFAULT 0,
	resting_hr  INTEGER NOT NULL DEFAULT 0,
	flag        TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL
);
CREATE INDEX checkins_member_date ON checkins (member_id, date);

-- The member's post-race plan: at most one row, replaced by a new race.
-- status is active, done (the summary was sent) or stopped (/recovery stop).
-- Ids are never reused (AUTOINCREMENT), so a replaced plan's buttons stay
-- stale.
CREATE TABLE race_plans (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	member_id     INTEGER NOT NULL UNIQUE REFERENCES members (id) ON DELETE CASCADE,
	race          TEXT NOT NULL,
	km            REAL NOT NULL,
	extra_days    INTEGER NOT NULL DEFAULT 0,
	race_date     TEXT NOT NULL,
	tz            TEXT NOT NULL,
	delay         INTEGER NOT NULL DEFAULT 0,
	hurting       INTEGER NOT NULL DEFAULT 0,
	last_feedback TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL DEFAULT 'active',
	started_at    TEXT NOT NULL,
	ended_at      TEXT NOT NULL DEFAULT ''
);

-- Button conversations in progress (a check-in's answers so far, a pending
-- /forgetme confirmation): one per member and kind, until expires_at. Ids
-- are never reused, so the buttons of a replaced flow stay stale.
CREATE TABLE flows (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	state       TEXT NOT NULL DEFAULT '',
	expires_at  TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	UNIQUE (member_id, kind)
);
CREATE INDEX flows_expiry ON flows (expires_at);
