-- Clubs whose coaches turned on the club picture in the morning club post
-- (/club picture on). The picture holds counts only, never a member.
CREATE TABLE club_pictures (
	club_id BIGINT PRIMARY KEY REFERENCES clubs (id) ON DELETE CASCADE,
	morning BIGINT NOT NULL DEFAULT 0
);
