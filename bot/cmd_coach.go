package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
)

const coachExample = "/coach add @maya_runs"

func coachCommand(b *Bot) Command {
	return Command{
		Name:     "coach",
		Summary:  "Add or remove a club coach (coaches)",
		Usage:    "/coach add @member | /coach remove @member",
		Examples: []string{coachExample, "/coach remove @maya_runs"},
		Help: "Gives a member of this club the coach role, or takes it away. The group's admins are always coaches. " +
			"Name the member so that the platform tells me who they are: on Telegram mention them (pick them from the list " +
			"that appears after @, or reply to one of their messages with /coach add); on Discord pick them in the member option. " +
			"Display names are never used, since anyone can take one.",
		Options: []chat.Option{
			{Name: "action", Description: "add or remove", Type: chat.OptionString, Required: true, Choices: []string{"add", "remove"}},
			{Name: "member", Description: "the member", Type: chat.OptionUser, Required: true},
		},
		ClubAdmin: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			fields := strings.Fields(r.Args)
			if len(fields) == 0 || len(fields) > 2 || (len(fields) == 1 && r.Msg.Target == nil) {
				return nil, Invalidf(coachExample, "Say add or remove, then mention the member (or reply to one of their messages with /coach add).")
			}
			action := strings.ToLower(fields[0])
			if action != "add" && action != "remove" {
				return nil, Invalidf(coachExample, "%q isn't add or remove.", fields[0])
			}
			m, err := b.coachTarget(ctx, r, fields[1:])
			if err != nil {
				return nil, err
			}
			if m.ID == r.Member.ID && action == "remove" {
				return nil, Invalidf(coachExample, "You can't take the coach role from yourself; ask another coach.")
			}
			changed, err := b.store.SetClubAdmin(ctx, r.Club.ID, m.ID, action == "add")
			if err != nil {
				return nil, err
			}
			name := m.Name
			if name == "" {
				name = m.UserID
			}
			switch {
			case action == "add" && changed:
				return []chat.Reply{{Text: fmt.Sprintf("%s is now a coach of %s.", name, clubName(r.Club))}}, nil
			case action == "add":
				return []chat.Reply{{Text: fmt.Sprintf("%s is already a coach of %s.", name, clubName(r.Club))}}, nil
			case changed:
				return []chat.Reply{{Text: fmt.Sprintf("%s is no longer on %s coach list. (Group admins stay coaches whatever the list says.)", name, possessive(clubName(r.Club)))}}, nil
			}
			return []chat.Reply{{Text: fmt.Sprintf("%s isn't on %s coach list, so there was nothing to remove.", name, possessive(clubName(r.Club)))}}, nil
		}),
	}
}

// coachTarget finds the member a /coach command names, by platform id
// only: the adapter's resolved mention or reply, a typed <@id> or id, or
// a unique @handle the bot has seen. The member must belong to the club:
// the platform said so, or they have spoken in the club's chat.
func (b *Bot) coachTarget(ctx context.Context, r *Request, rest []string) (Member, error) {
	p := r.Club.Platform
	notMember := func(who string) error {
		return Errorf(CodeNotFound, "I don't know %s as a member of %s, so they can't be a coach here. "+
			"They need to be in the group and to have sent me a message there (/start will do); then try /coach add again.", who, clubName(r.Club))
	}
	if t := r.Msg.Target; t != nil && t.UserID != "" {
		who := t.Name
		if who == "" {
			who = "that person"
		}
		if t.Checked && !t.InChat {
			return Member{}, notMember(who)
		}
		m, err := b.store.MemberByUserID(ctx, p, t.UserID)
		switch {
		case errors.Is(err, ErrNotFound) && t.Checked:
			// The platform vouches for them; they just never wrote to me.
			m, err = b.store.EnsureMember(ctx, p, t.UserID, t.Name, 0, "")
			if err != nil {
				return Member{}, err
			}
			return m, b.store.SeenInClub(ctx, r.Club.ID, m.ID, "")
		case errors.Is(err, ErrNotFound):
			return Member{}, notMember(who)
		case err != nil:
			return Member{}, err
		}
		if t.Checked {
			return m, b.store.SeenInClub(ctx, r.Club.ID, m.ID, "")
		}
		ok, err := b.store.IsClubMember(ctx, r.Club.ID, m.ID)
		if err != nil {
			return Member{}, err
		}
		if !ok {
			return Member{}, notMember(who)
		}
		return m, nil
	}
	if len(rest) == 0 {
		return Member{}, Invalidf(coachExample, "Mention the member after the action.")
	}
	typed := rest[0]
	id, handle := mentionRef(typed)
	var m Member
	var err error
	switch {
	case id != "":
		m, err = b.store.MemberByUserID(ctx, p, id)
	case handle != "":
		m, err = b.store.MemberByUsername(ctx, p, handle)
	default:
		return Member{}, Invalidf(coachExample, "I can't tell who %q is: mention the member so the platform tells me their account "+
			"(or reply to one of their messages with /coach add). Display names can't be used, since anyone can take one.", typed)
	}
	if errors.Is(err, ErrNotFound) {
		return Member{}, notMember(typed)
	}
	if err != nil {
		return Member{}, err
	}
	ok, err := b.store.IsClubMember(ctx, r.Club.ID, m.ID)
	if err != nil {
		return Member{}, err
	}
	if !ok {
		return Member{}, notMember(typed)
	}
	return m, nil
}
