package bot

import (
	"strings"
	"unicode"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
)

// normalizeMessage cleans what an adapter handed over, so every command
// reads the same text however it was typed: odd spaces and invisible
// characters (input.NormalizeText), a command name that carried them or the
// start of its arguments ("/log\u200b easy", "/log\teasy"), and a command
// typed after an emoji ("🏃 /today"), which Telegram already treats as a
// command.
func normalizeMessage(m chat.Message) chat.Message {
	if m.Button != "" {
		return m
	}
	m.Args = strings.TrimSpace(input.NormalizeText(m.Args))
	if m.Command == "" {
		if name, args, ok := leadingCommand(m.Args); ok {
			m.Command, m.Args = name, args
		}
		return m
	}
	// In a command name an invisible character can only be a separator:
	// "/log\u200beasy" is /log with "easy" after it.
	name := strings.TrimSpace(input.NormalizeText(strings.Map(func(r rune) rune {
		if input.IsInvisible(r) {
			return ' '
		}
		return r
	}, m.Command)))
	name = strings.TrimPrefix(name, "/")
	if i := strings.IndexAny(name, " \n"); i >= 0 {
		m.Args = strings.TrimSpace(name[i+1:] + " " + m.Args)
		name = name[:i]
	}
	m.Command = strings.ToLower(name)
	return m
}

// leadingCommand finds "/name args" after a prefix of symbols and spaces
// only (an emoji, a bullet), as a menu button or a keyboard shortcut may
// send it. Text with a word before the slash is a question, not a command.
func leadingCommand(text string) (name, args string, ok bool) {
	i := strings.IndexByte(text, '/')
	if i <= 0 {
		return "", "", false
	}
	for _, r := range text[:i] {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return "", "", false
		}
	}
	rest := text[i+1:]
	end := 0
	for end < len(rest) {
		c := rest[end]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			break
		}
		end++
	}
	if end == 0 || end > 32 {
		return "", "", false
	}
	name = rest[:end]
	tail := rest[end:]
	if strings.HasPrefix(tail, "@") {
		j := strings.IndexAny(tail, " \n")
		if j < 0 {
			j = len(tail)
		}
		tail = tail[j:]
	}
	if tail != "" && tail[0] != ' ' && tail[0] != '\n' {
		return "", "", false
	}
	return strings.ToLower(name), strings.TrimSpace(tail), true
}
