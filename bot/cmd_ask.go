package bot

import (
	"context"

	"github.com/shakeoutbot/shakeout/chat"
)

func askCommand(b *Bot) Command {
	return Command{
		Name:     "ask",
		Summary:  "Ask a recovery question",
		Usage:    "/ask <question>",
		Examples: []string{"/ask how slow should my recovery run be?", "/ask what should I eat after a long run?"},
		Help: "Ask anything about recovering from running: rest days, recovery runs, easy pace, recovery weeks, " +
			"soreness, sleep, food, races. In a direct message you can just type the question.",
		Options: []chat.Option{{Name: "question", Description: "Your question", Type: chat.OptionString, Required: true}},
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if r.Args == "" {
				return nil, Invalidf("/ask how slow should my recovery run be?", "What would you like to know? Put your question after /ask.")
			}
			a, err := b.ask(ctx, r.Args)
			if err != nil {
				return nil, err
			}
			return []chat.Reply{{Text: a.Text}}, nil
		}),
	}
}
