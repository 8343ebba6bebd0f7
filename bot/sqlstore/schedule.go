package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
)

// ScheduleClubs implements bot.ScheduleStore.
func (s *Core) ScheduleClubs(ctx context.Context) ([]bot.ScheduledClub, error) {
	rows, err := s.rowsR(ctx, `SELECT `+clubColumns+`, created_at FROM clubs WHERE chat_id <> '' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.ScheduledClub
	for rows.Next() {
		var created string
		c, err := scanClub(withExtra{rows, []any{&created}})
		if err != nil {
			return nil, err
		}
		out = append(out, bot.ScheduledClub{Club: c, CreatedAt: ParseStamp(created)})
	}
	return out, rows.Err()
}

// withExtra scans columns selected after the ones a scan function knows.
type withExtra struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.row.Scan(append(dest, w.extra...)...) }

// ScheduleMembers implements bot.ScheduleStore.
func (s *Core) ScheduleMembers(ctx context.Context) ([]bot.Member, error) {
	return s.queryMembers(ctx, `WHERE unreachable = 0 ORDER BY id`)
}

// ScheduleMember implements bot.ScheduleStore.
func (s *Core) ScheduleMember(ctx context.Context, id int64) (bot.Member, error) {
	return scanMember(s.rowR(ctx, `SELECT `+memberColumns+` FROM members WHERE id = ?`, id))
}

// HandledSlots implements bot.ScheduleStore.
func (s *Core) HandledSlots(ctx context.Context, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(keys) == 0 {
		return out, nil
	}
	anyOf, list, err := s.b.AnyOf(keys)
	if err != nil {
		return nil, err
	}
	rows, err := s.rowsR(ctx, `SELECT key FROM schedule_slots WHERE key `+anyOf, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// RecordSlot implements bot.ScheduleStore.
func (s *Core) RecordSlot(ctx context.Context, r bot.SlotRecord, now time.Time) (bool, error) {
	fresh, err := s.RecordSlots(ctx, []bot.SlotRecord{r}, now)
	if err != nil {
		return false, err
	}
	return fresh[0], nil
}

// RecordSlots implements bot.ScheduleStore: every record in one
// transaction, each stored only if its key has no outcome yet.
func (s *Core) RecordSlots(ctx context.Context, rs []bot.SlotRecord, now time.Time) ([]bool, error) {
	fresh := make([]bool, len(rs))
	err := s.tx(ctx, func(tx Tx) error {
		for i, r := range rs {
			res, err := tx.ExecContext(ctx, `INSERT INTO schedule_slots (key, status, due_at, handled_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (key) DO NOTHING`, r.Key, r.Status, instant(r.Due), instant(now))
			if err != nil {
				return fmt.Errorf("record slot %s: %w", r.Key, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			fresh[i] = true
			if _, err := enqueue(ctx, tx, r.Items, now); err != nil {
				return fmt.Errorf("record slot %s: %w", r.Key, err)
			}
			if r.Tip != nil {
				if _, err := tx.ExecContext(ctx, `INSERT INTO club_tips (club_id, date, entry_id) VALUES (?, ?, ?)
					ON CONFLICT (club_id, date) DO UPDATE SET entry_id = excluded.entry_id`,
					r.Tip.ClubID, r.Tip.Date.String(), r.Tip.EntryID); err != nil {
					return fmt.Errorf("record slot %s: %w", r.Key, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fresh, nil
}

// PruneSlots implements bot.ScheduleStore; it forgets old tips too.
func (s *Core) PruneSlots(ctx context.Context, before time.Time) error {
	return s.tx(ctx, func(tx Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM schedule_slots WHERE due_at < ?`, instant(before)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM club_tips WHERE date < ?`, coach.DateOf(before.UTC()).AddDays(-1).String())
		return err
	})
}

// ClubTips implements bot.ScheduleStore.
func (s *Core) ClubTips(ctx context.Context, clubID int64, from, to coach.Date) (map[coach.Date]string, error) {
	rows, err := s.rowsR(ctx, `SELECT date, entry_id FROM club_tips WHERE club_id = ? AND date >= ? AND date <= ?`,
		clubID, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[coach.Date]string{}
	for rows.Next() {
		var d, id string
		if err := rows.Scan(&d, &id); err != nil {
			return nil, err
		}
		date, err := coach.ParseDate(d)
		if err != nil {
			return nil, err
		}
		out[date] = id
	}
	return out, rows.Err()
}
