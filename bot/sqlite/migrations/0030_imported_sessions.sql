-- Sessions logged from a recording (a watch file sent in chat, or an
-- activity read from intervals.icu): what the recording said beside the
-- logged session it became. One row per imported session; it goes with the
-- session (/log delete, /log undo) and with the member (/forgetme), by
-- ON DELETE CASCADE. Heart-rate figures (avg_hr, max_hr, trimp,
-- band_minutes) are stored only with the member's consent to health data,
-- else 0. start_unix (UTC seconds) is what duplicates are found by.
CREATE TABLE imported_sessions (
	id           INTEGER PRIMARY KEY,
	session_id   INTEGER NOT NULL UNIQUE REFERENCES sessions (id) ON DELETE CASCADE,
	member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	source       TEXT NOT NULL,
	source_id    TEXT NOT NULL DEFAULT '',
	format       TEXT NOT NULL DEFAULT '',
	sport        TEXT NOT NULL DEFAULT '',
	start_unix   INTEGER NOT NULL,
	elapsed_s    INTEGER NOT NULL DEFAULT 0,
	moving_s     INTEGER NOT NULL DEFAULT 0,
	distance_m   REAL NOT NULL DEFAULT 0,
	avg_hr       INTEGER NOT NULL DEFAULT 0,
	max_hr       INTEGER NOT NULL DEFAULT 0,
	trimp        REAL NOT NULL DEFAULT 0,
	band_minutes REAL NOT NULL DEFAULT 0,
	created_at   TEXT NOT NULL
);
CREATE INDEX imported_sessions_member_start ON imported_sessions (member_id, start_unix);
