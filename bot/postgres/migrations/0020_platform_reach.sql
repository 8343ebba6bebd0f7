-- Where a club's posts go and who hears about a refused post, members'
-- platform usernames, topic-aware outbox rows, and which members have
-- spoken in which club.

-- post_chat: the channel (Discord) a club's posts go to; '' means the
-- club's own chat (Telegram groups). post_thread: the forum topic
-- (Telegram message_thread_id) of the posts; '' means General.
-- coach_chat / coach_member: where and by whom a coach command was last
-- used, so a refused post can be reported to someone who can fix it.
ALTER TABLE clubs ADD COLUMN post_chat TEXT NOT NULL DEFAULT '';
ALTER TABLE clubs ADD COLUMN post_thread TEXT NOT NULL DEFAULT '';
ALTER TABLE clubs ADD COLUMN coach_chat TEXT NOT NULL DEFAULT '';
ALTER TABLE clubs ADD COLUMN coach_member BIGINT REFERENCES members (id) ON DELETE SET NULL;
-- The chat a refused post was reported for, so coaches hear it once;
-- cleared when the post target changes or the bot is added back.
ALTER TABLE clubs ADD COLUMN refused_told TEXT NOT NULL DEFAULT '';

-- The platform's unique handle (Telegram @username), lower case, '' when
-- the member has none; display names never identify anyone.
ALTER TABLE members ADD COLUMN username TEXT NOT NULL DEFAULT '';
CREATE INDEX members_username ON members (platform, username) WHERE username <> '';

-- The forum topic a message goes to inside its chat; '' for none.
ALTER TABLE outbox ADD COLUMN thread_id TEXT NOT NULL DEFAULT '';

-- Members seen in a club's group or server: a coach can only be made of
-- someone who belongs to the club.
CREATE TABLE club_members (
	club_id   BIGINT NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
	member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	seen_at   TEXT NOT NULL,
	PRIMARY KEY (club_id, member_id)
);
CREATE INDEX club_members_member ON club_members (member_id);
