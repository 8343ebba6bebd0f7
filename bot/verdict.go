package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// historyDays is how far back the verdict reads logs: the 28-day load
// window, the week before it and a margin (coach.Input wants 35 or more).
const historyDays = 42

// checkInHistoryDays is how far back check-ins are read for the resting-HR
// baseline (the last 14 readings; members do not check in every day).
const checkInHistoryDays = 60

// requestFor is a request for a member without a message, for what the
// scheduler sends: it gives the same local date a command would.
func (b *Bot) requestFor(m Member, c Club, now time.Time) *Request {
	return &Request{Member: m, Club: c, Now: now, bot: b}
}

// dayVerdict is the verdict with what went into it.
type dayVerdict struct {
	Today  coach.Date
	Result coach.Result
	Plan   *Plan // the active plan, when there is one
	// CheckedIn reports a check-in for today among those the verdict read.
	CheckedIn bool
}

// verdict decides the member's day. extra check-ins (a typed check-in the
// member did not let us store) count for today as if stored.
func (b *Bot) verdict(ctx context.Context, m Member, c Club, now time.Time, extra ...coach.CheckIn) (dayVerdict, error) {
	today := b.requestFor(m, c, now).Today()
	v := dayVerdict{Today: today}
	logged, err := b.store.SessionsSince(ctx, m.ID, today.AddDays(-historyDays))
	if err != nil {
		return v, err
	}
	in := coach.Input{
		Today:   today,
		Profile: coach.Profile{Level: m.Level, Units: m.Units, Age: m.Age},
		Pattern: c.Pattern,
	}
	for _, s := range logged {
		in.Sessions = append(in.Sessions, s.Session)
	}
	if m.Consent == ConsentYes {
		in.Profile.MaxHR = m.MaxHR
		if in.CheckIns, err = b.store.CheckInsSince(ctx, m.ID, today.AddDays(-checkInHistoryDays)); err != nil {
			return v, err
		}
	}
	in.CheckIns = append(in.CheckIns, extra...)
	if fl, ok := b.flags.on(m.ID, today); ok {
		in.CheckIns = append(in.CheckIns, coach.CheckIn{Date: today, Flag: fl})
	}
	for _, ci := range in.CheckIns {
		if ci.Date == today {
			v.CheckedIn = true
		}
	}
	p, err := b.store.ActivePlan(ctx, m.ID)
	switch {
	case err == nil:
		v.Plan = &p
		in.Plan = &p.State
	case !errors.Is(err, ErrNotFound):
		return v, err
	}
	if c.ID != 0 {
		if in.RecoveryWeek, err = b.recoveryWeekOn(ctx, c.ID, today); err != nil {
			return v, err
		}
		// The week after a recovery week: its low load was planned, so the
		// load rules leave the comparison alone.
		if !in.RecoveryWeek {
			weeks, err := b.recoveryWeeksFrom(ctx, c.ID, today.AddDays(-7))
			if err != nil {
				return v, err
			}
			for _, w := range weeks {
				// The week runs Start..Start+6; any of its days among the 7 before today.
				if w.Start.Before(today) && !w.Start.AddDays(6).Before(today.AddDays(-7)) {
					in.AfterRecoveryWeek = true
				}
			}
		}
	}
	v.Result = coach.Decide(in)
	return v, nil
}

// TodayReply is the member's verdict for the day of now in their timezone:
// the /today reply and the text of the personal morning nudge. It begins
// with the verdict word in capitals. On a post-race plan day it carries the
// plan's Fresh / Sore / Hurting buttons.
func (b *Bot) TodayReply(ctx context.Context, m Member, c Club, now time.Time) (chat.Reply, error) {
	v, err := b.verdict(ctx, m, c, now)
	if err != nil {
		return chat.Reply{}, err
	}
	rep := chat.Reply{Text: verdictText(v), Private: true}
	if v.Result.Rule == coach.RuleRacePlan && v.Plan != nil {
		rep.Buttons = planButtons(v.Plan.ID)
	}
	if m.Consent == ConsentUnasked && !v.CheckedIn {
		rep.Text += "\nA quick /checkin (sleep, soreness, energy) makes this more personal."
	}
	return rep, nil
}

// verdictText renders a verdict: the word, the reason, the session, the
// heart-rate ceiling and, on a plan day, the plan's step.
func verdictText(v dayVerdict) string {
	res := v.Result
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s — %s\n", res.Verdict, res.Reason)
	if st := res.Step; st != nil && v.Plan != nil {
		fmt.Fprintf(&sb, "Day %d of %d of your %s recovery plan (%s): %s\n", st.Day, st.Total,
			v.Plan.State.Name(), strings.ToLower(st.Phase), st.Title)
		for _, line := range strings.Split(st.Text, "\n") {
			fmt.Fprintf(&sb, "- %s\n", line)
		}
	} else if res.Session.Text != "" {
		fmt.Fprintf(&sb, "Suggested: %s.\n", strings.TrimSuffix(res.Session.Text, "."))
	}
	for _, n := range res.Notes {
		sb.WriteString(n + "\n")
	}
	if res.HRCeiling > 0 && res.Verdict != coach.VerdictRest {
		fmt.Fprintf(&sb, "Keep easy and recovery running under %d bpm.\n", res.HRCeiling)
	}
	if res.SeeProfessional {
		sb.WriteString("I can't diagnose anything: a doctor or physiotherapist can, so please have it looked at if it doesn't settle quickly.\n")
	}
	return strings.TrimRight(sb.String(), "\n")
}
