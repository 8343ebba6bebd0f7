package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
)

// Forgetter deletes a member and everything about them.
type Forgetter interface {
	// ForgetMember deletes the member and every row about them in one
	// transaction.
	ForgetMember(ctx context.Context, memberID int64) error
}

// forgetTTL is how long the confirmation button stays valid.
const forgetTTL = 10 * time.Minute

func forgetmeCommand(b *Bot) Command {
	return Command{
		Name:     "forgetme",
		Summary:  "Delete everything I store about you",
		Usage:    "/forgetme",
		Examples: []string{"/forgetme"},
		Help: "Deletes your settings, training log, check-ins, recovery plan and everything else I store about you, " +
			"after you confirm with a button. It can't be undone. /mydata shows what that is first.",
		Private:      true,
		ButtonPrefix: "forget",
		Press:        b.pressForget,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if r.Args != "" {
				return nil, Invalidf("/forgetme", "/forgetme takes nothing after it; I'll ask you to confirm with a button.")
			}
			id, err := b.store.StartFlow(ctx, Flow{MemberID: r.Member.ID, Kind: FlowForget, Expires: r.Now.Add(forgetTTL)}, r.Now)
			if err != nil {
				return nil, err
			}
			return []chat.Reply{{
				Text: "This deletes everything I store about you: settings, training log, check-ins, recovery plan, all of it. " +
					"It can't be undone. Delete it all? (The buttons work for 10 minutes.)",
				Buttons: [][]chat.Button{{
					{Label: "Yes, delete everything", Data: fmt.Sprintf("forget:%d:yes", id)},
					{Label: "Cancel", Data: fmt.Sprintf("forget:%d:no", id)},
				}},
			}}, nil
		}),
	}
}

// pressForget confirms or cancels; arg is "<flow id>:yes|no".
func (b *Bot) pressForget(ctx context.Context, r *Request, arg string) ([]chat.Reply, error) {
	idText, answer, _ := strings.Cut(arg, ":")
	f, err := b.activeFlow(ctx, r, FlowForget, idText, "confirmation", "/forgetme")
	if err != nil {
		return nil, err
	}
	if answer != "yes" {
		if err := b.store.EndFlow(ctx, f.ID); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: "Cancelled: nothing was deleted."}}, nil
	}
	if err := b.store.ForgetMember(ctx, r.Member.ID); err != nil {
		return nil, err
	}
	b.flags.forget(r.Member.ID)
	b.log.Info("member forgotten", "platform", r.Member.Platform, "command", "forgetme")
	return []chat.Reply{{Text: "Done: everything I stored about you is deleted. If you message me again, I'll start afresh with nothing from before."}}, nil
}
