package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/shakeoutbot/shakeout/chat"
)

func TestDirectoryWrite(t *testing.T) {
	for q, want := range map[string]bool{
		`UPDATE members SET name = ? WHERE id = ?`:                                    true,
		"INSERT INTO club_members (club_id, member_id, seen_at) VALUES (?, ?, ?)":     true,
		"insert or ignore into clubs (platform) values (?)":                           true,
		"DELETE\n\t\tFROM members WHERE id = ?":                                       true,
		`UPDATE OR REPLACE clubs SET name = ?`:                                        true,
		`REPLACE INTO members (id) VALUES (?)`:                                        true,
		`INSERT INTO sessions (member_id, date) VALUES (?, ?)`:                        false,
		`SELECT id FROM members WHERE platform = ?`:                                   false,
		`DELETE FROM outbox WHERE member_id IN (SELECT id FROM members WHERE id = ?)`: false,
		`INSERT INTO inbox (platform, update_id, received_at) VALUES (?, ?, ?)`:       false,
		`UPDATE members_archive SET x = 1`:                                            false,
		`DELETE FROM "club_members" WHERE member_id = ?`:                              true,
		`UPDATE "clubs" SET coach_member = NULL WHERE coach_member = ?`:               true,
		`DELETE FROM main.members WHERE id = ?`:                                       true,
		`DELETE FROM "plan_answers" WHERE member_id = ?`:                              false,
		`DELETE FROM "members_old" WHERE id = ?`:                                      false,
	} {
		if got := directoryWrite.MatchString(q); got != want {
			t.Errorf("directoryWrite(%q) = %v, want %v", q, got, want)
		}
	}
}

// A directory write prepared on the writer's connection (the store's own
// writes are not, but nothing stops a future one) clears the memo too.
func TestPreparedDirectoryWriteClearsTheMemo(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "memo.db")
	s, err := Open(ctx, file, Options{Lease: &LeaseOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arrive := func() string {
		t.Helper()
		_, m, err := s.ArriveInGroup(ctx, chat.PlatformTelegram, "-100", "Harriers", "UTC", "42", "", "", "")
		if err != nil {
			t.Fatal(err)
		}
		return m.Name
	}
	if _, _, err := s.ArriveInGroup(ctx, chat.PlatformTelegram, "-100", "Harriers", "UTC", "42", "Ann", "", ""); err != nil {
		t.Fatal(err)
	}
	arrive()
	// Renamed with the reader pool's connection: the memo does not see it.
	if _, err := s.r.ExecContext(ctx, `UPDATE members SET name = 'Outside' WHERE user_id = '42'`); err != nil {
		t.Fatal(err)
	}
	if got := arrive(); got != "Ann" {
		t.Fatalf("arrival = %q, want Ann from memory", got)
	}
	st, err := s.w.PrepareContext(ctx, `UPDATE members SET tz = tz WHERE user_id = ?`)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ExecContext(ctx, "42"); err != nil {
		t.Fatal(err)
	}
	if got := arrive(); got != "Outside" {
		t.Fatalf("arrival after a prepared write = %q, want the database's Outside", got)
	}
}
