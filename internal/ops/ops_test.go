package ops_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/internal/ops"
	"github.com/shakeoutbot/shakeout/outbox"
)

type fakeCore struct{ reg *bot.Registry }

func (f fakeCore) Handle(ctx context.Context, m chat.Message) []chat.Reply {
	return []chat.Reply{{Text: "secret health value 58 bpm"}}
}
func (f fakeCore) Catalog() *chat.Catalog { return f.reg.Catalog() }

type fakeSender struct{ err error }

func (f fakeSender) Send(context.Context, outbox.Outgoing) error { return f.err }

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestMetricsCountMessagesAndOutcomes(t *testing.T) {
	reg, err := bot.NewRegistry(bot.Command{Name: "today", Summary: "s", Usage: "/today",
		Handler: bot.HandlerFunc(func(context.Context, *bot.Request) ([]chat.Reply, error) { return nil, nil })})
	if err != nil {
		t.Fatal(err)
	}
	m := ops.NewMetrics()
	core := m.Core(fakeCore{reg})
	core.Handle(t.Context(), chat.Message{Platform: chat.PlatformTelegram, Command: "today"})
	core.Handle(t.Context(), chat.Message{Platform: chat.PlatformTelegram, Command: "bogus"})
	core.Handle(t.Context(), chat.Message{Platform: chat.PlatformDiscord, Args: "a question"})
	for _, err := range []error{nil, nil, &outbox.RetryAfterError{After: time.Second}, outbox.ErrUnreachable, errors.New("boom")} {
		_ = m.Sender(chat.PlatformTelegram, fakeSender{err}).Send(t.Context(), outbox.Outgoing{})
	}
	m.WatchOutbox(func(context.Context) (int, time.Duration, error) { return 7, 90 * time.Second, nil })

	code, body := get(t, ops.Handler(m, ops.NewHealth()), "/metrics")
	if code != 200 {
		t.Fatalf("GET /metrics = %d", code)
	}
	for _, want := range []string{
		`shakeout_messages_in_total{platform="telegram"} 2`,
		`shakeout_messages_in_total{platform="discord"} 1`,
		`shakeout_handler_seconds_count{command="today",platform="telegram"} 1`,
		`shakeout_handler_seconds_count{command="unknown",platform="telegram"} 1`,
		`shakeout_handler_seconds_count{command="ask",platform="discord"} 1`,
		`shakeout_send_outcomes_total{outcome="sent",platform="telegram"} 2`,
		`shakeout_send_outcomes_total{outcome="rate_limited",platform="telegram"} 1`,
		`shakeout_send_outcomes_total{outcome="unreachable",platform="telegram"} 1`,
		`shakeout_send_outcomes_total{outcome="error",platform="telegram"} 1`,
		`shakeout_outbox_depth 7`,
		`shakeout_outbox_oldest_seconds 90`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "58 bpm") || strings.Contains(body, "question") {
		t.Error("metrics leak message text")
	}
}

func TestHealthz(t *testing.T) {
	clock := time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)
	hb := ops.NewHeartbeat(func() time.Time { return clock })
	h := ops.NewHealth()
	h.Add("database", func(context.Context) error { return nil })
	h.Add("scheduler", hb.Check(2*time.Minute))
	handler := ops.Handler(ops.NewMetrics(), h)

	code, body := get(t, handler, "/healthz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"scheduler":"not started"`) {
		t.Fatalf("before the first beat: %d %s", code, body)
	}
	hb.Beat()
	if code, body = get(t, handler, "/healthz"); code != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("after a beat: %d %s", code, body)
	}
	clock = clock.Add(3 * time.Minute)
	if code, body = get(t, handler, "/healthz"); code != 503 || !strings.Contains(body, "last beat 3m0s ago") {
		t.Fatalf("stale beat: %d %s", code, body)
	}
}

func TestServeStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- ops.Serve(ctx, "127.0.0.1:0", http.NotFoundHandler(), discard()) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop")
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
