package bot

import (
	"context"

	"github.com/shakeoutbot/shakeout/chat"
)

func todayCommand(b *Bot) Command {
	return Command{
		Name:     "today",
		Summary:  "Today's verdict: EASY, REST or HARD, and why",
		Usage:    "/today",
		Examples: []string{"/today"},
		Help: "Tells you whether today should be easy, a rest day or a hard day, which rule decided it, a session " +
			"that fits, and your recovery heart-rate ceiling when I know it. It reads your /log, your /checkin (if you " +
			"let me keep it), any post-race plan and your club's weekly plan.",
		Private: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if r.Args != "" {
				return nil, Invalidf("/today", "/today takes nothing after it; it always answers for today.")
			}
			rep, err := b.TodayReply(ctx, r.Member, r.Club, r.Now)
			if err != nil {
				return nil, err
			}
			return []chat.Reply{rep}, nil
		}),
	}
}
