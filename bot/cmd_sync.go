package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/shakeoutbot/shakeout/chat"
)

// syncChecked is what a /sync's Precheck did.
type syncChecked struct {
	res SyncResult
	err error
}

func syncCommand(b *Bot) Command {
	return Command{
		Name:     "sync",
		Summary:  "Read your new activities from intervals.icu now",
		Usage:    "/sync",
		Examples: []string{"/sync"},
		Help: "Reads the activities you did since the last sync from your linked intervals.icu account, and your " +
			"wellness (resting heart rate, sleep, soreness, fatigue) if you agreed to health data, as happens before " +
			"every morning message. /connect makes the link.",
		Private: true,
		// The sync calls the service before the update's unit of work
		// opens; what it logs is keyed by the service's activity ids, so
		// a redelivered /sync logs nothing twice.
		Precheck: func(ctx context.Context, m chat.Message) any {
			if !b.icu.enabled() || m.Args != "" {
				return nil
			}
			mem, err := b.store.MemberByUserID(ctx, m.Platform, m.UserID)
			if err != nil {
				return nil
			}
			bound := b.icu.bound
			if bound <= 0 {
				bound = DefaultSyncBound
			}
			fctx, cancel := context.WithTimeout(ctx, bound)
			defer cancel()
			res, err := b.syncMember(fctx, ctx, mem.ID, b.now(), false)
			return &syncChecked{res: res, err: err}
		},
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if r.Args != "" {
				return nil, Invalidf("/sync", "/sync takes nothing after it.")
			}
			if !b.icu.enabled() {
				return nil, Errorf(CodeConflict, "Linking intervals.icu isn't switched on for this bot (its host has to set SHAKEOUT_SECRET_KEY). Log your runs with /log.")
			}
			l, err := b.store.IntervalsLink(ctx, r.Member.ID)
			if errors.Is(err, ErrNotFound) {
				return nil, Errorf(CodeNotFound, "You have no intervals.icu link yet. Send %s here, with your own athlete id and API key.", connectExample)
			}
			if err != nil {
				return nil, err
			}
			check, _ := precheckOf(ctx).(*syncChecked)
			if check == nil {
				return nil, Errorf(CodeConflict, "I couldn't sync just now; try /sync again in a minute.")
			}
			// The sync's notes and questions answer here; a note the
			// morning sync queued earlier is in the outbox already.
			msgs := check.res.Messages
			var rl *IntervalsRateLimited
			switch {
			case l.State == LinkBroken:
				if len(msgs) == 0 {
					msgs = append(msgs, chat.Reply{Text: brokenNote(l.AthleteID)})
				}
				return msgs, nil
			case errors.As(check.err, &rl) || check.res.Skipped == "rate limited":
				return nil, Errorf(CodeConflict, "intervals.icu asked me to wait before reading again; I'll try before your next morning message, or /sync again later.")
			case check.err != nil:
				b.log.Warn("intervals sync", "member_id", r.Member.ID, "error", check.err)
				return nil, Errorf(CodeConflict, "I couldn't read from intervals.icu just now; I'll try again before your next morning message.")
			}
			text := fmt.Sprintf("Synced with intervals.icu: %s logged", syncPlural(check.res.Activities, "new activity", "new activities"))
			if check.res.Wellness > 0 {
				text += fmt.Sprintf(", and %s of wellness as check-in data", syncPlural(check.res.Wellness, "day", "days"))
			}
			text += ". /week shows your log."
			return append([]chat.Reply{{Text: text}}, msgs...), nil
		}),
	}
}

func syncPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
