-- Recovery weeks a coach declared: seven days from start_date (the club's
-- local calendar).
CREATE TABLE recovery_weeks (
	id          INTEGER PRIMARY KEY,
	club_id     INTEGER NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
	start_date  TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	created_by  INTEGER REFERENCES members (id) ON DELETE SET NULL,
	created_at  TEXT NOT NULL,
	cancelled   INTEGER NOT NULL DEFAULT 0,
	UNIQUE (club_id, start_date)
);
