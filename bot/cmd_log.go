package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

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
}

const logExample = "/log tempo 8km 40min rpe 7"

func logCommand(b *Bot) Command {
	kinds := make([]string, 0, len(coach.Kinds()))
	for _, k := range coach.Kinds() {
		kinds = append(kinds, string(k))
	}
	return Command{
		Name:     "log",
		Summary:  "Log a session: kind, distance, duration, effort",
		Usage:    "/log <kind> [distance] [duration] [rpe N] [day]",
		Examples: []string{logExample, "/log long 18mi", "/log intervals 50min yesterday", "/log rest", "/log undo"},
		Help: "Records a session for your daily verdicts. Kinds: " + strings.Join(kinds, ", ") + ". Give a distance " +
			"(8km, 5mi), a duration (45min, 1h10, 1:10:00) or both, and if you like your effort from 1 to 10 (rpe 7); " +
			"without it I use a usual effort for the kind. Add yesterday, a weekday or YYYY-MM-DD for an earlier day. " +
			"/log undo removes your last entry.",
		Options: []Option{
			{Name: "kind", Description: "easy, recovery, long, tempo, intervals, hills, race, cross, rest or undo", Type: OptionString, Required: true,
				Choices: append(kinds, "undo")},
			{Name: "distance", Description: "e.g. 8km or 5mi", Type: OptionString},
			{Name: "duration", Description: "e.g. 45min, 1h10 or 1:10:00", Type: OptionString},
			{Name: "rpe", Description: "effort from 1 (very easy) to 10 (all out)", Type: OptionInteger, Keyword: true},
			{Name: "day", Description: "today, yesterday, a weekday or YYYY-MM-DD", Type: OptionString},
		},
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]Reply, error) {
			if strings.EqualFold(r.Args, "undo") {
				return b.undoLog(ctx, r)
			}
			s, err := parseLog(r.Args, r.Today())
			if err != nil {
				return nil, err
			}
			s.TZ = r.Location().String()
			if _, err := b.store.AddSession(ctx, r.Member.ID, s, r.Now); err != nil {
				return nil, err
			}
			more, err := b.afterLog(ctx, r, s)
			if err != nil {
				return nil, err
			}
			return append([]Reply{{Text: "Logged: " + describeSession(s, r.Member.Units, r.Today()) + rpeNote(s) +
				"\n/log undo removes it; /week shows your last 7 days."}}, more...), nil
		}),
	}
}

func (b *Bot) undoLog(ctx context.Context, r *Request) ([]Reply, error) {
	s, err := b.store.UndoSession(ctx, r.Member.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeNotFound, "There's nothing in your log to undo. Log a session like this: %s", logExample)
	}
	if err != nil {
		return nil, err
	}
	return []Reply{{Text: "Removed from your log: " + describeSession(s, r.Member.Units, r.Today())}}, nil
}

// parseLog reads "/log" arguments: a kind first, then in any order a
// distance, a duration, "rpe N" and a day.
func parseLog(args string, today coach.Date) (LoggedSession, error) {
	var s LoggedSession
	toks := Tokens(args)
	if len(toks) == 0 {
		return s, Invalidf(logExample, "What did you do? Start with the kind of session (easy, long, tempo, intervals, ...), then a distance or a duration.")
	}
	kind, ok := coach.ParseKind(toks[0])
	if !ok {
		return s, Invalidf(logExample, "%q isn't a kind of session I know. Start with one of: easy, recovery, long, tempo, intervals, hills, race, cross, rest.", toks[0])
	}
	s.Kind, s.Date = kind, today
	var haveDist, haveDur, haveDay bool
	for _, t := range toks[1:] {
		low := strings.ToLower(t)
		switch {
		case strings.HasPrefix(low, "rpe"):
			if s.RPEGiven {
				return s, Invalidf(logExample, "You gave the effort (rpe) twice; give it once.")
			}
			n, err := ParseRPE(t)
			if err != nil {
				return s, Invalidf(logExample, "%s.", upperFirst(err.Error()))
			}
			s.RPE, s.RPEGiven = n, true
		case IsDayWord(t):
			if haveDay {
				return s, Invalidf(logExample+" yesterday", "You gave the day twice; give it once.")
			}
			d, err := ParseDay(t, today)
			if err == nil {
				err = CheckPastDay(d, today, "The session")
			}
			if err != nil {
				return s, Invalidf("/log easy 40min yesterday", "%s.", upperFirst(err.Error()))
			}
			s.Date, haveDay = d, true
		default:
			if km, err := ParseDistance(t); err == nil {
				if haveDist {
					return s, Invalidf(logExample, "You gave two distances (the second is %q); give one.", t)
				}
				s.DistanceKm, haveDist = km, true
				continue
			} else if distRe.MatchString(normNumber(t)) {
				return s, Invalidf(logExample, "%s. Distances look like 8km, 5k or 18mi.", upperFirst(err.Error()))
			}
			mins, err := ParseDuration(t)
			if err != nil {
				if looksLikeDuration(t) {
					return s, Invalidf(logExample, "%s. Durations look like 45min, 1h10, 1:10:00 or 70:00.", upperFirst(err.Error()))
				}
				if looksLikeNumber(t) {
					return s, Invalidf(logExample, "I can't read %q: give distances with a unit (8km, 18mi) and durations like 45min or 1h10.", t)
				}
				return s, Invalidf(logExample, "I don't understand %q here. After the kind, give a distance (8km, 18mi), a duration (45min, 1h10), rpe N or a day.", t)
			}
			if haveDur {
				return s, Invalidf(logExample, "You gave two durations (the second is %q); give one.", t)
			}
			s.Minutes, haveDur = mins, true
		}
	}
	if kind == coach.KindRest {
		if haveDist || haveDur || s.RPEGiven {
			return s, Invalidf("/log rest", "A rest day has no distance, duration or effort; just send /log rest (and a day if it wasn't today).")
		}
		return s, nil
	}
	if !haveDist && !haveDur {
		return s, Invalidf(fmt.Sprintf("/log %s 40min", kind), "How far or how long? Add a distance (8km, 5mi) or a duration (40min, 1h10) so the session counts towards your load.")
	}
	if !s.RPEGiven {
		s.RPE = kind.DefaultRPE()
	}
	return s, nil
}

// looksLikeDuration reports whether t was meant as a duration (a number
// with a time unit, or a clock form), so its error can say what was wrong.
func looksLikeDuration(t string) bool {
	w := normNumber(t)
	if clockRe.MatchString(w) || hoursRe.MatchString(w) {
		return true
	}
	for _, suf := range []string{"minutes", "minute", "mins", "min", "hours", "hour", "hrs", "hr", "h", "m"} {
		if num, ok := strings.CutSuffix(w, suf); ok {
			if _, err := strconv.ParseFloat(num, 64); err == nil {
				return true
			}
		}
	}
	return false
}

func looksLikeNumber(t string) bool {
	return t != "" && (t[0] >= '0' && t[0] <= '9' || t[0] == '.' || t[0] == '-')
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
		parts = append(parts, minutesText(s.Minutes))
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
