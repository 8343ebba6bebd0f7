package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// chatter drives a bot on the store as console members of one club.
type chatter struct {
	t *testing.T
	b *bot.Bot
}

func (c *chatter) say(as, text string, admin bool) []chat.Reply {
	c.t.Helper()
	m := chat.Message{Platform: chat.PlatformConsole, ClubChatID: "harriers", ChatID: "harriers", UserID: as, UserName: as, PlatformAdmin: admin}
	if strings.HasPrefix(text, "/") {
		m.Command, m.Args, _ = strings.Cut(text[1:], " ")
	} else {
		m.Button = text
	}
	return c.b.Handle(c.t.Context(), m)
}

func firstButton(t *testing.T, rs []chat.Reply, label string) string {
	t.Helper()
	for _, r := range rs {
		for _, row := range r.Buttons {
			for _, b := range row {
				if b.Label == label {
					return b.Data
				}
			}
		}
	}
	t.Fatalf("no button %q in %+v", label, rs)
	return ""
}

// TestForgetMeLeavesNoRowInAnyTable fills every kind of record about a
// member, confirms /forgetme and then reads every table in the schema: no
// row may point at the member, carry their platform user id, or mention it.
func TestForgetMeLeavesNoRowInAnyTable(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "forget.db")
	now := time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)
	s, err := sqlite.Open(ctx, path, sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b, err := bot.New(bot.Deps{Store: s, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	c := &chatter{t: t, b: b}
	const who = "maya-forget-7f3a"
	for _, line := range []string{"/settings consent yes maxhr 190 age 38 tz Europe/Berlin nudge 06:30",
		"/log tempo 8km 40min", "/log easy 30min yesterday", "/checkin sleep 2 soreness 4 rhr 55", "/raced half sunday"} {
		c.say(who, line, false)
	}
	c.say(who, "/checkin", false) // a check-in left half-way: a pending flow
	c.say("tom", "/log long 25km", false)
	maya, err := s.EnsureMember(ctx, chat.PlatformConsole, who, who, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	club, err := s.EnsureClub(ctx, chat.PlatformConsole, "harriers", "", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetClubAdmin(ctx, club.ID, maya.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeclareRecoveryWeek(ctx, bot.RecoveryWeek{ClubID: club.ID, Start: coach.Date{Year: 2026, Month: time.June, Day: 15}, CreatedBy: maya.ID}); err != nil {
		t.Fatal(err)
	}
	// A session logged from her watch file.
	if _, err := s.AddImported(ctx, maya.ID, bot.LoggedSession{Session: coach.Session{Date: coach.Date{Year: 2026, Month: time.June, Day: 8},
		Kind: coach.KindIntervals, DistanceKm: 10, Minutes: 50, RPE: 8}, TZ: "UTC", RPEGiven: true},
		bot.ImportedSession{Source: bot.ImportFile, Format: "FIT", Sport: "run", Start: now.Add(-14 * time.Hour),
			Elapsed: 50 * time.Minute, Moving: 49 * time.Minute, DistanceM: 10000, AvgHR: 150, MaxHR: 172, TRIMP: 95}, now); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var imported int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM imported_sessions WHERE member_id = ?`, maya.ID).Scan(&imported); err != nil || imported != 1 {
		t.Fatalf("imported sessions before /forgetme: %d, %v", imported, err)
	}
	// A personal message waiting in the outbox for her.
	if _, err := db.ExecContext(ctx, `INSERT INTO outbox (key, platform, user_id, private, club_id, member_id, body, not_before, created_at)
		VALUES ('morning:test', 'console', ?, 1, ?, ?, '{}', '2026-06-10T05:00:00Z', '2026-06-09T07:00:00Z')`, who, club.ID, maya.ID); err != nil {
		t.Fatal(err)
	}
	// The morning slot the scheduler recorded for her, keyed by her row id.
	slotKey := fmt.Sprintf("morning:m%d:2026-06-10", maya.ID)
	if _, err := db.ExecContext(ctx, `INSERT INTO schedule_slots (key, status, due_at, handled_at)
		VALUES (?, 'enqueued', '2026-06-10T05:00:00Z', '2026-06-10T05:00:00Z')`, slotKey); err != nil {
		t.Fatal(err)
	}
	if n := rowsAbout(t, db, maya.ID, who); n == 0 {
		t.Fatal("found no rows about the member before /forgetme; the check is broken")
	}

	rs := c.say(who, "/forgetme", false)
	got := c.say(who, firstButton(t, rs, "Yes, delete everything"), false)
	if len(got) != 1 || !strings.Contains(got[0].Text, "deleted") {
		t.Fatalf("confirm = %+v", got)
	}
	if n := rowsAbout(t, db, maya.ID, who); n != 0 {
		t.Fatalf("%d rows about the member survived /forgetme", n)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM imported_sessions`).Scan(&imported); err != nil || imported != 0 {
		t.Fatalf("imported sessions after /forgetme: %d, %v", imported, err)
	}
	var slots int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schedule_slots WHERE key = ?`, slotKey).Scan(&slots); err != nil || slots != 0 {
		t.Fatalf("her schedule slot survived /forgetme (%d, %v)", slots, err)
	}
	var weeks, tomSessions int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_weeks WHERE club_id = ?`, club.ID).Scan(&weeks); err != nil || weeks != 1 {
		t.Fatalf("the club's recovery week went too (%d, %v)", weeks, err)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions`).Scan(&tomSessions); err != nil || tomSessions != 1 {
		t.Fatalf("another member's log went too (%d, %v)", tomSessions, err)
	}
}

// rowsAbout counts, over every table in the schema, the rows that point at
// the member by a foreign key, hold their platform user id, or mention it
// in any text column, and reports each.
func rowsAbout(t *testing.T, db *sql.DB, memberID int64, userID string) int {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	total := 0
	for _, table := range tables {
		q := `"` + table + `"`
		var fkCols []string
		fks, err := db.QueryContext(ctx, `SELECT "from" FROM pragma_foreign_key_list(?) WHERE "table" = 'members'`, table)
		if err != nil {
			t.Fatal(err)
		}
		for fks.Next() {
			var col string
			if err := fks.Scan(&col); err != nil {
				t.Fatal(err)
			}
			fkCols = append(fkCols, col)
		}
		fks.Close()
		conds := []string{}
		args := []any{}
		if table == "members" {
			conds = append(conds, "id = ?")
			args = append(args, memberID)
		}
		for _, col := range fkCols {
			conds = append(conds, fmt.Sprintf(`"%s" = ?`, col))
			args = append(args, memberID)
		}
		cols, err := db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for cols.Next() {
			var col string
			if err := cols.Scan(&col); err != nil {
				t.Fatal(err)
			}
			conds = append(conds, fmt.Sprintf(`CAST("%s" AS TEXT) LIKE ?`, col))
			args = append(args, "%"+userID+"%")
		}
		cols.Close()
		if len(conds) == 0 {
			continue
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+q+` WHERE `+strings.Join(conds, " OR "), args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if n > 0 {
			t.Logf("table %s: %d rows about the member", table, n)
		}
		total += n
	}
	return total
}
