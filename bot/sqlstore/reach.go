package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
)

// SeenInClub implements bot.ReachStore. It writes only when something is
// new: most messages come from members already seen with the same handle.
func (s *Core) SeenInClub(ctx context.Context, clubID, memberID int64, username string) error {
	var seen int
	var stored string
	err := s.rowR(ctx, `SELECT CASE WHEN EXISTS (SELECT 1 FROM club_members WHERE club_id = ? AND member_id = ?) THEN 1 ELSE 0 END,
		(SELECT username FROM members WHERE id = ?)`, clubID, memberID, memberID).Scan(&seen, &stored)
	if err != nil {
		return fmt.Errorf("seen in club: %w", err)
	}
	if seen == 1 && (username == "" || username == stored) {
		return nil
	}
	return s.tx(ctx, func(tx Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO club_members (club_id, member_id, seen_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, clubID, memberID, s.stamp()); err != nil {
			return err
		}
		if username == "" || username == stored {
			return nil
		}
		// A handle is unique on the platform: whoever held it before has
		// changed theirs.
		if _, err := tx.ExecContext(ctx, `UPDATE members SET username = '' WHERE username = ? AND id <> ?
			AND platform = (SELECT platform FROM members WHERE id = ?)`, username, memberID, memberID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE members SET username = ? WHERE id = ?`, username, memberID)
		return err
	})
}

// IsClubMember implements bot.ReachStore.
func (s *Core) IsClubMember(ctx context.Context, clubID, memberID int64) (bool, error) {
	var n int
	err := s.rowR(ctx, `SELECT COUNT(*) FROM club_members WHERE club_id = ? AND member_id = ?`, clubID, memberID).Scan(&n)
	return n > 0, err
}

// MemberByUsername implements bot.ReachStore.
func (s *Core) MemberByUsername(ctx context.Context, p chat.Platform, username string) (bot.Member, error) {
	if username == "" {
		return bot.Member{}, bot.ErrNotFound
	}
	return scanMember(s.rowR(ctx, `SELECT `+memberColumns+` FROM members WHERE platform = ? AND username = ? ORDER BY id LIMIT 1`,
		p, username))
}

// MemberByID implements bot.ReachStore.
func (s *Core) MemberByID(ctx context.Context, id int64) (bot.Member, error) {
	return scanMember(s.rowR(ctx, `SELECT `+memberColumns+` FROM members WHERE id = ?`, id))
}

// MemberByUserID implements bot.ReachStore.
func (s *Core) MemberByUserID(ctx context.Context, p chat.Platform, userID string) (bot.Member, error) {
	return scanMember(s.rowR(ctx, `SELECT `+memberColumns+` FROM members WHERE platform = ? AND user_id = ?`, p, userID))
}

// ClubByChat implements bot.ReachStore: the club whose chat, or else whose
// post channel, is chatID.
func (s *Core) ClubByChat(ctx context.Context, p chat.Platform, chatID string) (bot.Club, error) {
	if chatID == "" {
		return bot.Club{}, bot.ErrNotFound
	}
	return scanClub(s.rowR(ctx, `SELECT `+clubColumns+` FROM clubs WHERE platform = ? AND (chat_id = ? OR post_chat = ?)
		ORDER BY chat_id = ? DESC, id LIMIT 1`, p, chatID, chatID, chatID))
}

// SetClubReachable implements bot.ReachStore.
func (s *Core) SetClubReachable(ctx context.Context, p chat.Platform, chatID string, reachable bool) (bot.Club, bool, error) {
	var c bot.Club
	var changed bool
	err := s.tx(ctx, func(tx Tx) error {
		var err error
		c, err = scanClub(tx.QueryRowContext(ctx, `SELECT `+clubColumns+` FROM clubs WHERE platform = ? AND chat_id = ? AND chat_id <> ''`, p, chatID))
		if err != nil {
			return err
		}
		if c.Unreachable == !reachable {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clubs SET unreachable = ?,
			refused_told = CASE WHEN ? THEN '' ELSE refused_told END WHERE id = ?`, BoolInt(!reachable), reachable, c.ID); err != nil {
			return err
		}
		c.Unreachable, changed = !reachable, true
		return nil
	})
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		err = fmt.Errorf("set club reachable: %w", err)
	}
	return c, changed, err
}

// SetMemberReachable implements bot.ReachStore.
func (s *Core) SetMemberReachable(ctx context.Context, p chat.Platform, userID string, reachable bool) (bool, error) {
	res, err := s.execW(ctx, `UPDATE members SET unreachable = ? WHERE platform = ? AND user_id = ? AND unreachable <> ?`,
		BoolInt(!reachable), p, userID, BoolInt(!reachable))
	if err != nil {
		return false, fmt.Errorf("set member reachable: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// SetDMChat implements bot.ReachStore.
func (s *Core) SetDMChat(ctx context.Context, p chat.Platform, userID, chatID string) error {
	_, err := s.execW(ctx, `UPDATE members SET dm_chat_id = ? WHERE platform = ? AND user_id = ? AND dm_chat_id <> ?`,
		chatID, p, userID, chatID)
	if err != nil {
		return fmt.Errorf("set dm chat: %w", err)
	}
	return nil
}

// NoteClubAdminUse implements bot.ReachStore.
func (s *Core) NoteClubAdminUse(ctx context.Context, clubID, memberID int64, chatID, defaultPost string) error {
	_, err := s.execW(ctx, `UPDATE clubs SET coach_chat = ?, coach_member = ?,
		post_chat = CASE WHEN post_chat = '' THEN ? ELSE post_chat END WHERE id = ?`,
		chatID, memberID, defaultPost, clubID)
	if err != nil {
		return fmt.Errorf("note coach use: %w", err)
	}
	return nil
}

// FirstRefusal implements bot.ReachStore.
func (s *Core) FirstRefusal(ctx context.Context, clubID int64, chatID string) (bool, error) {
	res, err := s.execW(ctx, `UPDATE clubs SET refused_told = ? WHERE id = ? AND refused_told <> ?`, chatID, clubID, chatID)
	if err != nil {
		return false, fmt.Errorf("first refusal: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
