package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
)

// The writer: every write goes through one connection, inside a batch
// transaction that several writers share and one commit ends (group
// commit). Writers join the open batch and take the connection only for
// their statements, one writer's statements at a time (a store method's
// statements under a savepoint of their own, so its failure undoes only
// them); their work in between (reading, composing a reply) runs in
// parallel. The batch commits when its last member leaves: writers that
// overlap share it, and none waits for a writer still to come, except an
// update's unit begun while the batch was open (BeginUpdate), which it
// waits for until closed. A batch
// full or old takes no new members, so a steady stream still commits; every
// writer returns only once its batch is committed, so a write that
// returned is durable as before, and the BEGIN, COMMIT and the page writes
// of a commit are shared.
//
// An inbound update is a unit of work (BeginUpdate): its inbox row, first,
// and every write its command makes go into one batch and commit together,
// so a crash leaves the update either wholly done or not done at all. A
// unit that fails discards its batch, so nothing of it is kept; the other
// units in that batch are not at fault and are run again (bot.ErrTryAgain),
// and writers outside a unit redo their statements.

// maxBatch and maxAge close a batch to new members, so a steady stream of
// writers still sees its work committed; a writer waiting for its batch
// closes it after maxWait, so its last member commits it.
const (
	maxBatch = 64
	maxAge   = 5 * time.Millisecond
	maxWait  = 2 * time.Millisecond
)

// spinFor is how long a writer that must wait, for the writer's lock or
// for its batch's commit, keeps its processor before it sleeps, yielding it
// to any other goroutine meanwhile. These waits are short (a commit takes
// tens of microseconds, a pending unit's command a few hundred) and waking
// a sleeper is not: it takes an idle thread woken, and on a small virtual
// machine Linux was seen to queue that thread behind the waker's for up to
// a scheduler tick (4 ms) while the other processor sat idle; those stalls
// were the p99 of every command (BENCHMARKS.md, round 2 session 6). A
// waiter still spinning when its wait ends needs no one to wake it. 600 µs
// did better than 150, 300 and 1,000 µs there. An idle bot never spins:
// only a writer that meets another one waits.
const spinFor = 600 * time.Microsecond

// lock takes the writer's lock, trying again for spinFor (see there)
// before it waits asleep.
func (w *writer) lock() {
	if w.mu.TryLock() {
		return
	}
	for start := time.Now(); time.Since(start) < spinFor; {
		runtime.Gosched()
		if w.mu.TryLock() {
			return
		}
	}
	w.mu.Lock()
}

type writer struct {
	// mu guards the batch and the connection: a writer holds it while its
	// statements run.
	mu    sync.Mutex
	tx    *sql.Tx // the open batch's transaction; nil between batches
	batch *batch
	// commits and writers count batches committed and writers in them.
	commits, writers atomic.Int64
	// wait, when set, replaces maxWait (a test's).
	wait time.Duration
}

type batch struct {
	done      chan struct{}
	err       error
	discarded bool
	opened    time.Time
	members   int  // joined and not left
	n         int  // joined in all
	closed    bool // takes no new members
	// pending counts units begun while the batch was open that have not
	// written yet (see BeginUpdate): the batch waits for them, unless
	// closed, so units that overlap share its commit.
	pending int
}

// errTryAgain ends the work of a writer whose batch was discarded.
var errTryAgain = bot.ErrTryAgain

// errDuplicate ends the writes of a unit whose update turned out to be
// handled already.
var errDuplicate = errors.New("update already handled")

// result is the batch's outcome for a member.
func (b *batch) result() error {
	if b.discarded {
		return errTryAgain
	}
	return b.err
}

// joinLocked makes the caller a member of the open batch, opening one when
// none is, and waiting out a closed one. With w.mu held.
func (s *Store) joinLocked() (*batch, error) {
	w := &s.wr
	for {
		b := s.openLocked()
		if !b.closed {
			if err := s.beginLocked(); err != nil {
				return nil, err
			}
			b.members++
			b.n++
			return b, nil
		}
		if b.members == 0 {
			s.commitLocked()
			continue
		}
		w.mu.Unlock()
		<-b.done
		w.lock()
	}
}

// openLocked returns the batch being filled, making one (without its
// transaction) when there is none, and closes it when full or old. With
// w.mu held.
func (s *Store) openLocked() *batch {
	w := &s.wr
	if w.batch == nil {
		w.batch = &batch{done: make(chan struct{}), opened: time.Now()}
	}
	b := w.batch
	if !b.closed && (b.n+b.pending >= maxBatch || time.Since(b.opened) >= maxAge) {
		b.closed = true
	}
	return b
}

// beginLocked begins the open batch's transaction at its first write.
// With w.mu held.
func (s *Store) beginLocked() error {
	w := &s.wr
	if w.tx != nil {
		return nil
	}
	// The transaction outlives any one caller's context.
	tx, err := s.w.BeginTx(context.Background(), nil)
	if err != nil {
		return s.explain(err)
	}
	w.tx = tx
	return nil
}

// leaveLocked ends a member's part in its batch: the last member out
// commits it, unless units still expected to write keep it open. With
// w.mu held.
func (s *Store) leaveLocked(b *batch) {
	b.members--
	s.settleLocked(b)
}

// settleLocked commits b when it is the open batch and waits for nobody:
// no member is inside, and no pending unit is expected (or b is closed).
// With w.mu held.
func (s *Store) settleLocked(b *batch) {
	if s.wr.batch == b && b.members == 0 && (b.pending == 0 || b.closed) {
		s.commitLocked()
	}
}

// await waits for the batch's outcome, spinning first (see spinFor). When
// that takes maxWait (members keep joining), await closes the batch, so
// its last member commits it.
func (s *Store) await(b *batch) error {
	w := &s.wr
	wait := maxWait
	if w.wait > 0 {
		wait = w.wait
	}
	start := time.Now()
	for {
		select {
		case <-b.done:
			return b.result()
		default:
		}
		if time.Since(start) >= min(spinFor, wait) {
			break
		}
		runtime.Gosched()
	}
	t := time.NewTimer(max(0, wait-time.Since(start)))
	defer t.Stop()
	for {
		select {
		case <-b.done:
			return b.result()
		case <-t.C:
		}
		w.lock()
		if w.batch == b {
			if b.members == 0 {
				s.commitLocked()
			} else {
				b.closed = true
			}
		}
		w.mu.Unlock()
		t.Reset(wait)
	}
}

// commitLocked commits the open batch and wakes its writers. With w.mu
// held.
func (s *Store) commitLocked() {
	w := &s.wr
	b := w.batch
	n := int64(0)
	if w.tx != nil {
		b.err = s.explain(w.tx.Commit())
		n = w.commits.Add(1)
		w.writers.Add(int64(b.n))
	}
	w.tx, w.batch = nil, nil
	close(b.done)
	s.flusher.kickAfter(n)
	if n%checkpointEvery == 0 && n > 0 {
		s.checkpointLocked()
	}
}

// checkpointEvery is how many commits pass between the writer's
// checkpoints.
const checkpointEvery = 256

// checkpointLocked copies the write-ahead log into the database file on
// the writer's connection, once the batch before it has been told it is
// committed; the log's background flush (walsync.go) has written most of
// the log to disk by then. SQLite's own automatic checkpoint ran inside the commit, so
// the batch's members waited for its copy and fsync (milliseconds: these
// commits were the p99 of every command); now only a writer arriving
// meanwhile waits. The writer's lock is held, so no commit lands during
// the checkpoint and the next transaction restarts the log from its
// start. A failure leaves the log for the next checkpoint. With w.mu
// held.
func (s *Store) checkpointLocked() {
	_, _ = s.w.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
}

// discardLocked rolls the open batch back: its members run again. With
// w.mu held.
func (s *Store) discardLocked() {
	w := &s.wr
	b := w.batch
	if w.tx != nil {
		_ = w.tx.Rollback()
	}
	w.tx, w.batch = nil, nil
	b.discarded = true
	close(b.done)
}

// WriterStats reports how many batches the writer committed and how many
// writers (units of work and single writes) they held: their ratio is the
// mean group-commit size.
func (s *Store) WriterStats() (commits, writers int64) {
	return s.wr.commits.Load(), s.wr.writers.Load()
}

// control runs a savepoint statement; these never take a caller's
// context, so a cancelled caller still leaves the batch clean.
func (s *Store) control(tx *sql.Tx, stmt string) error {
	_, err := tx.ExecContext(context.Background(), stmt)
	return err
}

// txExec runs a write in the batch; the writer's connection keeps the
// statement prepared (wconn.go).
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, query, args...)
}

// inSavepoint runs fn under a savepoint of the batch, undoing fn's
// statements when it fails. With w.mu held.
func (s *Store) inSavepoint(tx *sql.Tx, fn func(*sql.Tx) error) error {
	if err := s.control(tx, "SAVEPOINT w"); err != nil {
		return err
	}
	err := fn(tx)
	if err != nil {
		err = errors.Join(err, s.control(tx, "ROLLBACK TO w"))
	}
	return errors.Join(err, s.control(tx, "RELEASE w"))
}

// tx runs fn in a write transaction: the caller's unit of work when ctx
// carries one, else a savepoint of the shared batch, committed before tx
// returns (fn runs again if the batch was discarded). A locked or read-only
// database is reported as such (see explain).
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if u := s.unitOf(ctx); u != nil {
		return u.run(ctx, fn)
	}
	w := &s.wr
	for {
		w.lock()
		b, err := s.joinLocked()
		if err != nil {
			w.mu.Unlock()
			return err
		}
		err = s.inSavepoint(w.tx, fn)
		s.leaveLocked(b)
		w.mu.Unlock()
		berr := s.await(b)
		if errors.Is(berr, errTryAgain) {
			continue
		}
		if err == nil {
			err = berr
		}
		return s.explain(err)
	}
}

// execW runs one write statement, prepared, in the caller's unit of work
// or as a writer of its own. A failed statement undoes its own changes.
func (s *Store) execW(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if u := s.unitOf(ctx); u != nil {
		u.mu.Lock()
		defer u.mu.Unlock()
		tx, err := u.enter(ctx)
		if err != nil {
			return nil, s.explain(err)
		}
		defer s.wr.mu.Unlock()
		res, err := s.txExec(ctx, tx, query, args...)
		return res, s.explain(err)
	}
	w := &s.wr
	for {
		w.lock()
		b, err := s.joinLocked()
		if err != nil {
			w.mu.Unlock()
			return nil, err
		}
		res, err := s.txExec(ctx, w.tx, query, args...)
		s.leaveLocked(b)
		w.mu.Unlock()
		berr := s.await(b)
		if errors.Is(berr, errTryAgain) {
			continue
		}
		if err == nil {
			err = berr
		}
		return res, s.explain(err)
	}
}

// unit is one inbound update's unit of work.
type unit struct {
	s  *Store
	mu sync.Mutex // serialises the unit's own calls
	p  chat.Platform
	id string
	// b is the batch the unit joined (nil before its first write); tx its
	// transaction, read without locks by the unit's reads.
	b  *batch
	tx atomic.Pointer[sql.Tx]
	// soft is the batch that counts the unit as pending (BeginUpdate),
	// until its first write or its end.
	soft     *batch
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

// heldTx is the batch transaction once ctx's unit has written: its reads
// then go through it, so they see the unit's own writes.
func (s *Store) heldTx(ctx context.Context) *sql.Tx {
	if u := s.unitOf(ctx); u != nil {
		return u.tx.Load()
	}
	return nil
}

// BeginUpdate implements bot.UpdateUnits. The returned context carries the
// unit: every write made with it joins the unit, and nothing is committed
// before Finish. There is no read first: the inbox row is the unit's first
// write, and a conflict there (the update was committed before) ends the
// unit as a redelivery. Callers serialise one member's updates, so a
// redelivery always meets the first delivery's row committed.
//
// The unit is counted as pending in the open batch at once: that batch
// waits for its first write (or its end) before it commits, so units
// handled at the same time share one commit although each writes only at
// the end of its command. Its reads stay on the read pool until then. A
// batch closed (full, old, or waited for maxWait by a member) waits for
// no pending unit, so a slow unit delays the others by maxWait at most.
func (s *Store) BeginUpdate(ctx context.Context, p chat.Platform, updateID string) (context.Context, bot.UpdateUnit, bool, error) {
	u := &unit{s: s, p: p, id: updateID}
	w := &s.wr
	w.lock()
	if b := s.openLocked(); !b.closed {
		b.pending++
		u.soft = b
	}
	w.mu.Unlock()
	return context.WithValue(ctx, unitKey{}, u), u, true, nil
}

// unpendLocked ends the unit's pending place; it returns the batch when
// that is still the open one. With w.mu held.
func (u *unit) unpendLocked() *batch {
	b := u.soft
	if b == nil {
		return nil
	}
	u.soft = nil
	if u.s.wr.batch != b {
		return nil
	}
	b.pending--
	return b
}

// enter returns the unit's transaction with w.mu held, joining a batch and
// writing the inbox row at the unit's first write. On error w.mu is not
// held. With u.mu held.
func (u *unit) enter(ctx context.Context) (*sql.Tx, error) {
	s, w := u.s, &u.s.wr
	if u.dup {
		return nil, errDuplicate
	}
	w.lock()
	if u.b != nil {
		if u.b != w.batch {
			w.mu.Unlock()
			return nil, errTryAgain
		}
		return w.tx, nil
	}
	var b *batch
	var err error
	if b = u.unpendLocked(); b != nil {
		// The batch waited for this unit: it joins even a closed one.
		if err = s.beginLocked(); err == nil {
			b.members++
			b.n++
		} else {
			s.settleLocked(b)
		}
	} else {
		b, err = s.joinLocked()
	}
	if err != nil {
		w.mu.Unlock()
		return nil, err
	}
	u.b = b
	u.tx.Store(w.tx)
	res, err := s.txExec(ctx, w.tx, `INSERT INTO inbox (platform, update_id, received_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, u.p, u.id, s.stamp())
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			// A redelivery: the unit wrote nothing, and leaves.
			u.dup = true
			u.b = nil
			u.tx.Store(nil)
			s.leaveLocked(b)
			err = errDuplicate
		}
	}
	w.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if s.afterInbox != nil {
		s.afterInbox(u.p, u.id)
	}
	w.lock()
	if u.b != w.batch {
		w.mu.Unlock()
		return nil, errTryAgain
	}
	return w.tx, nil
}

// run runs fn inside the unit, under a savepoint of its own.
func (u *unit) run(ctx context.Context, fn func(*sql.Tx) error) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	tx, err := u.enter(ctx)
	if err != nil {
		return err
	}
	defer u.s.wr.mu.Unlock()
	return u.s.inSavepoint(tx, fn)
}

// Finish implements bot.UpdateUnit: with commit, the inbox row and the
// command's writes are committed together; without, the unit's batch is
// discarded, so nothing of the update is kept and a redelivery runs the
// command again (the batch's other units run again at once, with
// bot.ErrTryAgain). first is false when the update turned out to be
// handled already (nothing of it is kept then).
func (u *unit) Finish(ctx context.Context, commit bool) (first bool, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	s, w := u.s, &u.s.wr
	if u.finished {
		return !u.dup, nil
	}
	u.finished = true
	if u.b == nil {
		if u.dup || !commit {
			w.lock()
			if b := u.unpendLocked(); b != nil {
				s.settleLocked(b)
			}
			w.mu.Unlock()
			return !u.dup, nil
		}
		// Nothing written yet: the inbox row still records the update.
		if _, err := u.enter(ctx); err != nil {
			if errors.Is(err, errDuplicate) {
				return false, nil
			}
			return true, s.explain(err)
		}
		w.mu.Unlock()
	}
	w.lock()
	b := u.b
	u.tx.Store(nil)
	if b != w.batch {
		w.mu.Unlock()
		return true, errTryAgain
	}
	if !commit {
		s.discardLocked()
		w.mu.Unlock()
		return true, nil
	}
	s.leaveLocked(b)
	w.mu.Unlock()
	return true, s.explain(s.await(b))
}
