-- Scheduled delivery: the outbox of messages waiting to be sent, the slots
-- the scheduler has dealt with, and the coach tools' state (tips already
-- posted, broadcasts awaiting confirmation, who gets the recovery rhythm
-- reminder). Instants are UTC RFC 3339 text.

-- One row per message, under its idempotency key (what, who, local date):
-- inserting a key twice is a no-op. status: pending, sending (claimed by a
-- dispatcher under claim_token until lease_until), sent, failed,
-- unreachable. Rows go with their member or club.
CREATE TABLE outbox (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	platform    TEXT NOT NULL,
	chat_id     TEXT NOT NULL DEFAULT '',
	user_id     TEXT NOT NULL DEFAULT '',
	private     INTEGER NOT NULL DEFAULT 0,
	club_id     INTEGER REFERENCES clubs (id) ON DELETE CASCADE,
	member_id   INTEGER REFERENCES members (id) ON DELETE CASCADE,
	body        TEXT NOT NULL,            -- the reply as JSON
	status      TEXT NOT NULL DEFAULT 'pending',
	attempts    INTEGER NOT NULL DEFAULT 0,
	moved       INTEGER NOT NULL DEFAULT 0, -- resent once after a chat moved
	not_before  TEXT NOT NULL,
	claim_token TEXT NOT NULL DEFAULT '',
	lease_until TEXT NOT NULL DEFAULT '',
	last_error  TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	sent_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (status, not_before);
CREATE INDEX outbox_member ON outbox (member_id);
CREATE INDEX outbox_club ON outbox (club_id);

-- Scheduled slots already dealt with, by key: enqueued, skipped (nothing to
-- send that day) or missed (more than the catch-up window late).
CREATE TABLE schedule_slots (
	key        TEXT PRIMARY KEY,
	status     TEXT NOT NULL,
	due_at     TEXT NOT NULL,
	handled_at TEXT NOT NULL
);
CREATE INDEX schedule_slots_due ON schedule_slots (due_at);

-- Knowledge-base tips a club's morning post carried, so none repeats soon.
CREATE TABLE club_tips (
	club_id  INTEGER NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
	date     TEXT NOT NULL,              -- the club's local date
	entry_id TEXT NOT NULL,
	PRIMARY KEY (club_id, date)
);

-- Broadcasts shown to a coach as a preview, waiting for the confirm button.
-- status: pending, sent, cancelled.
CREATE TABLE broadcasts (
	id         INTEGER PRIMARY KEY,
	club_id    INTEGER NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
	member_id  INTEGER REFERENCES members (id) ON DELETE SET NULL,
	text       TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'pending',
	created_at TEXT NOT NULL
);

-- The coach who asked for the "every N weeks" recovery-week reminder.
CREATE TABLE recovery_reminders (
	club_id   INTEGER PRIMARY KEY REFERENCES clubs (id) ON DELETE CASCADE,
	member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE
);
