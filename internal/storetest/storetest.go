// Package storetest opens the store a test runs on: SQLite in a temporary
// file, or, when SHAKEOUT_TEST_POSTGRES holds a PostgreSQL URL, a fresh
// schema of its own in that database. Every test that needs a store opens
// it here, so the whole suite runs on either store (.ci/run runs it on
// both). internal/pgtest/pg.sh starts a throwaway PostgreSQL for it.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make and drop schemas

	"github.com/shakeoutbot/shakeout/internal/dbopen"
)

// EnvPostgres names the variable holding the PostgreSQL URL tests use.
const EnvPostgres = "SHAKEOUT_TEST_POSTGRES"

// Store is what tests use of a store: the bot's interface and the
// diagnostics both stores have.
type Store = dbopen.Store

// PostgresURL is the PostgreSQL URL tests run on, "" for SQLite.
func PostgresURL() string { return strings.TrimSpace(os.Getenv(EnvPostgres)) }

// Kind is "postgres" or "sqlite": the store Open gives.
func Kind() string {
	if PostgresURL() != "" {
		return "postgres"
	}
	return "sqlite"
}

// Open opens a fresh, empty store for the test, closed when it ends.
func Open(t testing.TB, now func() time.Time) Store {
	t.Helper()
	s := Opener(t, now)()
	t.Cleanup(func() { s.Close() })
	return s
}

var schemas atomic.Int64

// Schema creates an empty schema in the PostgreSQL database of
// SHAKEOUT_TEST_POSTGRES, dropped when the test ends, and returns a URL
// whose connections use it. Several stores opened on the URL share it, as
// instances share a database.
func Schema(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		t.Fatalf("%s is not set", EnvPostgres)
	}
	name := fmt.Sprintf("t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemas.Add(1))
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), `CREATE SCHEMA `+name); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = db.ExecContext(ctx, `DROP SCHEMA `+name+` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// Opener returns a function that opens the same fresh database each time
// it is called, as a restarted process would (the caller closes each
// store it opens); everything is removed when the test ends.
func Opener(t testing.TB, now func() time.Time) func() Store {
	t.Helper()
	db := filepath.Join(t.TempDir(), "store.db")
	if PostgresURL() != "" {
		db = Schema(t)
	}
	return func() Store {
		t.Helper()
		s, err := dbopen.Open(t.Context(), db, now)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}
