package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

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
		Options: []chat.Option{
			{Name: "distance", Description: "5k, 10k, half, marathon, or e.g. 30km", Type: chat.OptionString, Required: true},
			{Name: "day", Description: "today, yesterday, a weekday or YYYY-MM-DD", Type: chat.OptionString},
		},
		Private:      true,
		ButtonPrefix: "raced",
		Press:        b.pressRaced,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			km, date, err := parseRaced(r.Args, r.Today())
			if err != nil {
				return nil, err
			}
			return b.startPlan(ctx, r, km, date)
		}),
	}
}

// startPlan starts the post-race plan for a race of km on date: from
// /raced, or from the button a logged race offers. It never turns morning
// messages on: a member who has them off is asked whether to send the
// plan's daily steps.
func (b *Bot) startPlan(ctx context.Context, r *Request, km float64, date coach.Date) ([]chat.Reply, error) {
	state := coach.NewPlan(km, date)
	today := r.Today()
	if _, ok := state.StepOn(today); !ok {
		return nil, Invalidf("/raced 10k yesterday",
			"A %s recovery plan from %s would already have finished (it runs %d days), so there's nothing left to walk through. Your daily verdicts (/today) take it from here.",
			state.Name(), shortDate(date), state.Length())
	}
	m := r.Member
	p, replaced, err := b.store.StartPlan(ctx, m.ID, Plan{Km: km, State: state, TZ: r.Location().String(), SendSteps: m.Nudges}, r.Now)
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Well done on your race! Your %s recovery plan has started: race day %s, %d days in all.",
		state.Name(), dayText(date, today), state.Length())
	if state.ExtraDays > 0 {
		fmt.Fprintf(&sb, " Your race was longer than a marathon, so the ultra plan is the marathon plan with %s.", input.Plural(state.ExtraDays, "extra day"))
	}
	if replaced != nil {
		fmt.Fprintf(&sb, " It replaces your %s plan from %s.", replaced.State.Name(), shortDate(replaced.State.RaceDate))
	}
	logged, err := b.raceLogged(ctx, m.ID, date)
	if err != nil {
		return nil, err
	}
	if !logged {
		fmt.Fprintf(&sb, "\nTo count the race in your training log too, send /log race %s %s and your time.",
			strings.ReplaceAll(m.Units.Distance(km), " ", ""), dayWord(date, today))
	}
	step, _ := b.planStep(p, today)
	if !m.Nudges {
		// /stop means stop: ask before sending anything unasked, under the
		// step's own buttons.
		at := m.NudgeTime
		d := func(v string) string { return fmt.Sprintf("raced:steps:%d:%s", p.ID, v) }
		step.Text += fmt.Sprintf("\n\nYour morning messages are off. Shall I send you each day's step of this plan at %s your time? "+
			"Nothing else, and nothing after the plan ends. /recovery shows the step whenever you ask.", at)
		step.Buttons = append(step.Buttons, []chat.Button{{Label: "Yes, send the steps", Data: d("yes")}, {Label: "No, I'll ask", Data: d("no")}})
	}
	out := []chat.Reply{{Text: sb.String()}, step}
	return out, nil
}

// pressRaced handles the buttons of /raced and of a logged race:
// "steps:<plan id>:yes|no" answers whether to send a plan's daily steps,
// "start:<km>:<date>" starts the plan a logged race offered, "no" declines it.
func (b *Bot) pressRaced(ctx context.Context, r *Request, arg string) ([]chat.Reply, error) {
	parts := strings.Split(arg, ":")
	switch {
	case len(parts) == 3 && parts[0] == "steps":
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		p, err := b.activePlan(ctx, r.Member.ID)
		if err != nil {
			return nil, err
		}
		if p == nil || p.ID != id {
			return nil, Errorf(CodeNotFound, "That button belongs to a recovery plan that has ended or been replaced. /recovery shows the plan you have now.")
		}
		p.SendSteps = parts[2] == "yes"
		if err := b.store.SavePlan(ctx, *p); err != nil {
			return nil, err
		}
		if p.SendSteps {
			return []chat.Reply{{Text: "I'll send you each day's step in the morning, and nothing once the plan is over. /stop stops them."}}, nil
		}
		return []chat.Reply{{Text: "Fine: no morning messages. /recovery shows today's step whenever you want it."}}, nil
	case len(parts) == 3 && parts[0] == "start":
		km, err1 := strconv.ParseFloat(parts[1], 64)
		date, err2 := coach.ParseDate(parts[2])
		if err1 != nil || err2 != nil {
			return nil, Errorf(CodeNotFound, "That button no longer works. Start the plan with %s.", racedExample)
		}
		if err := input.CheckPastDay(date, r.Today(), "The race"); err != nil {
			return nil, Invalidf(racedExample, "%s.", upperFirst(err.Error()))
		}
		return b.startPlan(ctx, r, km, date)
	case len(parts) == 1 && parts[0] == "no":
		return []chat.Reply{{Text: "No plan, then. I'll still keep the next days easy while your legs recover; /raced starts the plan if you change your mind."}}, nil
	}
	return nil, Errorf(CodeNotFound, "That button no longer works. /recovery shows your plan; %s starts one.", racedExample)
}

// parseRaced reads "/raced" arguments: a distance, then optionally a day.
func parseRaced(args string, today coach.Date) (float64, coach.Date, error) {
	toks := input.Tokens(args)
	if len(toks) == 0 {
		return 0, coach.Date{}, Invalidf(racedExample, "Which race? Give the distance (5k, 10k, half, marathon, or e.g. 30km) and, if it wasn't today, the day.")
	}
	date := today
	if n := len(toks); n > 1 && input.IsDayWord(toks[n-1]) {
		d, err := input.ParseDay(toks[n-1], today)
		if err == nil {
			err = input.CheckPastDay(d, today, "The race")
		}
		if err != nil {
			return 0, date, Invalidf(racedExample, "%s.", upperFirst(err.Error()))
		}
		date, toks = d, toks[:n-1]
	}
	if len(toks) > 1 {
		// "ultra marathon", "50 kilometre race": one distance in words.
		if km, err := input.ParseRaceDistance(strings.Join(toks, "-")); err == nil {
			return km, date, nil
		}
		return 0, date, Invalidf(racedExample, "I read %q as the distance and don't understand %q. Give the distance, then the day.",
			toks[0], strings.Join(toks[1:], " "))
	}
	km, err := input.ParseRaceDistance(toks[0])
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
