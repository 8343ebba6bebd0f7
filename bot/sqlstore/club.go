package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

// ClubAdmins implements bot.ClubAdmin.
func (s *Core) ClubAdmins(ctx context.Context, clubID int64) ([]bot.Member, error) {
	return s.queryMembers(ctx, `WHERE id IN (SELECT member_id FROM coaches WHERE club_id = ?) ORDER BY id`, clubID)
}

// SetClubAdmin implements bot.ClubAdmin.
func (s *Core) SetClubAdmin(ctx context.Context, clubID, memberID int64, on bool) (bool, error) {
	var changed bool
	err := s.tx(ctx, func(tx Tx) error {
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
func (s *Core) DeclareRecoveryWeek(ctx context.Context, w bot.RecoveryWeek) (bot.RecoveryWeek, error) {
	var out bot.RecoveryWeek
	err := s.tx(ctx, func(tx Tx) error {
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
func (s *Core) CancelRecoveryWeek(ctx context.Context, clubID int64, from coach.Date) (bot.RecoveryWeek, error) {
	var w bot.RecoveryWeek
	err := s.tx(ctx, func(tx Tx) error {
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

// CancelRecoveryWeekByID implements bot.ClubAdmin.
func (s *Core) CancelRecoveryWeekByID(ctx context.Context, clubID, id int64) (bot.RecoveryWeek, error) {
	var w bot.RecoveryWeek
	err := s.tx(ctx, func(tx Tx) error {
		var err error
		w, err = scanRecoveryWeek(tx.QueryRowContext(ctx, `SELECT `+recoveryColumns+` FROM recovery_weeks
			WHERE club_id = ? AND id = ? AND cancelled = 0`, clubID, id))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE recovery_weeks SET cancelled = 1 WHERE id = ?`, w.ID)
		return err
	})
	return w, err
}

// RecoveryWeeksFrom implements bot.ClubAdmin.
func (s *Core) RecoveryWeeksFrom(ctx context.Context, clubID int64, from coach.Date) ([]bot.RecoveryWeek, error) {
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
func (s *Core) SetRecoveryRhythm(ctx context.Context, c bot.Club, memberID int64) error {
	anchor := ""
	if !c.RecoveryAnchor.IsZero() {
		anchor = c.RecoveryAnchor.String()
	}
	return s.tx(ctx, func(tx Tx) error {
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
func (s *Core) RecoveryReminderMember(ctx context.Context, clubID int64) (bot.Member, error) {
	return scanMember(s.rowR(ctx, `SELECT `+memberColumns+` FROM members
		WHERE id = (SELECT member_id FROM recovery_reminders WHERE club_id = ?)`, clubID))
}

// CreateBroadcast implements bot.ClubAdmin.
func (s *Core) CreateBroadcast(ctx context.Context, clubID, memberID int64, text string, sendAt, now time.Time) (int64, error) {
	at := ""
	if !sendAt.IsZero() {
		at = instant(sendAt)
	}
	id, err := s.insertW(ctx, `INSERT INTO broadcasts (club_id, member_id, text, send_at, created_at) VALUES (?, ?, ?, ?, ?)`,
		clubID, nullID(memberID), text, at, instant(now))
	if err != nil {
		return 0, fmt.Errorf("create broadcast: %w", err)
	}
	return id, nil
}

// TakeBroadcast implements bot.ClubAdmin: a broadcast with a send time is
// enqueued to wait until then.
func (s *Core) TakeBroadcast(ctx context.Context, clubID, id int64, since time.Time, send bool, item outbox.Item, now time.Time) (string, error) {
	var text, created, sendAt string
	err := s.tx(ctx, func(tx Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT text, created_at, send_at FROM broadcasts WHERE id = ? AND club_id = ? AND status = 'pending'`,
			id, clubID).Scan(&text, &created, &sendAt)
		if errors.Is(err, sql.ErrNoRows) {
			return bot.ErrNotFound
		}
		if err != nil {
			return err
		}
		if ParseStamp(created).Before(since) {
			return bot.ErrPreviewExpired
		}
		status := "cancelled"
		if send {
			status = "sent"
			item.Reply.Text = text
			if sendAt != "" {
				item.NotBefore = ParseStamp(sendAt)
			}
			if _, err := enqueue(ctx, tx, []outbox.Item{item}, now); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE broadcasts SET status = ? WHERE id = ?`, status, id)
		return err
	})
	return text, err
}

// ScheduledBroadcasts implements bot.ClubAdmin: the club's confirmed
// broadcasts whose outbox row still waits, earliest first.
func (s *Core) ScheduledBroadcasts(ctx context.Context, clubID int64) ([]bot.ScheduledBroadcast, error) {
	rows, err := s.rowsR(ctx, `SELECT b.id, b.text, o.not_before FROM broadcasts b
		JOIN outbox o ON o.key = 'broadcast:b' || b.id
		WHERE b.club_id = ? AND b.status = 'sent' AND o.status = 'pending' AND b.send_at <> ''
		ORDER BY o.not_before, b.id`, clubID)
	if err != nil {
		return nil, fmt.Errorf("scheduled broadcasts: %w", err)
	}
	defer rows.Close()
	var out []bot.ScheduledBroadcast
	for rows.Next() {
		var x bot.ScheduledBroadcast
		var at string
		if err := rows.Scan(&x.ID, &x.Text, &at); err != nil {
			return nil, fmt.Errorf("scheduled broadcasts: %w", err)
		}
		x.SendAt = ParseStamp(at)
		out = append(out, x)
	}
	return out, rows.Err()
}

// CancelScheduledBroadcast implements bot.ClubAdmin: the broadcast's
// outbox row, still waiting, is given up and the broadcast marked
// cancelled, in one transaction.
func (s *Core) CancelScheduledBroadcast(ctx context.Context, clubID, id int64) error {
	err := s.tx(ctx, func(tx Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', last_error = 'cancelled by a coach'
			WHERE key = 'broadcast:b' || CAST(? AS BIGINT) AND club_id = ? AND status = 'pending'`, id, clubID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return bot.ErrNotFound
		}
		_, err = tx.ExecContext(ctx, `UPDATE broadcasts SET status = 'cancelled' WHERE id = ? AND club_id = ?`, id, clubID)
		return err
	})
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		return fmt.Errorf("cancel scheduled broadcast: %w", err)
	}
	return err
}

// NudgeRoster implements bot.ClubAdmin.
func (s *Core) NudgeRoster(ctx context.Context, clubID int64) (bot.NudgeRoster, error) {
	var r bot.NudgeRoster
	rows, err := s.rowsR(ctx, `SELECT name, user_id, nudges, listed FROM members
		WHERE club_id = ? AND unreachable = 0 ORDER BY name, id`, clubID)
	if err != nil {
		return r, fmt.Errorf("nudge roster: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, userID string
		var nudges, listed int
		if err := rows.Scan(&name, &userID, &nudges, &listed); err != nil {
			return r, fmt.Errorf("nudge roster: %w", err)
		}
		r.Members++
		if nudges == 1 {
			r.On++
			if listed == 1 {
				if name == "" {
					name = userID
				}
				r.Listed = append(r.Listed, name)
			}
		}
	}
	return r, rows.Err()
}

// MemberListed implements bot.MemberSettings.
func (s *Core) MemberListed(ctx context.Context, memberID int64) (bool, error) {
	var listed int
	err := s.rowR(ctx, `SELECT listed FROM members WHERE id = ?`, memberID).Scan(&listed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, bot.ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("member listed: %w", err)
	}
	return listed == 1, nil
}

// SetMemberListed implements bot.MemberSettings.
func (s *Core) SetMemberListed(ctx context.Context, memberID int64, listed bool) error {
	res, err := s.execW(ctx, `UPDATE members SET listed = ? WHERE id = ?`, BoolInt(listed), memberID)
	if err != nil {
		return fmt.Errorf("set member listed: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return bot.ErrNotFound
	}
	return nil
}
