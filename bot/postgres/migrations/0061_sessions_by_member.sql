-- A member's sessions are read by date range on every /log, verdict and
-- week (member_id = ? AND date >= ?, in date order). This index holds every
-- column those reads return (INCLUDE), so an index-only scan answers them
-- without visiting the table. It replaces sessions_member_date.
CREATE INDEX sessions_by_member ON sessions (member_id, date, id) INCLUDE (tz, kind, distance_km, minutes, rpe, rpe_given);
DROP INDEX sessions_member_date;
