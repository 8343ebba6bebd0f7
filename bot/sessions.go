package bot

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/coach"
)

// LoggedSession is a session as stored: the coach's Session (its RPE the
// one used for load) with the row id, the timezone its date belongs to and
// whether the member gave the RPE or it is the kind's default.
type LoggedSession struct {
	coach.Session
	ID       int64
	TZ       string
	RPEGiven bool
}

// TrainingLog stores members' sessions.
type TrainingLog interface {
	// AddSession stores a session logged at `at` and returns its id.
	AddSession(ctx context.Context, memberID int64, s LoggedSession, at time.Time) (int64, error)
	// UndoSession deletes the member's most recently logged session and
	// returns it; ErrNotFound when the log is empty.
	UndoSession(ctx context.Context, memberID int64) (LoggedSession, error)
	// SessionsSince returns sessions dated on or after from, oldest first.
	SessionsSince(ctx context.Context, memberID int64, from coach.Date) ([]LoggedSession, error)
	// RecentSessions returns sessions dated on or after from, newest first
	// (by date, then by when they were logged), at most limit.
	RecentSessions(ctx context.Context, memberID int64, from coach.Date, limit int) ([]LoggedSession, error)
	// DeleteSession deletes one of the member's sessions by id and returns
	// it; ErrNotFound when the member has no such session.
	DeleteSession(ctx context.Context, memberID, id int64) (LoggedSession, error)
	// UpdateSession saves a changed session of the member's, by its id;
	// ErrNotFound when the member has no such session.
	UpdateSession(ctx context.Context, memberID int64, s LoggedSession) error
}

// describeSession is one line about a session, distances in the member's
// units: "tempo on Mon 8 Jun: 8.0 km, 40 min, RPE 7 (load 280)".
func describeSession(s LoggedSession, u coach.Units, today coach.Date) string {
	if s.Kind == coach.KindRest {
		return "rest day on " + dayText(s.Date, today)
	}
	var parts []string
	if s.DistanceKm > 0 {
		parts = append(parts, u.Distance(s.DistanceKm))
	}
	if s.Minutes > 0 {
		if s.Kind == coach.KindRace {
			parts = append(parts, "time "+input.ClockText(s.Minutes))
		} else {
			parts = append(parts, minutesText(s.Minutes))
		}
	}
	if s.Minutes > 0 && s.DistanceKm > 0 && s.Kind != coach.KindCross {
		parts = append(parts, "pace "+input.PaceText(s.Minutes/s.DistanceKm, u))
	}
	parts = append(parts, fmt.Sprintf("RPE %d", s.RPE))
	return fmt.Sprintf("%s on %s: %s (load %.0f)", s.Kind, dayText(s.Date, today), strings.Join(parts, ", "), s.Load())
}

func rpeNote(s LoggedSession) string {
	if s.Kind == coach.KindRest || s.RPEGiven {
		return "."
	}
	return fmt.Sprintf(". RPE %d is the usual effort for %s; add rpe N (1–10) to give your own.", s.RPE, s.Kind)
}

// durationWord writes minutes the way /log reads them: "45min" or "1h05".
func durationWord(m float64) string {
	total := max(1, int(math.Round(m)))
	if total < 60 {
		return fmt.Sprintf("%dmin", total)
	}
	return fmt.Sprintf("%dh%02d", total/60, total%60)
}

// minutesText formats minutes as "40 min" or "1 h 10 min".
func minutesText(m float64) string {
	total := int(math.Round(m))
	if total < 60 {
		return fmt.Sprintf("%d min", total)
	}
	if total%60 == 0 {
		return fmt.Sprintf("%d h", total/60)
	}
	return fmt.Sprintf("%d h %d min", total/60, total%60)
}

// dayText names a date for a member: "Mon 8 Jun (today)", "Sun 7 Jun
// (yesterday)" or "Fri 5 Jun".
func dayText(d, today coach.Date) string {
	switch today.Sub(d) {
	case 0:
		return shortDate(d) + " (today)"
	case 1:
		return shortDate(d) + " (yesterday)"
	}
	return shortDate(d)
}

// shortDate is "Mon 8 Jun".
func shortDate(d coach.Date) string {
	return fmt.Sprintf("%s %d %s", d.Weekday().String()[:3], d.Day, d.Month.String()[:3])
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
