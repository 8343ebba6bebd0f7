package discord

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/shakeoutbot/shakeout/adapters/limit"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// dmRefused is posted in the channel when a personal answer to a mention
// could not be sent by DM; it carries nothing personal.
const dmRefused = "I tried to answer you in a direct message, but Discord wouldn't let me. " +
	"Allow direct messages from members of this server (click the server name → Privacy Settings → Direct Messages) and ask again."

// Interactive replies wait out short rate limits themselves (a member is
// waiting); anything longer is given up and logged.
const (
	replyRetries      = 3
	replyMaxRetryWait = 5 * time.Second
)

// onMessage answers a direct message or a channel message that mentions the
// bot: the text (without the mention) is a question. In a DM, text that
// starts with a known /command runs that command, since slash commands
// registered in one server do not show up in DMs.
func (a *Adapter) onMessage(ctx context.Context, mc *discordgo.MessageCreate) {
	msg := mc.Message
	if msg == nil || msg.Author == nil || msg.Author.Bot || msg.Author.System {
		return
	}
	botID, _ := a.ids()
	private := msg.GuildID == ""
	text := msg.Content
	if !private {
		if botID == "" || !mentioned(msg.Mentions, botID) {
			return
		}
		text = stripMention(text, botID)
	}
	m := chat.Message{
		Platform:   chat.PlatformDiscord,
		UpdateID:   msg.ID,
		ClubChatID: msg.GuildID,
		ChatID:     msg.ChannelID,
		UserID:     msg.Author.ID,
		UserName:   displayName(msg.Author),
		Private:    private,
		Args:       strings.TrimSpace(text),
		Attachment: messageAttachment(msg.Attachments),
	}
	if !private {
		m.ClubName = a.guildName(msg.GuildID)
	} else {
		a.rememberDM(msg.Author.ID, msg.ChannelID)
		a.takeHint(msg.Author.ID)
		if rest, ok := strings.CutPrefix(m.Args, "/"); ok {
			name, args, _ := strings.Cut(rest, " ")
			if _, known := a.reg.Lookup(name); known {
				m.Command, m.Args = strings.ToLower(name), strings.TrimSpace(args)
			}
		}
	}
	log := a.log.With("chat_id", m.ChatID, "user_id", m.UserID)
	var parts []part
	switch a.limit.Check(chat.PlatformDiscord, m.UserID) {
	case limit.Drop:
		log.Debug("message dropped: member over the inbound limit")
		return
	case limit.Notice:
		log.Info("member over the inbound limit; cooling down")
		parts = []part{{text: a.limit.SlowDownText()}}
	default:
		parts = renderReplies(a.core.Handle(ctx, m))
	}
	ref := &discordgo.MessageReference{MessageID: msg.ID, ChannelID: msg.ChannelID, GuildID: msg.GuildID}
	failIfMissing := false
	ref.FailIfNotExists = &failIfMissing
	dmFailed := false
	for i, p := range parts {
		channel, r := msg.ChannelID, ref
		if p.private && !private {
			// Personal answers never go into the server's channel.
			if dmFailed {
				continue
			}
			ch, err := a.dmChannel(ctx, msg.Author.ID)
			if err == nil {
				channel, r = ch, nil
			} else {
				log.Warn("cannot open a DM for a personal answer", "error", restSummary(err))
				dmFailed = true
				p = part{text: dmRefused}
			}
		}
		err := a.replyMessage(ctx, channel, p, nonce("r", msg.ID, i), r)
		if err != nil && channel != msg.ChannelID && errors.Is(classify(err), outbox.ErrUnreachable) {
			dmFailed = true
			err = a.replyMessage(ctx, msg.ChannelID, part{text: dmRefused}, nonce("r", msg.ID, i), ref)
		}
		if err != nil {
			log.Warn("reply failed", "error", restSummary(err))
			return
		}
		ref = nil // only the first message in the channel is shown as the reply
	}
}

// replyMessage sends one message, waiting out a short rate limit.
func (a *Adapter) replyMessage(ctx context.Context, channelID string, p part, nonce string, ref *discordgo.MessageReference) error {
	for attempt := 1; ; attempt++ {
		_, err := a.createMessage(ctx, channelID, p, nonce, ref)
		var rl *discordgo.RateLimitError
		if err == nil || !errors.As(err, &rl) || attempt == replyRetries || rl.RetryAfter > replyMaxRetryWait {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(rl.RetryAfter):
		}
	}
}

func mentioned(users []*discordgo.User, id string) bool {
	for _, u := range users {
		if u != nil && u.ID == id {
			return true
		}
	}
	return false
}

// stripMention removes the bot's mentions (<@id> and the older <@!id>).
func stripMention(text, botID string) string {
	text = strings.ReplaceAll(text, "<@"+botID+">", " ")
	text = strings.ReplaceAll(text, "<@!"+botID+">", " ")
	return strings.Join(strings.Fields(text), " ")
}
