package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"
	"sync"

	"github.com/shakeoutbot/shakeout/bot/sqlstore"
	sqlitedrv "modernc.org/sqlite"
)

// The writer's connection keeps one prepared statement per write it runs:
// every Exec on it, in a store method's transaction as much as alone,
// reuses the statement SQLite compiled the first time instead of parsing
// the SQL again (parsing was a large part of a short write). Queries are
// not kept: a cursor left open on a shared statement would be reset under
// its reader.

// maxWriterStmts bounds the writer's kept statements; a write met after
// that runs as it did before, parsed each time.
const maxWriterStmts = 512

// writerConnector opens the writer's connections (one at a time: the pool
// holds one).
type writerConnector struct {
	dsn string
	drv *sqlitedrv.Driver
	// memo hears of every committed change to the club directory
	// (arrivals.go); nil when the store keeps none.
	memo *sqlstore.ArrivalMemo
}

func (c writerConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &stmtConn{conn: conn, stmts: map[string]driver.Stmt{}, memo: c.memo, writes: map[string]bool{}}, nil
}

func (c writerConnector) Driver() driver.Driver { return c.drv }

// innerConn is what the SQLite driver's connection offers.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// stmtConn is a writer connection that keeps its Exec statements prepared.
type stmtConn struct {
	conn driver.Conn
	// mu guards stmts; database/sql already uses a connection from one
	// goroutine at a time.
	mu    sync.Mutex
	stmts map[string]driver.Stmt
	// memo, writes, inTx and touched tell the arrival memo of directory
	// changes (arrivals.go).
	memo    *sqlstore.ArrivalMemo
	writes  map[string]bool
	inTx    bool
	touched bool
}

func (c *stmtConn) inner() (innerConn, error) {
	ic, ok := c.conn.(innerConn)
	if !ok {
		return nil, errors.New("sqlite: the driver's connection lacks a context method")
	}
	return ic, nil
}

func (c *stmtConn) Prepare(query string) (driver.Stmt, error) { return c.conn.Prepare(query) }

//lint:ignore SA1019 database/sql needs Begin on every driver.Conn; BeginTx is what it calls.
func (c *stmtConn) Begin() (driver.Tx, error) { return c.conn.Begin() }

func (c *stmtConn) Close() error {
	c.mu.Lock()
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, q)
	}
	c.mu.Unlock()
	return errors.Join(append(errs, c.conn.Close())...)
}

func (c *stmtConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	ic, err := c.inner()
	if err != nil {
		return nil, err
	}
	tx, err := ic.BeginTx(ctx, opts)
	if err != nil || c.memo == nil {
		return tx, err
	}
	c.mu.Lock()
	c.inTx = true
	c.mu.Unlock()
	return watchedTx{tx: tx, c: c}, nil
}

func (c *stmtConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	ic, err := c.inner()
	if err != nil {
		return nil, err
	}
	st, err := ic.PrepareContext(ctx, query)
	if err != nil || c.memo == nil {
		return st, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writesDirectory(query) {
		return watchedStmt{Stmt: st, c: c}, nil
	}
	return st, nil
}

// ExecContext runs query through its kept statement, preparing and keeping
// it the first time.
func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ic, err := c.inner()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.noteWrite(query)
	defer c.settleOutsideTx()
	st, ok := c.stmts[query]
	if !ok {
		if len(c.stmts) >= maxWriterStmts || script(query) {
			return ic.ExecContext(ctx, query, args)
		}
		if st, err = ic.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		c.stmts[query] = st
	}
	ex, ok := st.(driver.StmtExecContext)
	if !ok {
		return ic.ExecContext(ctx, query, args)
	}
	return ex.ExecContext(ctx, args)
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	ic, err := c.inner()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.noteWrite(query)
	rows, err := ic.QueryContext(ctx, query, args)
	if err != nil || !c.touched || c.inTx {
		c.settleOutsideTx()
		return rows, err
	}
	// A write with RETURNING outside a transaction commits when its rows
	// are closed.
	return watchedRows{Rows: rows, c: c}, nil
}

func (c *stmtConn) Ping(ctx context.Context) error {
	ic, err := c.inner()
	if err != nil {
		return err
	}
	return ic.Ping(ctx)
}

func (c *stmtConn) ResetSession(ctx context.Context) error {
	ic, err := c.inner()
	if err != nil {
		return err
	}
	return ic.ResetSession(ctx)
}

func (c *stmtConn) IsValid() bool {
	ic, err := c.inner()
	return err == nil && ic.IsValid()
}

// script reports whether query holds more than one statement (a
// migration): such a text runs once, and is not worth keeping.
func script(query string) bool {
	q := strings.TrimSuffix(strings.TrimSpace(query), ";")
	return strings.Contains(q, ";")
}
