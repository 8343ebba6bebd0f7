package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
)

// One instance per database: `shakeout run` holds a lease on the file, a
// row naming its process, renewed while it runs. A second process finds it
// and refuses to start, naming the holder; it takes the lease over when
// the holder is gone: its lease ran out without renewal, or it was on this
// host and its process no longer exists (a SIGKILL, a crash).

// leaseTable is created with schema_migrations, before any migration, so
// the lease is taken before the schema is touched.
const leaseTable = `CREATE TABLE IF NOT EXISTS instance_lease (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	token      TEXT NOT NULL,
	pid        INTEGER NOT NULL,
	host       TEXT NOT NULL,
	since      TEXT NOT NULL,
	expires_at TEXT NOT NULL)`

// DefaultLeaseTime is how long a lease holds without renewal.
const DefaultLeaseTime = 30 * time.Second

// LeaseOptions are how Open takes the lease. The zero value is ready.
type LeaseOptions struct {
	// Duration is how long the lease holds without renewal
	// (DefaultLeaseTime); it is renewed every third of it.
	Duration time.Duration
	// Logf, when set, hears about a lease taken over from a gone holder
	// and a lease lost while running.
	Logf func(msg string, args ...any)
}

// Holder is who holds a database's lease.
type Holder struct {
	PID     int
	Host    string
	Since   time.Time
	Expires time.Time
}

// HeldError is Open's refusal: another live process holds the lease.
type HeldError struct {
	File   string
	Holder Holder
}

func (e *HeldError) Error() string {
	h := e.Holder
	return fmt.Sprintf("the database %s is in use by another shakeout (pid %d on host %s, running since %s): "+
		"only one may run on a database; stop that one first. If it is gone, its lease runs out at %s and the next start takes over",
		e.File, h.PID, h.Host, h.Since.UTC().Format(time.RFC3339), h.Expires.UTC().Format(time.RFC3339))
}

// Lease is a held lease, renewed in the background until Close.
type Lease struct {
	s        *Store
	holder   Holder
	dur      time.Duration
	logf     func(string, ...any)
	lost     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	lostOnce sync.Once
	// TakenFrom is the gone holder this lease was taken over from, if any.
	TakenFrom *Holder
}

// Lease returns the lease this store holds; nil without one.
func (s *Store) Lease() *Lease { return s.lease }

// Holder is this process as the lease names it.
func (l *Lease) Holder() Holder { return l.holder }

// Lost is closed when the lease could not be renewed in time or another
// process took it: this process must stop writing.
func (l *Lease) Lost() <-chan struct{} { return l.lost }

func randomToken() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// alive reports whether a process with the pid exists on this host.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || !(errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH))
}

// takeLease takes the lease inside the migration transaction.
func (s *Store) takeLease(ctx context.Context, tx *sql.Tx, o LeaseOptions) (*Lease, error) {
	if o.Duration <= 0 {
		o.Duration = DefaultLeaseTime
	}
	host, _ := os.Hostname()
	now := time.Now()
	var prev Holder
	var since, expires string
	err := tx.QueryRowContext(ctx, `SELECT pid, host, since, expires_at FROM instance_lease WHERE id = 1`).
		Scan(&prev.PID, &prev.Host, &since, &expires)
	var takenFrom *Holder
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("read the instance lease: %w", err)
	default:
		prev.Since, prev.Expires = parseInstant(since), parseInstant(expires)
		gone := !prev.Expires.After(now) || (prev.Host == host && prev.PID != os.Getpid() && !alive(prev.PID))
		if !gone {
			return nil, &HeldError{File: s.file, Holder: prev}
		}
		takenFrom = &prev
	}
	l := &Lease{s: s, dur: o.Duration, logf: o.Logf, lost: make(chan struct{}), stop: make(chan struct{}),
		done: make(chan struct{}), TakenFrom: takenFrom,
		holder: Holder{PID: os.Getpid(), Host: host, Since: now, Expires: now.Add(o.Duration)}}
	if _, err := tx.ExecContext(ctx, `INSERT INTO instance_lease (id, token, pid, host, since, expires_at) VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host,
			since = excluded.since, expires_at = excluded.expires_at`,
		s.instance, l.holder.PID, host, preciseInstant(now), preciseInstant(l.holder.Expires)); err != nil {
		return nil, fmt.Errorf("take the instance lease: %w", err)
	}
	return l, nil
}

func preciseInstant(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseInstant(v string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}

// start renews the lease every third of its duration until release.
func (l *Lease) start() {
	go func() {
		defer close(l.done)
		t := time.NewTicker(l.dur / 3)
		defer t.Stop()
		good := time.Now()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
			}
			err := l.renew()
			switch {
			case err == nil:
				good = time.Now()
			case errors.Is(err, errLeaseTaken):
				l.lose("the instance lease was taken by another process")
				return
			case time.Since(good) >= l.dur:
				l.lose("the instance lease could not be renewed in time: " + err.Error())
				return
			}
		}
	}()
}

var errLeaseTaken = errors.New("lease taken")

func (l *Lease) renew() error {
	ctx, cancel := context.WithTimeout(context.Background(), l.dur/3)
	defer cancel()
	res, err := l.s.execW(ctx, `UPDATE instance_lease SET expires_at = ? WHERE id = 1 AND token = ?`,
		preciseInstant(time.Now().Add(l.dur)), l.s.instance)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errLeaseTaken
	}
	return nil
}

func (l *Lease) lose(why string) {
	l.lostOnce.Do(func() {
		if l.logf != nil {
			l.logf(why)
		}
		close(l.lost)
	})
}

// release stops the renewals and gives the lease up, so the next start
// need not wait for it to run out.
func (l *Lease) release() error {
	select {
	case <-l.stop:
		return nil
	default:
	}
	close(l.stop)
	<-l.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := l.s.execW(ctx, `DELETE FROM instance_lease WHERE id = 1 AND token = ?`, l.s.instance)
	return err
}
