package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/chat"
)

func entities(text string) []models.MessageEntity {
	var out []models.MessageEntity
	for _, e := range telegramtest.ParseEntities(text) {
		out = append(out, models.MessageEntity{Type: models.MessageEntityType(e.Type), Offset: e.Offset, Length: e.Length})
	}
	return out
}

func TestParseText(t *testing.T) {
	me := models.User{ID: 7000000001, Username: "ShakeoutBot"}
	cases := []struct {
		name         string
		text         string
		ents         []models.MessageEntity // nil: as Telegram marks them
		noEnts       bool
		private      bool
		repliedToBot bool
		ok           bool
		want         intent
	}{
		{name: "command", text: "/today", ok: true, want: intent{command: "today"}},
		{name: "command with args", text: "/log tempo 8km 40min rpe 7", ok: true, want: intent{command: "log", args: "tempo 8km 40min rpe 7"}},
		{name: "our name, any case", text: "/Today@shakeoutbot now", ok: true, want: intent{command: "today", args: "now"}},
		{name: "another bot", text: "/today@otherbot", ok: false},
		{name: "another bot in a DM", text: "/today@otherbot", private: true, ok: false},
		{name: "after an emoji", text: "🏃‍♀️💨 /raced marathon yesterday", ok: true, want: intent{command: "raced", args: "marathon yesterday"}},
		{name: "after astral emoji and text", text: "𝕙𝕚 team 😀 /hr@ShakeoutBot 23 50", ok: true, want: intent{command: "hr", args: "23 50"}},
		{name: "multi-line args", text: "/broadcast Long run\nmeet at 8", ok: true, want: intent{command: "broadcast", args: "Long run\nmeet at 8"}},
		{name: "group chatter", text: "nice run!", ok: false},
		{name: "DM free text", text: "  is a rest day ok? ", private: true, ok: true, want: intent{args: "is a rest day ok?"}},
		{name: "mention first", text: "@ShakeoutBot how slow is easy?", ok: true, want: intent{args: "how slow is easy?"}},
		{name: "mention in the middle", text: "hey @shakeoutbot what about sleep", ok: true, want: intent{args: "hey what about sleep"}},
		{name: "mention of someone else", text: "@alice_runs see you", ok: false},
		{name: "text mention of the bot", text: "Shakeout is a foam roller good?",
			ents: []models.MessageEntity{{Type: models.MessageEntityTypeTextMention, Offset: 0, Length: 8, User: &models.User{ID: 7000000001}}},
			ok:   true, want: intent{args: "is a foam roller good?"}},
		{name: "reply to the bot", text: "and after a half?", repliedToBot: true, ok: true, want: intent{args: "and after a half?"}},
		{name: "no entities sent", text: "/help@ShakeoutBot log", noEnts: true, ok: true, want: intent{command: "help", args: "log"}},
		{name: "no entities, other bot", text: "/help@other", noEnts: true, ok: false},
		{name: "entity past the end", text: "/x", ents: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: 9}}, ok: false},
		{name: "empty", text: "   ", private: true, ok: false},
		{name: "a path is no command", text: "see /usr/bin", ents: []models.MessageEntity{}, ok: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ents := c.ents
			if ents == nil && !c.noEnts {
				ents = entities(c.text)
			}
			got, ok := parseText(c.text, ents, me, c.private, c.repliedToBot)
			if ok != c.ok || (ok && got != c.want) {
				t.Errorf("parseText(%q) = %+v, %v; want %+v, %v", c.text, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestSplitText(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		max   int
		parts []string
	}{
		{"short", "hello", 10, []string{"hello"}},
		{"blank", " \n ", 10, nil},
		{"paragraphs first", "aaaa bbbb\n\ncccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"then lines", "aaaa\nbbbb cccc", 10, []string{"aaaa", "bbbb cccc"}},
		{"then words", "aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"then hard", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"surrogates count twice and stay whole", "😀😀😀", 3, []string{"😀", "😀", "😀"}},
		{"at the limit", "12345", 5, []string{"12345"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := splitText(c.text, c.max)
			if strings.Join(got, "|") != strings.Join(c.parts, "|") || len(got) != len(c.parts) {
				t.Errorf("splitText(%q, %d) = %q, want %q", c.text, c.max, got, c.parts)
			}
			for _, p := range got {
				if utf16Len(p) > c.max {
					t.Errorf("part %q is %d units", p, utf16Len(p))
				}
			}
		})
	}
}

func TestKeyboard(t *testing.T) {
	kb, err := keyboard([][]chat.Button{{{Label: "1", Data: "ci:1:sl:1"}, {Label: "2", Data: "ci:1:sl:2"}}, {}, {{Label: "Max", Data: strings.Repeat("é", 32)}}})
	if err != nil || len(kb.InlineKeyboard) != 2 || len(kb.InlineKeyboard[0]) != 2 {
		t.Fatalf("keyboard = %+v, %v", kb, err)
	}
	if _, err := keyboard([][]chat.Button{{{Label: "Too long", Data: strings.Repeat("é", 33)}}}); err == nil || !strings.Contains(err.Error(), "66 bytes") {
		t.Errorf("66-byte data: %v, want a loud error", err)
	}
	if kb, err := keyboard(nil); kb != nil || err != nil {
		t.Errorf("no buttons = %+v, %v", kb, err)
	}
}

func TestPacer(t *testing.T) {
	p := newPacer(0)
	ctx := context.Background()
	start := time.Now()
	for _, id := range []int64{1, 2, -3} {
		done, err := p.wait(ctx, id, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		done()
	}
	// Second message to a private chat waits about a second after the
	// first one's answer.
	done, err := p.wait(ctx, 1, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	done()
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("second message to one chat after %v", d)
	}
	// A 429 holds the chat back.
	p.hold(2, 300*time.Millisecond)
	held := time.Now()
	if done, err = p.wait(ctx, 2, time.Second); err != nil {
		t.Fatal(err)
	}
	done()
	if d := time.Since(held); d < 300*time.Millisecond {
		t.Errorf("held chat sent after %v", d)
	}
	// A long hold is reported at once, not waited out.
	p.hold(2, time.Hour)
	var he *heldError
	if _, err := p.wait(ctx, 2, 5*time.Second); !errors.As(err, &he) || he.after < 59*time.Minute {
		t.Errorf("wait on a chat held for an hour = %v", err)
	}
	// Idle chats are dropped once their windows count nothing.
	time.Sleep(time.Second)
	p.mu.Lock()
	for _, c := range p.chats {
		c.used = c.used.Add(-idleAfter)
		c.holdUntil = time.Time{}
	}
	p.lastSweep = p.lastSweep.Add(-time.Minute)
	p.mu.Unlock()
	if done, err = p.wait(ctx, 4, time.Second); err != nil {
		t.Fatal(err)
	}
	done()
	if n := p.size(); n != 2 {
		t.Errorf("%d chats kept after the sweep, want 2 (the new one and the group, whose minute is not over)", n)
	}
	// A cancelled wait returns the context's error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.wait(cctx, 4, time.Second); err == nil {
		t.Errorf("a cancelled wait returned nil")
	}
}

func TestValidPayload(t *testing.T) {
	for s, want := range map[string]bool{"checkin": true, "my-data_2": true, "": false, "a b": false, "ü": false, strings.Repeat("a", 65): false} {
		if validPayload(s) != want {
			t.Errorf("validPayload(%q) = %v", s, !want)
		}
	}
}
