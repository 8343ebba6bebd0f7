package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
)

func openGroupStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "g.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// inboxRows counts the committed inbox rows.
func inboxRows(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.r.QueryRow(`SELECT COUNT(*) FROM inbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestUnitsBegunTogetherShareACommit: a unit begun while another is open
// keeps that batch from committing until it has written, so both commit
// together, although the first finished before the second wrote anything.
func TestUnitsBegunTogetherShareACommit(t *testing.T) {
	ctx := context.Background()
	s := openGroupStore(t)
	s.wr.wait = time.Hour // only the units themselves end the batch
	c0, w0 := s.WriterStats()

	ctx1, u1, _, err := s.BeginUpdate(ctx, chat.PlatformTelegram, "1")
	if err != nil {
		t.Fatal(err)
	}
	ctx2, u2, _, err := s.BeginUpdate(ctx, chat.PlatformTelegram, "2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.execW(ctx1, `INSERT INTO clubs (platform, chat_id, name, tz, pattern, created_at) VALUES ('telegram', 'c1', 'One', 'UTC', '', '')`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := u1.Finish(ctx, true)
		done <- err
	}()
	// The first unit's commit waits for the second, which reads the
	// committed state only: its reads are not in the batch yet.
	if got := inboxRows(t, s); got != 0 {
		t.Fatalf("inbox rows before the second unit wrote = %d, want 0", got)
	}
	if _, err := s.execW(ctx2, `INSERT INTO clubs (platform, chat_id, name, tz, pattern, created_at) VALUES ('telegram', 'c2', 'Two', 'UTC', '', '')`); err != nil {
		t.Fatal(err)
	}
	if first, err := u2.Finish(ctx, true); err != nil || !first {
		t.Fatalf("second Finish = %v, %v", first, err)
	}
	if err := <-done; err != nil {
		t.Fatalf("first Finish: %v", err)
	}
	c, w := s.WriterStats()
	if c-c0 != 1 || w-w0 != 2 {
		t.Fatalf("commits %d, writers %d; want one commit of two units", c-c0, w-w0)
	}
	if got := inboxRows(t, s); got != 2 {
		t.Fatalf("inbox rows = %d, want 2", got)
	}
}

// TestIdleUnitDoesNotHoldTheBatch: a unit that has begun but does not
// write (a slow command) delays the others' commit by the writer's wait at
// most, and still commits its own work later.
func TestIdleUnitDoesNotHoldTheBatch(t *testing.T) {
	ctx := context.Background()
	s := openGroupStore(t)
	ctxIdle, idle, _, err := s.BeginUpdate(ctx, chat.PlatformTelegram, "idle")
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"a", "b", "c"} {
		uctx, u, _, err := s.BeginUpdate(ctx, chat.PlatformTelegram, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.execW(uctx, `INSERT INTO clubs (platform, chat_id, name, tz, pattern, created_at) VALUES ('telegram', ?, 'Club', 'UTC', '', '')`, id); err != nil {
			t.Fatal(err)
		}
		if first, err := u.Finish(ctx, true); err != nil || !first {
			t.Fatalf("Finish %s = %v, %v", id, first, err)
		}
		if got := inboxRows(t, s); got != i+1 {
			t.Fatalf("after %s: inbox rows = %d, want %d", id, got, i+1)
		}
	}
	if _, err := s.execW(ctxIdle, `INSERT INTO clubs (platform, chat_id, name, tz, pattern, created_at) VALUES ('telegram', 'idle', 'Club', 'UTC', '', '')`); err != nil {
		t.Fatal(err)
	}
	if first, err := idle.Finish(ctx, true); err != nil || !first {
		t.Fatalf("idle Finish = %v, %v", first, err)
	}
	if got := inboxRows(t, s); got != 4 {
		t.Fatalf("inbox rows = %d, want 4", got)
	}
}

// TestUnitFinishedWithoutWritingReleasesTheBatch: a unit that ends
// without committing anything (a redelivery, a failed command) no longer
// holds the batch it was pending in.
func TestUnitFinishedWithoutWritingReleasesTheBatch(t *testing.T) {
	ctx := context.Background()
	s := openGroupStore(t)
	s.wr.wait = time.Hour
	_, failed, _, err := s.BeginUpdate(ctx, chat.PlatformTelegram, "failed")
	if err != nil {
		t.Fatal(err)
	}
	uctx, u, _, err := s.BeginUpdate(ctx, chat.PlatformTelegram, "ok")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.execW(uctx, `INSERT INTO clubs (platform, chat_id, name, tz, pattern, created_at) VALUES ('telegram', 'ok', 'Club', 'UTC', '', '')`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := u.Finish(ctx, true)
		done <- err
	}()
	if _, err := failed.Finish(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := inboxRows(t, s); got != 1 {
		t.Fatalf("inbox rows = %d, want 1", got)
	}
}

// TestWriterWaitsOutALongHeldLock: a writer that meets the writer's lock
// held for longer than it spins (spinFor) goes on waiting, asleep, and
// writes once the lock is free; nothing is written while it is held.
func TestWriterWaitsOutALongHeldLock(t *testing.T) {
	ctx := context.Background()
	s := openGroupStore(t)
	s.wr.lock()
	done := make(chan error, 1)
	go func() {
		_, err := s.execW(ctx, `INSERT INTO clubs (platform, chat_id, name, tz, pattern, created_at) VALUES ('telegram', 'late', 'Club', 'UTC', '', '')`)
		done <- err
	}()
	time.Sleep(5 * spinFor)
	select {
	case err := <-done:
		t.Fatalf("the write returned while the writer's lock was held (err %v)", err)
	default:
	}
	s.wr.mu.Unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM clubs WHERE chat_id = 'late'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("clubs named late = %d, %v; want 1", n, err)
	}
}
