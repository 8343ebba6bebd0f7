package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	driver "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/shakeoutbot/shakeout/bot/sqlstore"
	"github.com/shakeoutbot/shakeout/chat"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is the SQLite implementation of the bot's stores.
type Store struct {
	// Core holds the store methods shared with the PostgreSQL store
	// (package sqlstore), run through backend (backend.go).
	*sqlstore.Core
	// w is the one writer connection; r serves reads concurrently (WAL).
	w, r *sql.DB
	now  func() time.Time
	file string
	// cache holds prepared statements (stmts.go).
	cache stmts
	// wr is the group-committing writer (writer.go).
	wr writer
	// afterInbox is Options.AfterInbox.
	afterInbox func(p chat.Platform, updateID string)
	// instance names this Store in the outbox rows it claims; lease is
	// set while it holds the database's instance lease (lease.go).
	instance string
	lease    *Lease
	// arrivals remembers group arrivals while the lease is held
	// (arrivals.go); nil without a lease.
	arrivals *sqlstore.ArrivalMemo
	// searches remembers knowledge searches (knowledge.go).
	searches sqlstore.SearchCache
	// flusher syncs the write-ahead log in the background (walsync.go);
	// nil when read-only.
	flusher *walFlusher
}

// Options tune Open. The zero value is ready to use.
type Options struct {
	// Now is the clock used for timestamps; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens the file for reading only (diagnostics).
	ReadOnly bool
	// Lease, when set, takes the database's instance lease before the
	// migrations run, in the same transaction: Open fails with a
	// *HeldError while another live process holds it (lease.go).
	Lease *LeaseOptions
	// AfterInbox is a test hook, called inside an update's unit of work
	// right after its inbox row is written and before the command's own
	// writes: a test stops the world there to simulate a crash.
	AfterInbox func(p chat.Platform, updateID string)
}

// dsn builds the connection string; pragmas live here so that every pooled
// connection gets them (a PRAGMA through Exec reaches only one connection).
// The path becomes a file: URI with every byte outside a small safe set
// percent-encoded, so no file name can end the path early (# ?), be
// decoded twice (%) or add parameters (& =).
func dsn(file string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "secure_delete(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	if readOnly {
		q.Set("mode", "ro")
	}
	return fileURI(file) + "?" + q.Encode()
}

// readerCache is the pragma that sizes each reader's page cache (KiB).
const readerCache = "cache_size(-512)"

// fileURI is the SQLite URI of the file at path.
func fileURI(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	path = filepath.ToSlash(path)
	var b strings.Builder
	b.WriteString("file://")
	if !strings.HasPrefix(path, "/") {
		b.WriteByte('/') // a Windows drive letter
	}
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '/', c == '.', c == '-', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// private creates the database file readable by its owner only, and takes
// group and other permissions off an existing one and its -wal and -shm
// files (SQLite gives those the database's permissions when it creates
// them). Errors are left to the open that follows.
func private(file string) {
	if f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
		return
	}
	for _, p := range []string{file, file + "-wal", file + "-shm"} {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
			_ = os.Chmod(p, st.Mode().Perm()&^0o077)
		}
	}
}

// Open opens (creating if needed) the database at file, applies pending
// migrations and builds the knowledge index when the knowledge base changed.
func Open(ctx context.Context, file string, opts Options) (*Store, error) {
	if file == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if !opts.ReadOnly {
		private(file)
	}
	// The writer's connection keeps its writes prepared (wconn.go).
	// With the lease, this process is the file's one writer, and keeps the
	// arrival memo (arrivals.go).
	var memo *sqlstore.ArrivalMemo
	if opts.Lease != nil && !opts.ReadOnly {
		memo = sqlstore.NewArrivalMemo()
	}
	// Its checkpoints are the writer's own, after a commit (writer.go).
	w := sql.OpenDB(writerConnector{dsn: dsn(file, opts.ReadOnly) + "&_pragma=" + url.QueryEscape("wal_autocheckpoint(0)"), drv: &driver.Driver{}, memo: memo})
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Each reader keeps a smaller page cache than SQLite's 2 MB default: a
	// reader's cache is dropped whenever the WAL changed (every commit),
	// so a large one mostly holds memory; the writer keeps the default.
	r, err := sql.Open("sqlite", dsn(file, opts.ReadOnly)+"&_pragma="+url.QueryEscape(readerCache))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", file, err)
	}
	// Readers stay open: database/sql keeps only two idle connections by
	// default, so a third concurrent reader opened (and prepared its
	// statements on) a fresh SQLite connection every time.
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s := &Store{w: w, r: r, now: opts.Now, file: file, afterInbox: opts.AfterInbox, arrivals: memo}
	if s.now == nil {
		s.now = time.Now
	}
	if s.instance, err = randomToken(); err != nil {
		s.Close()
		return nil, err
	}
	s.Core = sqlstore.New(backend{s}, s.now, s.instance)
	if !opts.ReadOnly {
		s.flusher = startWALFlusher(file)
	}
	if err := w.PingContext(ctx); err != nil {
		s.Close()
		if p := s.explain(err); p != err {
			return nil, p
		}
		return nil, fmt.Errorf("open database %s: %w", file, err)
	}
	if !opts.ReadOnly {
		if err := s.migrate(ctx, opts.Lease); err != nil {
			s.Close()
			return nil, s.explain(err)
		}
		if err := s.indexKnowledge(ctx); err != nil {
			s.Close()
			return nil, s.explain(err)
		}
	}
	return s, nil
}

// Result codes (the primary code, the low byte) an operator has to act on.
const (
	codeBusy     = 5
	codeReadOnly = 8
	codeCantOpen = 14
)

// dbProblem is a database error explained: which file, what is wrong and
// what to do. It wraps the driver's error.
type dbProblem struct {
	msg string
	err error
}

func (e *dbProblem) Error() string { return e.msg + " (" + e.err.Error() + ")" }
func (e *dbProblem) Unwrap() error { return e.err }

// explain rewrites the database errors that are the operator's to fix
// (another program holding the write lock, a file that is read-only or
// cannot be opened) into what happened to which file and what to do; other
// errors come back unchanged.
func (s *Store) explain(err error) error {
	var p *dbProblem
	var de *driver.Error
	if err == nil || errors.As(err, &p) || !errors.As(err, &de) {
		return err
	}
	switch de.Code() & 0xff {
	case codeBusy:
		return &dbProblem{fmt.Sprintf("the database %s is locked by another program (a second shakeout, a backup or an sqlite3 shell?): "+
			"stop that program or wait for it to finish", s.file), err}
	case codeReadOnly:
		return &dbProblem{fmt.Sprintf("the database %s is read-only for this user: "+
			"make the file, and the folder it is in, writable by the user running shakeout", s.file), err}
	case codeCantOpen:
		return &dbProblem{fmt.Sprintf("cannot open the database %s: "+
			"check that its folder exists and is writable by the user running shakeout", s.file), err}
	}
	return err
}

// Close stops renewing the lease and gives it up, stops the log's
// background flush, and closes both connection pools.
func (s *Store) Close() error {
	var lerr error
	if s.lease != nil {
		lerr = s.lease.release()
	}
	s.flusher.close()
	return errors.Join(lerr, s.closeStmts(), s.r.Close(), s.w.Close())
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

func migrations() ([]sqlstore.Migration, error) { return sqlstore.Migrations(migrationFS) }

// migrate applies, in order, the migrations newer than the database, all
// in one immediate transaction: a second process starting on the same file
// waits for the first's to commit and then finds nothing to do. With a
// lease it is taken in the same transaction, before any migration. A
// database newer than this binary is refused.
func (s *Store) migrate(ctx context.Context, lease *LeaseOptions) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", s.explain(err))
	}
	defer tx.Rollback()
	for _, q := range []string{`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`, leaseTable} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	var taken *Lease
	if lease != nil {
		if taken, err = s.takeLease(ctx, tx, *lease); err != nil {
			return err
		}
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := sqlstore.ApplyNewer(ctx, tx, ms, current,
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, s.stamp()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", s.explain(err))
	}
	if taken != nil {
		s.lease = taken
		taken.start()
	}
	return nil
}

// SchemaVersion returns the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// stamp is the current instant as stored: UTC RFC 3339.
func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339) }

// FileURI is the SQLite URI of the database file at path, every awkward
// character escaped; tools that open the file themselves use it.
func FileURI(path string) string { return fileURI(path) }
