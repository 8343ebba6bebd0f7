package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// TestReadersKeepASmallPageCache: every reader connection gets the smaller
// page cache; the writer keeps SQLite's default.
func TestReadersKeepASmallPageCache(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "c.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Hold several readers at once so the pool opens more than one.
	var conns []int
	for range 3 {
		c, err := s.r.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var n int
		if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, n)
	}
	for i, n := range conns {
		if n != -512 {
			t.Errorf("reader %d: cache_size %d, want -512", i, n)
		}
	}
	var n int
	if err := s.w.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != -2000 {
		t.Errorf("writer: cache_size %d, want SQLite's default -2000", n)
	}
}
