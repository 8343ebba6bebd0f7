package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// maxTextUTF16 is Telegram's message length limit in UTF-16 code units.
const maxTextUTF16 = 4096

// sendTimeout bounds one sendMessage request. A stop lets the request in
// flight finish, so with sendGrace it bounds how long a stop takes.
const sendTimeout = 5 * time.Second

// inlineButton and inlineKeyboard are the reply markup as sent. The SDK's
// own button type always serialises an empty copy_text; these carry only
// what a callback button needs.
type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

// keyboard renders buttons as an inline keyboard; nil when there are none.
// Data longer than Telegram's 64 bytes is an error, never cut short: a
// truncated id would route the press to the wrong place.
func keyboard(rows [][]chat.Button) (*inlineKeyboard, error) {
	var kb inlineKeyboard
	for _, row := range rows {
		var out []inlineButton
		for _, b := range row {
			if n := len(b.Data); n == 0 || n > chat.MaxButtonData {
				return nil, fmt.Errorf("button %q: callback data is %d bytes; Telegram takes 1 to %d", b.Label, n, chat.MaxButtonData)
			}
			if strings.TrimSpace(b.Label) == "" {
				return nil, fmt.Errorf("button with data %q has no label", b.Data)
			}
			out = append(out, inlineButton{Text: b.Label, CallbackData: b.Data})
		}
		if len(out) > 0 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, out)
		}
	}
	if len(kb.InlineKeyboard) == 0 {
		return nil, nil
	}
	return &kb, nil
}

// sendReply sends one interactive reply to chatID (its picture first, as a
// photo), split as needed, quoting
// message replyTo (when not 0) with the first part. Errors are scrubbed of
// the token; they wrap the SDK's errors.
func (a *Adapter) sendReply(ctx context.Context, chatID int64, r chat.Reply, replyTo, thread int) error {
	kb, err := keyboard(r.Buttons)
	if err != nil {
		a.log.Error("reply buttons dropped", "chat_id", chatID, "error", err)
		kb = nil
	}
	parts := replyParts(r)
	if len(parts) == 0 {
		return nil
	}
	for i, p := range parts {
		var markup *inlineKeyboard
		if i == len(parts)-1 {
			markup = kb
		}
		quote := 0
		if i == 0 {
			quote = replyTo
		}
		if err := a.sendPartTo(ctx, chatID, &thread, p, markup, quote); err != nil {
			var tmr *tgbot.TooManyRequestsError
			var held *heldError
			switch {
			case errors.As(err, &tmr):
				return a.scrub(fmt.Errorf("dropped after a retry_after of %d s: %w", tmr.RetryAfter, err))
			case errors.As(err, &held):
				return fmt.Errorf("dropped: %w", err)
			}
			return a.scrub(err)
		}
	}
	return nil
}

// sendPart sends one message within the pacing limits (see paced).
func (a *Adapter) sendPart(ctx context.Context, chatID int64, thread int, text string, kb *inlineKeyboard, replyTo int) error {
	params := &tgbot.SendMessageParams{
		ChatID:             chatID,
		MessageThreadID:    thread,
		Text:               text,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	}
	if kb != nil {
		params.ReplyMarkup = kb
	}
	if replyTo != 0 {
		params.ReplyParameters = &models.ReplyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
	}
	return a.paced(ctx, chatID, sendTimeout, func(sctx context.Context) error {
		_, err := a.tg.SendMessage(sctx, params)
		return err
	})
}

// paced makes one request within the pacing limits. A 429 whose
// retry_after is at most maxInlineWait is waited out and the request made
// again, up to maxTries times; a longer one is returned. A stop cancels
// ctx; a request already on its way is not cut off (it runs under its own
// timeout), so its outcome is known and it is neither lost nor resent.
func (a *Adapter) paced(ctx context.Context, chatID int64, timeout time.Duration, send func(context.Context) error) error {
	for try := 1; ; try++ {
		done, err := a.pace.wait(ctx, chatID, a.maxInlineWait)
		if err != nil {
			return err
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		err = send(sctx)
		cancel()
		done()
		var tmr *tgbot.TooManyRequestsError
		if !errors.As(err, &tmr) {
			return err
		}
		wait := time.Duration(tmr.RetryAfter) * time.Second
		if wait <= 0 {
			wait = time.Second
		}
		a.pace.hold(chatID, wait)
		if wait > a.maxInlineWait || try >= maxTries {
			return err
		}
		a.log.Info("rate limited; waiting", "chat_id", chatID, "retry_in_ms", wait.Milliseconds())
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
	}
}

// topicGone reports a send refused because its forum topic is closed or
// was deleted.
func topicGone(err error) bool {
	if err == nil || !errors.Is(err, tgbot.ErrorBadRequest) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "TOPIC_CLOSED") || strings.Contains(msg, "thread not found") ||
		strings.Contains(msg, "TOPIC_DELETED")
}

// sendToTopic sends one part to a forum topic (thread 0: General, or a
// chat without topics). When the topic is closed or gone, the part and the
// rest of the message go to General instead: *thread is cleared.
func (a *Adapter) sendToTopic(ctx context.Context, chatID int64, thread *int, text string, kb *inlineKeyboard, replyTo int) error {
	err := a.sendPart(ctx, chatID, *thread, text, kb, replyTo)
	if *thread != 0 && topicGone(err) {
		a.log.Info("forum topic closed or gone; sending to General", "chat_id", chatID, "thread_id", *thread)
		*thread = 0
		err = a.sendPart(ctx, chatID, 0, text, kb, replyTo)
	}
	return err
}

// Send implements outbox.Sender for scheduled messages. It blocks while pacing
// requires and is safe for concurrent use; run several Sends at once for
// throughput, since a single chat gets at most one message a second.
//
// A message that needs several parts remembers, for the process lifetime,
// which parts were delivered, so a retried outbox row does not repeat them.
func (a *Adapter) Send(ctx context.Context, o outbox.Outgoing) error {
	if o.To.Platform != "" && o.To.Platform != chat.PlatformTelegram {
		return fmt.Errorf("telegram: cannot deliver to platform %q", o.To.Platform)
	}
	target := o.To.ChatID
	if target == "" {
		target = o.To.UserID // a user's private chat has the user's id
	}
	chatID, err := strconv.ParseInt(target, 10, 64)
	if err != nil || chatID == 0 {
		return fmt.Errorf("%w: %q is not a Telegram chat id", outbox.ErrUnreachable, target)
	}
	kb, err := keyboard(o.Reply.Buttons)
	if err != nil {
		return fmt.Errorf("telegram: outbox row %d: %w", o.ID, err)
	}
	parts := replyParts(o.Reply)
	if len(parts) == 0 {
		return fmt.Errorf("telegram: outbox row %d has no text", o.ID)
	}
	thread, _ := strconv.Atoi(o.To.ThreadID)
	a.mu.Lock()
	start := a.progress[o.ID]
	a.mu.Unlock()
	for i := start; i < len(parts); i++ {
		var markup *inlineKeyboard
		if i == len(parts)-1 {
			markup = kb
		}
		err := a.sendPartTo(ctx, chatID, &thread, parts[i], markup, 0)
		if err == nil {
			if o.ID != 0 && i < len(parts)-1 {
				a.mu.Lock()
				a.progress[o.ID] = i + 1
				a.mu.Unlock()
			}
			continue
		}
		out := a.classify(chatID, err)
		if !o.To.Private && topicGone(err) {
			out = &outbox.RefusedError{Err: a.scrub(err), Fix: "The group's topics for club posts are closed (the chosen one and General), " +
				"so I can't post there. Reopen the topic, or send /club topic in an open topic to choose it."}
		}
		var moved *outbox.ChatMovedError
		if errors.Is(out, outbox.ErrUnreachable) || errors.As(out, &moved) {
			// Never retried here; a moved chat gets every part anew.
			a.forget(o.ID)
		}
		return out
	}
	a.forget(o.ID)
	return nil
}

func (a *Adapter) forget(id int64) {
	a.mu.Lock()
	delete(a.progress, id)
	a.mu.Unlock()
}

// classify turns an SDK error into the delivery contract's errors.
func (a *Adapter) classify(chatID int64, err error) error {
	var tmr *tgbot.TooManyRequestsError
	var held *heldError
	var moved *tgbot.MigrateError
	switch {
	case errors.As(err, &held):
		return &outbox.RetryAfterError{After: held.after}
	case errors.As(err, &tmr):
		after := time.Duration(tmr.RetryAfter) * time.Second
		if after <= 0 {
			after = time.Second
		}
		return &outbox.RetryAfterError{After: after}
	case errors.As(err, &moved):
		return &outbox.ChatMovedError{
			Platform: chat.PlatformTelegram,
			OldID:    strconv.FormatInt(chatID, 10),
			NewID:    strconv.Itoa(moved.MigrateToChatID),
		}
	case errors.Is(err, tgbot.ErrorForbidden):
		// Blocked, deactivated, kicked, never started: all permanent.
		return fmt.Errorf("%w: %w", outbox.ErrUnreachable, a.scrub(err))
	case errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(err.Error(), "chat not found"):
		return fmt.Errorf("%w: %w", outbox.ErrUnreachable, a.scrub(err))
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return a.scrub(err)
}

// splitText cuts text into parts of at most max UTF-16 code units, in
// order, preferring paragraph breaks, then line breaks, then spaces, and
// never splitting a character. Blank text has no parts.
func splitText(text string, max int) []string {
	var parts []string
	rest := strings.TrimSpace(text)
	for rest != "" {
		if utf16Len(rest) <= max {
			parts = append(parts, rest)
			break
		}
		limit := prefixWithin(rest, max)
		cut := -1
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(rest[:limit], sep); i > 0 {
				cut = i
				break
			}
		}
		if cut <= 0 {
			cut = limit
		}
		head := strings.TrimRight(rest[:cut], " \t\n")
		if head == "" {
			head, cut = rest[:limit], limit
		}
		parts = append(parts, head)
		rest = strings.TrimLeft(rest[cut:], " \t\n")
	}
	return parts
}

// prefixWithin returns the byte length of the longest prefix of s that is
// at most max UTF-16 code units and ends on a character boundary.
func prefixWithin(s string, max int) int {
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max {
			return i
		}
		n += w
	}
	return len(s)
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
