package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlstore"
)

// The optional store interfaces the Core gives this store too.
var (
	_ bot.PictureStore  = (*Store)(nil)
	_ bot.GroupArrivals = (*Store)(nil)
)

// backend runs the shared store methods (package sqlstore) on this
// store's connection pool, its statements rebound to $n placeholders.
type backend struct{ s *Store }

func (b backend) Tx(ctx context.Context, fn func(sqlstore.Tx) error) error {
	return b.s.tx(ctx, func(tx *Tx) error { return fn(tx) })
}

func (b backend) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return b.s.execW(ctx, query, args...)
}

func (b backend) Row(ctx context.Context, query string, args ...any) *sql.Row {
	return b.s.rowR(ctx, query, args...)
}

func (b backend) Rows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return b.s.rowsR(ctx, query, args...)
}

// Insert asks for the new row's id with RETURNING: PostgreSQL has no last
// insert id.
func (b backend) Insert(ctx context.Context, tx sqlstore.Tx, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, query+` RETURNING id`, args...).Scan(&id)
	return id, err
}

func (b backend) InsertW(ctx context.Context, query string, args ...any) (int64, error) {
	return b.s.insertW(ctx, query, args...)
}

// AnyOf passes the list as one array.
func (b backend) AnyOf(list []string) (string, any, error) {
	return `= ANY(?)`, list, nil
}

// ReadTx reads in a repeatable-read transaction: one snapshot for all its
// statements.
func (b backend) ReadTx(ctx context.Context, fn func(sqlstore.Tx) error) error {
	stx, err := b.s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return err
	}
	defer stx.Rollback()
	return fn(&Tx{stx})
}

// LiveInstances are the instances whose heartbeat has not run out
// (instances.go); the database's clock decides.
func (b backend) LiveInstances(time.Time) (string, []any) {
	return `SELECT token FROM instances WHERE expires_at > now()`, nil
}

var dialect = sqlstore.Dialect{
	ClaimLock: ` FOR UPDATE SKIP LOCKED`,
	Position:  "strpos",
	Tables: `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'members' ORDER BY table_name`,
	ForeignKeys: `SELECT a.attname, CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
			WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END
		FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.contype = 'f' AND c.conrelid = to_regclass(quote_ident(?)) AND c.confrelid = to_regclass('members')`,
	Columns: `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ?`,
}

func (backend) Dialect() sqlstore.Dialect { return dialect }
