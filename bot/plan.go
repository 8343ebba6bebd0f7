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
	// SendSteps: the plan's daily steps go out as morning messages even
	// while the member's other morning messages are off (they asked for
	// them when they started the plan). /stop clears it.
	SendSteps bool
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

// planButtons are the Fresh / Sore / Hurting answers to a plan's step.
func planButtons(planID int64) [][]chat.Button {
	d := func(fb coach.Feedback) string { return fmt.Sprintf("plan:%d:%s", planID, fb) }
	return [][]chat.Button{{
		{Label: "Fresh", Data: d(coach.FeedbackFresh)},
		{Label: "Sore", Data: d(coach.FeedbackSore)},
		{Label: "Hurting", Data: d(coach.FeedbackHurting)},
	}}
}

// planStep renders the plan's step for today with its buttons; false when
// the plan has no step today (before race day, or over).
func (b *Bot) planStep(p Plan, today coach.Date) (chat.Reply, bool) {
	st, ok := p.State.StepOn(today)
	if !ok {
		return chat.Reply{}, false
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s — day %d of %d of your %s recovery plan (%s): %s\n", st.Verdict, st.Day, st.Total,
		p.State.Name(), strings.ToLower(st.Phase), st.Title)
	for _, line := range strings.Split(st.Text, "\n") {
		fmt.Fprintf(&sb, "- %s\n", line)
	}
	sb.WriteString("How do you feel today?")
	return chat.Reply{Text: sb.String(), Buttons: planButtons(p.ID), Private: true}, true
}

// finishPlan ends a plan whose days are over and returns its summary, once.
func (b *Bot) finishPlan(ctx context.Context, p Plan, today coach.Date, now time.Time) (chat.Reply, bool, error) {
	if today.Before(p.State.RaceDate) {
		return chat.Reply{}, false, nil
	}
	ended, err := b.store.EndPlan(ctx, p.ID, PlanDone, now)
	if err != nil || !ended {
		return chat.Reply{}, false, err
	}
	if err := b.store.ForgetPlanAnswers(ctx, p.ID); err != nil {
		return chat.Reply{}, false, err
	}
	return chat.Reply{Text: p.State.Summary(), Private: true}, true, nil
}

// PlanStepReply is the member's post-race plan message for the day of now
// in their timezone: today's step with Fresh / Sore / Hurting buttons, or,
// on the first day after the plan's end, its summary (sent once: the plan
// is marked done) with, for members whose morning messages are on, the
// day's verdict first. A member who only asked for the plan's steps gets
// the summary and a word that the messages stop here. It reports false when
// there is no active plan or nothing to send today.
func (b *Bot) PlanStepReply(ctx context.Context, m Member, c Club, now time.Time) (chat.Reply, bool, error) {
	p, err := b.activePlan(ctx, m.ID)
	if err != nil || p == nil {
		return chat.Reply{}, false, err
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
		return chat.Reply{}, false, err
	}
	rep.Text += "\n\n" + sum.Text
	return rep, true, nil
}
