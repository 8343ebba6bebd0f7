package sqlstore

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"
)

// Tx is a write transaction. Statements are written with ? placeholders;
// a backend whose database wants another form rewrites them.
type Tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Backend is what a store package gives the Core: how it runs reads and
// writes, and the few statements its database spells differently.
type Backend interface {
	// Tx runs fn in a write transaction: the caller's unit of work when
	// ctx carries one (fn's failure then undoes only fn's writes), else a
	// transaction of its own. fn must not keep tx.
	Tx(ctx context.Context, fn func(tx Tx) error) error
	// Exec runs one write statement in the caller's unit of work or on
	// its own.
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	// Row and Rows run a read: inside the caller's unit of work once it has
	// written (so it sees its own writes), else wherever reads go.
	Row(ctx context.Context, query string, args ...any) *sql.Row
	Rows(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	// Insert runs an INSERT of one row in tx and returns the id the row
	// was given; InsertW does the same as a write of its own (like Exec).
	Insert(ctx context.Context, tx Tx, query string, args ...any) (int64, error)
	InsertW(ctx context.Context, query string, args ...any) (int64, error)
	// AnyOf is a condition "column is one of list" for a WHERE clause
	// (column followed by the fragment) and the one argument it takes.
	AnyOf(list []string) (fragment string, arg any, err error)
	// ReadTx runs fn in a read-only transaction that sees one consistent
	// snapshot of every table.
	ReadTx(ctx context.Context, fn func(tx Tx) error) error
	// LiveInstances is a query of the tokens of the store instances alive
	// at now (whose outbox claims must be left alone), and its arguments.
	LiveInstances(now time.Time) (query string, args []any)
	// Dialect names the statements' other differences.
	Dialect() Dialect
}

// Dialect is what a database spells differently in statements the Core
// otherwise shares.
type Dialect struct {
	// ClaimLock ends the outbox claim's choice of rows: PostgreSQL's
	// FOR UPDATE SKIP LOCKED; nothing for SQLite, whose one writer already
	// keeps two claims apart.
	ClaimLock string
	// Position is the function giving where a text occurs in another
	// (haystack, needle), 0 when it does not.
	Position string
	// Tables lists the schema's ordinary tables other than members, one
	// name a row, in name order. ForeignKeys lists a table's (the one
	// argument) columns referencing members and their ON DELETE action.
	// Columns lists a table's (the one argument) columns.
	Tables, ForeignKeys, Columns string
}

// Core implements every store method both databases share, over a
// Backend. A store package embeds *Core in its Store.
type Core struct {
	b   Backend
	now func() time.Time
	// instance names the store instance in the outbox rows it claims.
	instance string
	// erased is set by ForgetMember (ErasedSinceCheckpoint).
	erased atomic.Bool
}

// New returns the Core of a store that runs its statements with b, stamps
// rows with now (time.Now when nil) and claims outbox rows as instance.
func New(b Backend, now func() time.Time, instance string) *Core {
	if now == nil {
		now = time.Now
	}
	return &Core{b: b, now: now, instance: instance}
}

// stamp is the current instant as stored: UTC RFC 3339.
func (s *Core) stamp() string { return s.now().UTC().Format(time.RFC3339) }

// ParseStamp reads an instant stored as UTC RFC 3339 (zero when it is not).
func ParseStamp(v string) time.Time {
	t, _ := time.Parse(time.RFC3339, v)
	return t
}

// BoolInt is a flag as stored: 1 or 0.
func BoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The store methods are written against these, as the store packages
// wrote them before they shared one core.

func (s *Core) tx(ctx context.Context, fn func(tx Tx) error) error { return s.b.Tx(ctx, fn) }

func (s *Core) execW(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.b.Exec(ctx, query, args...)
}

func (s *Core) rowR(ctx context.Context, query string, args ...any) *sql.Row {
	return s.b.Row(ctx, query, args...)
}

func (s *Core) rowsR(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.b.Rows(ctx, query, args...)
}

func (s *Core) insertW(ctx context.Context, query string, args ...any) (int64, error) {
	return s.b.InsertW(ctx, query, args...)
}

func (s *Core) insert(ctx context.Context, tx Tx, query string, args ...any) (int64, error) {
	return s.b.Insert(ctx, tx, query, args...)
}
