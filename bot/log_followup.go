package bot

import (
	"context"
	"fmt"
	"strconv"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// afterLog is what a logged session may add to the confirmation: a warning
// when the session was hard and the member reported pain or illness in the
// last days, and, for a race of 10K or longer with no plan for it, the
// offer of the post-race plan with a button.
func (b *Bot) afterLog(ctx context.Context, r *Request, s LoggedSession) ([]chat.Reply, error) {
	var out []chat.Reply
	if s.Hard() {
		if fl, ok, err := b.recentRedFlag(ctx, r.Member, r.Today()); err != nil {
			return nil, err
		} else if ok {
			out = append(out, chat.Reply{Private: true, Text: fmt.Sprintf(
				"A word of warning: you reported %s in the last few days, and that was a hard session. Hold off on hard running until a check-in says it has passed; if it still hurts, or it changes how you run, see a doctor or physiotherapist.",
				redFlagWords(fl))})
		}
	}
	if s.Kind != coach.KindRace {
		return out, nil
	}
	today := r.Today()
	noHard := coach.RaceNoHardDays(s.DistanceKm) - today.Sub(s.Date)
	if s.DistanceKm <= 0 || noHard <= 0 {
		return out, nil
	}
	race, _ := coach.RaceFor(s.DistanceKm)
	state := coach.NewPlan(s.DistanceKm, s.Date)
	if race == coach.Race5K {
		return append(out, chat.Reply{Text: fmt.Sprintf("Well raced! Your verdicts stay off HARD for %s while your legs recover.", logPlural(noHard, "more day"))}), nil
	}
	p, err := b.activePlan(ctx, r.Member.ID)
	if err != nil {
		return nil, err
	}
	if p != nil && p.State.RaceDate == s.Date {
		return out, nil
	}
	if _, ok := state.StepOn(today); !ok {
		return out, nil
	}
	km := strconv.FormatFloat(s.DistanceKm, 'f', -1, 64)
	return append(out, chat.Reply{Private: true,
		Text: fmt.Sprintf("Well raced! Want me to walk you through your %s recovery day by day (%d days)? Either way, your verdicts stay off HARD for %s.",
			state.Name(), state.Length(), logPlural(noHard, "more day")),
		Buttons: [][]chat.Button{{
			{Label: "Start the " + state.Name() + " plan", Data: "raced:start:" + km + ":" + s.Date.String()},
			{Label: "No thanks", Data: "raced:no"},
		}}}), nil
}

func logPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func redFlagWords(f coach.Flag) string {
	switch f {
	case coach.FlagIllness:
		return "feeling ill"
	case coach.FlagChest:
		return "chest or breathing symptoms"
	}
	return "pain"
}

// recentRedFlag reports a red flag of the last coach.RedFlagDays days: in a
// stored check-in (with consent), kept for today in memory (without), or a
// plan on hold because the member is hurting.
func (b *Bot) recentRedFlag(ctx context.Context, m Member, today coach.Date) (coach.Flag, bool, error) {
	if fl, ok := b.flags.on(m.ID, today); ok {
		return fl, true, nil
	}
	p, err := b.activePlan(ctx, m.ID)
	if err != nil {
		return coach.FlagNone, false, err
	}
	if p != nil && p.State.Hurting {
		return coach.FlagPain, true, nil
	}
	if m.Consent != ConsentYes {
		return coach.FlagNone, false, nil
	}
	cis, err := b.store.CheckInsSince(ctx, m.ID, today.AddDays(-coach.RedFlagDays))
	if err != nil {
		return coach.FlagNone, false, err
	}
	for i := len(cis) - 1; i >= 0; i-- {
		if cis[i].Flag != coach.FlagNone {
			return cis[i].Flag, true, nil
		}
	}
	return coach.FlagNone, false, nil
}
