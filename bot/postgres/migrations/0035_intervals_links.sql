-- Members' links to intervals.icu and the activities taken in from them, as
-- in the SQLite store's 0035. Both go with the member (ON DELETE CASCADE).
-- key_sealed is the member's API key sealed under SHAKEOUT_SECRET_KEY;
-- columns ending in _sealed are never shown by /mydata.
CREATE TABLE intervals_links (
	member_id        BIGINT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
	athlete_id       TEXT NOT NULL,
	key_sealed       BYTEA NOT NULL,
	state            TEXT NOT NULL DEFAULT 'ok',
	last_sync        TEXT NOT NULL DEFAULT '',
	wellness_through TEXT NOT NULL DEFAULT '',
	not_before       TEXT NOT NULL DEFAULT '',
	broken_told      BIGINT NOT NULL DEFAULT 0,
	stub_told        BIGINT NOT NULL DEFAULT 0,
	created_at       TEXT NOT NULL
);

-- Activities already logged from intervals.icu, by the service's id.
CREATE TABLE intervals_activities (
	member_id   BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	activity_id TEXT NOT NULL,
	taken_at    TEXT NOT NULL,
	PRIMARY KEY (member_id, activity_id)
);
