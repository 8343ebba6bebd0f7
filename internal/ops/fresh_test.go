package ops_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/internal/ops"
)

// TestFreshScrapeHasEverySeriesAtZero: before any traffic, every shakeout_
// counter and histogram exists for each platform, outcome and command, at
// zero, beside the build information and the lease holder.
func TestFreshScrapeHasEverySeriesAtZero(t *testing.T) {
	reg, err := bot.NewRegistry(
		bot.Command{Name: "today", Summary: "s", Usage: "/today",
			Handler: bot.HandlerFunc(func(context.Context, *bot.Request) ([]chat.Reply, error) { return nil, nil })},
		bot.Command{Name: "checkin", Summary: "s", Usage: "/checkin", ButtonPrefix: "ci",
			Handler: bot.HandlerFunc(func(context.Context, *bot.Request) ([]chat.Reply, error) { return nil, nil }),
			Press:   func(context.Context, *bot.Request, string) ([]chat.Reply, error) { return nil, nil }})
	if err != nil {
		t.Fatal(err)
	}
	m := ops.NewMetrics()
	m.Init([]chat.Platform{chat.PlatformTelegram, chat.PlatformDiscord}, reg.Catalog(), "v1.2.3")
	m.LeaseHolder("box", 4242)
	m.WatchOutbox(func(context.Context) (int, time.Duration, error) { return 0, 0, nil })
	_, body := get(t, ops.Handler(m, ops.NewHealth()), "/metrics")
	checkFreshScrape(t, body)
	for _, want := range []string{
		`shakeout_messages_in_total{platform="discord"} 0`,
		`shakeout_messages_out_total{kind="scheduled",platform="telegram"} 0`,
		`shakeout_send_outcomes_total{outcome="rate_limited",platform="discord"} 0`,
		`shakeout_send_outcomes_total{outcome="chat_moved",platform="telegram"} 0`,
		`shakeout_handler_seconds_count{command="checkin_button",platform="telegram"} 0`,
		`shakeout_handler_seconds_count{command="ask",platform="discord"} 0`,
		`shakeout_lease_holder{host="box",pid="4242"} 1`,
		`shakeout_scheduler_last_tick_timestamp_seconds 0`,
		`shakeout_build_info{goversion="go`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("fresh scrape lacks %s", want)
		}
	}
	m.Tick(time.Unix(1780000000, 0))
	if _, body := get(t, ops.Handler(m, ops.NewHealth()), "/metrics"); !strings.Contains(body, "shakeout_scheduler_last_tick_timestamp_seconds 1.78e+09") {
		t.Errorf("last tick not recorded:\n%s", body)
	}
}

// checkFreshScrape fails on any shakeout_ sample that is not zero, except
// the ones that describe the process (build, lease, last tick).
func checkFreshScrape(t *testing.T, body string) {
	t.Helper()
	n := 0
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, "shakeout_") {
			continue
		}
		n++
		name, value, _ := strings.Cut(line, " ")
		switch {
		case strings.HasPrefix(name, "shakeout_build_info"), strings.HasPrefix(name, "shakeout_lease_holder"):
			if value != "1" {
				t.Errorf("%s = %s, want 1", name, value)
			}
		case strings.HasPrefix(name, "shakeout_scheduler_last_tick_timestamp_seconds"):
		case value != "0":
			t.Errorf("fresh scrape: %s = %s, want 0", name, value)
		}
	}
	if n < 50 {
		t.Errorf("a fresh scrape shows only %d shakeout_ series", n)
	}
}

// TestServerTimeouts: the health and metrics server bounds reading the
// headers and the body, writing the answer and idle connections.
func TestServerTimeouts(t *testing.T) {
	srv := ops.NewServer(http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Errorf("timeouts: header %v, read %v, write %v, idle %v; want all set", srv.ReadHeaderTimeout, srv.ReadTimeout,
			srv.WriteTimeout, srv.IdleTimeout)
	}
}
