package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/shakeoutbot/shakeout/bot/sqlite"
)

func TestTelegramOffset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tg.db")
	s := open(t, path)
	ctx := t.Context()
	if got, err := s.TelegramOffset(ctx); err != nil || got != 0 {
		t.Fatalf("fresh offset = %d, %v; want 0, nil", got, err)
	}
	for _, id := range []int64{100000123, 100000124, 4503599627370495, 17} {
		if err := s.SetTelegramOffset(ctx, id); err != nil {
			t.Fatal(err)
		}
		if got, err := s.TelegramOffset(ctx); err != nil || got != id {
			t.Fatalf("offset = %d, %v; want %d", got, err, id)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := sqlite.Open(ctx, path, sqlite.Options{Now: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, err := s2.TelegramOffset(ctx); err != nil || got != 17 {
		t.Fatalf("offset after reopen = %d, %v; want 17", got, err)
	}
}
