package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

const (
	clubPlanExample = "/club plan mon=easy tue=hard wed=easy thu=hard fri=rest sat=long sun=easy"
	clubPostExample = "/club post 06:30 Europe/Berlin"
)

func clubCommand(b *Bot) Command {
	return Command{
		Name:     "club",
		Summary:  "Club settings: weekly pattern, morning post time (coaches)",
		Usage:    "/club [plan day=easy|hard|long|rest ...] [post HH:MM [timezone] | post off | post on] [today] [picture on|off]",
		Examples: []string{"/club", clubPlanExample, "/club plan fri=rest", clubPostExample, "/club post off", "/club today", clubPictureExample},
		Help: "Shows the club's settings: morning post time and timezone, weekly pattern, recovery weeks, coaches, and how many members get " +
			"the personal morning message (by name only those who chose /settings listed yes). " +
			"/club plan sets days of the weekly pattern (days you leave out keep their value); a long day is a hard day whose session is the long run. " +
			"/club post sets the time (and optionally the timezone) of the morning club post, or turns it off and on. " +
			"/club channel (Discord) and /club topic (Telegram groups with topics) choose where the posts go. " +
			"/club today sends you, privately, a picture of the club's day: how many members are on EASY, REST or HARD and on which day of a post-race plan, " +
			"counted from members who agreed to health data, only when at least 5 do and never with names. /club picture on adds it to the morning club post.",
		Options: []chat.Option{
			{Name: "settings", Description: "plan day=kind ..., or post HH:MM [timezone] / off / on", Type: chat.OptionString},
			{Name: "channel", Description: "the channel or thread the club's posts go to", Type: chat.OptionChannel, Keyword: true},
		},
		ClubAdmin: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			sub, rest, _ := strings.Cut(strings.TrimSpace(r.Args), " ")
			switch strings.ToLower(sub) {
			case "":
				return b.showClub(ctx, r)
			case "plan", "pattern", "week":
				return b.setClubPlan(ctx, r, rest)
			case "post":
				return b.setClubPost(ctx, r, rest)
			case "channel":
				return b.setClubChannel(ctx, r, rest)
			case "topic":
				return b.setClubTopic(ctx, r, rest)
			case "today":
				return b.clubToday(ctx, r, rest)
			case "picture":
				return b.setClubPicture(ctx, r, rest)
			}
			return nil, Invalidf(clubPlanExample, "I can't do \"/club %s\": /club on its own shows the settings, /club plan sets the weekly pattern and /club post sets the morning post.", sub)
		}),
	}
}

func (b *Bot) showClub(ctx context.Context, r *Request) ([]chat.Reply, error) {
	c := r.Club
	var sb strings.Builder
	fmt.Fprintf(&sb, "Club: %s\n", clubName(c))
	if c.PostOn {
		fmt.Fprintf(&sb, "Morning post: %s %s (change with /club post HH:MM [timezone], stop with /club post off)\n", c.PostTime, c.TZ)
	} else {
		fmt.Fprintf(&sb, "Morning post: off (it would go out at %s %s; /club post on)\n", c.PostTime, c.TZ)
	}
	sb.WriteString(postWhereLine(c))
	pattern := c.Pattern
	if pattern.IsZero() {
		pattern = coach.DefaultPattern()
	}
	fmt.Fprintf(&sb, "Weekly pattern: %s\n", pattern)
	today := coach.DateOf(r.Now.In(b.zoneOf(c.TZ)))
	weeks, err := b.store.RecoveryWeeksFrom(ctx, c.ID, today)
	if err != nil {
		return nil, err
	}
	if len(weeks) == 0 {
		sb.WriteString("Recovery weeks: none declared (/recoveryweek <start date>)\n")
	} else {
		items := make([]string, 0, len(weeks))
		for _, w := range weeks {
			item := fmt.Sprintf("%s to %s", w.Start, w.End())
			if w.Note != "" {
				item += fmt.Sprintf(" (%s)", w.Note)
			}
			items = append(items, item)
		}
		fmt.Fprintf(&sb, "Recovery weeks: %s\n", strings.Join(items, "; "))
	}
	if c.RecoveryEvery > 0 {
		who := "a coach"
		if m, err := b.store.RecoveryReminderMember(ctx, c.ID); err == nil {
			who = m.Name
		}
		fmt.Fprintf(&sb, "Recovery rhythm: every %d weeks, counted from %s; %s gets a reminder\n", c.RecoveryEvery, c.RecoveryAnchor, who)
	}
	roster, err := b.store.NudgeRoster(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	sb.WriteString(rosterLine(roster))
	coaches, err := b.store.ClubAdmins(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(coaches))
	for _, m := range coaches {
		names = append(names, m.Name)
	}
	if len(names) == 0 {
		sb.WriteString("Coaches: the group's admins (add more with /coach add @member)")
	} else {
		fmt.Fprintf(&sb, "Coaches: %s, and the group's admins", strings.Join(names, ", "))
	}
	return []chat.Reply{{Text: sb.String()}}, nil
}

func (b *Bot) setClubPlan(ctx context.Context, r *Request, args string) ([]chat.Reply, error) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return nil, Invalidf(clubPlanExample, "Tell me which days to set, as day=easy, hard, long or rest; days you leave out keep their value.")
	}
	pattern := r.Club.Pattern
	if pattern.IsZero() {
		pattern = coach.DefaultPattern()
	}
	seen := map[time.Weekday]bool{}
	for _, f := range fields {
		day, kind, ok := strings.Cut(f, "=")
		if !ok {
			return nil, Invalidf(clubPlanExample, "I can't read %q: write each day as day=kind, e.g. tue=hard.", f)
		}
		wd, ok := coach.ParseWeekday(day)
		if !ok {
			return nil, Invalidf(clubPlanExample, "%q is not a day of the week: use mon, tue, wed, thu, fri, sat or sun.", day)
		}
		if seen[wd] {
			return nil, Invalidf(clubPlanExample, "%s is set twice; give each day once.", wd)
		}
		seen[wd] = true
		plan, ok := coach.ParseDayPlan(kind)
		if !ok {
			return nil, Invalidf(clubPlanExample, "%q is not a kind of day: use easy, hard, long or rest.", kind)
		}
		pattern[wd] = plan
	}
	c := r.Club
	c.Pattern = pattern
	if err := b.store.UpdateClub(ctx, c); err != nil {
		return nil, err
	}
	text := "The club's week is now: " + pattern.String() + "\nThe morning posts follow it from the next one; /preview shows them."
	if w := pattern.Warnings(); len(w) > 0 {
		text += "\nA word of caution: " + strings.Join(w, " ") + " Members' own verdicts still hold them back when they need it, but the club's posts follow the week as set."
	}
	return []chat.Reply{{Text: text}}, nil
}

func (b *Bot) setClubPost(ctx context.Context, r *Request, args string) ([]chat.Reply, error) {
	fields := strings.Fields(args)
	c := r.Club
	switch {
	case len(fields) == 0:
		return nil, Invalidf(clubPostExample, "Give the time of the morning post as HH:MM, optionally with a timezone, or say off or on.")
	case len(fields) == 1 && strings.EqualFold(fields[0], "off"):
		c.PostOn = false
		if err := b.store.UpdateClub(ctx, c); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: "Morning club posts are off. Members' own nudges and recovery-week notices carry on. /club post on brings the posts back."}}, nil
	case len(fields) == 1 && strings.EqualFold(fields[0], "on"):
		c.PostOn = true
	case len(fields) <= 2:
		at, err := input.ParseClock(fields[0])
		if err != nil {
			return nil, Invalidf(clubPostExample, "%s", upperFirstRune(err.Error()))
		}
		c.PostTime, c.PostOn = at, true
		if len(fields) == 2 {
			tz, err := input.ParseTimezone(fields[1])
			if err != nil {
				return nil, Invalidf(clubPostExample, "%s", upperFirstRune(err.Error()))
			}
			c.TZ = tz
		}
	default:
		return nil, Invalidf(clubPostExample, "That's more than I expected: give a time and at most one timezone.")
	}
	if err := b.store.UpdateClub(ctx, c); err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: fmt.Sprintf("The morning club post goes out at %s %s every day. /preview shows what it will say.", c.PostTime, c.TZ)}}, nil
}

// possessive writes "harriers' " style possessives: "the club's",
// "Maya's", "harriers'".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") || strings.HasSuffix(name, "S") {
		return name + "'"
	}
	return name + "'s"
}

// rosterLine says how many of the club's members get the personal morning
// message, naming only those who chose to be listed.
func rosterLine(r NudgeRoster) string {
	if r.Members == 0 {
		return "Morning messages: no members yet\n"
	}
	line := fmt.Sprintf("Morning messages: %d of %s get them", r.On, input.Plural(r.Members, "member"))
	if r.On == 0 {
		return line + "\n"
	}
	switch unnamed := r.On - len(r.Listed); {
	case len(r.Listed) == 0:
		line += " (none chose to be named; /settings listed yes)"
	case unnamed == 0:
		line += " (" + strings.Join(r.Listed, ", ") + ")"
	default:
		line += fmt.Sprintf(" (%s, and %d not named)", strings.Join(r.Listed, ", "), unnamed)
	}
	return line + "\n"
}

// postWhereLine says where the club's posts go, and how to change it.
func postWhereLine(c Club) string {
	switch {
	case c.Platform == chat.PlatformDiscord && c.PostChat == "":
		return "Posts go to: no channel yet; a coach chooses one with /club channel #channel\n"
	case c.Platform == chat.PlatformDiscord:
		return fmt.Sprintf("Posts go to: <#%s> (change with /club channel #channel)\n", c.PostChat)
	case c.PostThread != "":
		return fmt.Sprintf("Posts go to: topic %s of this group (send /club topic in another topic to move them)\n", c.PostThread)
	default:
		return "Posts go to: this chat (in a group with topics, /club topic in a topic sends them there)\n"
	}
}
