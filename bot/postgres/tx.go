package postgres

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
)

// Tx is a transaction whose statements are written with ? placeholders.
type Tx struct{ tx *sql.Tx }

// ExecContext runs a statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, rebind(query), args...)
}

// QueryContext runs a query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, rebind(query), args...)
}

// QueryRowContext runs a one-row query in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, rebind(query), args...)
}

// maxTries bounds the runs of a transaction that meets deadlocks.
const maxTries = 5

// tx runs fn in a write transaction: the caller's unit of work when ctx
// carries one (under a savepoint, so fn's failure undoes only fn), else a
// transaction of its own, run again when it lost a deadlock.
func (s *Store) tx(ctx context.Context, fn func(*Tx) error) error {
	if u := s.unitOf(ctx); u != nil {
		return u.run(ctx, fn)
	}
	var err error
	for try := 0; try < maxTries; try++ {
		err = s.once(ctx, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

func (s *Store) once(ctx context.Context, fn func(*Tx) error) error {
	stx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&Tx{stx}); err != nil {
		_ = stx.Rollback()
		return err
	}
	return stx.Commit()
}

// execW runs one write statement in the caller's unit of work or on its
// own.
func (s *Store) execW(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if u := s.unitOf(ctx); u != nil {
		var res sql.Result
		err := u.run(ctx, func(tx *Tx) error {
			var err error
			res, err = tx.ExecContext(ctx, query, args...)
			return err
		})
		return res, err
	}
	return s.db.ExecContext(ctx, rebind(query), args...)
}

// rowR runs a one-row query on the pool, or inside the caller's unit of
// work once it has written (so it sees its own writes).
func (s *Store) rowR(ctx context.Context, query string, args ...any) *sql.Row {
	if u := s.unitOf(ctx); u != nil {
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.t != nil {
			return u.t.QueryRowContext(ctx, query, args...)
		}
	}
	return s.db.QueryRowContext(ctx, rebind(query), args...)
}

// rowsR runs a query like rowR.
func (s *Store) rowsR(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if u := s.unitOf(ctx); u != nil {
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.t != nil {
			return u.t.QueryContext(ctx, query, args...)
		}
	}
	return s.db.QueryContext(ctx, rebind(query), args...)
}

// errDuplicate ends the writes of a unit whose update turned out to be
// handled already.
var errDuplicate = errors.New("update already handled")

// unit is one inbound update's unit of work: a transaction begun at its
// first write, whose first statement records the update in the inbox.
type unit struct {
	s        *Store
	mu       sync.Mutex
	p        chat.Platform
	id       string
	t        *Tx
	dup      bool
	finished bool
}

type unitKey struct{}

func (s *Store) unitOf(ctx context.Context) *unit {
	u, _ := ctx.Value(unitKey{}).(*unit)
	if u == nil || u.s != s {
		return nil
	}
	return u
}

// BeginUpdate implements bot.UpdateUnits. The inbox row is the unit's
// first write: an update already committed (on this instance or another)
// makes that insert do nothing, and the unit ends as a redelivery. Two
// instances handling the same update at once meet on the inbox's primary
// key: the second waits for the first's commit, then sees the row.
func (s *Store) BeginUpdate(ctx context.Context, p chat.Platform, updateID string) (context.Context, bot.UpdateUnit, bool, error) {
	u := &unit{s: s, p: p, id: updateID}
	return context.WithValue(ctx, unitKey{}, u), u, true, nil
}

// enter begins the unit's transaction at its first write. With u.mu held.
func (u *unit) enter(ctx context.Context) error {
	if u.dup {
		return errDuplicate
	}
	if u.t != nil {
		return nil
	}
	// The transaction outlives the caller's context until Finish.
	stx, err := u.s.db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return err
	}
	t := &Tx{stx}
	res, err := t.ExecContext(ctx, `INSERT INTO inbox (platform, update_id, received_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, u.p, u.id, u.s.stamp())
	if err != nil {
		_ = stx.Rollback()
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_ = stx.Rollback()
		u.dup = true
		return errDuplicate
	}
	u.t = t
	return nil
}

// run runs fn inside the unit, under a savepoint of its own.
func (u *unit) run(ctx context.Context, fn func(*Tx) error) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.finished {
		return errors.New("update unit already finished")
	}
	if err := u.enter(ctx); err != nil {
		return err
	}
	if _, err := u.t.tx.ExecContext(ctx, `SAVEPOINT w`); err != nil {
		return err
	}
	if err := fn(u.t); err != nil {
		_, rerr := u.t.tx.ExecContext(context.WithoutCancel(ctx), `ROLLBACK TO SAVEPOINT w`)
		return errors.Join(err, rerr)
	}
	_, err := u.t.tx.ExecContext(ctx, `RELEASE SAVEPOINT w`)
	return err
}

// Finish implements bot.UpdateUnit: with commit, the inbox row and the
// command's writes are committed together; without, all of it is rolled
// back so a redelivery runs the command again.
func (u *unit) Finish(ctx context.Context, commit bool) (first bool, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.finished {
		return !u.dup, nil
	}
	u.finished = true
	if u.dup {
		return false, nil
	}
	if u.t == nil {
		if !commit {
			return true, nil
		}
		// Nothing written: the inbox row alone records the update.
		if err := u.enter(ctx); err != nil {
			if errors.Is(err, errDuplicate) {
				return false, nil
			}
			return true, err
		}
	}
	t := u.t
	u.t = nil
	if !commit {
		return true, t.tx.Rollback()
	}
	if err := t.tx.Commit(); err != nil {
		if retryable(err) {
			return true, bot.ErrTryAgain
		}
		return true, err
	}
	return true, nil
}

// insertW runs an INSERT of one row and returns the id it was given.
func (s *Store) insertW(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, query+` RETURNING id`, args...).Scan(&id)
	})
	return id, err
}

var errNoRows = sql.ErrNoRows
