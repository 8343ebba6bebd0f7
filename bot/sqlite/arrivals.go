package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"regexp"

	"github.com/shakeoutbot/shakeout/bot/sqlstore"
)

// The arrival memo (sqlstore.ArrivalMemo) answers "which club, which
// member, seen here before?" for a group message from memory. It is kept
// only by a store holding the database's instance lease, so this process
// is the file's one writer, and only while the lease lasts. The writer's
// connection (wconn.go) sees every statement: one that writes clubs,
// members or club_members marks the connection, and when that write is
// committed or rolled back the memo forgets everything. Foreign-key actions
// on these tables start from a statement on one of them, and no trigger
// writes them.

// directoryWrite matches a statement that writes the club directory, its
// table named bare, quoted ("clubs") or in the main schema.
var directoryWrite = regexp.MustCompile(`(?is)\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+(?:"?main"?\.)?"?(?:clubs|members|club_members)(?:"|\b)`)

// ArrivalMemo implements sqlstore.ArrivalMemos: the memo, unless the store
// keeps none, its lease is lost, or ctx's unit of work has written (its
// reads see its own uncommitted writes, which no one else may remember).
func (b backend) ArrivalMemo(ctx context.Context) *sqlstore.ArrivalMemo {
	s := b.s
	if s.arrivals == nil || s.heldTx(ctx) != nil || s.lease == nil {
		return nil
	}
	select {
	case <-s.lease.lost:
		return nil
	default:
	}
	return s.arrivals
}

// writesDirectory reports whether query writes the club directory,
// remembering the answer for the connection's usual statements. With c.mu
// held.
func (c *stmtConn) writesDirectory(query string) bool {
	w, ok := c.writes[query]
	if !ok {
		w = directoryWrite.MatchString(query)
		if len(c.writes) < maxWriterStmts {
			c.writes[query] = w
		}
	}
	return w
}

// noteWrite marks the connection when query writes the club directory.
// With c.mu held.
func (c *stmtConn) noteWrite(query string) {
	if c.memo != nil && c.writesDirectory(query) {
		c.touched = true
	}
}

// settle tells the memo of the connection's directory writes, once they
// are committed or rolled back. With c.mu held.
func (c *stmtConn) settle() {
	if c.touched {
		c.touched = false
		c.memo.Changed()
	}
}

// settleOutsideTx settles a statement that committed on its own (outside
// a transaction). With c.mu held.
func (c *stmtConn) settleOutsideTx() {
	if !c.inTx {
		c.settle()
	}
}

// watchedTx is the writer's transaction: its end settles the directory
// writes made in it.
type watchedTx struct {
	tx driver.Tx
	c  *stmtConn
}

func (t watchedTx) Commit() error {
	err := t.tx.Commit()
	t.end()
	return err
}

func (t watchedTx) Rollback() error {
	err := t.tx.Rollback()
	t.end()
	return err
}

func (t watchedTx) end() {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	t.c.inTx = false
	t.c.settle()
}

// watchedRows are a directory write's RETURNING rows outside a
// transaction: closing them commits the write.
type watchedRows struct {
	driver.Rows
	c *stmtConn
}

func (r watchedRows) Close() error {
	err := r.Rows.Close()
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	r.c.settle()
	return err
}

// watchedStmt is a prepared directory write (the store runs its writes
// through ExecContext, but a prepared one is followed all the same).
type watchedStmt struct {
	driver.Stmt
	c *stmtConn
}

func (st watchedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	ex, ok := st.Stmt.(driver.StmtExecContext)
	if !ok {
		return nil, errors.New("sqlite: the driver's statement lacks ExecContext")
	}
	res, err := ex.ExecContext(ctx, args)
	st.c.mu.Lock()
	defer st.c.mu.Unlock()
	st.c.touched = true
	st.c.settleOutsideTx()
	return res, err
}

func (st watchedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := st.Stmt.(driver.StmtQueryContext)
	if !ok {
		return nil, errors.New("sqlite: the driver's statement lacks QueryContext")
	}
	rows, err := q.QueryContext(ctx, args)
	st.c.mu.Lock()
	defer st.c.mu.Unlock()
	st.c.touched = true
	if err != nil || st.c.inTx {
		st.c.settleOutsideTx()
		return rows, err
	}
	return watchedRows{Rows: rows, c: st.c}, nil
}
