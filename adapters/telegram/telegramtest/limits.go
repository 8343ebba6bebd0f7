package telegramtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Window is a sliding-window rate rule: a violation is recorded when more
// than Max messages land in any window of length Per. Max 0 disables it.
type Window struct {
	Max int
	Per time.Duration
}

// Limits are the rules checked on every send. Content rules (text length,
// callback_data size, entity parsing) also make the server reject the
// request with the real 400, as Telegram does; rate rules are only
// recorded, because Telegram enforces them loosely and late.
type Limits struct {
	// MaxTextUTF16 is the text limit in UTF-16 code units after entity
	// parsing (Telegram: 4096).
	MaxTextUTF16 int
	// MaxCallbackDataBytes is the callback_data limit in bytes (64).
	MaxCallbackDataBytes int
	// MaxAnswerTextUTF16 is the answerCallbackQuery text limit (200).
	MaxAnswerTextUTF16 int
	// PrivateChat applies per private chat. Telegram says "about one
	// message per second" and tolerates short bursts, so the default
	// allows 2 in any 1 s window.
	PrivateChat Window
	// GroupChat applies per group, supergroup or channel (20 per minute).
	GroupChat Window
	// Global applies to all sends together ("about 30 per second").
	Global Window
}

// DefaultLimits returns Telegram's documented limits with the burst
// tolerance described on Limits.PrivateChat.
func DefaultLimits() Limits {
	return Limits{
		MaxTextUTF16:         4096,
		MaxCallbackDataBytes: 64,
		MaxAnswerTextUTF16:   200,
		PrivateChat:          Window{Max: 2, Per: time.Second},
		GroupChat:            Window{Max: 20, Per: time.Minute},
		Global:               Window{Max: 30, Per: time.Second},
	}
}

// Violations returns every limit violation and content rejection so far,
// in order.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

func (s *Server) violateLocked(format string, args ...any) {
	s.violations = append(s.violations, fmt.Sprintf(format, args...))
}

// rejectLocked records a content violation and returns the API's 400.
func (s *Server) rejectLocked(method string, chatID int64, description string) response {
	s.violateLocked("%s to chat %d rejected: %s", method, chatID, description)
	return badRequest(description)
}

// countSendLocked records a delivered message and checks the rate windows.
func (s *Server) countSendLocked(chatID int64, at time.Time) {
	l := s.cfg.limits
	w, kind := l.GroupChat, s.chatTypeLocked(chatID)
	if kind == ChatPrivate {
		w = l.PrivateChat
	}
	s.chatSends[chatID] = checkWindow(append(s.chatSends[chatID], at), w, at, func(n int) {
		s.violateLocked("rate: %d messages to %s chat %d within %v (limit %d)", n, kind, chatID, w.Per, w.Max)
	})
	s.globalSends = checkWindow(append(s.globalSends, at), l.Global, at, func(n int) {
		s.violateLocked("rate: %d messages overall within %v (limit %d)", n, l.Global.Per, l.Global.Max)
	})
}

// checkWindow counts the times in (at-Per, at]; checking at every arrival
// covers every sliding window. It returns the times still relevant.
func checkWindow(times []time.Time, w Window, at time.Time, violate func(n int)) []time.Time {
	if w.Max <= 0 || w.Per <= 0 {
		return times[len(times)-1:]
	}
	start := at.Add(-w.Per)
	kept := times[:0]
	for _, t := range times {
		if t.After(start) {
			kept = append(kept, t)
		}
	}
	if len(kept) > w.Max {
		violate(len(kept))
	}
	return kept
}

func (s *Server) chatTypeLocked(chatID int64) string {
	if c, ok := s.chats[chatID]; ok && c.Type != "" {
		return c.Type
	}
	return chatTypeByID(chatID)
}

// chatTypeByID guesses from the id's shape: users are positive, basic
// groups small negative, supergroups and channels -100xxxxxxxxxx.
func chatTypeByID(chatID int64) string {
	switch {
	case chatID > 0:
		return ChatPrivate
	case chatID <= -1000000000000:
		return ChatSupergroup
	default:
		return ChatGroup
	}
}

// utf16Len counts UTF-16 code units, the unit of every Telegram length.
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

// checkText validates a message text as Telegram does and returns the
// text the recipient sees; the error is the API's description without
// the "Bad Request: " prefix.
func (s *Server) checkText(text, parseMode string) (string, string) {
	visible, err := visibleText(text, parseMode)
	if err != "" {
		return "", err
	}
	if strings.TrimSpace(visible) == "" {
		return "", "message text is empty"
	}
	if n := utf16Len(visible); s.cfg.limits.MaxTextUTF16 > 0 && n > s.cfg.limits.MaxTextUTF16 {
		return "", "message is too long"
	}
	return visible, ""
}

// visibleText is the text the recipient sees. The bot sends plain text
// (no parse_mode), so the fake takes nothing else: a parse_mode is refused
// as a bad request, which makes a send that starts using one fail loudly
// instead of being checked by a markup parser nothing else needs.
func visibleText(text, parseMode string) (string, string) {
	if parseMode != "" {
		return "", "unsupported parse_mode: telegramtest takes plain text only"
	}
	return text, ""
}

// parseMarkup checks reply_markup as Telegram does. It returns the inline
// keyboard (nil for other markups or none) and an error description.
func (s *Server) parseMarkup(raw string) (*InlineKeyboardMarkup, string) {
	if strings.TrimSpace(raw) == "" {
		return nil, ""
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &probe); err != nil {
		return nil, "can't parse reply keyboard markup JSON object"
	}
	if _, ok := probe["inline_keyboard"]; !ok {
		return nil, "" // reply keyboards and force_reply are not kept
	}
	var kb InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(raw), &kb); err != nil {
		return nil, "can't parse inline keyboard button: " + err.Error()
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return nil, "can't parse inline keyboard button: Text must be non-empty"
			}
			if limit := s.cfg.limits.MaxCallbackDataBytes; limit > 0 && len(b.CallbackData) > limit {
				return nil, "BUTTON_DATA_INVALID"
			}
			if !hasAction(b) {
				return nil, "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
			}
		}
	}
	return &kb, ""
}

func hasAction(b InlineKeyboardButton) bool {
	return b.URL != "" || b.CallbackData != "" || len(b.WebApp) > 0 || len(b.LoginURL) > 0 ||
		b.SwitchInlineQuery != nil || b.SwitchCurrentChat != nil || len(b.SwitchChosenChat) > 0 ||
		(b.CopyText != nil && b.CopyText.Text != "") || len(b.CallbackGame) > 0 || b.Pay
}
