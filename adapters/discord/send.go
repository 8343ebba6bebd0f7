package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// Discord's message limits.
const (
	MaxMessageLength = 2000
	maxCustomID      = 100
	maxButtonLabel   = 80
	maxButtonsPerRow = 5
	maxRows          = 5
	maxNonce         = 25
)

// part is one Discord message: a piece of a reply's text, with the reply's
// picture on its first piece and its buttons on its last.
type part struct {
	text       string
	components []discordgo.MessageComponent
	private    bool
	image      *chat.Image
}

// renderReplies splits replies into messages of at most 2,000 characters,
// in order.
func renderReplies(rs []chat.Reply) []part {
	var out []part
	for _, r := range rs {
		texts := splitText(r.Text, MaxMessageLength)
		comps := components(r.Buttons)
		if len(texts) == 0 {
			if len(comps) == 0 && r.Image == nil {
				continue
			}
			texts = []string{""}
		}
		for i, t := range texts {
			p := part{text: t, private: r.Private}
			if i == 0 && r.Image != nil && len(r.Image.PNG) > 0 {
				p.image = r.Image
			}
			if i == len(texts)-1 {
				p.components = comps
			}
			out = append(out, p)
		}
	}
	return out
}

// splitText cuts s into pieces of at most max characters, preferring a
// paragraph break, then a line break, then a space; a piece is cut hard only
// when it has none of them.
func splitText(s string, max int) []string {
	s = strings.TrimSpace(s)
	var out []string
	for s != "" {
		if utf8.RuneCountInString(s) <= max {
			out = append(out, s)
			break
		}
		cut := byteIndexOfRune(s, max)
		head := s[:cut]
		at, skip := -1, 0
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(head, sep); i > 0 {
				at, skip = i, len(sep)
				break
			}
		}
		if at < 0 {
			at, skip = cut, 0
		}
		out = append(out, strings.TrimRight(s[:at], " \n"))
		s = strings.TrimLeft(s[at+skip:], " \n")
	}
	return out
}

// byteIndexOfRune is the byte offset of the nth rune of s.
func byteIndexOfRune(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	return len(s)
}

// components renders button rows: at most 5 buttons a row and 5 rows;
// buttons whose data Discord would refuse are left out.
func components(rows [][]chat.Button) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for _, row := range rows {
		var btns []discordgo.MessageComponent
		flush := func() {
			if len(btns) > 0 && len(out) < maxRows {
				out = append(out, discordgo.ActionsRow{Components: btns})
			}
			btns = nil
		}
		for _, b := range row {
			if b.Data == "" || utf8.RuneCountInString(b.Data) > maxCustomID {
				continue
			}
			label := b.Label
			if label == "" {
				label = b.Data
			}
			btns = append(btns, discordgo.Button{
				Label: truncate(label, maxButtonLabel), Style: discordgo.SecondaryButton, CustomID: b.Data,
			})
			if len(btns) == maxButtonsPerRow {
				flush()
			}
		}
		flush()
	}
	return out
}

// noMentions is allowed_mentions {"parse": []}: the bot never pings anyone,
// whatever the text contains.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// messageCreate adds what discordgo v0.29.0's MessageSend lacks: a nonce
// that, with enforce_nonce, makes Discord return the earlier message instead
// of creating a second one when a send is repeated within a few minutes.
type messageCreate struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// nonce derives a message nonce (at most 25 characters) from an id and the
// part number, so each part of a message has its own.
func nonce(prefix string, id string, partNo int) string {
	n := prefix + id
	if partNo > 0 {
		n += "." + strconv.Itoa(partNo)
	}
	if len(n) > maxNonce {
		n = n[len(n)-maxNonce:]
	}
	return n
}

// createMessage posts one message to a channel. It never sleeps out a 429:
// the *discordgo.RateLimitError comes back to the caller.
func (a *Adapter) createMessage(ctx context.Context, channelID string, p part, nonce string, ref *discordgo.MessageReference) (*discordgo.Message, error) {
	body := messageCreate{
		MessageSend: &discordgo.MessageSend{
			Content: p.text, Components: p.components, AllowedMentions: noMentions(), Reference: ref,
		},
		Nonce:        nonce,
		EnforceNonce: nonce != "",
	}
	ep := discordgo.EndpointChannelMessages(channelID)
	resp, err := a.postMessage(ctx, ep, body, p)
	if err != nil {
		return nil, err
	}
	var m discordgo.Message
	if err := discordgo.Unmarshal(resp, &m); err != nil {
		return nil, fmt.Errorf("discord: decoding the created message: %w", err)
	}
	return &m, nil
}

// Send delivers a scheduled message (outbox.Sender). A personal message
// without a chat goes to the member's DM channel, opened once and
// remembered. Each part carries a nonce derived from the outbox id, so a
// resend after a lost response does not duplicate it; parts already
// accepted are not sent again by this process. Errors follow outbox.Sender: a
// 429 is a *outbox.RetryAfterError, a recipient Discord refuses for good wraps
// outbox.ErrUnreachable.
func (a *Adapter) Send(ctx context.Context, o outbox.Outgoing) error {
	if o.To.Platform != "" && o.To.Platform != chat.PlatformDiscord {
		return fmt.Errorf("discord: cannot send to platform %q", o.To.Platform)
	}
	channelID := o.To.ChatID
	if channelID == "" {
		if o.To.UserID == "" {
			return errors.New("discord: outgoing message without a chat or user")
		}
		ch, err := a.dmChannel(ctx, o.To.UserID)
		if err != nil {
			var slow *dmTooFast
			if errors.As(err, &slow) {
				return &outbox.RetryAfterError{After: slow.after}
			}
			return a.sendFailed(o, err)
		}
		channelID = ch
	} else if o.To.UserID != "" && o.To.Private {
		a.rememberDM(o.To.UserID, channelID)
	}
	parts := renderReplies([]chat.Reply{o.Reply})
	a.mu.Lock()
	done := a.sentParts[o.ID]
	a.mu.Unlock()
	id := strconv.FormatInt(o.ID, 10)
	for i := done; i < len(parts); i++ {
		if _, err := a.createMessage(ctx, channelID, parts[i], nonce("o", id, i), nil); err != nil {
			a.mu.Lock()
			a.sentParts[o.ID] = i
			a.mu.Unlock()
			return a.sendFailed(o, err)
		}
	}
	a.mu.Lock()
	delete(a.sentParts, o.ID)
	a.mu.Unlock()
	return nil
}

func (a *Adapter) sendFailed(o outbox.Outgoing, err error) error {
	if !o.To.Private {
		if fix, ok := postRefusal(err); ok {
			a.mu.Lock()
			delete(a.sentParts, o.ID)
			a.mu.Unlock()
			return &outbox.RefusedError{Fix: fix, Err: errors.New(restSummary(err))}
		}
	}
	err = classify(err)
	if errors.Is(err, outbox.ErrUnreachable) {
		a.mu.Lock()
		delete(a.sentParts, o.ID)
		if o.To.UserID != "" {
			a.dmHints[o.To.UserID] = true
			delete(a.dms, o.To.UserID)
		}
		a.mu.Unlock()
	}
	return err
}

// dmChannel returns the DM channel with a user, opening it once. Discord
// returns the existing channel when asked again, but opening many quickly
// gets a bot flagged, so the id is remembered.
func (a *Adapter) dmChannel(ctx context.Context, userID string) (string, error) {
	a.mu.Lock()
	ch := a.dms[userID]
	a.mu.Unlock()
	if ch != "" {
		return ch, nil
	}
	if err := a.dmOpen.wait(ctx); err != nil {
		return "", err
	}
	c, err := a.rest.UserChannelCreate(userID, discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	if err != nil {
		if restCode(err) == codeOpeningDMsTooFast {
			after := a.dmOpen.slowDown()
			a.log.Warn("Discord says DMs are opened too fast (40003); slowing down", "retry_in_ms", after.Milliseconds())
			return "", &dmTooFast{after: after}
		}
		return "", err
	}
	a.rememberDM(userID, c.ID)
	if a.dmStore != nil {
		if err := a.dmStore.SetDMChat(ctx, chat.PlatformDiscord, userID, c.ID); err != nil {
			a.log.Warn("store the DM channel", "user_id", userID, "error", err)
		}
	}
	return c.ID, nil
}

func (a *Adapter) rememberDM(userID, channelID string) {
	a.mu.Lock()
	a.dms[userID] = channelID
	a.mu.Unlock()
}

// Discord JSON error codes the adapter acts on.
const (
	codeUnknownChannel      = 10003
	codeUnknownGuild        = 10004
	codeUnknownUser         = 10013
	codeOpeningDMsTooFast   = 40003
	codeMissingAccess       = 50001
	codeCannotMessageUser   = 50007
	codeMissingPermissions  = 50013
	codeNoMutualGuilds      = 50278
	codeThreadArchived      = 50083
	permissionsForClubPosts = "View Channel, Send Messages and, for a thread, Send Messages in Threads"
)

// restCode is the JSON error code of a Discord REST error, or 0.
func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

// postRefusal says what a coach must fix when Discord refuses a post to the
// club's channel for good.
func postRefusal(err error) (string, bool) {
	switch restCode(err) {
	case codeUnknownChannel:
		return "The club's channel no longer exists (it was deleted, or I can't see it). " +
			"Choose another with /club channel, and the posts resume there.", true
	case codeMissingAccess:
		return "I can't see the club's channel any more. Give me " + permissionsForClubPosts +
			" there (channel settings → Permissions), or choose another channel with /club channel.", true
	case codeMissingPermissions:
		return "I'm missing a permission in the club's channel. Give me " + permissionsForClubPosts +
			" there (channel settings → Permissions), or choose another channel with /club channel.", true
	case codeThreadArchived:
		return "The club's thread is archived. Unarchive it, or choose another channel with /club channel.", true
	}
	return "", false
}

// classify maps a discordgo error to what outbox.Sender promises. The message
// never carries the response body, which may echo the request.
func classify(err error) error {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		return &outbox.RetryAfterError{After: rl.RetryAfter}
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return fmt.Errorf("discord: %s", restSummary(err))
	}
	code, msg := 0, ""
	if re.Message != nil {
		code, msg = re.Message.Code, re.Message.Message
	}
	switch {
	case code == codeCannotMessageUser, code == codeNoMutualGuilds:
		return fmt.Errorf("discord: cannot send messages to this user (%d): %w", code, outbox.ErrUnreachable)
	case code == codeUnknownChannel, code == codeUnknownGuild, code == codeUnknownUser, code == codeMissingAccess,
		re.Response.StatusCode == http.StatusForbidden:
		return fmt.Errorf("discord: HTTP %d, code %d %s: %w", re.Response.StatusCode, code, msg, outbox.ErrUnreachable)
	}
	return fmt.Errorf("discord: HTTP %d, code %d %s", re.Response.StatusCode, code, msg)
}

// restSummary is a short, body-free description of a REST error for logs.
func restSummary(err error) string {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Sprintf("rate limited, retry after %s", rl.RetryAfter)
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		if re.Message != nil {
			return fmt.Sprintf("HTTP %d, code %d %s", re.Response.StatusCode, re.Message.Code, re.Message.Message)
		}
		return fmt.Sprintf("HTTP %d", re.Response.StatusCode)
	}
	// A transport error names the URL, and a webhook URL holds the
	// interaction token: keep only the operation and the cause.
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}
