package telegramtest

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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

// visibleText strips markup per parse_mode. The parsers are strict where
// real clients get it wrong (unknown or unbalanced HTML tags, unescaped
// MarkdownV2 reserved characters) and approximate elsewhere.
func visibleText(text, parseMode string) (string, string) {
	switch strings.ToLower(parseMode) {
	case "":
		return text, ""
	case "html":
		return parseHTML(text)
	case "markdownv2":
		return parseMarkdownV2(text)
	case "markdown":
		return parseMarkdownLegacy(text), ""
	default:
		return "", "unsupported parse_mode"
	}
}

var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

func parseHTML(text string) (string, string) {
	var out strings.Builder
	var stack []string
	for i := 0; i < len(text); {
		c := text[i]
		if c != '<' {
			j := strings.IndexByte(text[i:], '<')
			if j < 0 {
				j = len(text) - i
			}
			out.WriteString(html.UnescapeString(text[i : i+j]))
			i += j
			continue
		}
		end := strings.IndexByte(text[i:], '>')
		if end < 0 {
			return "", fmt.Sprintf("can't parse entities: Unclosed start tag at byte offset %d", i)
		}
		tag := text[i+1 : i+end]
		closing := strings.HasPrefix(tag, "/")
		name := strings.ToLower(strings.TrimPrefix(tag, "/"))
		if k := strings.IndexFunc(name, unicode.IsSpace); k >= 0 {
			name = name[:k]
		}
		switch {
		case closing && len(stack) == 0:
			return "", fmt.Sprintf("can't parse entities: Unexpected end tag at byte offset %d", i)
		case closing && stack[len(stack)-1] != name:
			return "", fmt.Sprintf("can't parse entities: Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, stack[len(stack)-1], name)
		case closing:
			stack = stack[:len(stack)-1]
		case !htmlTags[name]:
			return "", fmt.Sprintf("can't parse entities: Unsupported start tag \"%s\" at byte offset %d", name, i)
		default:
			stack = append(stack, name)
		}
		i += end + 1
	}
	if len(stack) > 0 {
		return "", fmt.Sprintf("can't parse entities: Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1])
	}
	return out.String(), ""
}

func parseMarkdownV2(text string) (string, string) {
	var out strings.Builder
	open := map[string]int{}
	names := map[string]string{"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough", "||": "Spoiler"}
	lineStart := true
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		atLineStart := lineStart
		lineStart = r == '\n'
		switch {
		case r == '\\':
			if i+1 >= len(text) {
				return "", reservedErr('\\')
			}
			r2, s2 := utf8.DecodeRuneInString(text[i+1:])
			out.WriteRune(r2)
			i += 1 + s2
			continue
		case r == '`':
			fence := "`"
			if strings.HasPrefix(text[i:], "```") {
				fence = "```"
			}
			j := i + len(fence)
			var code strings.Builder
			for j < len(text) && !strings.HasPrefix(text[j:], fence) {
				if text[j] == '\\' && j+1 < len(text) {
					j++
				}
				code.WriteByte(text[j])
				j++
			}
			if j >= len(text) {
				return "", fmt.Sprintf("can't parse entities: Can't find end of %s entity at byte offset %d", map[bool]string{true: "Pre", false: "Code"}[fence == "```"], i)
			}
			body := code.String()
			if fence == "```" {
				if k := strings.IndexByte(body, '\n'); k >= 0 && !strings.ContainsAny(body[:k], " \t") {
					body = body[k+1:]
				}
			}
			out.WriteString(body)
			i = j + len(fence)
			continue
		case strings.HasPrefix(text[i:], "__") || strings.HasPrefix(text[i:], "||"):
			m := text[i : i+2]
			toggle(open, m, i)
			i += 2
			continue
		case r == '*' || r == '_' || r == '~':
			toggle(open, string(r), i)
		case r == '[':
			// Link text follows; "](url)" is handled below.
		case r == ']':
			if !strings.HasPrefix(text[i+1:], "(") {
				return "", reservedErr(r)
			}
			j := i + 2
			for j < len(text) && text[j] != ')' {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(text) {
				return "", fmt.Sprintf("can't parse entities: Can't find end of a URL at byte offset %d", i+1)
			}
			i = j + 1
			continue
		case r == '>' && atLineStart:
		case strings.ContainsRune(">#+-={}.!()|", r):
			return "", reservedErr(r)
		default:
			out.WriteString(text[i : i+size])
		}
		i += size
	}
	for m, at := range open {
		return "", fmt.Sprintf("can't parse entities: Can't find end of %s entity at byte offset %d", names[m], at)
	}
	return out.String(), ""
}

func toggle(open map[string]int, marker string, at int) {
	if _, ok := open[marker]; ok {
		delete(open, marker)
	} else {
		open[marker] = at
	}
}

func reservedErr(r rune) string {
	return fmt.Sprintf("can't parse entities: Character '%c' is reserved and must be escaped with the preceding '\\'", r)
}

// parseMarkdownLegacy strips the legacy Markdown markers without judging
// them; the legacy mode is lenient and deprecated.
func parseMarkdownLegacy(text string) string {
	var out strings.Builder
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '\\':
			if i+1 < len(text) {
				i++
				out.WriteByte(text[i])
			}
		case '*', '_', '`', '[':
		case ']':
			if strings.HasPrefix(text[i+1:], "(") {
				if j := strings.IndexByte(text[i:], ')'); j >= 0 {
					i += j
				}
			}
		default:
			out.WriteByte(c)
		}
	}
	return out.String()
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
