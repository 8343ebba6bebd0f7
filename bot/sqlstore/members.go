package sqlstore

import (
	"context"
	"fmt"

	"github.com/shakeoutbot/shakeout/bot"
)

// UpdateMember implements bot.MemberSettings: it saves the member's
// settings. With dropHealth it also deletes, in the same transaction, every
// piece of health data held about the member: check-ins, the measured
// maximum heart rate, half-finished check-in conversations and a race
// plan's "hurting" hold.
func (s *Core) UpdateMember(ctx context.Context, m bot.Member, dropHealth bool) error {
	err := s.tx(ctx, func(tx Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE members SET tz = ?, nudge_time = ?, nudges = ?, units = ?, level = ?,
			consent = ?, age = ?, max_hr = ? WHERE id = ?`,
			m.TZ, m.NudgeTime.String(), BoolInt(m.Nudges), m.Units, m.Level, m.Consent, m.Age, m.MaxHR, m.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return bot.ErrNotFound
		}
		if !dropHealth {
			return nil
		}
		for _, q := range []string{
			`DELETE FROM checkins WHERE member_id = ?`,
			`DELETE FROM flows WHERE member_id = ?`,
			`DELETE FROM plan_answers WHERE member_id = ?`,
			`UPDATE members SET max_hr = 0 WHERE id = ?`,
			// The days Sore added keep their count (the plan stays where
			// it is) but lose their dates.
			`UPDATE race_plans SET hurting = 0, restarts = '', holds = '', delay = delay +
				CASE WHEN holds = '' THEN 0 ELSE length(holds) - length(replace(holds, ',', '')) + 1 END WHERE member_id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, m.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update member: %w", err)
	}
	return nil
}
