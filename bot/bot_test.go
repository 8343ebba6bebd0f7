package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
)

var june = time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)

func TestUnknownCommandHints(t *testing.T) {
	h := newHarness(t, june)
	got := h.say("maya", "/hlep")
	if !strings.Contains(got, "/help") || !strings.Contains(got, "don't know the command /hlep") {
		t.Fatalf("reply = %q", got)
	}
}

func TestTooLongTextRefused(t *testing.T) {
	h := newHarness(t, june)
	got := h.say("maya", strings.Repeat("a", bot.MaxTextLen+1))
	if !strings.Contains(got, "too long") {
		t.Fatalf("reply = %q", got)
	}
}

func TestRedeliveredUpdateDropped(t *testing.T) {
	h := newHarness(t, june)
	m := h.msg("maya", "/start")
	m.UpdateID = "77"
	if rs := h.bot.Handle(t.Context(), m); len(rs) == 0 {
		t.Fatal("first delivery got no reply")
	}
	if rs := h.bot.Handle(t.Context(), m); len(rs) != 0 {
		t.Fatalf("redelivery got %d replies, want none", len(rs))
	}
}

func TestHelpPerCommandHasExample(t *testing.T) {
	h := newHarness(t, june)
	for _, c := range h.bot.Registry().Commands() {
		got := h.say("maya", "/help "+c.Name)
		if !strings.Contains(got, c.Usage) || !strings.Contains(got, "Examples:") {
			t.Errorf("/help %s = %q; want usage and examples", c.Name, got)
		}
		for _, ex := range c.Examples {
			if !strings.HasPrefix(ex, "/"+c.Name) {
				t.Errorf("/%s example %q does not start with the command", c.Name, ex)
			}
		}
	}
}

func TestCoachCommandsHiddenFromMembersHelp(t *testing.T) {
	h := newHarness(t, june)
	member := h.say("maya", "/help")
	coach := h.sayCoach("tom", "/help")
	for _, c := range h.bot.Registry().Commands() {
		if !c.ClubAdmin {
			continue
		}
		if strings.Contains(member, "/"+c.Name+":") {
			t.Errorf("member help lists coach command /%s", c.Name)
		}
		if !strings.Contains(coach, "/"+c.Name+":") {
			t.Errorf("coach help misses /%s", c.Name)
		}
	}
}

func TestFreeTextIsAQuestion(t *testing.T) {
	h := newHarness(t, june)
	got := h.say("maya", "how slow should my recovery run be?")
	if !strings.Contains(strings.ToLower(got), "conversation") && !strings.Contains(got, "65") {
		t.Fatalf("answer = %q", got)
	}
	if !strings.Contains(got, "Source:") {
		t.Fatalf("answer names no source: %q", got)
	}
}

func TestButtonExpired(t *testing.T) {
	h := newHarness(t, june)
	got := h.press("maya", "nosuch:1")
	if !strings.Contains(got, "expired") {
		t.Fatalf("reply = %q", got)
	}
}

func TestErrorsOfPersonalCommandsArePrivate(t *testing.T) {
	h := newHarness(t, june)
	m := h.msg("maya", "/checkin sleep 9")
	rs := h.bot.Handle(t.Context(), m)
	if len(rs) != 1 || !rs[0].Private {
		t.Fatalf("error reply to /checkin in a group = %+v; want one private reply", rs)
	}
	rs = h.bot.Handle(t.Context(), h.msg("maya", "/ask"))
	if len(rs) != 1 || rs[0].Private {
		t.Fatalf("error reply to an empty /ask = %+v; want a public reply", rs)
	}
}
