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

const (
	previewDefaultDays = 7
	previewMaxDays     = 28
)

func previewCommand(b *Bot) Command {
	return Command{
		Name:     "preview",
		Summary:  "What the club's morning posts will say, day by day (coaches)",
		Usage:    "/preview [days]",
		Examples: []string{"/preview", "/preview 14"},
		Help: fmt.Sprintf("Shows, word for word, the morning posts I'll send to the club over the next days (default %d, at most %d), "+
			"from the next one due. Changes to the pattern or recovery weeks show up here straight away.", previewDefaultDays, previewMaxDays),
		Options:   []chat.Option{{Name: "days", Description: "how many days (1-28)", Type: chat.OptionInteger}},
		ClubAdmin: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			days := previewDefaultDays
			if a := strings.TrimSpace(r.Args); a != "" {
				n, err := strconv.Atoi(a)
				if err != nil || n < 1 || n > previewMaxDays {
					return nil, Invalidf("/preview 14", "Give the number of days as a whole number from 1 to %d.", previewMaxDays)
				}
				days = n
			}
			c := r.Club
			loc := b.zoneOf(c.TZ)
			local := r.Now.In(loc)
			from := coach.DateOf(local)
			// Start with today's post while it is still to come.
			key := Slot{Job: &Job{Kind: JobClubPost, Club: c}, Date: from}.Key()
			handled, err := b.store.HandledSlots(ctx, []string{key})
			if err != nil {
				return nil, err
			}
			if handled[key] || !input.ClockOf(local).Before(c.PostTime) {
				from = from.AddDays(1)
			}
			posts, err := b.clubPosts(ctx, c, from, days)
			if err != nil {
				return nil, err
			}
			var sb strings.Builder
			if c.PostOn {
				fmt.Fprintf(&sb, "The next %d morning posts to %s, each at %s %s:", days, clubName(c), c.PostTime, c.TZ)
			} else {
				fmt.Fprintf(&sb, "Morning posts are off (/club post on). Were they on, the next %d would say:", days)
			}
			for _, p := range posts {
				fmt.Fprintf(&sb, "\n\n— %s —\n%s", p.Date, p.Text)
			}
			scheduled, err := b.scheduledBroadcastsText(ctx, c)
			if err != nil {
				return nil, err
			}
			sb.WriteString(scheduled)
			return []chat.Reply{{Text: sb.String()}}, nil
		}),
	}
}
