package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// storedClock reads a stored HH:MM time of day. The store writes only
// valid times; a row edited by hand to something unreadable gets the
// column's default rather than losing the club or member.
func storedClock(s string, def input.Clock) input.Clock {
	c, err := input.ParseClock(s)
	if err != nil {
		return def
	}
	return c
}

func encodePattern(p coach.WeekPattern) string {
	parts := make([]string, 7)
	for i, d := range p {
		parts[i] = string(d)
	}
	return strings.Join(parts, ",")
}

func decodePattern(s string) coach.WeekPattern {
	p := coach.DefaultPattern()
	for i, part := range strings.Split(s, ",") {
		if d, ok := coach.ParseDayPlan(part); ok && i < 7 {
			p[i] = d
		}
	}
	return p
}

const clubColumns = `id, platform, chat_id, name, tz, post_time, post_on, pattern, recovery_every, recovery_anchor, unreachable,
	post_chat, post_thread, coach_chat, COALESCE(coach_member, 0)`

func scanClub(row interface{ Scan(...any) error }) (bot.Club, error) {
	var r clubRow
	err := row.Scan(r.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Club{}, bot.ErrNotFound
	}
	if err != nil {
		return bot.Club{}, err
	}
	return r.club(), nil
}

// clubRow is a row of clubColumns being scanned.
type clubRow struct {
	c                         bot.Club
	pattern, anchor, postTime string
	postOn, unreachable       int
}

func (r *clubRow) dest() []any {
	c := &r.c
	return []any{&c.ID, &c.Platform, &c.ChatID, &c.Name, &c.TZ, &r.postTime, &r.postOn, &r.pattern,
		&c.RecoveryEvery, &r.anchor, &r.unreachable, &c.PostChat, &c.PostThread, &c.AdminChat, &c.AdminMember}
}

func (r *clubRow) club() bot.Club {
	c := r.c
	c.PostTime = storedClock(r.postTime, bot.DefaultPostTime)
	c.PostOn = r.postOn == 1
	c.Unreachable = r.unreachable == 1
	c.Pattern = decodePattern(r.pattern)
	if r.anchor != "" {
		c.RecoveryAnchor, _ = coach.ParseDate(r.anchor)
	}
	return c
}

// EnsureClub implements bot.Directory.
func (s *Core) EnsureClub(ctx context.Context, p chat.Platform, chatID, name, tz string) (bot.Club, error) {
	// Nearly every message comes from a club already stored as it is: read
	// it without taking the writer.
	c, err := scanClub(s.rowR(ctx, `SELECT `+clubColumns+` FROM clubs WHERE platform = ? AND chat_id = ?`, p, chatID))
	if err == nil && !c.Unreachable && (name == "" || name == c.Name) {
		return c, nil
	}
	err = s.tx(ctx, func(tx Tx) error {
		postOn := BoolInt(chatID != "")
		if _, err := tx.ExecContext(ctx, `INSERT INTO clubs (platform, chat_id, name, tz, post_on, pattern, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, chat_id) DO NOTHING`,
			p, chatID, name, tz, postOn, encodePattern(coach.DefaultPattern()), s.stamp()); err != nil {
			return err
		}
		// A group the bot hears from again can be posted to again.
		if _, err := tx.ExecContext(ctx, `UPDATE clubs SET unreachable = 0, refused_told = '' WHERE platform = ? AND chat_id = ? AND chat_id <> '' AND unreachable = 1`,
			p, chatID); err != nil {
			return err
		}
		if name != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE clubs SET name = ? WHERE platform = ? AND chat_id = ? AND name <> ?`,
				name, p, chatID, name); err != nil {
				return err
			}
		}
		var err error
		c, err = scanClub(tx.QueryRowContext(ctx, `SELECT `+clubColumns+` FROM clubs WHERE platform = ? AND chat_id = ?`, p, chatID))
		return err
	})
	if err != nil {
		return bot.Club{}, fmt.Errorf("ensure club: %w", err)
	}
	return c, nil
}

// ClubByID implements bot.Directory.
func (s *Core) ClubByID(ctx context.Context, id int64) (bot.Club, error) {
	return scanClub(s.rowR(ctx, `SELECT `+clubColumns+` FROM clubs WHERE id = ?`, id))
}

const memberColumns = `id, platform, user_id, name, COALESCE(club_id, 0), tz, nudge_time, nudges, units, level, consent, age, max_hr, dm_chat_id, unreachable, created_at, username`

func scanMember(row interface{ Scan(...any) error }) (bot.Member, error) {
	var r memberRow
	err := row.Scan(r.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Member{}, bot.ErrNotFound
	}
	if err != nil {
		return bot.Member{}, err
	}
	return r.member(), nil
}

// memberRow is a row of memberColumns being scanned.
type memberRow struct {
	m                   bot.Member
	nudges, unreachable int
	created, nudgeTime  string
}

func (r *memberRow) dest() []any {
	m := &r.m
	return []any{&m.ID, &m.Platform, &m.UserID, &m.Name, &m.ClubID, &m.TZ, &r.nudgeTime, &r.nudges,
		&m.Units, &m.Level, &m.Consent, &m.Age, &m.MaxHR, &m.DMChatID, &r.unreachable, &r.created, &m.Username}
}

func (r *memberRow) member() bot.Member {
	m := r.m
	m.NudgeTime = storedClock(r.nudgeTime, bot.DefaultNudgeTime)
	m.Nudges = r.nudges == 1
	m.Unreachable = r.unreachable == 1
	m.CreatedAt = ParseStamp(r.created)
	return m
}

// queryMembers reads the members selected by a WHERE (and ORDER) clause.
func (s *Core) queryMembers(ctx context.Context, where string, args ...any) ([]bot.Member, error) {
	rows, err := s.rowsR(ctx, `SELECT `+memberColumns+` FROM members `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// EnsureMember implements bot.Directory.
func (s *Core) EnsureMember(ctx context.Context, p chat.Platform, userID, name string, homeClub int64, dmChatID string) (bot.Member, error) {
	// Write only when something changed: a new member, a new name, home
	// club or DM chat, or an unreachable member speaking again.
	m, err := scanMember(s.rowR(ctx, `SELECT `+memberColumns+` FROM members WHERE platform = ? AND user_id = ?`, p, userID))
	if err == nil && (name == "" || name == m.Name) && (homeClub == 0 || homeClub == m.ClubID) &&
		(dmChatID == "" || (dmChatID == m.DMChatID && !m.Unreachable)) {
		return m, nil
	}
	err = s.tx(ctx, func(tx Tx) error {
		var club any
		if homeClub != 0 {
			club = homeClub
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO members (platform, user_id, name, club_id, dm_chat_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, user_id) DO NOTHING`,
			p, userID, name, club, dmChatID, s.stamp()); err != nil {
			return err
		}
		// A member who speaks again is reachable again, wherever they speak.
		if _, err := tx.ExecContext(ctx, `UPDATE members SET
				name = CASE WHEN ? <> '' THEN ? ELSE name END,
				club_id = COALESCE(?, club_id),
				dm_chat_id = CASE WHEN ? <> '' THEN ? ELSE dm_chat_id END,
				unreachable = CASE WHEN ? <> '' THEN 0 ELSE unreachable END
			WHERE platform = ? AND user_id = ?`,
			name, name, club, dmChatID, dmChatID, dmChatID, p, userID); err != nil {
			return err
		}
		var err error
		m, err = scanMember(tx.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM members WHERE platform = ? AND user_id = ?`, p, userID))
		return err
	})
	if err != nil {
		return bot.Member{}, fmt.Errorf("ensure member: %w", err)
	}
	return m, nil
}

// IsListedClubAdmin implements bot.Directory.
func (s *Core) IsListedClubAdmin(ctx context.Context, clubID, memberID int64) (bool, error) {
	var n int
	err := s.rowR(ctx, `SELECT COUNT(*) FROM coaches WHERE club_id = ? AND member_id = ?`, clubID, memberID).Scan(&n)
	return n > 0, err
}

// FirstDelivery implements bot.Inbox.
func (s *Core) FirstDelivery(ctx context.Context, p chat.Platform, updateID string) (bool, error) {
	res, err := s.execW(ctx, `INSERT INTO inbox (platform, update_id, received_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, p, updateID, s.stamp())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UpdateClub saves a club's settings.
func (s *Core) UpdateClub(ctx context.Context, c bot.Club) error {
	anchor := ""
	if !c.RecoveryAnchor.IsZero() {
		anchor = c.RecoveryAnchor.String()
	}
	return s.tx(ctx, func(tx Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE clubs SET name = ?, tz = ?, post_time = ?, post_on = ?, pattern = ?,
			recovery_every = ?, recovery_anchor = ?, unreachable = ?, post_chat = ?, post_thread = ?,
			refused_told = CASE WHEN post_chat <> ? OR post_thread <> ? THEN '' ELSE refused_told END WHERE id = ?`,
			c.Name, c.TZ, c.PostTime.String(), BoolInt(c.PostOn), encodePattern(c.Pattern), c.RecoveryEvery, anchor,
			BoolInt(c.Unreachable), c.PostChat, c.PostThread, c.PostChat, c.PostThread, c.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return bot.ErrNotFound
		}
		return nil
	})
}
