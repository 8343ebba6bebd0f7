package sqlstore

import (
	"context"

	"github.com/shakeoutbot/shakeout/coach"
)

// RecoveryWeekOn implements bot.ClubCalendar: whether date falls within
// seven days of the start of a recovery week the club declared.
func (s *Core) RecoveryWeekOn(ctx context.Context, clubID int64, date coach.Date) (bool, error) {
	var n int
	err := s.rowR(ctx, `SELECT COUNT(*) FROM recovery_weeks
		WHERE club_id = ? AND cancelled = 0 AND start_date <= ? AND start_date > ?`,
		clubID, date.String(), date.AddDays(-7).String()).Scan(&n)
	return n > 0, err
}
