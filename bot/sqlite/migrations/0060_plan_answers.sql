-- The Fresh / Sore / Hurting answer that counted on each day of a post-race
-- plan, for /recovery's strip. Health data: erased with the member, with
-- the plan (a new /raced replaces it), when the plan ends, and when the
-- member withdraws consent to health data.
CREATE TABLE plan_answers (
	plan_id   INTEGER NOT NULL REFERENCES race_plans (id) ON DELETE CASCADE,
	member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	day       TEXT NOT NULL,
	answer    TEXT NOT NULL,
	PRIMARY KEY (plan_id, day)
);
CREATE INDEX plan_answers_member ON plan_answers (member_id);
