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
		Usage:    "/recovery [stop]",
		Examples: []string{"/recovery", "/recovery stop"},
		Help: "Shows the day of your post-race plan, today's steps and what comes next, with buttons to tell me how " +
			"you feel: Fresh, Sore (the plan takes a step back) or Hurting (rest, and get it checked). " +
			"/recovery stop ends the plan. Start one with /raced.",
		Options:      []Option{{Name: "action", Description: "stop ends the plan", Type: OptionString, Choices: []string{"stop"}}},
		Private:      true,
		ButtonPrefix: "plan",
		Press:        b.pressPlan,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]Reply, error) {
			arg := strings.ToLower(r.Args)
			if arg != "" && arg != "stop" {
				return nil, Invalidf("/recovery stop", "/recovery takes nothing, or stop to end your plan; %q isn't either.", r.Args)
			}
			p, err := b.activePlan(ctx, r.Member.ID)
			if err != nil {
				return nil, err
			}
			if p == nil {
				return nil, Errorf(CodeNotFound, "You have no recovery plan running. After a race, start one with %s.", racedExample)
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
				if err != nil || ok {
					return []Reply{rep}, err
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
// is marked done). It reports false when there is no active plan or nothing
// to send today.
func (b *Bot) PlanStepReply(ctx context.Context, m Member, c Club, now time.Time) (Reply, bool, error) {
	p, err := b.activePlan(ctx, m.ID)
	if err != nil || p == nil {
		return Reply{}, false, err
	}
	today := b.requestFor(m, c, now).Today()
	if rep, ok := b.planStep(*p, today); ok {
		return rep, true, nil
	}
	return b.finishPlan(ctx, *p, today, now)
}

// pressPlan adapts the plan to a Fresh / Sore / Hurting answer; arg is
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
	today := r.Today()
	next, msg := p.State.Apply(fb, today)
	if fb != coach.FeedbackFresh && r.Member.Consent != ConsentYes {
		// Soreness and pain are health data: give the advice, keep nothing.
		note := "I haven't changed your plan: to adapt it to soreness or pain I'd have to keep that, and that needs your yes to health data."
		if r.Member.Consent == ConsentNo {
			return []Reply{{Text: msg + "\n" + note + " /settings consent yes changes that."}}, nil
		}
		return []Reply{{Text: msg + "\n" + note}, consentQuestion("")}, nil
	}
	if next != p.State {
		p.State = next
		if err := b.store.SavePlan(ctx, *p); err != nil {
			return nil, err
		}
	}
	return []Reply{{Text: msg}}, nil
}
