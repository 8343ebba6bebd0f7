package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/adapters/limit"
	"github.com/shakeoutbot/shakeout/chat"
)

// groupAnonymousBot is the user id Telegram shows for anonymous group
// administrators.
const groupAnonymousBot = 1087968824

// anonymousText answers anonymous administrators (see the package doc).
const anonymousText = "You're posting on behalf of the group, so I can't tell who you are. " +
	"Coach commands and personal answers need to know that: turn off \"Remain anonymous\" in your " +
	"administrator rights (or use your own account) and send it again."

// handleUpdate handles one update completely: replies sent and every
// callback answered. A panic is logged and the update is given up, so one
// bad update cannot stall the ones behind it.
func (a *Adapter) handleUpdate(ctx context.Context, u *models.Update) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("update handler panicked", "update_id", u.ID, "error", panicError{p})
		}
	}()
	switch {
	case u.Message != nil:
		a.onMessage(ctx, u.ID, u.Message)
	case u.CallbackQuery != nil:
		a.onCallback(ctx, u.ID, u.CallbackQuery)
	case u.MyChatMember != nil:
		a.onMyChatMember(ctx, u.MyChatMember)
	}
}

type panicError struct{ v any }

func (p panicError) Error() string {
	if err, ok := p.v.(error); ok {
		return "panic: " + err.Error()
	}
	if s, ok := p.v.(string); ok {
		return "panic: " + s
	}
	return "panic"
}

// origin is where a message came from, for routing the replies.
type origin struct {
	chatID    int64
	private   bool
	userID    int64
	name      string
	messageID int // replied to in groups; 0 for button presses
	thread    int // the forum topic the message came from; 0 for none
	command   string
	updateID  int64
}

func (a *Adapter) onMessage(ctx context.Context, updateID int64, m *models.Message) {
	switch {
	case m.MigrateToChatID != 0:
		_ = a.chatMoved(ctx, m.Chat.ID, m.MigrateToChatID)
		return
	case m.MigrateFromChatID != 0:
		_ = a.chatMoved(ctx, m.MigrateFromChatID, m.Chat.ID)
		return
	}
	chatType := m.Chat.Type
	if chatType != models.ChatTypePrivate && chatType != models.ChatTypeGroup && chatType != models.ChatTypeSupergroup {
		return
	}
	if m.From == nil || m.IsAutomaticForward || (m.From.IsBot && m.From.ID != groupAnonymousBot) {
		return
	}
	me := a.self()
	private := chatType == models.ChatTypePrivate
	repliedToBot := m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && me.ID != 0 && m.ReplyToMessage.From.ID == me.ID
	in, ok := parseText(m.Text, m.Entities, me, private, repliedToBot)
	if m.Document != nil {
		in, ok = documentIntent(m, me, private, repliedToBot)
	}
	if !ok {
		return
	}
	o := origin{
		chatID:   m.Chat.ID,
		private:  private,
		userID:   m.From.ID,
		name:     displayName(m.From),
		command:  in.command,
		updateID: updateID,
	}
	if !private {
		o.messageID = m.ID
		if m.IsTopicMessage {
			o.thread = m.MessageThreadID
		}
	}
	if !private && (m.SenderChat != nil || m.From.ID == groupAnonymousBot) {
		a.log.Info("anonymous sender refused", "chat_id", m.Chat.ID, "command", in.command)
		a.deliver(o, []chat.Reply{{Text: anonymousText}})
		return
	}
	switch a.limit.Check(chat.PlatformTelegram, strconv.FormatInt(m.From.ID, 10)) {
	case limit.Drop:
		a.log.Debug("message dropped: member over the inbound limit", "chat_id", m.Chat.ID, "user_id", m.From.ID)
		return
	case limit.Notice:
		a.log.Info("member over the inbound limit; cooling down", "chat_id", m.Chat.ID, "user_id", m.From.ID)
		a.deliver(o, []chat.Reply{{Text: a.limit.SlowDownText()}})
		return
	}
	msg := chat.Message{
		Platform:   chat.PlatformTelegram,
		UpdateID:   strconv.FormatInt(updateID, 10),
		ChatID:     strconv.FormatInt(m.Chat.ID, 10),
		UserID:     strconv.FormatInt(m.From.ID, 10),
		UserName:   o.name,
		UserHandle: m.From.Username,
		Private:    private,
		Command:    in.command,
		Args:       in.args,
		Time:       time.Unix(int64(m.Date), 0).UTC(),
	}
	if o.thread != 0 {
		msg.ThreadID = strconv.Itoa(o.thread)
	}
	if m.Document != nil {
		msg.Attachment = a.documentAttachment(m.Document)
	}
	if !private {
		msg.ClubChatID = msg.ChatID
		msg.ClubName = m.Chat.Title
	}
	reg := a.core.Catalog()
	// A deep link's "/start <command>" finishes what the member asked for
	// in the group.
	if private && in.command == "start" && validPayload(in.args) {
		if c, ok := reg.Lookup(in.args); ok && c.Name != "start" {
			msg.Command, msg.Args = c.Name, ""
			o.command = c.Name
		}
	}
	if !private && msg.Command != "" {
		if c, ok := reg.Lookup(msg.Command); ok && c.ClubAdmin {
			msg.PlatformAdmin = a.isAdmin(ctx, m.Chat.ID, m.From.ID)
			msg.Target = a.target(ctx, m, in, me)
		}
	}
	replies := a.core.Handle(ctx, msg)
	a.deliver(o, replies)
}

// target finds the person a coach command names by user id: a text
// mention (a member picked from the list, who may have no @username) in
// the arguments, or else the author of the message replied to. The
// platform is asked whether they belong to the group.
func (a *Adapter) target(ctx context.Context, m *models.Message, in intent, me models.User) *chat.UserRef {
	var u *models.User
	for _, e := range m.Entities {
		if e.Type == models.MessageEntityTypeTextMention && e.User != nil && !e.User.IsBot {
			u = e.User
			break
		}
	}
	if u == nil && m.ReplyToMessage != nil && m.ReplyToMessage.From != nil {
		if f := m.ReplyToMessage.From; !f.IsBot && f.ID != me.ID && f.ID != groupAnonymousBot && len(strings.Fields(in.args)) <= 1 {
			u = f
		}
	}
	if u == nil {
		return nil
	}
	ref := &chat.UserRef{UserID: strconv.FormatInt(u.ID, 10), Name: displayName(u)}
	cm, err := a.tg.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: m.Chat.ID, UserID: u.ID})
	if err != nil {
		a.log.Warn("getChatMember for a coach target failed; relying on who has spoken here", "chat_id", m.Chat.ID, "user_id", u.ID, "error", a.scrub(err))
		return ref
	}
	ref.Checked = true
	switch cm.Type {
	case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember:
		ref.InChat = true
	case models.ChatMemberTypeRestricted:
		ref.InChat = cm.Restricted != nil && cm.Restricted.IsMember
	}
	return ref
}

// onMyChatMember follows what Telegram says about the bot's own membership:
// a member who blocks or unblocks the bot in their private chat, a group
// that removes or adds it back.
func (a *Adapter) onMyChatMember(ctx context.Context, u *models.ChatMemberUpdated) {
	if a.reach == nil {
		return
	}
	in := false
	switch u.NewChatMember.Type {
	case models.ChatMemberTypeOwner, models.ChatMemberTypeAdministrator, models.ChatMemberTypeMember:
		in = true
	case models.ChatMemberTypeRestricted:
		in = u.NewChatMember.Restricted != nil && u.NewChatMember.Restricted.IsMember
	}
	id := strconv.FormatInt(u.Chat.ID, 10)
	var err error
	switch u.Chat.Type {
	case models.ChatTypePrivate:
		err = a.reach.MemberReach(ctx, chat.PlatformTelegram, id, in)
	case models.ChatTypeGroup, models.ChatTypeSupergroup:
		err = a.reach.ClubReach(ctx, chat.PlatformTelegram, id, in)
	default:
		return
	}
	if err != nil {
		a.log.Error("record reachability", "chat_id", u.Chat.ID, "error", err)
	}
}

func (a *Adapter) onCallback(ctx context.Context, updateID int64, q *models.CallbackQuery) {
	answered := false
	answerWith := func(text string) {
		if answered {
			return
		}
		answered = true
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		p := &tgbot.AnswerCallbackQueryParams{CallbackQueryID: q.ID}
		if text != "" {
			p.Text, p.ShowAlert = alertText(text), true
		}
		if _, err := a.tg.AnswerCallbackQuery(actx, p); err != nil {
			// A redelivered press was answered the first time round.
			a.log.Debug("answerCallbackQuery failed", "user_id", q.From.ID, "error", a.scrub(err))
		}
	}
	answer := func() { answerWith("") }
	defer answer()

	var where models.Chat
	switch {
	case q.Message.Message != nil:
		where = q.Message.Message.Chat
	case q.Message.InaccessibleMessage != nil:
		where = q.Message.InaccessibleMessage.Chat
	default:
		return // a press on an inline-mode message: not ours
	}
	if q.Data == "" || q.From.IsBot {
		return
	}
	private := where.Type == models.ChatTypePrivate
	o := origin{chatID: where.ID, private: private, userID: q.From.ID, name: displayName(&q.From), updateID: updateID}
	if m := q.Message.Message; m != nil && m.IsTopicMessage && !private {
		o.thread = m.MessageThreadID
	}
	switch a.limit.Check(chat.PlatformTelegram, strconv.FormatInt(q.From.ID, 10)) {
	case limit.Drop:
		return
	case limit.Notice:
		answerWith(a.limit.SlowDownText())
		return
	}
	msg := chat.Message{
		Platform: chat.PlatformTelegram,
		UpdateID: strconv.FormatInt(updateID, 10),
		ChatID:   strconv.FormatInt(where.ID, 10),
		UserID:   strconv.FormatInt(q.From.ID, 10),
		UserName: o.name,
		Private:  private,
		Button:   q.Data,
		Time:     a.now(),
	}
	if !private {
		msg.ClubChatID = msg.ChatID
		msg.ClubName = where.Title
		if c, _, ok := a.core.Catalog().ForButton(q.Data); ok {
			o.command = c.Name
			if c.ClubAdmin {
				msg.PlatformAdmin = a.isAdmin(ctx, where.ID, q.From.ID)
			}
		}
	}
	replies := a.core.Handle(ctx, msg)
	// A refusal that concerns only the presser (someone else's button, an
	// expired one) is shown to them alone, as the button's alert.
	var rest []chat.Reply
	for _, r := range replies {
		if r.Alert && !answered {
			answerWith(r.Text)
			continue
		}
		rest = append(rest, r)
	}
	answer()
	a.deliver(o, rest)
}

// maxAlertText is answerCallbackQuery's text limit.
const maxAlertText = 200

func alertText(s string) string {
	if utf16Len(s) <= maxAlertText {
		return s
	}
	return s[:prefixWithin(s, maxAlertText-1)] + "…"
}

func displayName(u *models.User) string {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" {
		name = u.Username
	}
	return name
}

// deliverNow sends the replies to one message in order. Private replies
// to a group message go to the member's direct chat. When ctx ends before
// all are sent, it returns the ones not sent, from the one in progress on.
func (a *Adapter) deliverNow(ctx context.Context, o origin, replies []chat.Reply) []chat.Reply {
	dmFailed := false
	replyTo := o.messageID
	for i, r := range replies {
		if ctx.Err() != nil {
			return replies[i:]
		}
		to, thread := o.chatID, o.thread
		quote := replyTo
		if r.Private && !o.private {
			if dmFailed {
				continue
			}
			to, quote, thread = o.userID, 0, 0
		}
		err := a.sendReply(ctx, to, r, quote, thread)
		var moved *tgbot.MigrateError
		if errors.As(err, &moved) && to == o.chatID && !o.private {
			newID := int64(moved.MigrateToChatID)
			if a.chatMoved(ctx, o.chatID, newID) == nil {
				o.chatID = newID
				err = a.sendReply(ctx, newID, r, 0, thread)
			}
		}
		if err != nil && ctx.Err() != nil {
			return replies[i:]
		}
		if err == nil {
			if to == o.chatID {
				replyTo = 0 // quote the member once, not under every reply
			}
			continue
		}
		if to == o.userID && !o.private {
			dmFailed = true
			if errors.Is(err, tgbot.ErrorForbidden) && strings.Contains(err.Error(), "initiate") {
				a.hintDM(ctx, o)
				continue
			}
		}
		a.log.Warn("reply not delivered", "chat_id", to, "user_id", o.userID, "command", o.command, "error", err)
	}
	return nil
}

// hintDM tells a member in the group, once per process, how to open the
// direct chat that a private reply needs.
func (a *Adapter) hintDM(ctx context.Context, o origin) {
	a.mu.Lock()
	done := a.hinted[o.userID]
	a.hinted[o.userID] = true
	a.mu.Unlock()
	if done {
		a.log.Info("private reply not delivered: the member has not started a chat with the bot", "user_id", o.userID, "command", o.command)
		return
	}
	payload := o.command
	if !validPayload(payload) {
		payload = "start"
	}
	what := "the answer"
	if o.command != "" && o.command != "start" {
		what = "/" + o.command
	}
	text := o.name + ", I answer that in a private chat, and we haven't got one yet. " +
		"Open https://t.me/" + a.self().Username + "?start=" + payload + " and press Start: I'll finish " + what + " there."
	if err := a.sendReply(ctx, o.chatID, chat.Reply{Text: strings.TrimSpace(text)}, o.messageID, o.thread); err != nil {
		a.log.Warn("direct-chat hint not delivered", "chat_id", o.chatID, "user_id", o.userID, "error", err)
	}
}

// chatMoved records that a group became a supergroup and has the stored
// references moved, once per process for each move.
func (a *Adapter) chatMoved(ctx context.Context, oldID, newID int64) error {
	// Both service messages of one upgrade may be handled at once.
	a.moveMu.Lock()
	defer a.moveMu.Unlock()
	a.mu.Lock()
	done := a.moved[oldID] == newID
	a.mu.Unlock()
	if done {
		return nil
	}
	if a.onChatMoved == nil {
		a.log.Warn("chat moved but nothing stores the move", "chat_id", oldID, "new_chat_id", newID)
	} else if err := a.onChatMoved(ctx, strconv.FormatInt(oldID, 10), strconv.FormatInt(newID, 10)); err != nil {
		a.log.Error("move chat references", "chat_id", oldID, "new_chat_id", newID, "error", err)
		return err
	}
	a.mu.Lock()
	a.moved[oldID] = newID
	a.mu.Unlock()
	a.log.Info("chat moved", "chat_id", oldID, "new_chat_id", newID)
	return nil
}

// adminTTL is how long a getChatMember answer is trusted.
const adminTTL = time.Minute

type adminCache struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[[2]int64]adminEntry
}

type adminEntry struct {
	admin bool
	at    time.Time
}

func newAdminCache(now func() time.Time) *adminCache {
	return &adminCache{now: now, m: map[[2]int64]adminEntry{}}
}

func (c *adminCache) get(chat, user int64) (admin, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, found := c.m[[2]int64{chat, user}]
	if !found || c.now().Sub(e.at) >= adminTTL || c.now().Before(e.at) {
		return false, false
	}
	return e.admin, true
}

func (c *adminCache) put(chat, user int64, admin bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.m) >= 1024 {
		for k, e := range c.m {
			if now.Sub(e.at) >= adminTTL {
				delete(c.m, k)
			}
		}
	}
	c.m[[2]int64{chat, user}] = adminEntry{admin: admin, at: now}
}

// isAdmin reports whether the user administers the group (creator or
// administrator), from a getChatMember answer at most a minute old. A
// failed check counts as no: the core then falls back to the club's own
// coach list.
func (a *Adapter) isAdmin(ctx context.Context, chatID, userID int64) bool {
	if admin, ok := a.admins.get(chatID, userID); ok {
		return admin
	}
	m, err := a.tg.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: chatID, UserID: userID})
	if err != nil {
		a.log.Warn("getChatMember failed; treating the member as no admin", "chat_id", chatID, "user_id", userID, "error", a.scrub(err))
		return false
	}
	admin := m.Type == models.ChatMemberTypeOwner || m.Type == models.ChatMemberTypeAdministrator
	a.admins.put(chatID, userID, admin)
	return admin
}
