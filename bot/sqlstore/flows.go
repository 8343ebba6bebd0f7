package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
)

// StartFlow implements bot.FlowStore: it replaces the member's flow of the
// same kind and drops every flow that expired before now, so abandoned
// answers do not linger.
func (s *Core) StartFlow(ctx context.Context, f bot.Flow, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM flows WHERE expires_at < ? OR (member_id = ? AND kind = ?)`,
			now.UTC().Format(time.RFC3339), f.MemberID, f.Kind); err != nil {
			return err
		}
		var err error
		id, err = s.insert(ctx, tx, `INSERT INTO flows (member_id, kind, state, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`,
			f.MemberID, f.Kind, f.State, f.Expires.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("start flow: %w", err)
	}
	return id, nil
}

// FlowOf implements bot.FlowStore.
func (s *Core) FlowOf(ctx context.Context, memberID int64, kind bot.FlowKind) (bot.Flow, error) {
	f := bot.Flow{MemberID: memberID, Kind: kind}
	var expires string
	err := s.rowR(ctx, `SELECT id, state, expires_at FROM flows WHERE member_id = ? AND kind = ?`,
		memberID, kind).Scan(&f.ID, &f.State, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return f, bot.ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("flow: %w", err)
	}
	f.Expires = ParseStamp(expires)
	return f, nil
}

// UpdateFlow implements bot.FlowStore: it saves a flow's state and expiry.
func (s *Core) UpdateFlow(ctx context.Context, f bot.Flow) error {
	return s.tx(ctx, func(tx Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE flows SET state = ?, expires_at = ? WHERE id = ? AND member_id = ?`,
			f.State, f.Expires.UTC().Format(time.RFC3339), f.ID, f.MemberID)
		if err != nil {
			return fmt.Errorf("update flow: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return bot.ErrNotFound
		}
		return nil
	})
}

// EndFlow implements bot.FlowStore.
func (s *Core) EndFlow(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM flows WHERE id = ?`, id)
		return err
	})
}
