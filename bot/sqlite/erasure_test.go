package sqlite_test

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// fileBytes is the database file and its write-ahead log, as a program
// reading the disk would see them.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// TestForgetMeLeavesNoTraceInTheFile: after /forgetme and a checkpoint,
// the member's name and user id appear nowhere in the bytes of the
// database file or its write-ahead log: not in live rows, not in free
// pages (secure_delete), not in a club message that named them.
func TestForgetMeLeavesNoTraceInTheFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "erase.db")
	now := time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s, err := sqlite.Open(ctx, path, sqlite.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b, err := bot.New(bot.Deps{Store: s, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	c := &chatter{t: t, b: b}
	const who = "Zebulon-Quincefield"
	for _, line := range []string{"/settings consent yes maxhr 190 age 38 tz Europe/Berlin nudge 06:30",
		"/log tempo 8km 40min", "/log easy 30min yesterday", "/checkin sleep 2 soreness 4 rhr 55", "/raced half sunday",
		"/log long 21km", "/log undo", "/checkin"} {
		c.say(who, line, false)
	}
	c.say("tom", "/log long 25km", false)
	club, err := s.EnsureClub(ctx, chat.PlatformConsole, "harriers", "", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	// A club message that names her, sent, and one waiting.
	items := []outbox.Item{
		{Key: "welcome:1", To: chat.Recipient{Platform: chat.PlatformConsole, ChatID: "harriers"}, ClubID: club.ID,
			Reply: chat.Reply{Text: "Welcome " + who + " to the harriers!"}},
		{Key: "coach:1", To: chat.Recipient{Platform: chat.PlatformConsole, ChatID: "harriers"}, ClubID: club.ID,
			Reply: chat.Reply{Text: who + " is now a coach."}},
	}
	if _, err := s.Enqueue(ctx, items, now); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Claim(ctx, []chat.Platform{chat.PlatformConsole}, "tok", now, now.Add(time.Minute), 1)
	if err != nil || len(rows) != 1 {
		t.Fatalf("claim: %v, %v", rows, err)
	}
	if err := s.MarkSent(ctx, rows[0].ID, "tok", now); err != nil {
		t.Fatal(err)
	}
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(fileBytes(t, path), []byte(who)) {
		t.Fatal("the name is not in the file before /forgetme; the check is broken")
	}

	rs := c.say(who, "/forgetme", false)
	c.say(who, firstButton(t, rs, "Yes, delete everything"), false)
	if !s.ErasedSinceCheckpoint() {
		t.Error("ForgetMember did not ask for a checkpoint")
	}
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if i := bytes.Index(fileBytes(t, path), []byte(who)); i >= 0 {
		t.Fatalf("the forgotten member's name is still in the database file's bytes (offset %d)", i)
	}
	var body string
	if err := s.OutboxBody(ctx, "coach:1", &body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "a former member is now a coach.") {
		t.Errorf("club message after /forgetme = %s", body)
	}
}

// TestFilesAreOwnerOnly: a new database, its WAL and shared-memory files
// are readable by their owner only, and an existing world-readable
// database is tightened when opened.
func TestFilesAreOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "private.db")
	s := open(t, path)
	if _, err := s.EnsureClub(t.Context(), chat.PlatformConsole, "c", "C", "UTC"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want no group or other access", filepath.Base(p), st.Mode().Perm())
		}
	}
	s.Close()
	old := filepath.Join(dir, "old.db")
	if err := os.WriteFile(old, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(old, 0o644); err != nil {
		t.Fatal(err)
	}
	open(t, old)
	if st, err := os.Stat(old); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("an existing 0644 database after Open: %v, %v; want 0600", st.Mode().Perm(), err)
	}
}

// TestAwkwardFileNames: the path reaches SQLite whole and literally,
// whatever it holds: nothing after # or ? is lost, % is not decoded, and
// & = cannot add connection parameters.
func TestAwkwardFileNames(t *testing.T) {
	for _, name := range []string{"a#b.db", "c?d.db", "%41%2F.db", "with space.db", "x&mode=ro.db", "k=v&_pragma=foo.db",
		"läufer ünd 走る.db", "mix #1 ?q=%20&x=y.db"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "dir ?#%")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name)
			s := open(t, path)
			if _, err := s.EnsureClub(t.Context(), chat.PlatformConsole, "c", "Club", "UTC"); err != nil {
				t.Fatalf("write: %v", err)
			}
			s.Close()
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			for _, n := range names {
				if n != name && n != name+"-wal" && n != name+"-shm" {
					t.Errorf("a file %q appeared; the database should be %q (all: %q)", n, name, names)
				}
			}
			db, err := sql.Open("sqlite", sqlite.FileURI(path)+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var club string
			if err := db.QueryRow(`SELECT name FROM clubs`).Scan(&club); err != nil || club != "Club" {
				t.Errorf("reading %q back: %q, %v", name, club, err)
			}
		})
	}
}
