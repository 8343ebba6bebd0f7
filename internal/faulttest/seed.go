package faulttest

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for looking at a PostgreSQL outbox
	_ "modernc.org/sqlite"             // the driver, for looking at the outbox and holding locks

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/internal/dbopen"
	"github.com/shakeoutbot/shakeout/outbox"
)

// Recipient is one seeded member: who they are and the chat their morning
// message goes to.
type Recipient struct {
	Platform chat.Platform
	UserID   string
	ChatID   string
}

// TelegramMembers names n Telegram members; their private chat has their
// user id.
func TelegramMembers(n int) []Recipient {
	out := make([]Recipient, n)
	for i := range out {
		id := fmt.Sprint(5_000_001 + i)
		out[i] = Recipient{Platform: chat.PlatformTelegram, UserID: id, ChatID: id}
	}
	return out
}

// DiscordMembers names n Discord members with their DM channels.
func DiscordMembers(n int) []Recipient {
	out := make([]Recipient, n)
	for i := range out {
		out[i] = Recipient{
			Platform: chat.PlatformDiscord,
			UserID:   fmt.Sprint(810_000_000_000_000_001 + i),
			ChatID:   fmt.Sprint(820_000_000_000_000_001 + i),
		}
	}
	return out
}

// SeedDue creates the members in the database at db (creating it), with
// morning messages on, in UTC, at the minute before now: their morning
// message is due as soon as a scheduler looks. The store's clock reads
// two days back while seeding, so the members existed before the slot.
// db is a SQLite file or a postgres:// URL.
func SeedDue(t testing.TB, db string, members []Recipient) {
	t.Helper()
	ctx := context.Background()
	past := time.Now().Add(-48 * time.Hour)
	s, err := dbopen.Open(ctx, db, func() time.Time { return past })
	if err != nil {
		t.Fatalf("faulttest: seed: %v", err)
	}
	defer s.Close()
	at := input.ClockOf(time.Now().UTC().Add(-time.Minute))
	for _, r := range members {
		m, err := s.EnsureMember(ctx, r.Platform, r.UserID, "runner "+r.UserID, 0, r.ChatID)
		if err != nil {
			t.Fatalf("faulttest: seed: %v", err)
		}
		m.TZ, m.NudgeTime, m.Nudges = "UTC", at, true
		if err := s.UpdateMember(ctx, m, false); err != nil {
			t.Fatalf("faulttest: seed: %v", err)
		}
	}
}

// Row is one outbox row as stored.
type Row struct {
	ID       int64
	Key      string
	Platform chat.Platform
	ChatID   string
	Status   outbox.Status
	Attempts int
}

// OutboxRows reads every outbox row of the database at db (a SQLite file
// or a postgres:// URL), oldest first.
func OutboxRows(t testing.TB, db string) []Row {
	t.Helper()
	driver, dsn := "sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)"
	if postgres.IsURL(db) {
		driver, dsn = "pgx", db
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("faulttest: %v", err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT id, key, platform, chat_id, status, attempts FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatalf("faulttest: reading the outbox: %v", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.Key, &r.Platform, &r.ChatID, &r.Status, &r.Attempts); err != nil {
			t.Fatalf("faulttest: reading the outbox: %v", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("faulttest: reading the outbox: %v", err)
	}
	return out
}

// CountStatus counts rows by platform and status.
func CountStatus(rows []Row) map[chat.Platform]map[outbox.Status]int {
	out := map[chat.Platform]map[outbox.Status]int{}
	for _, r := range rows {
		if out[r.Platform] == nil {
			out[r.Platform] = map[outbox.Status]int{}
		}
		out[r.Platform][r.Status]++
	}
	return out
}

// Lock takes the database's write lock from another connection, as a
// second program (a backup, an sqlite3 shell) would, and holds it until the
// returned release is called or the test ends. Readers go on; writers wait
// out their busy timeout and fail with SQLITE_BUSY.
func Lock(t testing.TB, db string) (release func()) {
	t.Helper()
	ctx := context.Background()
	pool, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatalf("faulttest: lock: %v", err)
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		pool.Close()
		t.Fatalf("faulttest: lock: %v", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		conn.Close()
		pool.Close()
		t.Fatalf("faulttest: lock: %v", err)
	}
	done := false
	release = func() {
		if done {
			return
		}
		done = true
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		conn.Close()
		pool.Close()
	}
	t.Cleanup(release)
	return release
}
