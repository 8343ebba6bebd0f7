package bot

import (
	"context"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
)

func disconnectCommand(b *Bot) Command {
	return Command{
		Name:     "disconnect",
		Summary:  "Unlink intervals.icu and delete the key I kept",
		Usage:    "/disconnect [intervals]",
		Examples: []string{"/disconnect", "/disconnect intervals"},
		Help: "Deletes your intervals.icu link and the API key I kept for it. Sessions already logged from it stay in " +
			"your log (/log delete removes one, /forgetme everything). You can also delete the key at intervals.icu.",
		Private: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if a := strings.ToLower(strings.TrimSpace(r.Args)); a != "" && a != "intervals" && a != "intervals.icu" && a != "icu" {
				return nil, Invalidf("/disconnect", "I can only unlink intervals.icu; /disconnect alone does that.")
			}
			had, err := b.store.DeleteIntervalsLink(ctx, r.Member.ID)
			if err != nil {
				return nil, err
			}
			if !had {
				return []chat.Reply{{Text: "You have no intervals.icu link, so there was nothing to delete. /connect makes one."}}, nil
			}
			b.log.Info("intervals unlinked", "member_id", r.Member.ID)
			return []chat.Reply{{Text: "Unlinked: the intervals.icu key I kept is deleted and I won't read anything from there. " +
				"Sessions already logged from it stay in your log. To be sure, delete the key at intervals.icu → Settings → Developer settings too."}}, nil
		}),
	}
}
