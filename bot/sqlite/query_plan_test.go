package sqlite

import (
	"context"
	"strings"
	"testing"
)

// TestMemberSessionReadsStayInTheIndex: the date-range reads of a member's
// sessions (SessionsSince and RecentSessions in bot/sqlstore/training.go)
// are answered from sessions_by_member alone, without visiting the table,
// whose rows for one member lie scattered.
func TestMemberSessionReadsStayInTheIndex(t *testing.T) {
	ctx := context.Background()
	s := openGroupStore(t)
	const cols = `id, date, tz, kind, distance_km, minutes, rpe, rpe_given`
	for _, q := range []string{
		`SELECT ` + cols + ` FROM sessions WHERE member_id = ? AND date >= ? ORDER BY date, id`,
		`SELECT ` + cols + ` FROM sessions WHERE member_id = ? AND date >= ? ORDER BY date DESC, id DESC LIMIT ?`,
	} {
		rows, err := s.r.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, 1, "2026-01-01", 5)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(plan, "; ")
		if got != "SEARCH sessions USING COVERING INDEX sessions_by_member (member_id=? AND date>?)" {
			t.Errorf("plan for %q:\n%s\nwant one search of the covering index, no sort", q, got)
		}
	}
}
