package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
)

func fixedClock() func() time.Time {
	t := time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)
	return func() time.Time { return t }
}

func open(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path, sqlite.Options{Now: fixedClock()})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrateEmptyAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	v1, err := s.SchemaVersion(t.Context())
	if err != nil || v1 < 2 {
		t.Fatalf("schema version = %d, %v; want at least 2", v1, err)
	}
	c, err := s.EnsureClub(t.Context(), chat.PlatformConsole, "harriers", "Harriers", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := open(t, path)
	v2, err := s2.SchemaVersion(t.Context())
	if err != nil || v2 != v1 {
		t.Fatalf("after reopen schema version = %d, %v; want %d", v2, err, v1)
	}
	got, err := s2.ClubByID(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TZ != "Europe/Berlin" || got.Name != "Harriers" || got.PostTime.String() != "06:30" || !got.PostOn {
		t.Fatalf("club after reopen = %+v", got)
	}
}
