package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot/activity/fittest"
)

// writeFIT writes a workout as a FIT file in a temporary directory and
// returns its path.
func writeFIT(t *testing.T, name string, w fittest.Workout) string {
	t.Helper()
	data, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func berlin(t *testing.T, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// A hard interval session sent as a FIT file on Monday evening: Tuesday's
// verdict is EASY and names it.
func TestConsoleIntervalFileThenEasyDay(t *testing.T) {
	path := writeFIT(t, "Monday_Intervals.fit", fittest.Intervals(berlin(t, "2026-06-08 18:00"), 6, 130, 165))
	out := chatAs(t, "2026-06-08 20:00", "/settings consent yes age 40\n/checkin rhr 50\n:file "+path+"\n:at 2026-06-09 07:30\n/today\n")
	if !strings.Contains(out, "Logged from a FIT file: intervals on Mon 8 Jun (today)") || !strings.Contains(out, "a hard session") {
		t.Fatalf("the file was not logged as hard intervals:\n%s", out)
	}
	_, today, _ := strings.Cut(out, "maya> /today")
	if !strings.Contains(today, "EASY — Yesterday was a hard session (intervals)") {
		t.Errorf("Tuesday's verdict should be EASY and name Monday's intervals:\n%s", out)
	}
}

// A half-marathon-distance file at race effort: the bot asks whether it
// was a race, and yes starts the recovery plan.
func TestConsoleRaceFileStartsThePlan(t *testing.T) {
	path := writeFIT(t, "Sunday.fit", fittest.Steady(berlin(t, "2026-06-07 09:00"), 88*time.Minute+20*time.Second, 4.0, 162))
	out := chatAs(t, "2026-06-08 12:00", "/settings consent yes age 40\n/checkin rhr 50\n:file "+path+"\n1\n")
	if !strings.Contains(out, "Was this a race?") || !strings.Contains(out, "Yes, it was a race") {
		t.Fatalf("no race question:\n%s", out)
	}
	if !strings.Contains(out, "half marathon recovery plan has started") {
		t.Fatalf("pressing yes did not start the plan:\n%s", out)
	}
}

func TestConsoleFileMistakes(t *testing.T) {
	out := chatAs(t, "2026-06-08 12:00", ":file\n:file /no/such/run.fit\n")
	if !strings.Contains(out, "usage: :file PATH") || !strings.Contains(out, "can't send /no/such/run.fit") {
		t.Fatalf("mistakes not explained:\n%s", out)
	}
}
