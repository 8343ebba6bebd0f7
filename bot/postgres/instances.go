package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// Several instances share one database. Each keeps a row in instances
// alive (a heartbeat every third of its TTL, stamped with the database's
// own clock, so the machines' clocks need not agree); an instance whose row
// ran out is gone, and its outbox claims go back to the others (Requeue).
// The scheduler's minute tick runs on one instance at a time: the holder of
// tick_lease, a row taken with a TTL and renewed at every tick. When the
// holder dies, the row runs out and the next instance to tick takes it:
// within one TTL plus one tick.

// DefaultLeaseTime is how long an instance's heartbeat and the tick lease
// hold without renewal.
const DefaultLeaseTime = 30 * time.Second

type heartbeat struct {
	s    *Store
	ttl  time.Duration
	logf func(string, ...any)
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func secs(d time.Duration) float64 { return d.Seconds() }

func (s *Store) startHeartbeat(ctx context.Context, ttl time.Duration, logf func(string, ...any)) (*heartbeat, error) {
	h := &heartbeat{s: s, ttl: ttl, logf: logf, stop: make(chan struct{}), done: make(chan struct{})}
	// The first beat only registers: at a start, releasing what a gone
	// instance claimed is the dispatcher's Recover (Requeue), which counts it.
	if err := h.beat(ctx, false); err != nil {
		return nil, fmt.Errorf("register this instance in %s: %w", s.where, err)
	}
	go h.run()
	return h, nil
}

// beat renews this instance's row, creating it when it is not there (the
// first beat, or after others removed it as gone), removes rows of
// instances gone for a while and, with requeue, sends back to the queue the
// messages claimed by instances that are gone.
func (h *heartbeat) beat(ctx context.Context, requeue bool) error {
	host, _ := os.Hostname()
	_, err := h.s.db.ExecContext(ctx, `INSERT INTO instances (token, pid, host, since, expires_at)
		VALUES ($1, $2, $3, now(), now() + make_interval(secs => $4))
		ON CONFLICT (token) DO UPDATE SET expires_at = excluded.expires_at`,
		h.s.instance, os.Getpid(), host, secs(h.ttl))
	if err != nil {
		return err
	}
	if _, err = h.s.db.ExecContext(ctx, `DELETE FROM instances WHERE expires_at < now() - interval '1 day'`); err != nil || !requeue {
		return err
	}
	// Messages claimed by an instance that is gone (killed, or cut off
	// from the database longer than its TTL) go back to the queue now,
	// not when their claim's lease (minutes) runs out.
	res, err := h.s.db.ExecContext(ctx, `UPDATE outbox SET status = 'pending', claim_token = '', lease_until = ''
		WHERE status = 'sending' AND instance <> '' AND instance NOT IN (SELECT token FROM instances WHERE expires_at > now())`)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 && h.logf != nil {
		h.logf("requeued messages claimed by an instance that is gone", "count", n)
	}
	return nil
}

func (h *heartbeat) run() {
	defer close(h.done)
	t := time.NewTicker(h.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), h.ttl/3)
		err := h.beat(ctx, true)
		cancel()
		if err != nil && h.logf != nil {
			h.logf("instance heartbeat failed; retrying", "error", err)
		}
	}
}

// stopAndLeave stops the heartbeat and removes this instance's row and
// any tick lease it holds, so the others need not wait for them to run out.
func (h *heartbeat) stopAndLeave() error {
	var err error
	h.once.Do(func() {
		close(h.stop)
		<-h.done
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, e1 := h.s.db.ExecContext(ctx, `DELETE FROM tick_lease WHERE token = $1`, h.s.instance)
		_, e2 := h.s.db.ExecContext(ctx, `DELETE FROM instances WHERE token = $1`, h.s.instance)
		err = errors.Join(e1, e2)
	})
	return err
}

// TickLease is the lease on the scheduler's minute tick.
type TickLease struct {
	s   *Store
	ttl time.Duration
}

// TickLease returns the tick lease with the TTL (DefaultLeaseTime when 0).
func (s *Store) TickLease(ttl time.Duration) *TickLease {
	if ttl <= 0 {
		ttl = DefaultLeaseTime
	}
	return &TickLease{s: s, ttl: ttl}
}

// Held takes or renews the lease and reports whether this instance holds
// it now: it does when it held it already, or when the lease is free or
// ran out. One statement does it, so two instances asking at once cannot
// both win.
func (l *TickLease) Held(ctx context.Context) (bool, error) {
	host, _ := os.Hostname()
	res, err := l.s.db.ExecContext(ctx, `INSERT INTO tick_lease (id, token, pid, host, since, expires_at)
		VALUES (1, $1, $2, $3, now(), now() + make_interval(secs => $4))
		ON CONFLICT (id) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host,
			since = CASE WHEN tick_lease.token = excluded.token THEN tick_lease.since ELSE excluded.since END,
			expires_at = excluded.expires_at
		WHERE tick_lease.token = excluded.token OR tick_lease.expires_at <= now()`,
		l.s.instance, os.Getpid(), host, secs(l.ttl))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Keep takes or renews the lease every sixth of its TTL until ctx ends,
// so a standby instance takes the tick over within the TTL (and a sixth)
// of the holder's last renewal, not at its next minute. changed hears
// the first answer and each change of whether this instance holds it.
func (l *TickLease) Keep(ctx context.Context, changed func(held bool, err error)) {
	t := time.NewTicker(l.ttl / 6)
	defer t.Stop()
	was, first := false, true
	for {
		held, err := l.Held(ctx)
		if ctx.Err() != nil {
			return
		}
		if first || held != was || err != nil {
			was, first = held, false
			if changed != nil {
				changed(held, err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// TickHolder is who holds the tick lease.
type TickHolder struct {
	Instance string
	PID      int
	Host     string
	Since    time.Time
	Expires  time.Time
}

// TickHolder reads the tick lease's holder; ok is false when none holds it.
func (l *TickLease) TickHolder(ctx context.Context) (h TickHolder, ok bool, err error) {
	err = l.s.db.QueryRowContext(ctx, `SELECT token, pid, host, since, expires_at FROM tick_lease WHERE id = 1 AND expires_at > now()`).
		Scan(&h.Instance, &h.PID, &h.Host, &h.Since, &h.Expires)
	if err != nil {
		if errors.Is(err, errNoRows) {
			return h, false, nil
		}
		return h, false, err
	}
	return h, true, nil
}
