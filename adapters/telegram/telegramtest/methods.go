package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Method handlers run with s.mu held.

func (s *Server) getMe(params) response {
	return okResult(map[string]any{
		"id":                          s.cfg.botID,
		"is_bot":                      true,
		"first_name":                  s.cfg.firstName,
		"username":                    s.cfg.username,
		"can_join_groups":             true,
		"can_read_all_group_messages": false,
		"supports_inline_queries":     false,
		"can_connect_to_business":     false,
		"has_main_web_app":            false,
	}, "")
}

func requireChat(p params) (int64, *response) {
	v, ok := p["chat_id"]
	if !ok || strings.TrimSpace(v) == "" {
		r := badRequest("chat_id is empty")
		return 0, &r
	}
	id, ok := p.chat()
	if !ok {
		r := badRequest("chat not found")
		return 0, &r
	}
	return id, nil
}

func (s *Server) chatLocked(chatID int64) Chat {
	if c, ok := s.chats[chatID]; ok {
		return c
	}
	c := Chat{ID: chatID, Type: chatTypeByID(chatID)}
	if c.Type == ChatPrivate {
		if u, ok := s.users[chatID]; ok {
			c.FirstName, c.LastName, c.Username = u.FirstName, u.LastName, u.Username
		} else {
			c.FirstName = "User " + strconv.FormatInt(chatID, 10)
		}
	} else {
		c.Title = "Chat " + strconv.FormatInt(chatID, 10)
	}
	return c
}

type replyParameters struct {
	MessageID                int             `json:"message_id"`
	ChatID                   json.RawMessage `json:"chat_id"`
	AllowSendingWithoutReply bool            `json:"allow_sending_without_reply"`
}

func (s *Server) sendMessage(p params) response {
	const method = "sendMessage"
	chatID, bad := requireChat(p)
	if bad != nil {
		return *bad
	}
	visible, errDesc := s.checkText(p["text"], p["parse_mode"])
	if errDesc != "" {
		return s.rejectLocked(method, chatID, errDesc)
	}
	kb, errDesc := s.parseMarkup(p["reply_markup"])
	if errDesc != "" {
		return s.rejectLocked(method, chatID, errDesc)
	}

	replyTo, replyChat, allowNoReply := int(p.int64("reply_to_message_id")), chatID, p.bool("allow_sending_without_reply")
	if raw := p["reply_parameters"]; raw != "" {
		var rp replyParameters
		if err := json.Unmarshal([]byte(raw), &rp); err != nil {
			return badRequest("can't parse reply parameters JSON object")
		}
		replyTo, allowNoReply = rp.MessageID, rp.AllowSendingWithoutReply
		if id, err := strconv.ParseInt(strings.Trim(string(rp.ChatID), `"`), 10, 64); err == nil {
			replyChat = id
		}
	}
	var replied *Message
	if replyTo != 0 {
		m, ok := s.messages[msgKey{replyChat, replyTo}]
		switch {
		case ok:
			m.ReplyToMessage = nil
			replied = &m
		case !allowNoReply:
			return badRequest("message to be replied not found")
		default:
			replyTo = 0
		}
	}

	var preview *LinkPreviewOptions
	if raw := p["link_preview_options"]; raw != "" {
		preview = &LinkPreviewOptions{}
		if err := json.Unmarshal([]byte(raw), preview); err != nil {
			return badRequest("can't parse link preview options JSON object")
		}
	} else if p.bool("disable_web_page_preview") {
		preview = &LinkPreviewOptions{IsDisabled: true}
	}

	thread := int(p.int64("message_thread_id"))
	if desc := s.topicRefusalLocked(chatID, thread); desc != "" {
		return badRequest(desc)
	}
	now := s.now()
	bot := s.Bot()
	msg := Message{
		MessageID:          s.nextMessageIDLocked(chatID),
		MessageThreadID:    thread,
		IsTopicMessage:     thread != 0,
		From:               &bot,
		Date:               now.Unix(),
		Chat:               s.chatLocked(chatID),
		ReplyToMessage:     replied,
		Text:               visible,
		LinkPreviewOptions: preview,
		ReplyMarkup:        kb,
	}
	stored := msg
	stored.ReplyToMessage = nil
	s.messages[msgKey{chatID, msg.MessageID}] = stored

	sm := SentMessage{
		MessageID:           msg.MessageID,
		ChatID:              chatID,
		Text:                p["text"],
		PlainText:           visible,
		ParseMode:           p["parse_mode"],
		ReplyTo:             replyTo,
		ThreadID:            thread,
		LinkPreview:         preview,
		DisableNotification: p.bool("disable_notification"),
		Time:                now,
	}
	if raw := p["reply_markup"]; raw != "" {
		sm.ReplyMarkup = json.RawMessage(raw)
	}
	if kb != nil {
		sm.InlineKeyboard = kb.InlineKeyboard
	}
	s.sent = append(s.sent, sm)
	s.countSendLocked(chatID, now)
	s.notifyLocked()
	return okResult(msg, "")
}

func (s *Server) nextMessageIDLocked(chatID int64) int {
	s.nextMessageID[chatID]++
	return s.nextMessageID[chatID]
}

// editTarget finds the bot message an edit names.
func (s *Server) editTarget(p params) (Message, *response) {
	chatID, bad := requireChat(p)
	if bad != nil {
		return Message{}, bad
	}
	m, ok := s.messages[msgKey{chatID, int(p.int64("message_id"))}]
	if !ok {
		r := badRequest("message to edit not found")
		return Message{}, &r
	}
	if m.From == nil || m.From.ID != s.cfg.botID {
		r := badRequest("message can't be edited")
		return Message{}, &r
	}
	return m, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a specified content and reply markup of the current message"

func sameMarkup(a, b *InlineKeyboardMarkup) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func (s *Server) editMessageText(p params) response {
	const method = "editMessageText"
	if p["inline_message_id"] != "" {
		return okResult(true, "")
	}
	m, bad := s.editTarget(p)
	if bad != nil {
		return *bad
	}
	visible, errDesc := s.checkText(p["text"], p["parse_mode"])
	if errDesc != "" {
		return s.rejectLocked(method, m.Chat.ID, errDesc)
	}
	kb, errDesc := s.parseMarkup(p["reply_markup"])
	if errDesc != "" {
		return s.rejectLocked(method, m.Chat.ID, errDesc)
	}
	if visible == m.Text && sameMarkup(kb, m.ReplyMarkup) {
		return badRequest(notModified)
	}
	m.Text, m.ReplyMarkup = visible, kb
	return s.storeEditLocked(method, m, p, true)
}

func (s *Server) editMessageReplyMarkup(p params) response {
	const method = "editMessageReplyMarkup"
	if p["inline_message_id"] != "" {
		return okResult(true, "")
	}
	m, bad := s.editTarget(p)
	if bad != nil {
		return *bad
	}
	kb, errDesc := s.parseMarkup(p["reply_markup"])
	if errDesc != "" {
		return s.rejectLocked(method, m.Chat.ID, errDesc)
	}
	if sameMarkup(kb, m.ReplyMarkup) {
		return badRequest(notModified)
	}
	m.ReplyMarkup = kb
	return s.storeEditLocked(method, m, p, false)
}

func (s *Server) storeEditLocked(method string, m Message, p params, withText bool) response {
	now := s.now()
	m.EditDate = now.Unix()
	s.messages[msgKey{m.Chat.ID, m.MessageID}] = m
	e := Edit{Method: method, ChatID: m.Chat.ID, MessageID: m.MessageID, Time: now}
	if withText {
		e.Text, e.ParseMode = p["text"], p["parse_mode"]
	}
	if raw := p["reply_markup"]; raw != "" {
		e.ReplyMarkup = json.RawMessage(raw)
	}
	if m.ReplyMarkup != nil {
		e.InlineKeyboard = m.ReplyMarkup.InlineKeyboard
	}
	s.edits = append(s.edits, e)
	s.notifyLocked()
	return okResult(m, "")
}

func (s *Server) deleteMessage(p params) response {
	chatID, bad := requireChat(p)
	if bad != nil {
		return *bad
	}
	k := msgKey{chatID, int(p.int64("message_id"))}
	if _, ok := s.messages[k]; !ok {
		return badRequest("message to delete not found")
	}
	delete(s.messages, k)
	s.notifyLocked()
	return okResult(true, "")
}

func (s *Server) answerCallbackQuery(p params) response {
	id := p["callback_query_id"]
	st, ok := s.callbacks[id]
	if !ok || st.answer != nil {
		return badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if l := s.cfg.limits.MaxAnswerTextUTF16; l > 0 && utf16Len(p["text"]) > l {
		s.violateLocked("answerCallbackQuery %s rejected: text longer than %d", id, l)
		return badRequest("MESSAGE_TOO_LONG")
	}
	st.answer = &CallbackAnswer{QueryID: id, Text: p["text"], ShowAlert: p.bool("show_alert"), URL: p["url"], Time: s.now()}
	s.notifyLocked()
	return okResult(true, "")
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func parseScope(raw string) (CommandScope, string) {
	if strings.TrimSpace(raw) == "" {
		return CommandScope{Type: "default"}, ""
	}
	var v struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil || v.Type == "" {
		return CommandScope{}, "can't parse BotCommandScope JSON object"
	}
	sc := CommandScope{Type: v.Type, UserID: v.UserID}
	if len(v.ChatID) > 0 {
		id, err := strconv.ParseInt(strings.Trim(string(v.ChatID), `"`), 10, 64)
		if err != nil {
			return CommandScope{}, "chat not found"
		}
		sc.ChatID = id
	}
	return sc, ""
}

func (s *Server) commandIndexLocked(sc CommandScope, lang string) int {
	for i, c := range s.commands {
		if c.Scope == sc && c.LanguageCode == lang {
			return i
		}
	}
	return -1
}

func (s *Server) setMyCommands(p params) response {
	var cmds []BotCommand
	if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
		return badRequest("can't parse commands JSON object")
	}
	sc, errDesc := parseScope(p["scope"])
	if errDesc != "" {
		return badRequest(errDesc)
	}
	if len(cmds) > 100 {
		return s.rejectLocked("setMyCommands", sc.ChatID, "too many commands")
	}
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return s.rejectLocked("setMyCommands", sc.ChatID, "BOT_COMMAND_INVALID")
		}
		if n := utf16Len(c.Description); n < 1 || n > 256 {
			return s.rejectLocked("setMyCommands", sc.ChatID, "BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	set := CommandSet{Scope: sc, LanguageCode: p["language_code"], Commands: cmds}
	if i := s.commandIndexLocked(sc, set.LanguageCode); i >= 0 {
		s.commands[i] = set
	} else {
		s.commands = append(s.commands, set)
	}
	s.notifyLocked()
	return okResult(true, "")
}

func (s *Server) deleteMyCommands(p params) response {
	sc, errDesc := parseScope(p["scope"])
	if errDesc != "" {
		return badRequest(errDesc)
	}
	if i := s.commandIndexLocked(sc, p["language_code"]); i >= 0 {
		s.commands = append(s.commands[:i], s.commands[i+1:]...)
	}
	s.notifyLocked()
	return okResult(true, "")
}

func (s *Server) getMyCommands(p params) response {
	sc, errDesc := parseScope(p["scope"])
	if errDesc != "" {
		return badRequest(errDesc)
	}
	cmds := []BotCommand{}
	if i := s.commandIndexLocked(sc, p["language_code"]); i >= 0 {
		cmds = s.commands[i].Commands
	}
	return okResult(cmds, "")
}

func (s *Server) getChatMember(p params) response {
	chatID, bad := requireChat(p)
	if bad != nil {
		return *bad
	}
	userID := p.int64("user_id")
	if userID == 0 {
		return badRequest("invalid user_id specified")
	}
	status, ok := s.members[[2]int64{chatID, userID}]
	if !ok {
		status = s.cfg.defaultStatus
	}
	user, ok := s.users[userID]
	if !ok {
		user = User{ID: userID, FirstName: fmt.Sprintf("User %d", userID)}
		if userID == s.cfg.botID {
			user = s.Bot()
		}
	}
	member := map[string]any{"status": status, "user": user}
	switch status {
	case StatusCreator:
		member["is_anonymous"] = false
	case StatusAdministrator:
		for _, k := range []string{"can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
			"can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info",
			"can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories"} {
			member[k] = false
		}
		member["can_manage_chat"] = true
	case StatusRestricted:
		member["is_member"] = true
		member["until_date"] = 0
	case StatusKicked:
		member["until_date"] = 0
	}
	return okResult(member, "")
}

func (s *Server) sendChatAction(p params) response {
	if _, bad := requireChat(p); bad != nil {
		return *bad
	}
	return okResult(true, "")
}

func (s *Server) setWebhook(p params) response {
	if p["url"] == "" {
		return s.deleteWebhook(p)
	}
	var allowed []string
	if raw := p["allowed_updates"]; raw != "" {
		_ = json.Unmarshal([]byte(raw), &allowed)
	}
	s.webhook = WebhookInfo{
		URL:                p["url"],
		SecretToken:        p["secret_token"],
		MaxConnections:     int(p.int64("max_connections")),
		AllowedUpdates:     allowed,
		DropPendingUpdates: p.bool("drop_pending_updates"),
	}
	if s.webhook.DropPendingUpdates {
		s.pending = nil
	}
	if s.poller != nil {
		close(s.poller)
		s.poller = nil
	}
	s.notifyLocked()
	return okResult(true, "Webhook was set")
}

func (s *Server) deleteWebhook(p params) response {
	if p.bool("drop_pending_updates") {
		s.pending = nil
	}
	desc := "Webhook is already deleted"
	if s.webhook.URL != "" {
		desc = "Webhook was deleted"
	}
	s.webhook = WebhookInfo{}
	s.notifyLocked()
	return okResult(true, desc)
}

func (s *Server) getWebhookInfo(params) response {
	info := map[string]any{
		"url":                    s.webhook.URL,
		"has_custom_certificate": false,
		"pending_update_count":   len(s.pending),
	}
	if s.webhook.MaxConnections > 0 {
		info["max_connections"] = s.webhook.MaxConnections
	}
	if len(s.webhook.AllowedUpdates) > 0 {
		info["allowed_updates"] = s.webhook.AllowedUpdates
	}
	return okResult(info, "")
}
