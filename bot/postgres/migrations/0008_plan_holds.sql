-- Post-race plans: the days Sore added as hold days and the hold days that
-- ended a hurting hold (comma-separated YYYY-MM-DD in the plan's timezone),
-- and whether the member asked for the plan's daily steps while their
-- morning messages were off. Plans started before this migration were
-- started with morning messages turned on, so they keep sending.
ALTER TABLE race_plans ADD COLUMN holds TEXT NOT NULL DEFAULT '';
ALTER TABLE race_plans ADD COLUMN restarts TEXT NOT NULL DEFAULT '';
ALTER TABLE race_plans ADD COLUMN send_steps BIGINT NOT NULL DEFAULT 1;
