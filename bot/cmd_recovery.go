package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/coach"
)

func recoveryCommand(b *Bot) Command {
	return Command{
		Name:     "recovery",
		Summary:  "Where you are in your post-race recovery",
		Usage:    "/recovery [fresh|sore|hurting|stop]",
		Examples: []string{"/recovery", "/recovery sore", "/recovery stop"},
		Help: "Shows the day of your post-race plan, today's steps and what comes next, with buttons to tell me how " +
			"you feel: Fresh, Sore (tomorrow the plan waits a day at an easy level) or Hurting (rest, and get it checked). " +
			"You can also type the answer at any time of the day: /recovery fresh, /recovery sore or /recovery hurting. " +
			"/recovery stop ends the plan. Start one with /raced.",
		Options: []Option{{Name: "action", Description: "fresh, sore or hurting answers today's step; stop ends the plan",
			Type: OptionString, Choices: []string{"fresh", "sore", "hurting", "stop"}}},
		Private:      true,
		ButtonPrefix: "plan",
		Press:        b.pressPlan,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]Reply, error) {
			arg := strings.ToLower(strings.TrimSpace(r.Args))
			fb, isFeedback := coach.ParseFeedback(arg)
			if arg != "" && arg != "stop" && !isFeedback {
				return nil, Invalidf("/recovery sore", "/recovery takes nothing, fresh, sore or hurting (how you feel today), or stop to end your plan; %q isn't any of those.", r.Args)
			}
			p, err := b.activePlan(ctx, r.Member.ID)
			if err != nil {
				return nil, err
			}
			if p == nil {
				if fb == coach.FeedbackHurting {
					// No plan to adapt, but pain still counts for today.
					return b.hurtingWithoutPlan(ctx, r)
				}
				return nil, Errorf(CodeNotFound, "You have no recovery plan running. After a race, start one with %s.", racedExample)
			}
			if isFeedback {
				return b.planFeedback(ctx, r, *p, fb)
			}
			if arg == "stop" {
				if _, err := b.store.EndPlan(ctx, p.ID, PlanStopped, r.Now); err != nil {
					return nil, err
				}
				return []Reply{{Text: fmt.Sprintf("Your %s recovery plan is stopped. Your daily verdicts (/today) take it from here.", p.State.Name())}}, nil
			}
			today := r.Today()
			rep, ok := b.planStep(*p, today)
			if !ok {
				rep, ok, err := b.finishPlan(ctx, *p, today, r.Now)
				if err != nil {
					return nil, err
				}
				if ok {
					rep.Text += "\n/today has today's verdict."
					return []Reply{rep}, nil
				}
				return nil, Errorf(CodeNotFound, "Your recovery plan starts on race day, %s.", shortDate(p.State.RaceDate))
			}
			if next, ok := p.State.StepOn(today.AddDays(1)); ok {
				rep.Text += fmt.Sprintf("\nTomorrow: %s.", next.Title)
			} else {
				rep.Text += "\nThis is the plan's last day."
			}
			return []Reply{rep}, nil
		}),
	}
}

// planButtons are the Fresh / Sore / Hurting answers to a plan's step.
func planButtons(planID int64) [][]Button {
	d := func(fb coach.Feedback) string { return fmt.Sprintf("plan:%d:%s", planID, fb) }
	return [][]Button{{
		{Label: "Fresh", Data: d(coach.FeedbackFresh)},
		{Label: "Sore", Data: d(coach.FeedbackSore)},
		{Label: "Hurting", Data: d(coach.FeedbackHurting)},
	}}
}

// planStep renders the plan's step for today with its buttons; false when
// the plan has no step today (before race day, or over).
func (b *Bot) planStep(p Plan, today coach.Date) (Reply, bool) {
	st, ok := p.State.StepOn(today)
	if !ok {
		return Reply{}, false
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s — day %d of %d of your %s recovery plan (%s): %s\n", st.Verdict, st.Day, st.Total,
		p.State.Name(), strings.ToLower(st.Phase), st.Title)
	for _, line := range strings.Split(st.Text, "\n") {
		fmt.Fprintf(&sb, "- %s\n", line)
	}
	sb.WriteString("How do you feel today?")
	return Reply{Text: sb.String(), Buttons: planButtons(p.ID), Private: true}, true
}

// finishPlan ends a plan whose days are over and returns its summary, once.
func (b *Bot) finishPlan(ctx context.Context, p Plan, today coach.Date, now time.Time) (Reply, bool, error) {
	if today.Before(p.State.RaceDate) {
		return Reply{}, false, nil
	}
	ended, err := b.store.EndPlan(ctx, p.ID, PlanDone, now)
	if err != nil || !ended {
		return Reply{}, false, err
	}
	return Reply{Text: p.State.Summary(), Private: true}, true, nil
}

// PlanStepReply is the member's post-race plan message for the day of now
// in their timezone: today's step with Fresh / Sore / Hurting buttons, or,
// on the first day after the plan's end, its summary (sent once: the plan
// is marked done) with, for members whose morning messages are on, the
// day's verdict first. A member who only asked for the plan's steps gets
// the summary and a word that the messages stop here. It reports false when
// there is no active plan or nothing to send today.
func (b *Bot) PlanStepReply(ctx context.Context, m Member, c Club, now time.Time) (Reply, bool, error) {
	p, err := b.activePlan(ctx, m.ID)
	if err != nil || p == nil {
		return Reply{}, false, err
	}
	today := b.requestFor(m, c, now).Today()
	if rep, ok := b.planStep(*p, today); ok {
		return rep, true, nil
	}
	sum, ok, err := b.finishPlan(ctx, *p, today, now)
	if err != nil || !ok {
		return sum, ok, err
	}
	if !m.Nudges {
		sum.Text += "\nThat was the last of the plan's messages: I won't send you anything more unasked. /today gives you a verdict whenever you want one."
		return sum, true, nil
	}
	rep, err := b.TodayReply(ctx, m, c, now)
	if err != nil {
		return Reply{}, false, err
	}
	rep.Text += "\n\n" + sum.Text
	return rep, true, nil
}

// pressPlan adapts the plan to a Fresh / Sore / Hurting button; arg is
// "<plan id>:<answer>".
func (b *Bot) pressPlan(ctx context.Context, r *Request, arg string) ([]Reply, error) {
	idText, answer, _ := strings.Cut(arg, ":")
	id, _ := strconv.ParseInt(idText, 10, 64)
	fb, ok := coach.ParseFeedback(answer)
	p, err := b.activePlan(ctx, r.Member.ID)
	if err != nil {
		return nil, err
	}
	if p == nil || p.ID != id || !ok {
		return nil, Errorf(CodeNotFound, "That button belongs to a recovery plan that has ended or been replaced. /recovery shows the plan you have now.")
	}
	return b.planFeedback(ctx, r, *p, fb)
}

// planFeedback adapts the plan to today's answer, from a button or typed.
// Without consent to health data nothing is kept, but Hurting still keeps a
// red flag in memory for the rest of the day, so no verdict that day
// prescribes running.
func (b *Bot) planFeedback(ctx context.Context, r *Request, p Plan, fb coach.Feedback) ([]Reply, error) {
	today := r.Today()
	next, msg := p.State.Apply(fb, today)
	if fb != coach.FeedbackFresh && r.Member.Consent != ConsentYes {
		if fb == coach.FeedbackHurting {
			if _, on := p.State.StepOn(today); on {
				b.flags.set(r.Member.ID, today, coach.FlagPain)
			}
		}
		// Soreness and pain are health data: give the advice, keep nothing.
		note := "I haven't changed your plan: to adapt it to soreness or pain I'd have to keep that, and that needs your yes to health data."
		if fb == coach.FeedbackHurting {
			note += " For today I'll remember, without storing it, that you shouldn't run."
		}
		if r.Member.Consent == ConsentNo {
			return []Reply{{Text: msg + "\n" + note + " /settings consent yes changes that."}}, nil
		}
		return []Reply{{Text: msg + "\n" + note}, consentQuestion("")}, nil
	}
	if !next.Equal(p.State) {
		p.State = next
		if err := b.store.SavePlan(ctx, p); err != nil {
			return nil, err
		}
	}
	return []Reply{{Text: msg}}, nil
}

// hurtingWithoutPlan answers /recovery hurting with no plan running: the
// advice, and a red flag for the day (stored as a check-in with consent,
// kept in memory for the day without).
func (b *Bot) hurtingWithoutPlan(ctx context.Context, r *Request) ([]Reply, error) {
	today := r.Today()
	text := "Stop running and rest. If the pain is sharp, is getting worse or changes the way you walk or run, see a doctor or physiotherapist before you run again."
	if r.Member.Consent == ConsentYes {
		if err := b.store.AddCheckIn(ctx, r.Member.ID, coach.CheckIn{Date: today, Flag: coach.FlagPain}, r.Location().String(), r.Now); err != nil {
			return nil, err
		}
		text += " I've noted it as a check-in with pain, so your verdicts stay on rest until a check-in says it has passed."
	} else {
		b.flags.set(r.Member.ID, today, coach.FlagPain)
		text += " For today I'll remember, without storing it, that you shouldn't run."
	}
	return []Reply{{Text: text}}, nil
}
