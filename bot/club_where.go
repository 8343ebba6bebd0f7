package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
)

const (
	clubChannelExample = "/club channel #club-news"
	clubTopicExample   = "/club topic"
)

// setClubChannel chooses the Discord channel (or thread) the club's posts,
// notices and broadcasts go to: the one named, or the one the command was
// sent in. A server's own id is never a channel.
func (b *Bot) setClubChannel(ctx context.Context, r *Request, args string) ([]chat.Reply, error) {
	c := r.Club
	if c.Platform != chat.PlatformDiscord {
		return nil, Invalidf(clubTopicExample, "Only a Discord club chooses a channel: here the posts go to the club's own chat. "+
			"In a Telegram group with topics, send /club topic in the topic the posts should go to.")
	}
	arg := strings.TrimSpace(args)
	id := ""
	switch {
	case arg == "" && !r.Msg.Private && r.Msg.ChatID != "" && r.Msg.ChatID != c.ChatID:
		id = r.Msg.ChatID
	case strings.HasPrefix(arg, "<#") && strings.HasSuffix(arg, ">"):
		id = arg[2 : len(arg)-1]
	default:
		id = arg
	}
	if !digits(id) {
		return nil, Invalidf(clubChannelExample, "Pick the channel in the command's channel option, or send /club channel in the channel the posts should go to.")
	}
	if id == c.ChatID {
		return nil, Invalidf(clubChannelExample, "That's the server's id, not one of its channels: pick a text channel or thread.")
	}
	c.PostChat = id
	c.Unreachable = false
	if err := b.store.UpdateClub(ctx, c); err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: fmt.Sprintf("From now on %s's posts, recovery-week notices and broadcasts go to <#%s>. "+
		"I need View Channel and Send Messages there (Send Messages in Threads for a thread).", clubName(c), id)}}, nil
}

// setClubTopic chooses the forum topic of a Telegram group the club's posts
// go to: the topic the command was sent in, or General.
func (b *Bot) setClubTopic(ctx context.Context, r *Request, args string) ([]chat.Reply, error) {
	c := r.Club
	if c.Platform != chat.PlatformTelegram {
		return nil, Invalidf(clubChannelExample, "Topics are a Telegram thing: on Discord choose the channel with /club channel.")
	}
	arg := strings.ToLower(strings.TrimSpace(args))
	switch {
	case arg == "general" || (arg == "" && r.Msg.ThreadID == ""):
		c.PostThread = ""
	case arg == "":
		c.PostThread = r.Msg.ThreadID
	default:
		return nil, Invalidf(clubTopicExample, "Send /club topic inside the topic the posts should go to, or /club topic general for General.")
	}
	if err := b.store.UpdateClub(ctx, c); err != nil {
		return nil, err
	}
	if c.PostThread == "" {
		return []chat.Reply{{Text: "The club's posts go to the group's General topic (or the group itself when it has no topics)."}}, nil
	}
	return []chat.Reply{{Text: "The club's posts go to this topic from now on. If the topic is closed, they go to General instead."}}, nil
}
