package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
)

// SaveIntervalsLink implements bot.IntervalsLinks: a new link, or a new
// key for an existing one, starts afresh (state ok, nothing told, never
// synced).
func (s *Core) SaveIntervalsLink(ctx context.Context, l bot.IntervalsLink, now time.Time) error {
	_, err := s.execW(ctx, `INSERT INTO intervals_links (member_id, athlete_id, key_sealed, state, created_at)
		VALUES (?, ?, ?, 'ok', ?)
		ON CONFLICT (member_id) DO UPDATE SET athlete_id = excluded.athlete_id, key_sealed = excluded.key_sealed,
			state = 'ok', last_sync = CASE WHEN intervals_links.athlete_id = excluded.athlete_id THEN intervals_links.last_sync ELSE '' END,
			wellness_through = CASE WHEN intervals_links.athlete_id = excluded.athlete_id THEN intervals_links.wellness_through ELSE '' END,
			not_before = '', broken_told = 0, stub_told = 0, created_at = excluded.created_at`,
		l.MemberID, l.AthleteID, l.KeySealed, now.UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("save intervals link: %w", err)
	}
	return nil
}

// IntervalsLink implements bot.IntervalsLinks.
func (s *Core) IntervalsLink(ctx context.Context, memberID int64) (bot.IntervalsLink, error) {
	var l bot.IntervalsLink
	var state, lastSync, through, notBefore string
	var broken, stub int
	err := s.rowR(ctx, `SELECT member_id, athlete_id, key_sealed, state, last_sync, wellness_through, not_before, broken_told, stub_told
		FROM intervals_links WHERE member_id = ?`, memberID).
		Scan(&l.MemberID, &l.AthleteID, &l.KeySealed, &state, &lastSync, &through, &notBefore, &broken, &stub)
	if errors.Is(err, sql.ErrNoRows) {
		return l, bot.ErrNotFound
	}
	if err != nil {
		return l, fmt.Errorf("intervals link: %w", err)
	}
	l.State = bot.LinkState(state)
	l.LastSync = ParseStamp(lastSync)
	l.NotBefore = ParseStamp(notBefore)
	if through != "" {
		if l.WellnessThrough, err = coach.ParseDate(through); err != nil {
			return l, fmt.Errorf("intervals link: %w", err)
		}
	}
	l.BrokenTold, l.StubTold = broken == 1, stub == 1
	return l, nil
}

// UpdateIntervalsLink implements bot.IntervalsLinks. The key and athlete
// are not changed here: only SaveIntervalsLink sets them.
func (s *Core) UpdateIntervalsLink(ctx context.Context, l bot.IntervalsLink) error {
	through := ""
	if !l.WellnessThrough.IsZero() {
		through = l.WellnessThrough.String()
	}
	_, err := s.execW(ctx, `UPDATE intervals_links SET state = ?, last_sync = ?, wellness_through = ?, not_before = ?,
		broken_told = ?, stub_told = ? WHERE member_id = ?`,
		string(l.State), stampOf(l.LastSync), through, stampOf(l.NotBefore), BoolInt(l.BrokenTold), BoolInt(l.StubTold), l.MemberID)
	if err != nil {
		return fmt.Errorf("update intervals link: %w", err)
	}
	return nil
}

// DeleteIntervalsLink implements bot.IntervalsLinks. The record of
// activities taken in stays, so a link made again logs nothing twice.
func (s *Core) DeleteIntervalsLink(ctx context.Context, memberID int64) (bool, error) {
	res, err := s.execW(ctx, `DELETE FROM intervals_links WHERE member_id = ?`, memberID)
	if err != nil {
		return false, fmt.Errorf("delete intervals link: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// LinkedMembers implements bot.IntervalsLinks.
func (s *Core) LinkedMembers(ctx context.Context, memberIDs []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	for start := 0; start < len(memberIDs); start += 500 {
		ids := memberIDs[start:min(len(memberIDs), start+500)]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rows, err := s.rowsR(ctx, `SELECT member_id, last_sync FROM intervals_links WHERE member_id IN (?`+
			strings.Repeat(", ?", len(ids)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("linked members: %w", err)
		}
		for rows.Next() {
			var id int64
			var last string
			if err := rows.Scan(&id, &last); err != nil {
				rows.Close()
				return nil, fmt.Errorf("linked members: %w", err)
			}
			out[id] = ParseStamp(last)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("linked members: %w", err)
		}
	}
	return out, nil
}

// IntervalsActivityTaken implements bot.IntervalsLinks.
func (s *Core) IntervalsActivityTaken(ctx context.Context, memberID int64, activityID string) (bool, error) {
	var one int
	err := s.rowR(ctx, `SELECT 1 FROM intervals_activities WHERE member_id = ? AND activity_id = ?`, memberID, activityID).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("intervals activity taken: %w", err)
	}
	return true, nil
}

// TakeIntervalsActivity implements bot.IntervalsLinks.
func (s *Core) TakeIntervalsActivity(ctx context.Context, memberID int64, activityID string, now time.Time) (bool, error) {
	res, err := s.execW(ctx, `INSERT INTO intervals_activities (member_id, activity_id, taken_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, memberID, activityID, now.UTC().Format(time.RFC3339))
	if err != nil {
		return false, fmt.Errorf("take intervals activity: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// stampOf is an instant as stored, ” for zero.
func stampOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
