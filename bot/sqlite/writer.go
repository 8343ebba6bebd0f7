package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
)

// The writer: every write goes through one connection, inside a batch
// transaction that several writers share and one of them commits (group
// commit). A writer takes the connection, wraps its statements in a
// savepoint (so its own failure undoes only its own statements), releases
// the savepoint and then either commits the batch, when nobody else is
// waiting for the connection, or hands the connection to the next writer
// and waits for that writer (or a later one) to commit. Every writer
// returns only once its batch is committed, so a write that returned is
// durable as before; what is saved is the BEGIN and COMMIT of all but one
// writer in a batch.
//
// An inbound update is a unit of work (BeginUpdate): its inbox row and
// every write its command makes share one savepoint and one commit, so a
// crash leaves the update either wholly done or not done at all.

// maxBatch bounds how many writers share one commit, so a steady stream of
// writers still sees its work committed; maxWait bounds how long a writer
// waits for others to join its batch before it commits the batch itself.
const (
	maxBatch = 64
	maxWait  = 2 * time.Millisecond
)

type writer struct {
	// mu is held by the writer using the connection; waiting counts those
	// queued for it.
	mu      sync.Mutex
	waiting atomic.Int32
	// inflight counts the units of work begun and not finished: each will
	// write (its inbox row at least) soon, so a writer leaving while one
	// is under way leaves the commit to it, up to maxWait.
	inflight atomic.Int32
	tx       *sql.Tx // the open batch; nil between batches
	// commits and writers count batches committed and writers in them.
	commits, writers atomic.Int64
	batch    *batch
	// unprepared are statements met inside a batch that have no prepared
	// form yet: they are prepared between batches (preparing needs the
	// connection, which the batch holds).
	unprepared map[string]bool
}

type batch struct {
	done chan struct{}
	err  error
	n    int
}

// errDuplicate ends the writes of a unit whose update turned out to be
// handled already.
var errDuplicate = errors.New("update already handled")

// acquire takes the writer and makes sure a batch transaction is open. On
// error the writer is not held.
func (s *Store) acquire() error {
	w := &s.wr
	w.waiting.Add(1)
	w.mu.Lock()
	w.waiting.Add(-1)
	if w.tx != nil {
		return nil
	}
	// The transaction outlives any one caller's context.
	tx, err := s.w.BeginTx(context.Background(), nil)
	if err != nil {
		w.mu.Unlock()
		return s.explain(err)
	}
	w.tx, w.batch = tx, &batch{done: make(chan struct{})}
	return nil
}

// leave ends a writer's turn, which holds the writer: it commits the batch
// when no other writer waits (or the batch is full) and otherwise hands the
// batch on and waits for its commit. It returns the batch's outcome.
func (s *Store) leave() error {
	w := &s.wr
	b := w.batch
	b.n++
	if (w.waiting.Load() == 0 && w.inflight.Load() == 0) || b.n >= maxBatch {
		s.commitLocked()
		w.mu.Unlock()
		return b.err
	}
	w.mu.Unlock()
	t := time.NewTimer(maxWait)
	defer t.Stop()
	select {
	case <-b.done:
		return b.err
	case <-t.C:
	}
	// Nobody committed in time: commit the batch, unless that happened
	// meanwhile.
	w.waiting.Add(1)
	w.mu.Lock()
	w.waiting.Add(-1)
	if w.batch == b {
		s.commitLocked()
	}
	w.mu.Unlock()
	<-b.done
	return b.err
}

// commitLocked commits the open batch, wakes its writers and prepares the
// statements the batch met unprepared.
func (s *Store) commitLocked() {
	w := &s.wr
	b := w.batch
	b.err = s.explain(w.tx.Commit())
	w.commits.Add(1)
	w.writers.Add(int64(b.n))
	w.tx, w.batch = nil, nil
	close(b.done)
	if len(w.unprepared) > 0 {
		for q := range w.unprepared {
			s.prepared(context.Background(), s.w, q)
		}
		clear(w.unprepared)
	}
}

// WriterStats reports how many batches the writer committed and how many
// writers (units of work and single writes) they held: their ratio is the
// mean group-commit size.
func (s *Store) WriterStats() (commits, writers int64) {
	return s.wr.commits.Load(), s.wr.writers.Load()
}

// first reports whether the writer holding the batch is its first: then
// the batch holds nothing else, and undoing the writer's work is undoing
// the batch, with no savepoint needed. With the writer held.
func (s *Store) first() bool { return s.wr.batch.n == 0 }

// discard rolls the batch back and ends it; only its first writer, which
// holds the writer, may, and the writer is released.
func (s *Store) discard() error {
	w := &s.wr
	b := w.batch
	err := w.tx.Rollback()
	w.tx, w.batch = nil, nil
	close(b.done)
	w.mu.Unlock()
	return err
}

// control runs a savepoint statement, prepared like any other; these never
// take a caller's context, so a cancelled caller still leaves the batch
// clean.
func (s *Store) control(tx *sql.Tx, stmt string) error {
	_, err := s.txExec(context.Background(), tx, stmt)
	return err
}

// inTx returns the batch's form of the statement: the prepared one when it
// exists, nil (run it unprepared) when it does not yet.
func (s *Store) inTx(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	k := stmtKey{s.w, query}
	s.cache.mu.Lock()
	st, ok := s.cache.m[k]
	s.cache.mu.Unlock()
	if ok {
		return tx.StmtContext(ctx, st)
	}
	if s.wr.unprepared == nil {
		s.wr.unprepared = map[string]bool{}
	}
	s.wr.unprepared[query] = true
	return nil
}

func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.inTx(ctx, tx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// tx runs fn in a write transaction: the caller's unit of work when ctx
// carries one, else a savepoint of the shared batch, committed before tx
// returns. A locked or read-only database is reported as such (see explain).
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if u := s.unitOf(ctx); u != nil {
		return u.run(ctx, fn)
	}
	if err := s.acquire(); err != nil {
		return err
	}
	tx := s.wr.tx
	if s.first() {
		if err := fn(tx); err != nil {
			return s.explain(errors.Join(err, s.discard()))
		}
		return s.explain(s.leave())
	}
	err := s.control(tx, "SAVEPOINT w")
	if err == nil {
		if err = fn(tx); err != nil {
			err = errors.Join(err, s.control(tx, "ROLLBACK TO w"))
		}
		err = errors.Join(err, s.control(tx, "RELEASE w"))
	}
	if cerr := s.leave(); err == nil {
		err = cerr
	}
	return s.explain(err)
}

// execW runs one write statement, prepared, in the caller's unit of work
// or as a writer of its own. A failed statement undoes its own changes.
func (s *Store) execW(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if u := s.unitOf(ctx); u != nil {
		// One statement undoes itself when it fails: no savepoint needed.
		u.mu.Lock()
		defer u.mu.Unlock()
		if err := u.hold(ctx); err != nil {
			return nil, s.explain(err)
		}
		res, err := s.txExec(ctx, s.wr.tx, query, args...)
		return res, s.explain(err)
	}
	if err := s.acquire(); err != nil {
		return nil, err
	}
	res, err := s.txExec(ctx, s.wr.tx, query, args...)
	if cerr := s.leave(); err == nil {
		err = cerr
	}
	return res, s.explain(err)
}

// unit is one inbound update's unit of work.
type unit struct {
	s  *Store
	mu sync.Mutex
	p  bot.Platform
	id string
	// held: the unit holds the writer and its savepoint is open. It is
	// read without mu by reads made inside the unit's own writes.
	held     atomic.Bool
	dup      bool
	finished bool
	// sp: the unit's work is under SAVEPOINT u; without it the unit is
	// its batch's first writer and undoing it is discarding the batch.
	sp bool
}

type unitKey struct{}

func (s *Store) unitOf(ctx context.Context) *unit {
	u, _ := ctx.Value(unitKey{}).(*unit)
	if u == nil || u.s != s {
		return nil
	}
	return u
}

// heldTx is the batch transaction when ctx's unit holds the writer: reads
// then go through it, so they see the unit's own writes.
func (s *Store) heldTx(ctx context.Context) *sql.Tx {
	u := s.unitOf(ctx)
	if u == nil {
		return nil
	}
	if !u.held.Load() {
		return nil
	}
	return s.wr.tx
}

// BeginUpdate implements bot.UpdateUnits. A redelivered update already
// committed reports first false. Otherwise the returned context carries
// the unit: every write made with it joins the unit, and nothing is
// committed before Finish.
func (s *Store) BeginUpdate(ctx context.Context, p bot.Platform, updateID string) (context.Context, bot.UpdateUnit, bool, error) {
	// No read first: the inbox row is the unit's first write, and a
	// conflict there (the update committed before) ends the unit as a
	// redelivery. Callers serialise one member's updates, so a redelivery
	// always meets the first delivery's row committed.
	u := &unit{s: s, p: p, id: updateID}
	s.wr.inflight.Add(1)
	return context.WithValue(ctx, unitKey{}, u), u, true, nil
}

// hold takes the writer for the unit, opens its savepoint and records the
// update in the inbox, first of all its writes. With u.mu held.
func (u *unit) hold(ctx context.Context) error {
	if u.held.Load() {
		return nil
	}
	if u.dup {
		return errDuplicate
	}
	s := u.s
	if err := s.acquire(); err != nil {
		return err
	}
	tx := s.wr.tx
	u.sp = !s.first()
	if u.sp {
		if err := s.control(tx, "SAVEPOINT u"); err != nil {
			return errors.Join(err, s.leave())
		}
	}
	u.held.Store(true)
	res, err := s.txExec(ctx, tx, `INSERT INTO inbox (platform, update_id, received_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, u.p, u.id, s.stamp())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		u.dup = true
		return errDuplicate
	}
	if s.afterInbox != nil {
		s.afterInbox(u.p, u.id)
	}
	return nil
}

// run runs fn inside the unit, under a savepoint of its own.
func (u *unit) run(ctx context.Context, fn func(*sql.Tx) error) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.hold(ctx); err != nil {
		return err
	}
	s := u.s
	tx := s.wr.tx
	if err := s.control(tx, "SAVEPOINT w"); err != nil {
		return err
	}
	err := fn(tx)
	if err != nil {
		err = errors.Join(err, s.control(tx, "ROLLBACK TO w"))
	}
	return errors.Join(err, s.control(tx, "RELEASE w"))
}

// Finish implements bot.UpdateUnit: with commit, the inbox row and the
// command's writes are committed together; without, all of them are
// undone, so a redelivery runs the command again. first is false when the
// update turned out to be handled already (nothing of it is kept then).
func (u *unit) Finish(ctx context.Context, commit bool) (first bool, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if !u.finished {
		u.finished = true
		u.s.wr.inflight.Add(-1)
	}
	if !u.held.Load() {
		if !commit || u.dup {
			return !u.dup, nil
		}
		if err := u.hold(ctx); err != nil {
			if errors.Is(err, errDuplicate) {
				err = nil
			}
			if !u.held.Load() {
				return !u.dup, u.s.explain(err)
			}
			commit = false
		}
	}
	s := u.s
	tx := s.wr.tx
	u.held.Store(false)
	if !u.sp {
		if !commit || u.dup {
			return !u.dup, s.explain(s.discard())
		}
		return true, s.leave()
	}
	if !commit || u.dup {
		err = s.control(tx, "ROLLBACK TO u")
	}
	err = errors.Join(err, s.control(tx, "RELEASE u"))
	if cerr := s.leave(); err == nil {
		err = cerr
	}
	return !u.dup, s.explain(err)
}
