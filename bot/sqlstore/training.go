package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
)

// AddSession implements bot.TrainingLog.
func (s *Core) AddSession(ctx context.Context, memberID int64, x bot.LoggedSession, at time.Time) (int64, error) {
	id, err := s.insertW(ctx, `INSERT INTO sessions (member_id, date, tz, kind, distance_km, minutes, rpe, rpe_given, logged_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		memberID, x.Date.String(), x.TZ, x.Kind, x.DistanceKm, x.Minutes, x.RPE, BoolInt(x.RPEGiven), at.UTC().Format(time.RFC3339))
	if err != nil {
		return 0, fmt.Errorf("add session: %w", err)
	}
	return id, nil
}

// UndoSession implements bot.TrainingLog: it removes the member's most
// recently logged session (not the latest by date) and returns it.
func (s *Core) UndoSession(ctx context.Context, memberID int64) (bot.LoggedSession, error) {
	return s.removeSession(ctx, "undo session", `WHERE member_id = ? ORDER BY id DESC LIMIT 1`, memberID)
}

// SessionsSince implements bot.TrainingLog: the member's sessions dated on
// or after from, oldest first.
func (s *Core) SessionsSince(ctx context.Context, memberID int64, from coach.Date) ([]bot.LoggedSession, error) {
	return s.sessions(ctx, "sessions", `SELECT `+sessionColumns+` FROM sessions
		WHERE member_id = ? AND date >= ? ORDER BY date, id`, memberID, from.String())
}

// sessions runs a query for session rows; what names it in errors.
func (s *Core) sessions(ctx context.Context, what, query string, args ...any) ([]bot.LoggedSession, error) {
	rows, err := s.rowsR(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []bot.LoggedSession
	for rows.Next() {
		x, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

const sessionColumns = `id, date, tz, kind, distance_km, minutes, rpe, rpe_given`

func scanSession(row interface{ Scan(...any) error }) (bot.LoggedSession, error) {
	var x bot.LoggedSession
	var date string
	var given int
	err := row.Scan(&x.ID, &date, &x.TZ, &x.Kind, &x.DistanceKm, &x.Minutes, &x.RPE, &given)
	if errors.Is(err, sql.ErrNoRows) {
		return x, bot.ErrNotFound
	}
	if err != nil {
		return x, err
	}
	x.RPEGiven = given == 1
	x.Date, err = coach.ParseDate(date)
	return x, err
}

// RecentSessions implements bot.TrainingLog: the member's sessions dated on
// or after from, newest first (by date, then by when they were logged), at
// most limit.
func (s *Core) RecentSessions(ctx context.Context, memberID int64, from coach.Date, limit int) ([]bot.LoggedSession, error) {
	return s.sessions(ctx, "recent sessions", `SELECT `+sessionColumns+` FROM sessions
		WHERE member_id = ? AND date >= ? ORDER BY date DESC, id DESC LIMIT ?`, memberID, from.String(), limit)
}

// DeleteSession implements bot.TrainingLog: it removes one of the member's
// sessions by id and returns it; ErrNotFound when the member has no such
// session.
func (s *Core) DeleteSession(ctx context.Context, memberID, id int64) (bot.LoggedSession, error) {
	return s.removeSession(ctx, "delete session", `WHERE member_id = ? AND id = ?`, memberID, id)
}

// removeSession deletes the one session the where clause picks and returns
// it; what names the operation in errors. bot.ErrNotFound when none.
func (s *Core) removeSession(ctx context.Context, what, where string, args ...any) (bot.LoggedSession, error) {
	var x bot.LoggedSession
	err := s.tx(ctx, func(tx Tx) error {
		var err error
		x, err = scanSession(tx.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions `+where, args...))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, x.ID)
		return err
	})
	if errors.Is(err, bot.ErrNotFound) {
		return x, err
	}
	if err != nil {
		return x, fmt.Errorf("%s: %w", what, err)
	}
	return x, nil
}

// UpdateSession implements bot.TrainingLog: it saves a changed session of
// the member's, by its id; ErrNotFound when the member has no such session.
func (s *Core) UpdateSession(ctx context.Context, memberID int64, x bot.LoggedSession) error {
	res, err := s.execW(ctx, `UPDATE sessions SET date = ?, tz = ?, kind = ?, distance_km = ?, minutes = ?, rpe = ?, rpe_given = ?
		WHERE member_id = ? AND id = ?`,
		x.Date.String(), x.TZ, x.Kind, x.DistanceKm, x.Minutes, x.RPE, BoolInt(x.RPEGiven), memberID, x.ID)
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	if n == 0 {
		return bot.ErrNotFound
	}
	return nil
}
