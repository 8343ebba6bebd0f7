package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

const coachExample = "/coach add @maya"

func coachCommand(b *Bot) Command {
	return Command{
		Name:     "coach",
		Summary:  "Add or remove a club coach (coaches)",
		Usage:    "/coach add @member | /coach remove @member",
		Examples: []string{coachExample, "/coach remove @maya"},
		Help: "Gives a member the coach role in this club, or takes it away. The group's admins are always coaches. " +
			"The member must have written to me in this group at least once.",
		Options: []Option{
			{Name: "action", Description: "add or remove", Type: OptionString, Required: true, Choices: []string{"add", "remove"}},
			{Name: "member", Description: "the member (@name)", Type: OptionString, Required: true},
		},
		Coach: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]Reply, error) {
			fields := strings.Fields(r.Args)
			if len(fields) != 2 {
				return nil, Invalidf(coachExample, "Say add or remove, then the member.")
			}
			action := strings.ToLower(fields[0])
			if action != "add" && action != "remove" {
				return nil, Invalidf(coachExample, "%q isn't add or remove.", fields[0])
			}
			who := mentionID(fields[1])
			if who == "" {
				return nil, Invalidf(coachExample, "Name the member after %s, e.g. @maya.", action)
			}
			m, err := b.store.FindClubMember(ctx, r.Club, who)
			if errors.Is(err, ErrNotFound) {
				return nil, Errorf(CodeNotFound, "I don't know %s in this club yet: they need to send me a message here first (/start will do). Then try %s again.", fields[1], "/coach "+action)
			}
			if err != nil {
				return nil, err
			}
			changed, err := b.store.SetCoach(ctx, r.Club.ID, m.ID, action == "add")
			if err != nil {
				return nil, err
			}
			name := m.Name
			if name == "" {
				name = m.UserID
			}
			switch {
			case action == "add" && changed:
				return []Reply{{Text: fmt.Sprintf("%s is now a coach of %s.", name, clubName(r.Club))}}, nil
			case action == "add":
				return []Reply{{Text: fmt.Sprintf("%s is already a coach of %s.", name, clubName(r.Club))}}, nil
			case changed:
				return []Reply{{Text: fmt.Sprintf("%s is no longer on %s coach list. (Group admins stay coaches whatever the list says.)", name, possessive(clubName(r.Club)))}}, nil
			}
			return []Reply{{Text: fmt.Sprintf("%s isn't on %s coach list, so there was nothing to remove.", name, possessive(clubName(r.Club)))}}, nil
		}),
	}
}

// mentionID reads a member reference: "@name", a Discord mention "<@123>"
// or "<@!123>", or a bare id or name.
func mentionID(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		s = strings.TrimPrefix(strings.TrimSuffix(s[2:], ">"), "!")
	}
	return strings.TrimPrefix(s, "@")
}
