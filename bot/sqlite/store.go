package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	driver "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is the SQLite implementation of the bot's stores.
type Store struct {
	// w is the one writer connection; r serves reads concurrently (WAL).
	w, r *sql.DB
	now  func() time.Time
	file string
	// cache holds prepared statements (stmts.go).
	cache stmts
}

// Options tune Open. The zero value is ready to use.
type Options struct {
	// Now is the clock used for timestamps; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens the file for reading only (diagnostics).
	ReadOnly bool
}

// dsn builds the connection string; pragmas live here so that every pooled
// connection gets them (a PRAGMA through Exec reaches only one connection).
func dsn(file string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	if readOnly {
		q.Set("mode", "ro")
	}
	return "file:" + file + "?" + q.Encode()
}

// Open opens (creating if needed) the database at file, applies pending
// migrations and builds the knowledge index when the knowledge base changed.
func Open(ctx context.Context, file string, opts Options) (*Store, error) {
	if file == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	w, err := sql.Open("sqlite", dsn(file, opts.ReadOnly))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", file, err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", dsn(file, opts.ReadOnly))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", file, err)
	}
	r.SetMaxOpenConns(4)
	s := &Store{w: w, r: r, now: opts.Now, file: file}
	if s.now == nil {
		s.now = time.Now
	}
	if err := w.PingContext(ctx); err != nil {
		s.Close()
		if p := s.explain(err); p != err {
			return nil, p
		}
		return nil, fmt.Errorf("open database %s: %w", file, err)
	}
	if !opts.ReadOnly {
		if err := s.migrate(ctx); err != nil {
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

// Close closes both connection pools.
func (s *Store) Close() error {
	return errors.Join(s.closeStmts(), s.r.Close(), s.w.Close())
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", base)
		}
		body, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a number", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// migrate applies, in order and each in its own transaction, the migrations
// newer than the database. A database newer than this binary is refused.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := s.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if n := len(ms); n > 0 && current > ms[n-1].version {
		return fmt.Errorf("database schema version %d is newer than this program knows (%d): upgrade shakeout", current, ms[n-1].version)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, s.stamp())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// SchemaVersion returns the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// tx runs fn in one write transaction on the writer connection. A locked
// or read-only database is reported as such (see explain).
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.explain(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return s.explain(err)
	}
	return s.explain(tx.Commit())
}

// stamp is the current instant as stored: UTC RFC 3339.
func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339) }

func parseStamp(v string) time.Time {
	t, _ := time.Parse(time.RFC3339, v)
	return t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
