package bot_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
)

// errorCounter is a slog handler that counts error records.
type errorCounter struct {
	n    *atomic.Int64
	last *atomic.Value
}

func (h errorCounter) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (h errorCounter) Handle(_ context.Context, r slog.Record) error {
	h.n.Add(1)
	msg := r.Message
	r.Attrs(func(a slog.Attr) bool { msg += " " + a.String(); return true })
	h.last.Store(msg)
	return nil
}
func (h errorCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h errorCounter) WithGroup(string) slog.Handler      { return h }

// FuzzButtonData presses buttons with any data, in a club chat and in a
// direct message, on a bot with a real database in which a check-in, a
// post-race plan and a /forgetme confirmation are waiting: whatever the
// data, the press is answered without an internal error (no apology, no
// error logged), and every button in the answer carries 1 to 64 bytes of
// data, Telegram's limit.
func FuzzButtonData(f *testing.F) {
	ctx := context.Background()
	now := time.Date(2026, time.June, 9, 7, 30, 0, 0, time.UTC)
	store, err := sqlite.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"), sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	errs := errorCounter{n: new(atomic.Int64), last: new(atomic.Value)}
	b, err := bot.New(bot.Deps{Store: store, Logger: slog.New(errs), Now: func() time.Time { return now }, DefaultTZ: time.UTC})
	if err != nil {
		f.Fatal(err)
	}
	msg := func(private bool) chat.Message {
		m := chat.Message{Platform: chat.PlatformConsole, ClubChatID: "harriers", ChatID: "harriers", UserID: "maya", UserName: "maya"}
		if private {
			m.ClubChatID, m.ChatID, m.Private = "", "dm-maya", true
		}
		return m
	}
	// Real button data from waiting conversations, as seeds.
	for _, text := range []string{"/checkin", "/raced half yesterday", "/forgetme", "/settings consent yes"} {
		m := msg(true)
		m.Command, m.Args, _ = strings.Cut(strings.TrimPrefix(text, "/"), " ")
		for _, r := range b.Handle(ctx, m) {
			for _, row := range r.Buttons {
				for _, btn := range row {
					f.Add(btn.Data, true)
					f.Add(btn.Data, false)
				}
			}
		}
	}
	for _, s := range []string{"", ":", "consent:no", "ci:", "ci:1", "ci:1:sleep:", "ci:99999999999999999999:sleep:3",
		"plan:-1:fresh", "plan:1:unknown", "bcast:send:1", "bcast:cancel:x", "forget:0:yes", "forget:1:maybe",
		"nosuch:1", strings.Repeat("ci:1:", 20), "\xff\xfe", "ci:1:sleep:3\n"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, data string, private bool) {
		m := msg(private)
		m.Button = data
		before := errs.n.Load()
		replies := b.Handle(ctx, m)
		if errs.n.Load() != before {
			t.Fatalf("button %q: error logged: %v", data, errs.last.Load())
		}
		for _, r := range replies {
			if strings.Contains(r.Text, "something went wrong") {
				t.Fatalf("button %q: apology %q", data, r.Text)
			}
			for _, row := range r.Buttons {
				for _, btn := range row {
					if n := len(btn.Data); n == 0 || n > chat.MaxButtonData || btn.Label == "" {
						t.Fatalf("button %q: answer has button %+v (%d bytes of data)", data, btn, n)
					}
				}
			}
		}
	})
}
