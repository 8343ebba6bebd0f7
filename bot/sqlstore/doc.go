// Package sqlstore holds the store methods the SQLite and the PostgreSQL
// stores share: every method of bot.Store and of the optional store
// interfaces (clubs, members, plans, check-ins, training, imports,
// intervals.icu links, schedules, reach, flows, pictures, Telegram state,
// recovery weeks, the outbox, /mydata and /forgetme, group arrivals),
// each written once as SQL with ? placeholders and the Go around it.
//
// A store package embeds *Core in its Store and gives it a Backend: how a
// write transaction runs (the caller's unit of work when there is one),
// how one write and the reads run, and the few things its database spells
// differently (Dialect and the Backend's Insert, AnyOf, ReadTx,
// LiveInstances). What only one database has stays in its package: bot/sqlite
// keeps its group-committing writer, prepared statements, file lease and
// WAL checkpoint; bot/postgres its connection pool, retried transactions,
// instance heartbeats and `migrate-db` copy. Each keeps its own migrations.
//
// The statements are written in the SQL both databases accept: ON CONFLICT
// for upserts, CASE WHEN EXISTS (...) THEN 1 ELSE 0 END for a flag read into
// an int, CAST(? AS BIGINT) where a parameter's type would be ambiguous to
// PostgreSQL, dates and instants as RFC 3339 text and flags as 0/1 integers.
//
// How to add a table: write its migration in both stores
// (bot/sqlite/migrations and bot/postgres/migrations, the same number; see
// each for the column types), then its methods once, here, in a file of
// their own (e.g. widgets.go with func (s *Core) AddWidget...), using
// s.tx / s.execW / s.rowR / s.rowsR and s.insert / s.insertW for an INSERT
// that needs the new id. If the statement cannot be written the same for
// both, add the smallest difference to Dialect or Backend and implement it
// in both backend.go files. A table pointing at a member by a foreign key
// to members(id), or by a platform and user_id pair, is found by /mydata
// and /forgetme on their own (forget.go reads the schema); a member named
// any other way needs a line in ForgetMember. Tests of the methods go in this package's tests, which run on
// SQLite and, with SHAKEOUT_TEST_POSTGRES set, on PostgreSQL.
package sqlstore
