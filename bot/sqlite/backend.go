package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
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
// store's single writer and read pool.
type backend struct{ s *Store }

func (b backend) Tx(ctx context.Context, fn func(sqlstore.Tx) error) error {
	return b.s.tx(ctx, func(tx *sql.Tx) error { return fn(tx) })
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

func (b backend) Insert(ctx context.Context, tx sqlstore.Tx, query string, args ...any) (int64, error) {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (b backend) InsertW(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := b.s.execW(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// AnyOf passes the list as one JSON array, so the statement's text (and
// its prepared form) is the same whatever the list's length.
func (b backend) AnyOf(list []string) (string, any, error) {
	js, err := json.Marshal(list)
	if err != nil {
		return "", nil, err
	}
	return `IN (SELECT value FROM json_each(?))`, string(js), nil
}

// ReadTx reads on the read pool: a read transaction in WAL mode sees one
// snapshot.
func (b backend) ReadTx(ctx context.Context, fn func(sqlstore.Tx) error) error {
	tx, err := b.s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// LiveInstances is the holder of the file's instance lease while it lasts
// (lease.go): one process at a time writes the file.
func (b backend) LiveInstances(now time.Time) (string, []any) {
	return `SELECT token FROM instance_lease WHERE expires_at > ?`, []any{preciseInstant(now)}
}

var dialect = sqlstore.Dialect{
	Position: "instr",
	Tables: `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'members' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`,
	ForeignKeys: `SELECT "from", on_delete FROM pragma_foreign_key_list(?) WHERE "table" = 'members'`,
	Columns:     `SELECT name FROM pragma_table_info(?)`,
}

func (backend) Dialect() sqlstore.Dialect { return dialect }
