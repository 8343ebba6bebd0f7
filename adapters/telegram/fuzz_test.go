package telegram

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
	"github.com/shakeoutbot/shakeout/chat"
)

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// FuzzParseText feeds the command parser any text with the entities
// Telegram would mark plus one arbitrary entity (any type, offset and
// length, as a client or bridge may send): it must not panic, a command it
// finds is a valid lower-case name that the text contains, and what it
// passes on is trimmed.
func FuzzParseText(f *testing.F) {
	seeds := []struct {
		text          string
		typ           uint8
		offset, n     int
		priv, replied bool
	}{
		{"/today", 0, 0, 6, true, false},
		{"/log tempo 8km 40min rpe 7", 0, 0, 4, false, false},
		{"/Today@ShakeoutBot now", 0, 0, 18, false, false},
		{"/today@otherbot", 0, 0, 15, false, false},
		{"🏃‍♀️💨 /raced marathon yesterday", 0, 6, 6, false, false},
		{"𝕙𝕚 team 😀 /hr@ShakeoutBot 23 50", 0, 11, 17, false, false},
		{"/broadcast Long run\nmeet at 8", 0, 0, 10, false, false},
		{"@ShakeoutBot how slow is easy?", 1, 0, 12, false, false},
		{"Shakeout is a foam roller good?", 2, 0, 8, false, false},
		{"and after a half?", 3, 0, 0, false, true},
		{"/x", 0, 0, 9, false, false},
		{"/", 0, 0, 1, true, false},
		{"/@", 0, 0, 2, true, false},
		{"/a@", 0, 0, 3, true, false},
		{"/" + strings.Repeat("a", 33), 0, 0, 34, true, false},
		{"see /usr/bin", 3, -1, 4, false, false},
		{"/start\tx", 0, 0, 6, true, false},
		{"\xff/help", 0, 1, 5, true, false},
		{"   ", 0, 0, 0, true, false},
	}
	for _, s := range seeds {
		f.Add(s.text, s.typ, s.offset, s.n, s.priv, s.replied)
	}
	me := models.User{ID: 7000000001, Username: "ShakeoutBot"}
	types := []models.MessageEntityType{models.MessageEntityTypeBotCommand, models.MessageEntityTypeMention,
		models.MessageEntityTypeTextMention, models.MessageEntityTypeBold}
	f.Fuzz(func(t *testing.T, text string, typ uint8, offset, length int, private, replied bool) {
		ents := entities(text)
		extra := models.MessageEntity{Type: types[int(typ)%len(types)], Offset: offset, Length: length}
		if extra.Type == models.MessageEntityTypeTextMention {
			extra.User = &models.User{ID: me.ID}
		}
		ents = append(ents, extra)
		in, ok := parseText(text, ents, me, private, replied)
		if !ok {
			if in != (intent{}) {
				t.Fatalf("parseText(%q) = %+v but not ok", text, in)
			}
			return
		}
		if in.args != strings.TrimSpace(in.args) {
			t.Fatalf("parseText(%q): args %q not trimmed", text, in.args)
		}
		if in.command == "" {
			return
		}
		if !commandName.MatchString(in.command) {
			t.Fatalf("parseText(%q): command %q is not a command name", text, in.command)
		}
		if !strings.Contains(strings.ToLower(text), "/"+in.command) {
			t.Fatalf("parseText(%q): command %q is not in the text", text, in.command)
		}
		if utf8.ValidString(text) && !utf8.ValidString(in.args) {
			t.Fatalf("parseText(%q): args %q are not valid UTF-8", text, in.args)
		}
	})
}

// FuzzCallbackData renders a button with any data and label: data of 1 to
// 64 bytes with a label goes out exactly as given, and anything else is an
// error, never data cut to fit (a cut id would route the press elsewhere).
func FuzzCallbackData(f *testing.F) {
	for _, s := range []struct{ label, data string }{
		{"Yes", "consent:yes"},
		{"Fresh", "plan:12:fresh"},
		{"3", "ci:42:sleep:3"},
		{"Send", "bcast:send:9223372036854775807"},
		{"x", strings.Repeat("d", chat.MaxButtonData)},
		{"x", strings.Repeat("d", chat.MaxButtonData+1)},
		{"x", strings.Repeat("é", 32)},
		{"x", strings.Repeat("é", 33)},
		{"x", ""},
		{" ", "ci:1:sleep:3"},
	} {
		f.Add(s.label, s.data)
	}
	f.Fuzz(func(t *testing.T, label, data string) {
		kb, err := keyboard([][]chat.Button{{{Label: label, Data: data}}})
		valid := len(data) >= 1 && len(data) <= chat.MaxButtonData && strings.TrimSpace(label) != ""
		if !valid {
			if err == nil {
				t.Fatalf("keyboard(%q, %d bytes of data) accepted", label, len(data))
			}
			return
		}
		if err != nil {
			t.Fatalf("keyboard(%q, %q): %v", label, data, err)
		}
		if kb == nil || len(kb.InlineKeyboard) != 1 || len(kb.InlineKeyboard[0]) != 1 {
			t.Fatalf("keyboard(%q, %q) = %+v, want one button", label, data, kb)
		}
		if b := kb.InlineKeyboard[0][0]; b.CallbackData != data || b.Text != label {
			t.Fatalf("button = %+v, want data %q and label %q unchanged", b, data, label)
		}
	})
}
