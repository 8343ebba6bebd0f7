package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// telegramOffsetKey is the meta row holding the last Telegram update id the
// adapter finished handling.
const telegramOffsetKey = "telegram_update_offset"

// TelegramOffset returns the id of the last Telegram update handled, or 0
// when none was recorded yet.
func (s *Core) TelegramOffset(ctx context.Context) (int64, error) {
	// A read on the read pool: a busy writer cannot stop polling.
	var v string
	err := s.rowR(ctx, `SELECT value FROM meta WHERE key = ?`, telegramOffsetKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("telegram offset: %w", err)
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("telegram offset: stored value %q is not an update id", v)
	}
	return id, nil
}

// SetTelegramOffset records id as the last Telegram update handled. It
// overwrites rather than keeping the maximum: Telegram restarts its update
// ids at a random value after a week without updates.
func (s *Core) SetTelegramOffset(ctx context.Context, id int64) error {
	err := s.tx(ctx, func(tx Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, telegramOffsetKey, strconv.FormatInt(id, 10))
		return err
	})
	if err != nil {
		return fmt.Errorf("set telegram offset: %w", err)
	}
	return nil
}
