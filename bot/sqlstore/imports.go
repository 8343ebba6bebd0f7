package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
)

const importedColumns = `i.session_id, i.source, i.source_id, i.format, i.sport, i.start_unix, i.elapsed_s, i.moving_s,
	i.distance_m, i.avg_hr, i.max_hr, i.trimp, i.band_minutes`

func scanImported(row interface{ Scan(...any) error }, extra ...any) (bot.ImportedSession, error) {
	var x bot.ImportedSession
	var start, elapsed, moving int64
	dest := append([]any{&x.SessionID, &x.Source, &x.SourceID, &x.Format, &x.Sport, &start, &elapsed, &moving,
		&x.DistanceM, &x.AvgHR, &x.MaxHR, &x.TRIMP, &x.BandMinutes}, extra...)
	if err := row.Scan(dest...); err != nil {
		return x, err
	}
	x.Start = time.Unix(start, 0).UTC()
	x.Elapsed, x.Moving = time.Duration(elapsed)*time.Second, time.Duration(moving)*time.Second
	return x, nil
}

// AddImported implements bot.ImportLog: the session and what its recording
// said, in one transaction.
func (s *Core) AddImported(ctx context.Context, memberID int64, x bot.LoggedSession, im bot.ImportedSession, at time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx Tx) error {
		var err error
		id, err = s.insert(ctx, tx, `INSERT INTO sessions (member_id, date, tz, kind, distance_km, minutes, rpe, rpe_given, logged_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			memberID, x.Date.String(), x.TZ, x.Kind, x.DistanceKm, x.Minutes, x.RPE, BoolInt(x.RPEGiven), at.UTC().Format(time.RFC3339))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO imported_sessions (session_id, member_id, source, source_id, format, sport,
			start_unix, elapsed_s, moving_s, distance_m, avg_hr, max_hr, trimp, band_minutes, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, memberID, im.Source, im.SourceID, im.Format, im.Sport, im.Start.Unix(),
			int64(im.Elapsed/time.Second), int64(im.Moving/time.Second), im.DistanceM, im.AvgHR, im.MaxHR,
			im.TRIMP, im.BandMinutes, at.UTC().Format(time.RFC3339))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add imported session: %w", err)
	}
	return id, nil
}

// ImportedNear implements bot.ImportLog.
func (s *Core) ImportedNear(ctx context.Context, memberID int64, start time.Time, window time.Duration) ([]bot.ImportedSession, error) {
	w := int64(window / time.Second)
	rows, err := s.rowsR(ctx, `SELECT `+importedColumns+` FROM imported_sessions i
		WHERE i.member_id = ? AND i.start_unix BETWEEN ? AND ? ORDER BY i.start_unix`,
		memberID, start.Unix()-w, start.Unix()+w)
	if err != nil {
		return nil, fmt.Errorf("imported near: %w", err)
	}
	defer rows.Close()
	var out []bot.ImportedSession
	for rows.Next() {
		x, err := scanImported(rows)
		if err != nil {
			return nil, fmt.Errorf("imported near: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ImportedSince implements bot.ImportLog.
func (s *Core) ImportedSince(ctx context.Context, memberID int64, from coach.Date) (map[int64]bot.ImportedSession, error) {
	rows, err := s.rowsR(ctx, `SELECT `+importedColumns+` FROM imported_sessions i
		JOIN sessions s ON s.id = i.session_id WHERE i.member_id = ? AND s.date >= ?`, memberID, from.String())
	if err != nil {
		return nil, fmt.Errorf("imported since: %w", err)
	}
	defer rows.Close()
	out := map[int64]bot.ImportedSession{}
	for rows.Next() {
		x, err := scanImported(rows)
		if err != nil {
			return nil, fmt.Errorf("imported since: %w", err)
		}
		out[x.SessionID] = x
	}
	return out, rows.Err()
}

// ImportedByID implements bot.ImportLog.
func (s *Core) ImportedByID(ctx context.Context, memberID, sessionID int64) (bot.LoggedSession, bot.ImportedSession, error) {
	var ls bot.LoggedSession
	var date string
	var given int
	x, err := scanImported(s.rowR(ctx, `SELECT `+importedColumns+`, s.id, s.date, s.tz, s.kind, s.distance_km, s.minutes, s.rpe, s.rpe_given
		FROM imported_sessions i JOIN sessions s ON s.id = i.session_id WHERE i.member_id = ? AND i.session_id = ?`, memberID, sessionID),
		&ls.ID, &date, &ls.TZ, &ls.Kind, &ls.DistanceKm, &ls.Minutes, &ls.RPE, &given)
	if err == sql.ErrNoRows {
		return ls, x, bot.ErrNotFound
	}
	if err != nil {
		return ls, x, fmt.Errorf("imported session: %w", err)
	}
	ls.RPEGiven = given == 1
	ls.Date, err = coach.ParseDate(date)
	return ls, x, err
}
