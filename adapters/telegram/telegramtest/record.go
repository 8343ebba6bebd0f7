package telegramtest

import (
	"encoding/json"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Call is one request as the server received it.
type Call struct {
	Method      string            // as requested, e.g. "sendMessage"
	Params      map[string]string // every parameter as text; JSON values keep their JSON
	Time        time.Time
	Code        int    // HTTP status answered; 0 while a long poll is still open
	Description string // error description when Code is not 200
}

// ChatID returns the call's numeric chat_id, or 0.
func (c Call) ChatID() int64 {
	id, _ := strconv.ParseInt(c.Params["chat_id"], 10, 64)
	return id
}

// SentMessage is one message the bot delivered with sendMessage.
type SentMessage struct {
	MessageID   int
	ChatID      int64
	Text        string // as sent, markup included
	PlainText   string // as the recipient sees it (the fake takes plain text only, so Text)
	ParseMode   string
	ReplyMarkup json.RawMessage // as sent; nil when none
	// InlineKeyboard is the parsed inline keyboard; nil when none.
	InlineKeyboard      [][]InlineKeyboardButton
	ReplyTo             int // replied-to message id, 0 when none
	ThreadID            int // forum topic (message_thread_id), 0 for none
	LinkPreview         *LinkPreviewOptions
	DisableNotification bool
	Time                time.Time
	// FailedResponse is set when the message was delivered but the client
	// was answered with an error (AcceptedThenFailed).
	FailedResponse bool
}

// Buttons returns the inline buttons in reading order.
func (m SentMessage) Buttons() []InlineKeyboardButton {
	var out []InlineKeyboardButton
	for _, row := range m.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

// Edit is one successful editMessageText or editMessageReplyMarkup.
type Edit struct {
	Method         string
	ChatID         int64
	MessageID      int
	Text           string // new text; empty for a markup-only edit
	ParseMode      string
	ReplyMarkup    json.RawMessage
	InlineKeyboard [][]InlineKeyboardButton
	Time           time.Time
}

// CallbackAnswer is one answerCallbackQuery.
type CallbackAnswer struct {
	QueryID   string
	Text      string
	ShowAlert bool
	URL       string
	Time      time.Time
}

// CommandSet is the command list stored for one scope and language.
type CommandSet struct {
	Scope        CommandScope
	LanguageCode string
	Commands     []BotCommand
}

// WebhookInfo is the webhook state setWebhook and deleteWebhook leave.
type WebhookInfo struct {
	URL                string   `json:"url"`
	SecretToken        string   `json:"-"`
	MaxConnections     int      `json:"max_connections,omitempty"`
	AllowedUpdates     []string `json:"allowed_updates,omitempty"`
	DropPendingUpdates bool     `json:"-"`
}

// Calls returns every request so far, in arrival order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		c.Params = maps.Clone(c.Params)
		out[i] = c
	}
	return out
}

// CallsTo returns the requests of one method (case-insensitive).
func (s *Server) CallsTo(method string) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns every delivered message, in order.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// SentTo returns the delivered messages of one chat.
func (s *Server) SentTo(chatID int64) []SentMessage {
	var out []SentMessage
	for _, m := range s.Sent() {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// Edits returns every successful edit, in order.
func (s *Server) Edits() []Edit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Edit(nil), s.edits...)
}

// Message returns the current state of a message (after edits), whoever
// sent it.
func (s *Server) Message(chatID int64, messageID int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[msgKey{chatID, messageID}]
	return m, ok
}

// UnansweredCallbacks returns the injected callback queries that have not
// had an answerCallbackQuery, oldest first.
func (s *Server) UnansweredCallbacks() []CallbackQuery {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CallbackQuery
	for _, id := range s.callbackOrder {
		if st := s.callbacks[id]; st.answer == nil {
			out = append(out, st.query)
		}
	}
	return out
}

// CallbackAnswers returns every answerCallbackQuery that succeeded, in order.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CallbackAnswer
	for _, id := range s.callbackOrder {
		if a := s.callbacks[id].answer; a != nil {
			out = append(out, *a)
		}
	}
	return out
}

// Commands returns the command sets currently stored by setMyCommands.
func (s *Server) Commands() []CommandSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CommandSet, len(s.commands))
	for i, c := range s.commands {
		c.Commands = append([]BotCommand(nil), c.Commands...)
		out[i] = c
	}
	return out
}

// Webhook returns the webhook state; URL is empty when none is set.
func (s *Server) Webhook() WebhookInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// SetChatMember sets the status getChatMember reports for userID in chatID.
func (s *Server) SetChatMember(chatID, userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[[2]int64{chatID, userID}] = status
}

// Wait polls cond after every state change until it is true, and fails
// the test when timeout passes first. cond may call the Server's getters.
func (s *Server) Wait(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-timer.C:
			t.Fatalf("telegramtest: timed out after %v waiting for %s", timeout, what)
		}
	}
}

// WaitSent waits until at least n messages were delivered and returns them all.
func (s *Server) WaitSent(t testing.TB, n int, timeout time.Duration) []SentMessage {
	t.Helper()
	var got []SentMessage
	s.Wait(t, timeout, strconv.Itoa(n)+" sent messages", func() bool {
		got = s.Sent()
		return len(got) >= n
	})
	return got
}

// WaitCalls waits until method was called at least n times and returns those calls.
func (s *Server) WaitCalls(t testing.TB, method string, n int, timeout time.Duration) []Call {
	t.Helper()
	var got []Call
	s.Wait(t, timeout, strconv.Itoa(n)+" "+method+" calls", func() bool {
		got = s.CallsTo(method)
		n2 := 0
		for _, c := range got {
			if c.Code != 0 {
				n2++
			}
		}
		return n2 >= n
	})
	return got
}

// WaitAnswered waits until every injected callback query was answered.
func (s *Server) WaitAnswered(t testing.TB, timeout time.Duration) {
	t.Helper()
	s.Wait(t, timeout, "all callback queries answered", func() bool {
		return len(s.UnansweredCallbacks()) == 0
	})
}

// WaitConfirmed waits until the client confirmed every injected update,
// i.e. polled again with an offset past it.
func (s *Server) WaitConfirmed(t testing.TB, timeout time.Duration) {
	t.Helper()
	s.Wait(t, timeout, "all updates confirmed", func() bool { return s.Pending() == 0 })
}
