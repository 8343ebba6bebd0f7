package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
)

// TestDoctorNamesTheLeaseHolder: doctor says whether a shakeout holds the
// database, and which one (pid, host, since).
func TestDoctorNamesTheLeaseHolder(t *testing.T) {
	tg := telegramtest.New(t)
	// SQLite only: the lease on the database file is SQLite's (PostgreSQL instances share).
	path := filepath.Join(t.TempDir(), "d.db")
	vars := map[string]string{
		"SHAKEOUT_DB":               path,
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
	}
	var out bytes.Buffer
	if err := run(t.Context(), []string{"doctor"}, env(vars), nil, &out, &out); err != nil {
		t.Fatalf("doctor: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "ok    lease         free") {
		t.Errorf("doctor with no shakeout running:\n%s", out.String())
	}

	held, err := sqlite.Open(t.Context(), path, sqlite.Options{Lease: &sqlite.LeaseOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	h := held.Lease().Holder()
	out.Reset()
	if err := run(t.Context(), []string{"doctor"}, env(vars), nil, &out, &out); err != nil {
		t.Fatalf("doctor: %v\n%s", err, out.String())
	}
	host, _ := os.Hostname()
	want := fmt.Sprintf("held by a running shakeout: pid %d on host %s, since %s", os.Getpid(), host, h.Since.UTC().Format("2006-01-02T15:04:05Z07:00"))
	if !strings.Contains(out.String(), want) {
		t.Errorf("doctor output lacks %q:\n%s", want, out.String())
	}
}
