package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/internal/dbopen"
	"github.com/shakeoutbot/shakeout/internal/storetest"
)

// testDB is the database a whole-program test gives `shakeout run`
// (SHAKEOUT_DB) or `shakeout chat` (--db): a SQLite file called name in a
// fresh folder or, when SHAKEOUT_TEST_POSTGRES is set, a fresh PostgreSQL
// schema of the test's own, dropped when it ends. .ci/run runs the package
// both ways. Tests about SQLite itself (its file, lease, locks) name a file
// instead and say why.
func testDB(t testing.TB, name string) string {
	t.Helper()
	if storetest.PostgresURL() != "" {
		return storetest.Schema(t)
	}
	return filepath.Join(t.TempDir(), name)
}

// openTestStore opens db (from testDB) to seed it or read it back, with the
// store's clock reading now (nil: time.Now). The caller closes it.
func openTestStore(ctx context.Context, t testing.TB, db string, now func() time.Time) storetest.Store {
	t.Helper()
	s, err := dbopen.Open(ctx, db, now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
