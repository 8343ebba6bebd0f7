package telegram

import (
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// intent is what a message asks of the bot.
type intent struct {
	// command is the lower-case command name; empty for a question.
	command string
	// args is the text after the command, or the question.
	args string
}

// parseText finds what a text message asks of the bot me. ok is false when
// the message is not addressed to it: group chatter, or a command for
// another bot. private is true in a direct chat, where free text is a
// question; repliedToBot is true when the message replies to the bot.
func parseText(text string, entities []models.MessageEntity, me models.User, private, repliedToBot bool) (in intent, ok bool) {
	if strings.TrimSpace(text) == "" {
		return intent{}, false
	}
	units := utf16.Encode([]rune(text))
	span := func(e models.MessageEntity) (string, bool) {
		if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > len(units) {
			return "", false
		}
		return string(utf16.Decode(units[e.Offset : e.Offset+e.Length])), true
	}

	foreign := false
	hasCommand := false
	for _, e := range entities {
		if e.Type != models.MessageEntityTypeBotCommand {
			continue
		}
		hasCommand = true
		s, valid := span(e)
		if !valid {
			continue
		}
		name, target, ok := splitCommand(s)
		if !ok {
			continue
		}
		if target != "" && !strings.EqualFold(target, me.Username) {
			foreign = true
			continue
		}
		rest := string(utf16.Decode(units[e.Offset+e.Length:]))
		return intent{command: name, args: strings.TrimSpace(rest)}, true
	}
	// Clients always send entities; text from elsewhere (a webhook test, a
	// bridge) may not have them, so a leading command is still recognised.
	if !hasCommand && strings.HasPrefix(text, "/") {
		word, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
		if i := strings.IndexAny(word, "\n\t"); i >= 0 {
			word, rest = word[:i], word[i+1:]+" "+rest
		}
		if name, target, ok := splitCommand(word); ok {
			if target == "" || strings.EqualFold(target, me.Username) {
				return intent{command: name, args: strings.TrimSpace(rest)}, true
			}
			foreign = true
		}
	}
	if foreign {
		return intent{}, false
	}

	// A mention of the bot: the rest of the text is the question.
	mentioned := false
	var keep []uint16
	pos := 0
	for _, e := range entities {
		s, valid := span(e)
		if !valid || e.Offset < pos {
			continue
		}
		isMe := false
		switch e.Type {
		case models.MessageEntityTypeMention:
			isMe = me.Username != "" && strings.EqualFold(s, "@"+me.Username)
		case models.MessageEntityTypeTextMention:
			isMe = e.User != nil && me.ID != 0 && e.User.ID == me.ID
		}
		if isMe {
			mentioned = true
			keep = append(keep, units[pos:e.Offset]...)
			keep = append(keep, ' ')
			pos = e.Offset + e.Length
		}
	}
	keep = append(keep, units[pos:]...)
	if !mentioned && !repliedToBot && !private {
		return intent{}, false
	}
	q := strings.Join(strings.Fields(string(utf16.Decode(keep))), " ")
	return intent{args: q}, true
}

// splitCommand splits "/name@target" into its parts; ok is false unless
// name is 1–32 of [A-Za-z0-9_].
func splitCommand(s string) (name, target string, ok bool) {
	s, found := strings.CutPrefix(s, "/")
	if !found {
		return "", "", false
	}
	name, target, _ = strings.Cut(s, "@")
	if name == "" || len(name) > 32 {
		return "", "", false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return "", "", false
		}
	}
	return strings.ToLower(name), target, true
}

// validPayload reports whether s may be a deep-link start parameter:
// 1–64 of [A-Za-z0-9_-].
func validPayload(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
