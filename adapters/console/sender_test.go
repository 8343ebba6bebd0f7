package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/console"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// flushRecorder is a scheduler that also counts Flush calls.
type flushRecorder struct {
	tickRecorder
	flushes int
}

func (f *flushRecorder) Flush(ctx context.Context) error {
	f.flushes++
	return nil
}

func TestSenderPrintsAtTheClockAndOffersButtons(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	out := &bytes.Buffer{}
	core := &echoCore{}
	c := console.New(core, nil, out, console.Options{Club: "harriers", As: "maya", Location: loc,
		Clock: console.NewClock(time.Date(2026, 6, 8, 7, 0, 0, 0, loc))})
	s := console.NewSender(c)
	var _ outbox.Sender = s
	err := s.Send(t.Context(), outbox.Outgoing{ID: 1, Key: "morning:m1:2026-06-08",
		To:    chat.Recipient{Platform: chat.PlatformConsole, UserID: "maya", Private: true},
		Reply: chat.Reply{Text: "EASY today", Buttons: [][]chat.Button{{{Label: "Fresh", Data: "plan:1:fresh"}, {Label: "Sore", Data: "plan:1:sore"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "[Mon 2026-06-08 07:00] to maya (private): EASY today\n") || !strings.Contains(got, "[2] Sore") {
		t.Fatalf("printed %q", got)
	}
	// The buttons of a scheduled message can be pressed by number.
	if _, err := c.Line(t.Context(), "2"); err != nil {
		t.Fatal(err)
	}
	if got := core.got[len(core.got)-1].Button; got != "plan:1:sore" {
		t.Errorf("pressed %q; want the scheduled message's Sore", got)
	}
}

func TestLinesFlushASchedulerThatCan(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	f := &flushRecorder{}
	c := console.New(&echoCore{}, f, &bytes.Buffer{}, console.Options{Club: "harriers", As: "tom", Location: loc,
		Clock: console.NewClock(time.Date(2026, 6, 8, 9, 0, 0, 0, loc))})
	for _, line := range []string{"/broadcast hello", "# a comment", ":as maya", "/today"} {
		if _, err := c.Line(t.Context(), line); err != nil {
			t.Fatal(err)
		}
	}
	if f.flushes != 2 {
		t.Errorf("flushes = %d; want one after each message to the bot (2)", f.flushes)
	}
}
