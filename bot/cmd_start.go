package bot

import (
	"context"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
)

// PrivacyNote tells members what is stored and how to see or delete it.
const PrivacyNote = "Privacy: I store your training log and settings so I can advise you. Readiness, resting heart rate, " +
	"pain and illness are health data: I keep them only if you say yes when I ask, show them only to you, " +
	"and never post them in a group. /mydata shows everything I hold about you; /forgetme deletes it."

func startCommand(b *Bot) Command {
	return Command{
		Name:     "start",
		Summary:  "What I can do for you",
		Usage:    "/start",
		Examples: []string{"/start"},
		Help:     "Shows a greeting, what I can do and how I treat your data.",
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			var sb strings.Builder
			sb.WriteString("Hi! I'm Shakeout, your club's recovery coach.\n\n")
			sb.WriteString("Ask me anything about recovering from running, in plain words (/ask, or just type it to me in a direct message).\n")
			sb.WriteString("Each morning I can tell you whether today should be EASY, REST or HARD, and why.\n")
			sb.WriteString("After a race I walk you through recovery day by day (/raced).\n\n")
			sb.WriteString(PrivacyNote)
			sb.WriteString("\n\n/help lists every command. Not medical advice: for pain or illness, see a doctor or physiotherapist.")
			return []chat.Reply{{Text: sb.String()}}, nil
		}),
	}
}
