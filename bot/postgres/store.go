package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/shakeoutbot/shakeout/bot/sqlstore"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is the PostgreSQL implementation of the bot's stores. It talks to
// the database through database/sql with pgx's driver: the store methods
// are the ones the SQLite store runs too (package sqlstore, embedded as
// Core, run through backend.go), so a table added to both is one migration
// in each and its methods once, and `shakeout migrate-db` copies rows with
// one generic loop.
type Store struct {
	// Core holds the store methods shared with the SQLite store (package
	// sqlstore), run through backend (backend.go).
	*sqlstore.Core
	db  *sql.DB
	now func() time.Time
	// where names the database in messages, without its password.
	where string
	// instance names this Store in the outbox rows it claims and in the
	// instances table, which it keeps alive (instances.go).
	instance string
	alive    *heartbeat
	kb       *knowledgeIndex
	// searches remembers knowledge searches (sqlstore.SearchCache).
	searches sqlstore.SearchCache
}

// Options tune Open. The zero value is ready to use.
type Options struct {
	// Now is the clock used for timestamps; nil means time.Now.
	Now func() time.Time
	// MaxConns caps the connection pool (default 16).
	MaxConns int
	// InstanceTTL is how long this instance counts as alive without a
	// heartbeat (DefaultLeaseTime): its outbox claims are released to the
	// others once it is gone that long.
	InstanceTTL time.Duration
	// Logf, when set, hears about a heartbeat that failed.
	Logf func(msg string, args ...any)
}

// IsURL reports whether a SHAKEOUT_DB value names a PostgreSQL database
// rather than a SQLite file.
func IsURL(v string) bool {
	return strings.HasPrefix(v, "postgres://") || strings.HasPrefix(v, "postgresql://")
}

// redact is the URL without its password, for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the PostgreSQL database"
	}
	u.User = url.User(u.User.Username())
	u.RawQuery = ""
	return u.String()
}

// Open connects to the database at the URL, applies pending migrations
// (under an advisory lock, so instances starting together migrate once),
// registers this instance and builds the knowledge index.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
	}
	n := opts.MaxConns
	if n <= 0 {
		n = 16
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, now: opts.Now, where: redact(dsn)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.instance, err = randomToken(); err != nil {
		db.Close()
		return nil, err
	}
	s.Core = sqlstore.New(backend{s}, s.now, s.instance)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach the database %s: check that PostgreSQL runs there and the user and password are right (%w)", s.where, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if s.kb, err = newKnowledgeIndex(ctx); err != nil {
		db.Close()
		return nil, err
	}
	ttl := opts.InstanceTTL
	if ttl <= 0 {
		ttl = DefaultLeaseTime
	}
	if s.alive, err = s.startHeartbeat(ctx, ttl, opts.Logf); err != nil {
		s.kb.close()
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close stops the heartbeat, removes this instance's row and closes the
// connection pool.
func (s *Store) Close() error {
	var herr error
	if s.alive != nil {
		herr = s.alive.stopAndLeave()
	}
	var kerr error
	if s.kb != nil {
		kerr = s.kb.close()
	}
	return errors.Join(herr, kerr, s.db.Close())
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// Where names the database, without its password.
func (s *Store) Where() string { return s.where }

// DB is the connection pool, for tools (migrate-db) that copy rows.
func (s *Store) DB() *sql.DB { return s.db }

// Instance is the token naming this store in outbox claims and leases.
func (s *Store) Instance() string { return s.instance }

func migrations() ([]sqlstore.Migration, error) { return sqlstore.Migrations(migrationFS) }

// migrateLock is the advisory lock key the migrations run under.
const migrateLock = 0x5348414b45 // "SHAKE"

// migrate applies, in order and in one transaction, the migrations newer
// than the database. A transaction-scoped advisory lock makes a second
// instance starting at the same moment wait, then find nothing to do. A
// database newer than this binary is refused.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := sqlstore.ApplyNewer(ctx, tx, ms, current,
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, s.stamp()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// SchemaVersion returns the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// stamp is the current instant as stored: UTC RFC 3339.
func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339) }

func randomToken() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// rebound caches the $n form of the store's ?-placeholder statements.
var rebound sync.Map

// rebind turns the ? placeholders of a statement written like the SQLite
// store's into PostgreSQL's $1, $2, …; question marks inside quoted text
// or identifiers are left alone.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	rebound.Store(q, out)
	return out
}

// retryable reports whether a transaction failed only because of another
// one (a deadlock, a serialization failure) and can simply run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}
