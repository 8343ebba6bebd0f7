package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
)

// prefixed qualifies each column of a column list with a table alias; a
// COALESCE(column, default) gets its column qualified.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		c = strings.TrimSpace(c)
		switch inner, ok := strings.CutPrefix(c, "COALESCE("); {
		case ok:
			parts[i] = "COALESCE(" + alias + "." + inner
		case strings.HasSuffix(c, ")"): // the default of a COALESCE
			parts[i] = c
		default:
			parts[i] = alias + "." + c
		}
	}
	return strings.Join(parts, ", ")
}

// arriveQuery reads a group's club, the member and whether the member was
// seen in the club, in one statement.
var arriveQuery = `SELECT ` + prefixed("c", clubColumns) + `, ` + prefixed("m", memberColumns) + `,
	CASE WHEN EXISTS (SELECT 1 FROM club_members cm WHERE cm.club_id = c.id AND cm.member_id = m.id) THEN 1 ELSE 0 END
	FROM clubs c, members m
	WHERE c.platform = ? AND c.chat_id = ? AND m.platform = ? AND m.user_id = ?`

// ArriveInGroup implements bot.GroupArrivals. Nearly every group message
// comes from a stored club and a stored member already seen there, named
// as before: one read answers it. Anything to write goes through
// EnsureClub, EnsureMember and SeenInClub, as without this method.
func (s *Core) ArriveInGroup(ctx context.Context, p chat.Platform, chatID, name, tz, userID, userName, dmChatID, handle string) (bot.Club, bot.Member, error) {
	c, m, seen, err := s.arrival(ctx, p, chatID, userID)
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		return bot.Club{}, bot.Member{}, fmt.Errorf("arrive in group: %w", err)
	}
	if err == nil && !c.Unreachable && (name == "" || name == c.Name) &&
		(userName == "" || userName == m.Name) && c.ID == m.ClubID &&
		(dmChatID == "" || (dmChatID == m.DMChatID && !m.Unreachable)) &&
		seen && (handle == "" || handle == m.Username) {
		return c, m, nil
	}
	if c, err = s.EnsureClub(ctx, p, chatID, name, tz); err != nil {
		return bot.Club{}, bot.Member{}, err
	}
	if m, err = s.EnsureMember(ctx, p, userID, userName, c.ID, dmChatID); err != nil {
		return bot.Club{}, bot.Member{}, err
	}
	if err := s.SeenInClub(ctx, c.ID, m.ID, handle); err != nil {
		return bot.Club{}, bot.Member{}, err
	}
	return c, m, nil
}

// arrival reads what ArriveInGroup decides on, from the backend's memo
// when it has one (arrival_memo.go); bot.ErrNotFound when the club or the
// member is not stored.
func (s *Core) arrival(ctx context.Context, p chat.Platform, chatID, userID string) (bot.Club, bot.Member, bool, error) {
	memo := s.arrivalMemo(ctx)
	if memo == nil {
		return s.readArrival(ctx, p, chatID, userID)
	}
	k := arrivalKey{p: p, chatID: chatID, userID: userID}
	if a, ok := memo.recall(k); ok {
		return a.club, a.member, a.seen, nil
	}
	version := memo.now()
	c, m, seen, err := s.readArrival(ctx, p, chatID, userID)
	if err == nil {
		memo.remember(version, k, arrival{club: c, member: m, seen: seen})
	}
	return c, m, seen, err
}

// readArrival reads an arrival from the database.
func (s *Core) readArrival(ctx context.Context, p chat.Platform, chatID, userID string) (bot.Club, bot.Member, bool, error) {
	var seen int
	var cl clubRow
	var mr memberRow
	dest := append(append(cl.dest(), mr.dest()...), &seen)
	if err := s.rowR(ctx, arriveQuery, p, chatID, p, userID).Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return bot.Club{}, bot.Member{}, false, bot.ErrNotFound
		}
		return bot.Club{}, bot.Member{}, false, err
	}
	return cl.club(), mr.member(), seen == 1, nil
}
