package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/bot/chart"
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

func weekCommand(b *Bot) Command {
	return Command{
		Name:     "week",
		Summary:  "Your last 7 days: sessions, load, hard/easy/rest days",
		Usage:    "/week",
		Examples: []string{"/week"},
		Help: "Shows a chart of your last 28 days of training load (hard, easy, rest and not-logged days, the 7- and 28-day averages) and lists your last 7 days, today included: each day's sessions, the distance you ran (in your units), your training load (effort × minutes), " +
			"how it compares with the week before and your usual week, the count of hard, easy, rest and not-logged days (a day with nothing logged counts as none of the others), and " +
			"anything worth a flag.",
		Private: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if r.Args != "" {
				return nil, Invalidf("/week", "/week takes nothing after it; it always shows your last 7 days.")
			}
			today := r.Today()
			all, err := b.store.SessionsSince(ctx, r.Member.ID, today.AddDays(-weekChartDays))
			if err != nil {
				return nil, err
			}
			var logged []LoggedSession
			for _, s := range all {
				if today.Sub(s.Date) <= historyDays {
					logged = append(logged, s)
				}
			}
			var cis []coach.CheckIn
			if r.Member.Consent == ConsentYes {
				if cis, err = b.store.CheckInsSince(ctx, r.Member.ID, today.AddDays(-6)); err != nil {
					return nil, err
				}
			}
			imported, err := b.store.ImportedSince(ctx, r.Member.ID, today.AddDays(-6))
			if err != nil {
				return nil, err
			}
			replies := []chat.Reply{{Text: weekText(logged, cis, imported, r.Member.Units, today)}}
			img, err := weekPicture(all, today, r.privateName())
			return b.withPicture(replies, img, err), nil
		}),
	}
}

// weekText renders the last 7 days, oldest first.
// Sessions logged from a recording are marked with where it came from.
func weekText(logged []LoggedSession, cis []coach.CheckIn, imported map[int64]ImportedSession, u coach.Units, today coach.Date) string {
	var sessions []coach.Session
	byDay := map[coach.Date][]LoggedSession{}
	for _, s := range logged {
		sessions = append(sessions, s.Session)
		byDay[s.Date] = append(byDay[s.Date], s)
	}
	l := coach.Loads(sessions, today)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Your last 7 days (%s to %s):\n", shortDate(today.AddDays(-6)), shortDate(today))
	for d := today.AddDays(-6); !d.After(today); d = d.AddDays(1) {
		day := byDay[d]
		if len(day) == 0 {
			fmt.Fprintf(&sb, "%s: nothing logged\n", shortDate(d))
			continue
		}
		var parts []string
		for _, s := range day {
			parts = append(parts, sessionBrief(s, u)+importedMark(imported, s.ID))
		}
		fmt.Fprintf(&sb, "%s: %s\n", shortDate(d), strings.Join(parts, "; "))
	}
	count := map[chart.DayKind]int{}
	kind := dayKinds(logged, today)
	for d := today.AddDays(-6); !d.After(today); d = d.AddDays(1) {
		count[kindOn(kind, d)]++
	}
	fmt.Fprintf(&sb, "Sessions: %d · hard days %d · easy days %d · rest days %d · not logged %d\n", l.Sessions7,
		count[chart.DayHard], count[chart.DayEasy], count[chart.DayRest], count[chart.DayUnlogged])
	sb.WriteString(distanceLine(logged, u, today))
	fmt.Fprintf(&sb, "Load (effort × minutes): %.0f", l.Last7)
	if l.Prev7 > 0 {
		fmt.Fprintf(&sb, "; the 7 days before: %.0f (%+.0f%%)", l.Prev7, l.WeekOverWeek*100)
	}
	if l.HistoryDays >= coach.ChronicHistoryDays && l.AvgWeek28 > 0 {
		fmt.Fprintf(&sb, "; your average week of the last 4: %.0f", l.AvgWeek28)
	}
	sb.WriteString("\n")
	var flags []string
	if l.Last7 >= coach.LoadSpikeFloor && l.Prev7 > 0 && l.WeekOverWeek > coach.LoadSpikeWeekOverWeek {
		flags = append(flags, fmt.Sprintf("load up %.0f%% on the week before (more than %.0f%% is a jump worth easing)",
			l.WeekOverWeek*100, coach.LoadSpikeWeekOverWeek*100))
	}
	if l.Last7 >= coach.LoadSpikeFloor && l.HistoryDays >= coach.ChronicHistoryDays && l.ACWR > coach.LoadSpikeACWR {
		flags = append(flags, fmt.Sprintf("load %.1f times your usual week", l.ACWR))
	}
	if l.Monotony > coach.MonotonyHigh && l.Sessions7 > 0 {
		flags = append(flags, "every day much the same (high monotony): mix easy and hard days")
	}
	if count[chart.DayHard]+count[chart.DayEasy] == 7 {
		flags = append(flags, "no rest day")
	}
	if count[chart.DayHard] >= 4 {
		flags = append(flags, fmt.Sprintf("%d hard days", count[chart.DayHard]))
	}
	for _, ci := range cis {
		if ci.Date.After(today) || today.Sub(ci.Date) > 6 || ci.Flag == coach.FlagNone {
			continue
		}
		flags = append(flags, fmt.Sprintf("%s reported on %s", flagWords(ci.Flag), shortDate(ci.Date)))
	}
	if len(cis) > 0 {
		fmt.Fprintf(&sb, "Check-ins: %d\n", len(cis))
	}
	if len(flags) == 0 {
		sb.WriteString("Flags: none")
	} else {
		sb.WriteString("Flags: " + strings.Join(flags, "; "))
	}
	return sb.String()
}

// sessionBrief is a short form of a session for /week.
func sessionBrief(s LoggedSession, u coach.Units) string {
	if s.Kind == coach.KindRest {
		return "rest"
	}
	var parts []string
	if s.DistanceKm > 0 {
		parts = append(parts, u.Distance(s.DistanceKm))
	}
	if s.Minutes > 0 && s.Kind == coach.KindRace {
		parts = append(parts, input.ClockText(s.Minutes))
	} else if s.Minutes > 0 {
		parts = append(parts, minutesText(s.Minutes))
	}
	parts = append(parts, fmt.Sprintf("RPE %d, load %.0f", s.RPE, s.Load()))
	return fmt.Sprintf("%s %s", s.Kind, strings.Join(parts, ", "))
}

func flagWords(f coach.Flag) string {
	switch f {
	case coach.FlagPain:
		return "sharp pain"
	case coach.FlagIllness:
		return "illness"
	case coach.FlagChest:
		return "chest or breathing symptoms"
	}
	return string(f)
}

// distanceLine totals the distance run in the 7 days to today and the 7
// before, in the member's units; cross-training distance (a bike ride) is
// counted apart, as it is not running.
func distanceLine(logged []LoggedSession, u coach.Units, today coach.Date) string {
	var run, runPrev, cross float64
	for _, s := range logged {
		age := today.Sub(s.Date)
		if age < 0 || age > 13 || s.DistanceKm <= 0 {
			continue
		}
		switch {
		case s.Kind == coach.KindCross && age <= 6:
			cross += s.DistanceKm
		case s.Kind == coach.KindCross:
		case age <= 6:
			run += s.DistanceKm
		default:
			runPrev += s.DistanceKm
		}
	}
	line := "Distance run: " + u.Distance(run)
	if runPrev > 0 {
		line += "; the 7 days before: " + u.Distance(runPrev)
	}
	if cross > 0 {
		line += "; cross-training: " + u.Distance(cross)
	}
	return line + "\n"
}
