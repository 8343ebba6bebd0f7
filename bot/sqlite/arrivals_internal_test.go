package sqlite

import "testing"

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
