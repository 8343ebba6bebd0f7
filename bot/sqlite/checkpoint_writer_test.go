package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// commitInboxRows writes n inbox rows, one commit each (every write
// returns only once its batch is committed).
func commitInboxRows(t *testing.T, s *Store, n int) {
	t.Helper()
	for i := range n {
		if _, err := s.execW(t.Context(), `INSERT INTO inbox (platform, update_id, received_at) VALUES ('telegram', ?, '2026-11-28T00:00:00Z')`,
			strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
}

// SQLite's automatic checkpoint is off on the writer's connection; the
// writer checkpoints every checkpointEvery commits itself, so the
// write-ahead log still restarts and stays short.
func TestWriterCheckpointsAfterItsCommits(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "ckpt.db")
	s, err := Open(ctx, file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var auto int
	if err := s.w.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Fatalf("the writer's wal_autocheckpoint = %d, want 0 (the writer checkpoints after its commits)", auto)
	}
	const commits = 12 * checkpointEvery
	commitInboxRows(t, s, commits)
	st, err := os.Stat(file + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	// Without checkpoints these commits leave a log of over 40 MB.
	if st.Size() > 8<<20 {
		t.Fatalf("write-ahead log is %d bytes after %d commits; want it restarted after each checkpoint", st.Size(), commits)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM inbox`).Scan(&n); err != nil || n != commits {
		t.Fatalf("inbox rows = %d, %v; want %d", n, err, commits)
	}
	t.Logf("write-ahead log %d bytes after %d commits", st.Size(), commits)
}

// The log is flushed in the background as commits go by, so the
// checkpoint's own flush finds little left; Close stops the flusher, and a
// second Close is harmless.
func TestWriteAheadLogIsFlushedInTheBackground(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "flush.db")
	s, err := Open(ctx, file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const commits = 8 * syncEvery
	commitInboxRows(t, s, commits)
	// Every commit above returned on its own, so each kicked the flusher
	// at a multiple of syncEvery; kicks that met a flush under way merge.
	deadline := time.Now().Add(10 * time.Second)
	for s.flusher.syncs.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := s.flusher.syncs.Load(); n == 0 {
		t.Fatalf("no background flush of the log after %d commits", commits)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_ = s.Close() // a second Close must not panic
	n := s.flusher.syncs.Load()
	s.flusher.kickAfter(syncEvery)
	time.Sleep(20 * time.Millisecond)
	if m := s.flusher.syncs.Load(); m != n {
		t.Fatalf("the flusher flushed after Close (%d flushes, then %d)", n, m)
	}
}
