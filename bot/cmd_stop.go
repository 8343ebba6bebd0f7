package bot

import (
	"context"

	"github.com/shakeoutbot/shakeout/chat"
)

func stopCommand(b *Bot) Command {
	return Command{
		Name:     "stop",
		Summary:  "Stop all messages I send you unasked",
		Usage:    "/stop",
		Examples: []string{"/stop"},
		Help:     "Stops every message I send you unasked: the morning verdict and the daily steps of a race plan (the same as /settings nudges off). /settings nudges on starts them again.",
		Private:  true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if r.Args != "" {
				return nil, Invalidf("/stop", "/stop takes nothing after it.")
			}
			m := r.Member
			was := m.Nudges
			m.Nudges = false
			if err := b.store.UpdateMember(ctx, m, false); err != nil {
				return nil, err
			}
			// A plan's steps the member asked for stop too.
			p, err := b.activePlan(ctx, m.ID)
			if err != nil {
				return nil, err
			}
			if p != nil && p.SendSteps {
				was = true
				p.SendSteps = false
				if err := b.store.SavePlan(ctx, *p); err != nil {
					return nil, err
				}
			}
			text := "Done: I won't send you morning messages any more, race-plan steps included (/recovery still shows today's step). /settings nudges on starts them again."
			if !was {
				text = "Your morning messages were already off, so there's nothing more to stop. /settings nudges on starts them."
			}
			return []chat.Reply{{Text: text}}, nil
		}),
	}
}
