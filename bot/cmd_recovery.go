package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

func recoveryCommand(b *Bot) Command {
	return Command{
		Name:     "recovery",
		Summary:  "Where you are in your post-race recovery",
		Usage:    "/recovery [fresh|sore|hurting|stop]",
		Examples: []string{"/recovery", "/recovery sore", "/recovery stop"},
		Help: "Shows the day of your post-race plan (with a picture of the whole plan: days done, today, days ahead), today's steps and what comes next, with buttons to tell me how " +
			"you feel: Fresh, Sore (tomorrow the plan waits a day at an easy level) or Hurting (rest, and get it checked). " +
			"You can also type the answer at any time of the day: /recovery fresh, /recovery sore or /recovery hurting. " +
			"/recovery stop ends the plan. Start one with /raced.",
		Options: []chat.Option{{Name: "action", Description: "fresh, sore or hurting answers today's step; stop ends the plan",
			Type: chat.OptionString, Choices: []string{"fresh", "sore", "hurting", "stop"}}},
		Private:      true,
		ButtonPrefix: "plan",
		Press:        b.pressPlan,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
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
				if err := b.store.ForgetPlanAnswers(ctx, p.ID); err != nil {
					return nil, err
				}
				return []chat.Reply{{Text: fmt.Sprintf("Your %s recovery plan is stopped. Your daily verdicts (/today) take it from here.", p.State.Name())}}, nil
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
					return []chat.Reply{rep}, nil
				}
				return nil, Errorf(CodeNotFound, "Your recovery plan starts on race day, %s.", shortDate(p.State.RaceDate))
			}
			if next, ok := p.State.StepOn(today.AddDays(1)); ok {
				rep.Text += fmt.Sprintf("\nTomorrow: %s.", next.Title)
			} else {
				rep.Text += "\nThis is the plan's last day."
			}
			answers, err := b.store.PlanAnswers(ctx, p.ID)
			if err != nil {
				return nil, err
			}
			img, err := recoveryPicture(*p, answers, today, r.privateName())
			return b.withPicture([]chat.Reply{rep}, img, err), nil
		}),
	}
}

// pressPlan adapts the plan to a Fresh / Sore / Hurting button; arg is
// "<plan id>:<answer>".
func (b *Bot) pressPlan(ctx context.Context, r *Request, arg string) ([]chat.Reply, error) {
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
func (b *Bot) planFeedback(ctx context.Context, r *Request, p Plan, fb coach.Feedback) ([]chat.Reply, error) {
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
			return []chat.Reply{{Text: msg + "\n" + note + " /settings consent yes changes that."}}, nil
		}
		return []chat.Reply{{Text: msg + "\n" + note}, consentQuestion("")}, nil
	}
	if !next.Equal(p.State) {
		p.State = next
		if err := b.store.SavePlan(ctx, p); err != nil {
			return nil, err
		}
		// The answer changed the plan, so it counted: the strip shows it.
		if err := b.store.SavePlanAnswer(ctx, r.Member.ID, p.ID, today, fb); err != nil {
			return nil, err
		}
	}
	return []chat.Reply{{Text: msg}}, nil
}

// hurtingWithoutPlan answers /recovery hurting with no plan running: the
// advice, and a red flag for the day (stored as a check-in with consent,
// kept in memory for the day without).
func (b *Bot) hurtingWithoutPlan(ctx context.Context, r *Request) ([]chat.Reply, error) {
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
	return []chat.Reply{{Text: text}}, nil
}
