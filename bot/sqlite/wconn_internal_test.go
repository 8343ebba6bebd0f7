package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

func TestScriptIsNotKept(t *testing.T) {
	for q, want := range map[string]bool{
		"INSERT INTO t (a) VALUES (?)":                     false,
		"  UPDATE t SET a = 1 WHERE b = ?;  ":              false,
		"SAVEPOINT w":                                      false,
		"CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);": true,
		"CREATE TABLE a (x INT); -- one more\n;":           true,
	} {
		if got := script(q); got != want {
			t.Errorf("script(%q) = %v, want %v", q, got, want)
		}
	}
}

// TestWriterKeepsWritesPrepared: a write run again reuses the statement the
// writer's connection kept, and still sees the schema as it is now.
func TestWriterKeepsWritesPrepared(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ins := `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`
	for i, v := range []string{"a", "b"} {
		if _, err := s.execW(ctx, ins, "perf-test", v); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kept bool
	if err := conn.Raw(func(dc any) error {
		c := dc.(*stmtConn)
		c.mu.Lock()
		defer c.mu.Unlock()
		_, kept = c.stmts[ins]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if !kept {
		t.Error("the writer did not keep the write's statement")
	}
	// A schema change under a kept statement: SQLite prepares it again.
	if _, err := s.execW(ctx, `ALTER TABLE meta ADD COLUMN note TEXT NOT NULL DEFAULT ''`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.execW(ctx, ins, "perf-test", "c"); err != nil {
		t.Fatalf("write after the schema changed: %v", err)
	}
	var v string
	if err := s.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'perf-test'`).Scan(&v); err != nil || v != "c" {
		t.Errorf("stored %q, %v; want c", v, err)
	}
}
