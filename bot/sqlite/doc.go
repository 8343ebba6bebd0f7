// Package sqlite stores Shakeout's data in one SQLite file through
// modernc.org/sqlite (pure Go, so builds need no cgo).
//
// It owns the schema (embedded, numbered, forward-only migrations), the
// connection settings (WAL, busy timeout, foreign keys and immediate
// transactions, all in the DSN so every pooled connection gets them), and the
// full-text index of the knowledge base (FTS5 with bm25 ranking). Writes go
// through a single connection, grouped into shared commits (writer.go): every
// method is atomic and durable when it returns, with its SQL inline next to
// the Go that runs it, and an inbound update's inbox row and its command's
// writes commit together (BeginUpdate). The writer checkpoints the
// write-ahead log itself every 256 commits, and a goroutine flushes the log
// to disk between checkpoints, off the writer's lock (walsync.go), so a
// checkpoint holds the writer for ~2 ms rather than ~8. A writer that must
// wait, for the writer's lock or its batch's commit, spins briefly
// (yielding) before it sleeps: waking a sleeper was the slow part.
// `shakeout run`
// holds a lease on the file, so only one process writes it (lease.go).
//
// It implements the store interfaces declared in package bot: the methods it
// shares with bot/postgres are written once in bot/sqlstore, which Store
// embeds and runs through backend.go on the writer and the read pool. It
// holds no business rules.
package sqlite
