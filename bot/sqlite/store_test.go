package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
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

func TestEnsureMemberKeepsHomeClubAndDM(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	ctx := t.Context()
	c, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-100", "Runners", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.EnsureMember(ctx, chat.PlatformTelegram, "42", "Maya", c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if m.ClubID != c.ID || m.Units != "km" || m.Level != "intermediate" {
		t.Fatalf("new member = %+v", m)
	}
	m2, err := s.EnsureMember(ctx, chat.PlatformTelegram, "42", "", 0, "42")
	if err != nil {
		t.Fatal(err)
	}
	if m2.ID != m.ID || m2.ClubID != c.ID || m2.Name != "Maya" || m2.DMChatID != "42" {
		t.Fatalf("member after DM = %+v; want same id, club and name, DM chat 42", m2)
	}
}

func TestFirstDelivery(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	for i, want := range []bool{true, false, false} {
		got, err := s.FirstDelivery(t.Context(), chat.PlatformTelegram, "1001")
		if err != nil || got != want {
			t.Fatalf("delivery %d: first = %v, %v; want %v", i, got, err, want)
		}
	}
	if got, _ := s.FirstDelivery(t.Context(), chat.PlatformDiscord, "1001"); !got {
		t.Fatal("the same id on another platform is a different update")
	}
}

func TestMoveChatReferencesKeepsTheClub(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	ctx := t.Context()
	old, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-42", "Harriers", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	old.PostTime = input.Clock{Hour: 5, Minute: 45}
	if err := s.UpdateClub(ctx, old); err != nil {
		t.Fatal(err)
	}
	m, err := s.EnsureMember(ctx, chat.PlatformTelegram, "7", "Maya", old.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	// A message from the new supergroup arrived before the migration notice.
	if _, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-1001", "Harriers", "UTC"); err != nil {
		t.Fatal(err)
	}
	for range 2 { // moving twice is harmless
		if err := s.MoveChatReferences(ctx, chat.PlatformTelegram, "-42", "-1001"); err != nil {
			t.Fatal(err)
		}
	}
	moved, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-1001", "", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	if moved.ID != old.ID || moved.PostTime.String() != "05:45" || moved.TZ != "Europe/Berlin" {
		t.Fatalf("after the move the club is %+v; want the old club's row and settings", moved)
	}
	again, err := s.EnsureMember(ctx, chat.PlatformTelegram, "7", "", 0, "")
	if err != nil || again.ID != m.ID || again.ClubID != old.ID {
		t.Fatalf("member after the move = %+v, %v", again, err)
	}
}
