package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/coach"
)

// PlanStatus is where a post-race plan stands. Its values are stored.
type PlanStatus string

// The plan statuses.
const (
	PlanActive  PlanStatus = "active"
	PlanDone    PlanStatus = "done"    // ran its course; the summary was sent
	PlanStopped PlanStatus = "stopped" // the member ended it
)

// Plan is a member's post-race plan as stored.
type Plan struct {
	ID     int64
	Km     float64 // the race distance the member gave
	State  coach.PlanState
	TZ     string // the timezone of State's dates
	Status PlanStatus
}

// PlanStore keeps members' post-race plans, one per member.
type PlanStore interface {
	// StartPlan makes p the member's plan, replacing any earlier one, and
	// returns it with its id, plus the replaced plan if it was still active.
	StartPlan(ctx context.Context, memberID int64, p Plan, at time.Time) (Plan, *Plan, error)
	// ActivePlan returns the member's active plan, or ErrNotFound.
	ActivePlan(ctx context.Context, memberID int64) (Plan, error)
	// SavePlan stores an active plan's adapted state; ErrNotFound when the
	// plan is no longer active.
	SavePlan(ctx context.Context, p Plan) error
	// EndPlan gives an active plan its final status and reports whether it
	// was active, so an ending happens once.
	EndPlan(ctx context.Context, id int64, status PlanStatus, at time.Time) (bool, error)
}

const racedExample = "/raced marathon yesterday"

func racedCommand(b *Bot) Command {
	return Command{
		Name:     "raced",
		Summary:  "Start your post-race recovery plan",
		Usage:    "/raced <distance> [day]",
		Examples: []string{racedExample, "/raced 10k", "/raced half marathon sunday", "/raced 3000m", "/raced 50km 2026-06-07"},
		Help: "Tell me you raced and I'll walk you through recovery day by day. Distance: 5k, 10k, half (or half marathon), marathon, ultra, or " +
			"a number with km, mi or metres, e.g. 3000m (the nearest plan is used; beyond a marathon it is the ultra plan: the marathon plan with extra days). Day: " +
			"today (the default), yesterday, a weekday for the most recent one, or YYYY-MM-DD, at most 60 days back. " +
			"A new race replaces the plan you have.",
		Options: []Option{
			{Name: "distance", Description: "5k, 10k, half, marathon, or e.g. 30km", Type: OptionString, Required: true},
			{Name: "day", Description: "today, yesterday, a weekday or YYYY-MM-DD", Type: OptionString},
		},
		Private: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]Reply, error) {
			km, date, err := parseRaced(r.Args, r.Today())
			if err != nil {
				return nil, err
			}
			state := coach.NewPlan(km, date)
			today := r.Today()
			if _, ok := state.StepOn(today); !ok {
				return nil, Invalidf("/raced 10k yesterday",
					"A %s recovery plan from %s would already have finished (it runs %d days), so there's nothing left to walk through. Your daily verdicts (/today) take it from here.",
					state.Name(), shortDate(date), state.Length())
			}
			p, replaced, err := b.store.StartPlan(ctx, r.Member.ID, Plan{Km: km, State: state, TZ: r.Location().String()}, r.Now)
			if err != nil {
				return nil, err
			}
			var sb strings.Builder
			fmt.Fprintf(&sb, "Well done on your race! Your %s recovery plan has started: race day %s, %d days in all.",
				state.Name(), dayText(date, today), state.Length())
			if state.ExtraDays > 0 {
				fmt.Fprintf(&sb, " Your race was longer than a marathon, so it follows the marathon plan with %s.", Plural(state.ExtraDays, "extra day"))
			}
			if replaced != nil {
				fmt.Fprintf(&sb, " It replaces your %s plan from %s.", replaced.State.Name(), shortDate(replaced.State.RaceDate))
			}
			// Each day's step comes as a morning message, so starting a plan
			// turns them on; /stop turns them off again, steps included.
			if m := r.Member; !m.Nudges {
				m.Nudges = true
				if err := b.store.UpdateMember(ctx, m, false); err != nil {
					return nil, err
				}
				fmt.Fprintf(&sb, "\nI'll send you each day's step at %s your time; /stop stops them.", m.NudgeTime)
			}
			logged, err := b.raceLogged(ctx, r.Member.ID, date)
			if err != nil {
				return nil, err
			}
			if !logged {
				fmt.Fprintf(&sb, "\nTo count the race in your training log too, send /log race %s %s and your time.",
					strings.ReplaceAll(r.Member.Units.Distance(km), " ", ""), dayWord(date, today))
			}
			step, _ := b.planStep(p, today)
			return []Reply{{Text: sb.String()}, step}, nil
		}),
	}
}

// parseRaced reads "/raced" arguments: a distance, then optionally a day.
func parseRaced(args string, today coach.Date) (float64, coach.Date, error) {
	toks := Tokens(args)
	if len(toks) == 0 {
		return 0, coach.Date{}, Invalidf(racedExample, "Which race? Give the distance (5k, 10k, half, marathon, or e.g. 30km) and, if it wasn't today, the day.")
	}
	date := today
	if n := len(toks); n > 1 && IsDayWord(toks[n-1]) {
		d, err := ParseDay(toks[n-1], today)
		if err == nil {
			err = CheckPastDay(d, today, "The race")
		}
		if err != nil {
			return 0, date, Invalidf(racedExample, "%s.", upperFirst(err.Error()))
		}
		date, toks = d, toks[:n-1]
	}
	if len(toks) > 1 {
		// "ultra marathon", "50 kilometre race": one distance in words.
		if km, err := ParseRaceDistance(strings.Join(toks, "-")); err == nil {
			return km, date, nil
		}
		return 0, date, Invalidf(racedExample, "I read %q as the distance and don't understand %q. Give the distance, then the day.",
			toks[0], strings.Join(toks[1:], " "))
	}
	km, err := ParseRaceDistance(toks[0])
	if err != nil {
		return 0, date, Invalidf(racedExample, "%s.", upperFirst(err.Error()))
	}
	return km, date, nil
}

// raceLogged reports whether the member logged a race on date.
func (b *Bot) raceLogged(ctx context.Context, memberID int64, date coach.Date) (bool, error) {
	logged, err := b.store.SessionsSince(ctx, memberID, date)
	if err != nil {
		return false, err
	}
	for _, s := range logged {
		if s.Date == date && s.Kind == coach.KindRace {
			return true, nil
		}
	}
	return false, nil
}

// dayWord is how /log takes a date: today, yesterday or YYYY-MM-DD.
func dayWord(d, today coach.Date) string {
	switch today.Sub(d) {
	case 0:
		return "today"
	case 1:
		return "yesterday"
	}
	return d.String()
}

// activePlan returns the member's active plan, or nil.
func (b *Bot) activePlan(ctx context.Context, memberID int64) (*Plan, error) {
	p, err := b.store.ActivePlan(ctx, memberID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}
