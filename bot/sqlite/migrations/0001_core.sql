-- Clubs, members and what members record. Instants are UTC RFC 3339 text,
-- calendar dates YYYY-MM-DD in the timezone stored beside them.

CREATE TABLE clubs (
	id              INTEGER PRIMARY KEY,
	platform        TEXT NOT NULL,
	chat_id         TEXT NOT NULL,          -- '' is the platform's direct-message club
	name            TEXT NOT NULL DEFAULT '',
	tz              TEXT NOT NULL,
	post_time       TEXT NOT NULL DEFAULT '06:30',
	post_on         INTEGER NOT NULL DEFAULT 1,
	pattern         TEXT NOT NULL,          -- 7 day plans, Sunday first, comma separated
	recovery_every  INTEGER NOT NULL DEFAULT 0,
	recovery_anchor TEXT NOT NULL DEFAULT '',
	unreachable     INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	UNIQUE (platform, chat_id)
);

CREATE TABLE members (
	id          INTEGER PRIMARY KEY,
	platform    TEXT NOT NULL,
	user_id     TEXT NOT NULL,
	name        TEXT NOT NULL DEFAULT '',
	club_id     INTEGER REFERENCES clubs (id) ON DELETE SET NULL,
	tz          TEXT NOT NULL DEFAULT '',
	nudge_time  TEXT NOT NULL DEFAULT '07:00',
	nudges      INTEGER NOT NULL DEFAULT 0,
	units       TEXT NOT NULL DEFAULT 'km',
	level       TEXT NOT NULL DEFAULT 'intermediate',
	consent     TEXT NOT NULL DEFAULT '',
	age         INTEGER NOT NULL DEFAULT 0,
	max_hr      INTEGER NOT NULL DEFAULT 0,  -- health data: only with consent
	dm_chat_id  TEXT NOT NULL DEFAULT '',
	unreachable INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT NOT NULL,
	UNIQUE (platform, user_id)
);

CREATE TABLE coaches (
	club_id    INTEGER NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
	member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	added_at   TEXT NOT NULL,
	PRIMARY KEY (club_id, member_id)
);

-- Updates already handled, so a redelivered one is dropped.
CREATE TABLE inbox (
	platform    TEXT NOT NULL,
	update_id   TEXT NOT NULL,
	received_at TEXT NOT NULL,
	PRIMARY KEY (platform, update_id)
);
CREATE INDEX inbox_received ON inbox (received_at);
