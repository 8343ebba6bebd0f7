package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/console"
	"github.com/shakeoutbot/shakeout/chat"
)

// echoCore answers each message with what it understood and offers two
// buttons, so tests can see parsing and button presses.
type echoCore struct{ got []chat.Message }

func (e *echoCore) Handle(ctx context.Context, m chat.Message) []chat.Reply {
	e.got = append(e.got, m)
	return []chat.Reply{{Text: "cmd=" + m.Command + " args=" + m.Args + " button=" + m.Button,
		Buttons: [][]chat.Button{{{Label: "Fresh", Data: "pf:fresh"}, {Label: "Sore", Data: "pf:sore"}}}}}
}

type tickRecorder struct{ ticks []time.Time }

func (r *tickRecorder) RunDue(ctx context.Context, now time.Time) error {
	r.ticks = append(r.ticks, now)
	return nil
}

func newConsole(t *testing.T) (*console.Console, *echoCore, *tickRecorder, *bytes.Buffer) {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	core, ticks, out := &echoCore{}, &tickRecorder{}, &bytes.Buffer{}
	start := time.Date(2026, 6, 7, 9, 0, 0, 0, loc)
	c := console.New(core, ticks, out, console.Options{Club: "harriers", As: "maya", Location: loc, Clock: console.NewClock(start)})
	return c, core, ticks, out
}

func TestConsoleScenarioLanguage(t *testing.T) {
	c, core, ticks, out := newConsole(t)
	script := strings.Join([]string{
		"/today",
		"2", // presses the second button shown
		":as tom coach",
		"/club@shakeout plan mon=rest",
		"how slow is a recovery run?",
		":at 2026-06-07 09:05",
		":quit",
		"/never",
	}, "\n")
	if err := c.Run(t.Context(), strings.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	if len(core.got) != 4 {
		t.Fatalf("core got %d messages, want 4 (nothing after :quit): %+v", len(core.got), core.got)
	}
	if m := core.got[0]; m.Command != "today" || m.UserID != "maya" || m.ClubChatID != "harriers" || m.PlatformAdmin {
		t.Errorf("first message = %+v", m)
	}
	if m := core.got[1]; m.Button != "pf:sore" {
		t.Errorf("typing 2 pressed %q, want pf:sore", m.Button)
	}
	if m := core.got[2]; m.Command != "club" || m.Args != "plan mon=rest" || m.UserID != "tom" || !m.PlatformAdmin {
		t.Errorf("coach message = %+v", m)
	}
	if m := core.got[3]; m.Command != "" || m.Args != "how slow is a recovery run?" {
		t.Errorf("question = %+v", m)
	}
	// At start-up (what fell due while closed), 09:01..09:05 minute by
	// minute, then the target itself.
	if len(ticks.ticks) != 7 || !ticks.ticks[0].Equal(time.Date(2026, 6, 7, 9, 0, 0, 0, ticks.ticks[0].Location())) {
		t.Errorf("scheduler ran %d times, want 7 starting at start-up: %v", len(ticks.ticks), ticks.ticks)
	}
	if !strings.Contains(out.String(), "[1] Fresh  [2] Sore") {
		t.Errorf("buttons not shown numbered:\n%s", out.String())
	}
}

func TestConsoleMistakesAreExplained(t *testing.T) {
	cases := []struct{ line, want string }{
		{":at tomorrow", "usage: :at YYYY-MM-DD HH:MM"},
		{":at 2026-13-01 09:00", "can't read"},
		{":at 2026-06-01 09:00", "only moves forward"},
		{":as", "usage: :as NAME [coach]"},
		{":as tom boss", "usage: :as NAME [coach]"},
		{":dance", "unknown directive"},
	}
	for _, tc := range cases {
		t.Run(tc.line, func(t *testing.T) {
			c, core, _, _ := newConsole(t)
			_, err := c.Line(t.Context(), tc.line)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Line(%q) error = %v; want %q", tc.line, err, tc.want)
			}
			if len(core.got) != 0 {
				t.Fatalf("a bad directive reached the core")
			}
		})
	}
}

func TestNumberWithoutButtonsIsText(t *testing.T) {
	c, core, _, _ := newConsole(t)
	if _, err := c.Line(t.Context(), "42"); err != nil {
		t.Fatal(err)
	}
	if core.got[0].Button != "" || core.got[0].Args != "42" {
		t.Fatalf("got %+v; with no buttons shown a number is text", core.got[0])
	}
	if _, err := c.Line(t.Context(), "3"); err == nil {
		t.Fatal("pressing button 3 of 2 should be refused")
	}
}

func FuzzConsoleLine(f *testing.F) {
	for _, s := range []string{"/today", ":at 2026-06-08 07:00", ":as tom coach", "1", ":quit", "/log tempo 8km 40min rpe 7", ":at 2026-02-30 25:61", "/@", ":", "/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, _, _, _ := newConsole(t)
		// Keep :at from stepping a fuzzed century minute by minute.
		if strings.HasPrefix(strings.TrimSpace(line), ":at") {
			return
		}
		_, _ = c.Line(context.Background(), line)
		name, args := console.ParseCommand(line)
		if strings.ContainsAny(name, " @") {
			t.Fatalf("ParseCommand(%q) name %q has a space or @", line, name)
		}
		if !strings.HasPrefix(line, "/") && (name != "" || args != line) {
			t.Fatalf("free text %q parsed as command %q", line, name)
		}
	})
}

// Buttons belong to whoever was shown them: :as does not clear them, and
// a scheduled message's buttons go to its recipient, so each member presses
// their own.
func TestButtonsBelongToTheirRecipient(t *testing.T) {
	c, core, _, _ := newConsole(t)
	ctx := t.Context()
	c.Send(chat.Recipient{Platform: chat.PlatformConsole, UserID: "maya", Private: true},
		chat.Reply{Text: "maya's step", Buttons: [][]chat.Button{{{Label: "Fresh", Data: "plan:1:fresh"}, {Label: "Sore", Data: "plan:1:sore"}}}})
	c.Send(chat.Recipient{Platform: chat.PlatformConsole, UserID: "tom", Private: true},
		chat.Reply{Text: "tom's step", Buttons: [][]chat.Button{{{Label: "Fresh", Data: "plan:2:fresh"}, {Label: "Sore", Data: "plan:2:sore"}}}})
	for _, line := range []string{":as tom", "2", ":as maya", "1", ":as ann", "1"} {
		if _, err := c.Line(ctx, line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
	}
	if len(core.got) != 3 {
		t.Fatalf("core got %d messages: %+v", len(core.got), core.got)
	}
	if m := core.got[0]; m.UserID != "tom" || m.Button != "plan:2:sore" {
		t.Errorf("tom pressed %+v; want his own Sore", m)
	}
	if m := core.got[1]; m.UserID != "maya" || m.Button != "plan:1:fresh" {
		t.Errorf("maya pressed %+v; want her own Fresh", m)
	}
	if m := core.got[2]; m.UserID != "ann" || m.Button != "" || m.Args != "1" {
		t.Errorf("ann, with no buttons of her own, sent %+v; want the text 1", m)
	}
}
