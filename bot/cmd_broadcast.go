package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

const broadcastExample = "/broadcast Saturday's long run starts from the park gate at 8:00."

// broadcastTTL is how long a broadcast preview can be confirmed.
const broadcastTTL = 24 * time.Hour

func broadcastCommand(b *Bot) Command {
	return Command{
		Name:     "broadcast",
		Summary:  "Send an announcement to the club, after a preview (coaches)",
		Usage:    "/broadcast <text>",
		Examples: []string{broadcastExample},
		Help: "Shows your announcement as the club will see it, with a button to send it and one to cancel. " +
			"Nothing goes out until you press Send; the preview can be confirmed for a day.",
		Options:      []Option{{Name: "text", Description: "the announcement", Type: OptionString, Required: true}},
		Coach:        true,
		ButtonPrefix: "bcast",
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]Reply, error) {
			text := strings.TrimSpace(r.Args)
			if text == "" {
				return nil, Invalidf(broadcastExample, "Write the announcement after the command.")
			}
			from := "the coaches"
			if r.Club.Name != "" {
				from += " of " + r.Club.Name
			}
			post := fmt.Sprintf("Announcement from %s:\n%s", from, text)
			id, err := b.store.CreateBroadcast(ctx, r.Club.ID, r.Member.ID, post, r.Now)
			if err != nil {
				return nil, err
			}
			return []Reply{{
				Text: "This is how it will look:\n\n" + post + "\n\nSend it to the club?",
				Buttons: [][]Button{{
					{Label: "Send", Data: fmt.Sprintf("bcast:send:%d", id)},
					{Label: "Cancel", Data: fmt.Sprintf("bcast:cancel:%d", id)},
				}},
			}}, nil
		}),
		Press: func(ctx context.Context, r *Request, arg string) ([]Reply, error) {
			action, idText, _ := strings.Cut(arg, ":")
			id, err := strconv.ParseInt(idText, 10, 64)
			if err != nil || (action != "send" && action != "cancel") {
				return nil, Errorf(CodeNotFound, "That button has expired. Send /broadcast again.")
			}
			send := action == "send"
			item := OutboxItem{Key: fmt.Sprintf("broadcast:b%d", id), To: clubRecipient(r.Club), ClubID: r.Club.ID}
			_, err = b.store.TakeBroadcast(ctx, r.Club.ID, id, r.Now.Add(-broadcastTTL), send, item, r.Now)
			if errors.Is(err, ErrNotFound) {
				return nil, Errorf(CodeNotFound, "That announcement was already sent or cancelled, or its preview is more than a day old. Send /broadcast again.")
			}
			if err != nil {
				return nil, err
			}
			if !send {
				return []Reply{{Text: "Cancelled; nothing was sent."}}, nil
			}
			return []Reply{{Text: "Sent to the club's queue; it goes out in a moment."}}, nil
		},
	}
}
