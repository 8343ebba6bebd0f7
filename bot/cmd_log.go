package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

const logExample = "/log tempo 8km 40min rpe 7"

func logCommand(b *Bot) Command {
	kinds := make([]string, 0, len(coach.Kinds()))
	for _, k := range coach.Kinds() {
		kinds = append(kinds, string(k))
	}
	return Command{
		Name:    "log",
		Summary: "Log a session: kind, distance, duration, effort",
		Usage:   "/log <kind> [distance] [duration] [rpe N] [day] | list | edit N ... | delete N | undo",
		Examples: []string{logExample, "/log long 18mi", "/log intervals 6x800 50min yesterday", "/log race 10k 48:30", "/log rest",
			"/log list", "/log edit 3 rpe 6", "/log delete 3", "/log undo"},
		Help: "Records a session for your daily verdicts. Kinds: " + strings.Join(kinds, ", ") + ". Give a distance " +
			"(8km, 5mi, 5000m, or repeats such as 6x800), a duration (45min, 1h10, 1:10:00, 48:30) or both, and if you like your effort from 1 to 10 (rpe 7); " +
			"without it I use a usual effort for the kind. With both I show your pace; a race's time is its duration (/log race 10k 48:30). " +
			"Add yesterday, a weekday or YYYY-MM-DD for an earlier day. " +
			"/log list numbers your recent entries; /log edit 3 rpe 6 changes entry 3 (any of kind, distance, duration, rpe, day), " +
			"/log delete 3 removes it, and /log undo removes the one you logged last.",
		Options: []chat.Option{
			{Name: "kind", Description: "easy, recovery, long, tempo, intervals, hills, race, cross, rest, or list, edit, delete, undo", Type: chat.OptionString, Required: true,
				Choices: append(kinds, "list", "edit", "delete", "undo")},
			{Name: "entry", Description: "for edit or delete: the entry's number in /log list", Type: chat.OptionInteger},
			{Name: "distance", Description: "e.g. 8km, 5mi, 5000m or 6x800", Type: chat.OptionString},
			{Name: "duration", Description: "e.g. 45min, 1h10, 1:10:00 or a race time 48:30", Type: chat.OptionString},
			{Name: "rpe", Description: "effort from 1 (very easy) to 10 (all out)", Type: chat.OptionInteger, Keyword: true},
			{Name: "day", Description: "today, yesterday, a weekday or YYYY-MM-DD", Type: chat.OptionString},
		},
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			sub, rest, _ := strings.Cut(r.Args, " ")
			switch strings.ToLower(sub) {
			case "undo":
				if strings.TrimSpace(rest) != "" {
					return nil, Invalidf("/log undo", "/log undo takes nothing after it; to remove an older entry, find its number with /log list and send /log delete N.")
				}
				return b.undoLog(ctx, r)
			case "list":
				return b.listLog(ctx, r, rest)
			case "delete", "remove":
				return b.deleteLog(ctx, r, rest)
			case "edit", "change":
				return b.editLog(ctx, r, rest)
			}
			s, err := parseLog(r.Args, r.Today())
			if err != nil {
				return nil, err
			}
			s.TZ = r.Location().String()
			note, err := b.sameDayNote(ctx, r, s)
			if err != nil {
				return nil, err
			}
			// What follows a log reads only check-ins and plans, which
			// storing the session leaves alone: read them first, while the
			// update has written nothing (its reads then use the read pool,
			// not the writer's connection).
			more, err := b.afterLog(ctx, r, s)
			if err != nil {
				return nil, err
			}
			if _, err := b.store.AddSession(ctx, r.Member.ID, s, r.Now); err != nil {
				return nil, err
			}
			return append([]chat.Reply{{Text: "Logged: " + describeSession(s, r.Member.Units, r.Today()) + rpeNote(s) + note +
				"\n/log undo removes it; /week shows your last 7 days."}}, more...), nil
		}),
	}
}

func (b *Bot) undoLog(ctx context.Context, r *Request) ([]chat.Reply, error) {
	s, err := b.store.UndoSession(ctx, r.Member.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeNotFound, "There's nothing in your log to undo. Log a session like this: %s", logExample)
	}
	if err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: "Removed from your log: " + describeSession(s, r.Member.Units, r.Today())}}, nil
}

// parseLog reads "/log" arguments: a kind first, then in any order a
// distance, a duration, "rpe N" and a day.
func parseLog(args string, today coach.Date) (LoggedSession, error) {
	var s LoggedSession
	toks := input.Tokens(args)
	if len(toks) == 0 {
		return s, Invalidf(logExample, "What did you do? Start with the kind of session (easy, long, tempo, intervals, ...), then a distance or a duration.")
	}
	kind, ok := coach.ParseKind(toks[0])
	if !ok {
		return s, Invalidf(logExample, "%q isn't a kind of session I know. Start with one of: easy, recovery, long, tempo, intervals, hills, race, cross, rest.", toks[0])
	}
	s.Kind, s.Date = kind, today
	var g logGiven
	if err := parseLogFields(&s, &g, toks[1:], today); err != nil {
		return s, err
	}
	if !s.RPEGiven {
		s.RPE = kind.DefaultRPE()
	}
	return s, checkLogSession(s, g)
}

// logGiven says which fields a /log line gave.
type logGiven struct{ dist, dur, day bool }

// parseLogFields reads distances, durations, "rpe N" and a day into s.
func parseLogFields(s *LoggedSession, g *logGiven, toks []string, today coach.Date) error {
	rpeGiven := false
	for _, t := range toks {
		low := strings.ToLower(t)
		switch {
		case strings.HasPrefix(low, "rpe"):
			if rpeGiven {
				return Invalidf(logExample, "You gave the effort (rpe) twice; give it once.")
			}
			n, err := input.ParseRPE(t)
			if err != nil {
				return Invalidf(logExample, "%s.", upperFirst(err.Error()))
			}
			s.RPE, s.RPEGiven, rpeGiven = n, true, true
		case input.IsDayWord(t):
			if g.day {
				return Invalidf(logExample+" yesterday", "You gave the day twice; give it once.")
			}
			d, err := input.ParseDay(t, today)
			if err == nil {
				err = input.CheckPastDay(d, today, "The session")
			}
			if err != nil {
				return Invalidf("/log easy 40min yesterday", "%s.", upperFirst(err.Error()))
			}
			s.Date, g.day = d, true
		default:
			km, err := input.ParseDistance(t)
			if err == nil {
				if g.dist {
					return Invalidf(logExample, "You gave two distances (the second is %q); give one.", t)
				}
				s.DistanceKm, g.dist = km, true
				continue
			}
			if !input.IsNotDistance(err) {
				return Invalidf(logExample, "%s. Distances look like 8km, 5000m, 6x800 or 18mi.", upperFirst(err.Error()))
			}
			mins, err := input.ParseDuration(t)
			if err != nil {
				if input.LooksLikeDuration(t) {
					return Invalidf(logExample, "%s. Durations look like 45min, 1h10, 1:10:00 or 70:00.", upperFirst(err.Error()))
				}
				if input.LooksLikeNumber(t) {
					return Invalidf(logExample, "I can't read %q: give distances with a unit (8km, 18mi) and durations like 45min or 1h10.", t)
				}
				return Invalidf(logExample, "I don't understand %q here. After the kind, give a distance (8km, 18mi), a duration (45min, 1h10), rpe N or a day.", t)
			}
			if g.dur {
				return Invalidf(logExample, "You gave two durations (the second is %q); give one.", t)
			}
			s.Minutes, g.dur = mins, true
		}
	}
	return nil
}

// checkLogSession checks a whole session: a rest day has nothing else, any
// other session has a distance or a duration, and distance and time must
// make a pace a person can run (or ride, for cross-training).
func checkLogSession(s LoggedSession, g logGiven) error {
	if s.Kind == coach.KindRest {
		if s.DistanceKm > 0 || s.Minutes > 0 || s.RPEGiven {
			return Invalidf("/log rest", "A rest day has no distance, duration or effort; just send /log rest (and a day if it wasn't today).")
		}
		return nil
	}
	if s.DistanceKm <= 0 && s.Minutes <= 0 {
		return Invalidf(fmt.Sprintf("/log %s 40min", s.Kind), "How far or how long? Add a distance (8km, 5mi) or a duration (40min, 1h10) so the session counts towards your load.")
	}
	dist := strings.ReplaceAll(coach.UnitsKm.Distance(s.DistanceKm), " ", "")
	if s.Minutes <= 0 {
		limit := input.LongWithoutTimeKm
		if s.Kind == coach.KindCross {
			limit = input.LongCrossWithoutTimeKm
		}
		if s.DistanceKm >= limit {
			return Invalidf(fmt.Sprintf("/log %s %s %s", s.Kind, dist, durationWord(min(s.DistanceKm*7, input.MaxMinutes))),
				"%s is a very long way for one session. If that's right, add how long it took so the load is right; if it was a typo, send it again with the right distance.", coach.UnitsKm.Distance(s.DistanceKm))
		}
		return nil
	}
	if s.DistanceKm <= 0 {
		return nil
	}
	pace := s.Minutes / s.DistanceKm
	if s.Kind == coach.KindCross {
		if kmh := 60 / pace; kmh > input.MaxCrossKmPerHour {
			return Invalidf("/log cross 40km 1h30", "%s in %s is %.0f km/h, faster than I can believe for cross-training. Check the distance and the time.",
				coach.UnitsKm.Distance(s.DistanceKm), minutesText(s.Minutes), kmh)
		}
		return nil
	}
	ex := fmt.Sprintf("/log %s %s %s", s.Kind, dist, durationWord(s.DistanceKm*6))
	switch {
	case pace < input.FastestPaceMinPerKm:
		return Invalidf(ex, "%s in %s is a pace of %s, faster than any runner has gone. Check the distance and the time (1h10 is an hour and ten minutes; 70:00 is seventy minutes).",
			coach.UnitsKm.Distance(s.DistanceKm), minutesText(s.Minutes), input.PaceText(pace, coach.UnitsKm))
	case pace > input.SlowestPaceMinPerKm && s.Kind != coach.KindIntervals && s.Kind != coach.KindHills:
		// Repeats' time includes the recoveries between them (12x100m in
		// 45min is a fine session), so only continuous running is checked.
		return Invalidf(ex, "%s in %s is a pace of %s, slower than walking. Check the distance and the time.",
			coach.UnitsKm.Distance(s.DistanceKm), minutesText(s.Minutes), input.PaceText(pace, coach.UnitsKm))
	}
	return nil
}
