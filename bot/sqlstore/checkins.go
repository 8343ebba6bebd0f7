package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/coach"
)

// AddCheckIn implements bot.CheckInStore. The caller has checked consent.
func (s *Core) AddCheckIn(ctx context.Context, memberID int64, c coach.CheckIn, tz string, at time.Time) error {
	err := s.tx(ctx, func(tx Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO checkins (member_id, date, tz, sleep, soreness, energy, resting_hr, flag, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			memberID, c.Date.String(), tz, c.Sleep, c.Soreness, c.Energy, c.RestingHR, c.Flag, at.UTC().Format(time.RFC3339))
		return err
	})
	if err != nil {
		return fmt.Errorf("add check-in: %w", err)
	}
	return nil
}

// CheckInsSince implements bot.CheckInStore: check-ins dated on or after
// from, oldest first.
func (s *Core) CheckInsSince(ctx context.Context, memberID int64, from coach.Date) ([]coach.CheckIn, error) {
	rows, err := s.rowsR(ctx, `SELECT date, sleep, soreness, energy, resting_hr, flag FROM checkins
		WHERE member_id = ? AND date >= ? ORDER BY date, id`, memberID, from.String())
	if err != nil {
		return nil, fmt.Errorf("check-ins: %w", err)
	}
	defer rows.Close()
	var out []coach.CheckIn
	for rows.Next() {
		var c coach.CheckIn
		var date string
		if err := rows.Scan(&date, &c.Sleep, &c.Soreness, &c.Energy, &c.RestingHR, &c.Flag); err != nil {
			return nil, fmt.Errorf("check-ins: %w", err)
		}
		if c.Date, err = coach.ParseDate(date); err != nil {
			return nil, fmt.Errorf("check-ins: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
