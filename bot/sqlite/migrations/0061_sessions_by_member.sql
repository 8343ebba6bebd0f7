-- A member's sessions are read by date range on every /log, verdict and
-- week (member_id = ? AND date >= ?, in date order). Rows are stored in the
-- order they were logged, so one member's sessions lay scattered over the
-- table's pages, one page read each. This index holds every column those
-- reads return, in (member, date, id) order: a member's sessions sit side by
-- side and the table is not visited. It replaces sessions_member_date.
CREATE INDEX sessions_by_member ON sessions (member_id, date, id, tz, kind, distance_km, minutes, rpe, rpe_given);
DROP INDEX sessions_member_date;
