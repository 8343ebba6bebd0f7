package telegramtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

const (
	conflictPoll    = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	conflictWebhook = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)

// getUpdates is a true long poll honouring offset, limit, timeout and
// allowed_updates (as in the real API, the list is remembered: a poll
// without one keeps the last, and updates of other kinds are dropped
// before delivery; with no list ever given, every kind but chat_member
// and the reaction updates is delivered). As in the real API, a newer getUpdates
// terminates the one in progress with 409, so two pollers keep failing.
func (s *Server) getUpdates(r *http.Request, p params) response {
	offset := p.int64("offset")
	limit := int(p.int64("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout := time.Duration(p.int64("timeout")) * time.Second

	s.mu.Lock()
	if s.webhook.URL != "" {
		s.mu.Unlock()
		return apiError(http.StatusConflict, conflictWebhook, nil)
	}
	if raw := p["allowed_updates"]; raw != "" {
		var kinds []string
		if json.Unmarshal([]byte(raw), &kinds) == nil {
			s.allowed = kinds
		}
	}
	if s.poller != nil {
		close(s.poller)
	}
	me := make(chan struct{})
	s.poller = me
	s.confirmLocked(offset)
	s.mu.Unlock()

	defer func() {
		s.mu.Lock()
		if s.poller == me {
			s.poller = nil
		}
		s.mu.Unlock()
	}()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		ups := s.pendingFromLocked(offset, limit)
		ch := s.changed
		s.mu.Unlock()
		if len(ups) > 0 || timeout <= 0 {
			return okResult(ups, "")
		}
		select {
		case <-ch:
		case <-me:
			s.mu.Lock()
			hook := s.webhook.URL != ""
			s.mu.Unlock()
			if hook {
				return apiError(http.StatusConflict, "Conflict: terminated by setWebhook request", nil)
			}
			return apiError(http.StatusConflict, conflictPoll, nil)
		case <-timer.C:
			return okResult([]json.RawMessage{}, "")
		case <-r.Context().Done():
			return okResult([]json.RawMessage{}, "")
		case <-s.closed:
			return okResult([]json.RawMessage{}, "")
		}
	}
}

// confirmLocked forgets updates the offset confirms: ids below a positive
// offset, or all but the last -offset ones for a negative offset.
func (s *Server) confirmLocked(offset int64) {
	before := len(s.pending)
	switch {
	case offset > 0:
		i := 0
		for i < len(s.pending) && s.pending[i].id < offset {
			i++
		}
		s.pending = s.pending[i:]
	case offset < 0:
		if keep := int(-offset); keep < len(s.pending) {
			s.pending = s.pending[len(s.pending)-keep:]
		}
	}
	if len(s.pending) != before {
		s.notifyLocked()
	}
}

func (s *Server) pendingFromLocked(offset int64, limit int) []json.RawMessage {
	out := []json.RawMessage{}
	kept := s.pending[:0]
	for _, u := range s.pending {
		if !s.allowedLocked(u.kind) {
			continue // never delivered, as with the real API
		}
		kept = append(kept, u)
		if len(out) < limit && u.id >= offset {
			out = append(out, u.raw)
		}
	}
	s.pending = kept
	return out
}

// allowedLocked reports whether an update kind is delivered under the
// remembered allowed_updates.
func (s *Server) allowedLocked(kind string) bool {
	if len(s.allowed) == 0 {
		return kind != "chat_member" && kind != "message_reaction" && kind != "message_reaction_count"
	}
	for _, k := range s.allowed {
		if k == kind {
			return true
		}
	}
	return false
}

// updateKind is the field an update carries besides update_id.
func updateKind(raw json.RawMessage) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	for k := range m {
		if k != "update_id" {
			return k
		}
	}
	return ""
}

// Pending returns how many injected updates the client has not confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// SendUpdate queues u for getUpdates and returns it as queued. It fills
// in update_id, and for the message it carries a missing message_id (the
// chat's next one) and date; it remembers chats, users, messages and
// callback queries so later calls can refer to them.
func (s *Server) SendUpdate(u Update) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdateID++
	u.UpdateID = s.nextUpdateID
	now := s.now().Unix()
	for _, m := range []*Message{u.Message, u.EditedMessage} {
		if m == nil {
			continue
		}
		if m.MessageID == 0 {
			m.MessageID = s.nextMessageIDLocked(m.Chat.ID)
		} else if m.MessageID > s.nextMessageID[m.Chat.ID] {
			s.nextMessageID[m.Chat.ID] = m.MessageID
		}
		if m.Date == 0 {
			m.Date = now
		}
		s.rememberLocked(m)
	}
	if q := u.CallbackQuery; q != nil {
		if q.ID == "" {
			s.nextCallbackID++
			q.ID = strconv.FormatInt(4400000000000000000+s.nextCallbackID, 10)
		}
		s.users[q.From.ID] = q.From
		if _, dup := s.callbacks[q.ID]; !dup {
			s.callbackOrder = append(s.callbackOrder, q.ID)
		}
		s.callbacks[q.ID] = &callbackState{query: *q}
	}
	raw, err := json.Marshal(u)
	if err != nil {
		s.t.Fatalf("telegramtest: marshal update: %v", err)
	}
	s.pending = append(s.pending, pendingUpdate{id: u.UpdateID, kind: updateKind(raw), raw: raw})
	s.notifyLocked()
	return u
}

// SendRawUpdate queues an update of any kind given as a JSON object
// without update_id (e.g. {"my_chat_member":{...}}) and returns its id.
func (s *Server) SendRawUpdate(obj json.RawMessage) int64 {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		s.t.Fatalf("telegramtest: SendRawUpdate: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdateID++
	m["update_id"] = json.RawMessage(strconv.FormatInt(s.nextUpdateID, 10))
	raw, _ := json.Marshal(m)
	s.pending = append(s.pending, pendingUpdate{id: s.nextUpdateID, kind: updateKind(raw), raw: raw})
	s.notifyLocked()
	return s.nextUpdateID
}

func (s *Server) rememberLocked(m *Message) {
	if m.Chat.Type != "" {
		s.chats[m.Chat.ID] = m.Chat
	}
	if m.From != nil {
		s.users[m.From.ID] = *m.From
	}
	stored := *m
	stored.ReplyToMessage = nil
	s.messages[msgKey{m.Chat.ID, m.MessageID}] = stored
}

// PrivateText builds a text message from a user in their private chat
// with the bot, with bot_command and mention entities.
func PrivateText(from User, text string) Update {
	chat := Chat{ID: from.ID, Type: ChatPrivate, FirstName: from.FirstName, LastName: from.LastName, Username: from.Username}
	return Update{Message: &Message{From: &from, Chat: chat, Text: text, Entities: ParseEntities(text)}}
}

// GroupText builds a text message from a user in a group or supergroup,
// with bot_command and mention entities. An empty chat.Type is inferred
// from the id: -100… is a supergroup, other negative ids a group.
func GroupText(chat Chat, from User, text string) Update {
	if chat.Type == "" {
		chat.Type = chatTypeByID(chat.ID)
	}
	return Update{Message: &Message{From: &from, Chat: chat, Text: text, Entities: ParseEntities(text)}}
}

// ReplyTo builds a text message from a user replying to a stored message
// (usually one the bot sent), in that message's chat.
func (s *Server) ReplyTo(from User, chatID int64, messageID int, text string) Update {
	s.t.Helper()
	orig, ok := s.Message(chatID, messageID)
	if !ok {
		s.t.Fatalf("telegramtest: ReplyTo: no message %d in chat %d", messageID, chatID)
	}
	return Update{Message: &Message{
		From: &from, Chat: orig.Chat, Text: text, Entities: ParseEntities(text), ReplyToMessage: &orig,
	}}
}

// PressButton builds the callback_query a user sends by pressing the
// inline button with callback data data on a message the bot sent; the
// message is included in its current state. It fails the test when the
// message has no such button. Send it with SendUpdate.
func (s *Server) PressButton(from User, chatID int64, messageID int, data string) Update {
	s.t.Helper()
	m, ok := s.Message(chatID, messageID)
	if !ok {
		s.t.Fatalf("telegramtest: PressButton: no message %d in chat %d", messageID, chatID)
	}
	found := false
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				found = found || b.CallbackData == data
			}
		}
	}
	if !found {
		s.t.Fatalf("telegramtest: PressButton: message %d in chat %d has no button with callback_data %q", messageID, chatID, data)
	}
	return Update{CallbackQuery: &CallbackQuery{
		From:         from,
		Message:      &m,
		ChatInstance: strconv.FormatUint(uint64(chatID)*2654435761%1000000000000000000, 10),
		Data:         data,
	}}
}

// ParseEntities finds bot_command ("/cmd" or "/cmd@bot") and mention
// ("@username") entities the way Telegram marks incoming text, with
// offsets and lengths in UTF-16 code units.
func ParseEntities(text string) []MessageEntity {
	var out []MessageEntity
	units := 0 // UTF-16 offset of position i
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		boundary := prev == -1 || !(isWordRune(prev) || prev == '/' || prev == '@')
		if boundary && (r == '/' || r == '@') {
			n := scanName(text[i+size:], 64)
			end := i + size + n
			kind := "bot_command"
			if r == '@' {
				kind = "mention"
			}
			ok := n > 0
			if r == '@' && (n < 3 || n > 32) {
				ok = false
			}
			if ok && r == '/' && end < len(text) && text[end] == '@' {
				if m := scanName(text[end+1:], 32); m >= 3 {
					end += 1 + m
				}
			}
			if ok {
				if nr, _ := utf8.DecodeRuneInString(text[end:]); end < len(text) && (isWordRune(nr) || nr == '/') {
					ok = false
				}
			}
			if ok {
				length := utf16Len(text[i:end])
				out = append(out, MessageEntity{Type: kind, Offset: units, Length: length})
				units += length
				last, _ := utf8.DecodeLastRuneInString(text[i:end])
				prev = last
				i = end
				continue
			}
		}
		units += utf16Len(text[i : i+size])
		prev = r
		i += size
	}
	return out
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// scanName returns the byte length of the [A-Za-z0-9_] run at the start
// of s, up to max bytes.
func scanName(s string, max int) int {
	n := 0
	for n < len(s) && n < max {
		c := s[n]
		if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			n++
			continue
		}
		break
	}
	return n
}
