package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
)

// ClubCoaches implements bot.ClubAdmin.
func (s *Store) ClubCoaches(ctx context.Context, clubID int64) ([]bot.Member, error) {
	return s.queryMembers(ctx, `WHERE id IN (SELECT member_id FROM coaches WHERE club_id = ?) ORDER BY id`, clubID)
}

// SetCoach implements bot.ClubAdmin.
func (s *Store) SetCoach(ctx context.Context, clubID, memberID int64, on bool) (bool, error) {
	var changed bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if on {
			res, err = tx.ExecContext(ctx, `INSERT INTO coaches (club_id, member_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				clubID, memberID, s.stamp())
		} else {
			res, err = tx.ExecContext(ctx, `DELETE FROM coaches WHERE club_id = ? AND member_id = ?`, clubID, memberID)
		}
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		changed = n > 0
		return err
	})
	return changed, err
}

const recoveryColumns = `id, club_id, start_date, note, COALESCE(created_by, 0)`

func scanRecoveryWeek(row interface{ Scan(...any) error }) (bot.RecoveryWeek, error) {
	var w bot.RecoveryWeek
	var start string
	err := row.Scan(&w.ID, &w.ClubID, &start, &w.Note, &w.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return w, bot.ErrNotFound
	}
	if err != nil {
		return w, err
	}
	w.Start, err = coach.ParseDate(start)
	return w, err
}

// DeclareRecoveryWeek implements bot.ClubAdmin. A week cancelled earlier on
// the same start date is declared again in its row.
func (s *Store) DeclareRecoveryWeek(ctx context.Context, w bot.RecoveryWeek) (bot.RecoveryWeek, error) {
	var out bot.RecoveryWeek
	err := s.tx(ctx, func(tx *sql.Tx) error {
		clash, err := scanRecoveryWeek(tx.QueryRowContext(ctx, `SELECT `+recoveryColumns+` FROM recovery_weeks
			WHERE club_id = ? AND cancelled = 0 AND start_date > ? AND start_date < ? ORDER BY start_date LIMIT 1`,
			w.ClubID, w.Start.AddDays(-7).String(), w.Start.AddDays(7).String()))
		if err == nil {
			return bot.Errorf(bot.CodeConflict, "That overlaps the recovery week already declared from %s to %s. "+
				"Cancel it first with /recoveryweek cancel, or pick a start at least a week away from it.",
				clash.Start, clash.End())
		}
		if !errors.Is(err, bot.ErrNotFound) {
			return err
		}
		var by any
		if w.CreatedBy != 0 {
			by = w.CreatedBy
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_weeks (club_id, start_date, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (club_id, start_date) DO UPDATE SET cancelled = 0, note = excluded.note,
			created_by = excluded.created_by, created_at = excluded.created_at`,
			w.ClubID, w.Start.String(), w.Note, by, s.stamp()); err != nil {
			return err
		}
		out, err = scanRecoveryWeek(tx.QueryRowContext(ctx, `SELECT `+recoveryColumns+` FROM recovery_weeks
			WHERE club_id = ? AND start_date = ?`, w.ClubID, w.Start.String()))
		return err
	})
	if err != nil {
		var be *bot.Error
		if errors.As(err, &be) {
			return bot.RecoveryWeek{}, err
		}
		return bot.RecoveryWeek{}, fmt.Errorf("declare recovery week: %w", err)
	}
	return out, nil
}

// CancelRecoveryWeek implements bot.ClubAdmin.
func (s *Store) CancelRecoveryWeek(ctx context.Context, clubID int64, from coach.Date) (bot.RecoveryWeek, error) {
	var w bot.RecoveryWeek
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		w, err = scanRecoveryWeek(tx.QueryRowContext(ctx, `SELECT `+recoveryColumns+` FROM recovery_weeks
			WHERE club_id = ? AND cancelled = 0 AND start_date > ? ORDER BY start_date LIMIT 1`,
			clubID, from.AddDays(-7).String()))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE recovery_weeks SET cancelled = 1 WHERE id = ?`, w.ID)
		return err
	})
	return w, err
}

// RecoveryWeeksFrom implements bot.ClubAdmin.
func (s *Store) RecoveryWeeksFrom(ctx context.Context, clubID int64, from coach.Date) ([]bot.RecoveryWeek, error) {
	rows, err := s.rowsR(ctx, `SELECT `+recoveryColumns+` FROM recovery_weeks
		WHERE club_id = ? AND cancelled = 0 AND start_date > ? ORDER BY start_date`, clubID, from.AddDays(-7).String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.RecoveryWeek
	for rows.Next() {
		w, err := scanRecoveryWeek(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SetRecoveryRhythm implements bot.ClubAdmin.
func (s *Store) SetRecoveryRhythm(ctx context.Context, c bot.Club, memberID int64) error {
	anchor := ""
	if !c.RecoveryAnchor.IsZero() {
		anchor = c.RecoveryAnchor.String()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE clubs SET recovery_every = ?, recovery_anchor = ? WHERE id = ?`,
			c.RecoveryEvery, anchor, c.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return bot.ErrNotFound
		}
		if memberID == 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM recovery_reminders WHERE club_id = ?`, c.ID)
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO recovery_reminders (club_id, member_id) VALUES (?, ?)
			ON CONFLICT (club_id) DO UPDATE SET member_id = excluded.member_id`, c.ID, memberID)
		return err
	})
}

// RecoveryReminderMember implements bot.ClubAdmin.
func (s *Store) RecoveryReminderMember(ctx context.Context, clubID int64) (bot.Member, error) {
	return scanMember(s.rowR(ctx, `SELECT `+memberColumns+` FROM members
		WHERE id = (SELECT member_id FROM recovery_reminders WHERE club_id = ?)`, clubID))
}

// CreateBroadcast implements bot.ClubAdmin.
func (s *Store) CreateBroadcast(ctx context.Context, clubID, memberID int64, text string, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO broadcasts (club_id, member_id, text, created_at) VALUES (?, ?, ?, ?)`,
			clubID, nullID(memberID), text, instant(now))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}

// TakeBroadcast implements bot.ClubAdmin.
func (s *Store) TakeBroadcast(ctx context.Context, clubID, id int64, since time.Time, send bool, item bot.OutboxItem, now time.Time) (string, error) {
	var text string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT text FROM broadcasts WHERE id = ? AND club_id = ? AND status = 'pending' AND created_at >= ?`,
			id, clubID, instant(since)).Scan(&text)
		if errors.Is(err, sql.ErrNoRows) {
			return bot.ErrNotFound
		}
		if err != nil {
			return err
		}
		status := "cancelled"
		if send {
			status = "sent"
			item.Reply.Text = text
			if _, err := enqueue(ctx, tx, []bot.OutboxItem{item}, now); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE broadcasts SET status = ? WHERE id = ?`, status, id)
		return err
	})
	return text, err
}
