package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
)

func helpCommand(b *Bot) Command {
	return Command{
		Name:     "help",
		Summary:  "List commands, or help for one",
		Usage:    "/help [command]",
		Examples: []string{"/help", "/help log"},
		Help:     "Lists what I can do; /help <command> explains one command with an example.",
		Options:  []chat.Option{{Name: "command", Description: "A command to explain", Type: chat.OptionString}},
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			name := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(r.Args)), "/")
			if name != "" {
				c, ok := b.registry.Lookup(name)
				if !ok {
					hint := ""
					if s := b.registry.Suggest(name); len(s) > 0 {
						hint = " Did you mean " + strings.Join(s, " or ") + "?"
					}
					return nil, Invalidf("/help log", "There is no command called %q.%s", name, hint)
				}
				return []chat.Reply{{Text: CommandHelp(c)}}, nil
			}
			isAdmin, err := r.IsClubAdmin(ctx)
			if err != nil {
				return nil, err
			}
			return []chat.Reply{{Text: b.helpText(isAdmin && !r.Club.Direct())}}, nil
		}),
	}
}

// CommandHelp is the full help of one command.
func CommandHelp(c Command) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s\n%s\n", c.Usage, c.Help)
	if c.ClubAdmin {
		sb.WriteString("For coaches.\n")
	}
	if len(c.Examples) > 0 {
		sb.WriteString("Examples:\n")
		for _, e := range c.Examples {
			sb.WriteString("  " + e + "\n")
		}
	}
	return strings.TrimRight(sb.String(), "\n")
}

func (b *Bot) helpText(coach bool) string {
	var sb strings.Builder
	sb.WriteString("Here is what I can do:\n")
	for _, c := range b.registry.Commands() {
		if !c.ClubAdmin {
			fmt.Fprintf(&sb, "/%s: %s\n", c.Name, c.Summary)
		}
	}
	if coach {
		sb.WriteString("\nFor coaches:\n")
		for _, c := range b.registry.Commands() {
			if c.ClubAdmin {
				fmt.Fprintf(&sb, "/%s: %s\n", c.Name, c.Summary)
			}
		}
	}
	sb.WriteString("\n/help <command> explains one, with an example. You can also just ask me a recovery question.")
	return sb.String()
}
