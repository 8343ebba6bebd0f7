package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shakeoutbot/shakeout/bot"
)

var _ bot.PictureStore = (*Core)(nil)

// ConsentingMembers implements bot.PictureStore: the members whose home
// club it is and who said yes to health data.
func (s *Core) ConsentingMembers(ctx context.Context, clubID int64) ([]bot.Member, error) {
	ms, err := s.queryMembers(ctx, `WHERE club_id = ? AND consent = ? ORDER BY id`, clubID, bot.ConsentYes)
	if err != nil {
		return nil, fmt.Errorf("consenting members: %w", err)
	}
	return ms, nil
}

// ClubPictureMorning implements bot.PictureStore.
func (s *Core) ClubPictureMorning(ctx context.Context, clubID int64) (bool, error) {
	var on int
	err := s.rowR(ctx, `SELECT morning FROM club_pictures WHERE club_id = ?`, clubID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("club picture setting: %w", err)
	}
	return on == 1, nil
}

// SetClubPictureMorning implements bot.PictureStore.
func (s *Core) SetClubPictureMorning(ctx context.Context, clubID int64, on bool) error {
	err := s.tx(ctx, func(tx Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO club_pictures (club_id, morning) VALUES (?, ?)
			ON CONFLICT (club_id) DO UPDATE SET morning = excluded.morning`, clubID, BoolInt(on))
		return err
	})
	if err != nil {
		return fmt.Errorf("club picture setting: %w", err)
	}
	return nil
}
