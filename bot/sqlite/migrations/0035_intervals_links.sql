-- Members' links to intervals.icu, and the activities taken in from them.
-- Both go with the member (ON DELETE CASCADE), so /forgetme erases them.

-- One link per member. key_sealed is the member's intervals.icu API key
-- sealed with AES-256-GCM under the host's SHAKEOUT_SECRET_KEY, bound to the
-- member and athlete (associated data); columns ending in _sealed are never
-- shown by /mydata. state is ok or broken (the service refused the key).
-- last_sync is the instant activities were last read ('' before the first
-- sync); wellness_through the last wellness day taken in ('' for none);
-- not_before the service's Retry-After ('' for none). broken_told and
-- stub_told: the member has been told once.
CREATE TABLE intervals_links (
	member_id        INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
	athlete_id       TEXT NOT NULL,
	key_sealed       BLOB NOT NULL,
	state            TEXT NOT NULL DEFAULT 'ok',
	last_sync        TEXT NOT NULL DEFAULT '',
	wellness_through TEXT NOT NULL DEFAULT '',
	not_before       TEXT NOT NULL DEFAULT '',
	broken_told      INTEGER NOT NULL DEFAULT 0,
	stub_told        INTEGER NOT NULL DEFAULT 0,
	created_at       TEXT NOT NULL
);

-- Activities already logged from intervals.icu, by the service's id, so a
-- sync that reads a day again logs nothing twice.
CREATE TABLE intervals_activities (
	member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	activity_id TEXT NOT NULL,
	taken_at    TEXT NOT NULL,
	PRIMARY KEY (member_id, activity_id)
);
