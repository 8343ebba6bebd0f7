package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
)

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRunOnBothPlatforms starts the real program on the Telegram and Discord
// fakes, has a member talk to it on each, and stops it like SIGTERM does.
func TestRunOnBothPlatforms(t *testing.T) {
	tg := telegramtest.New(t)
	dc := discordtest.New(t)
	db := testDB(t, "run.db")
	vars := map[string]string{
		"SHAKEOUT_DB":               db,
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
		"SHAKEOUT_DISCORD_TOKEN":    dc.Token(),
		"SHAKEOUT_DISCORD_API_URL":  dc.URL(),
		"SHAKEOUT_HTTP_ADDR":        "127.0.0.1:0",
		"SHAKEOUT_LOG_LEVEL":        "debug",
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, logs syncBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("program output:\n%s\nlogs:\n%s", out.String(), logs.String())
		}
	})
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run"}, env(vars), nil, &out, &logs) }()

	maya := telegramtest.User{ID: 4242, FirstName: "Maya"}
	tg.SendUpdate(telegramtest.PrivateText(maya, "/start"))
	sent := tg.WaitSent(t, 1, 10*time.Second)
	if !strings.Contains(sent[0].Text, "Shakeout") || sent[0].ChatID != maya.ID {
		t.Fatalf("telegram /start reply = %+v", sent[0])
	}
	tg.SendUpdate(telegramtest.PrivateText(maya, "how slow should my recovery run be?"))
	sent = tg.WaitSent(t, 2, 10*time.Second)
	if low := strings.ToLower(sent[1].Text); !strings.Contains(low, "conversation") && !strings.Contains(low, "65") {
		t.Fatalf("telegram answer = %q", sent[1].Text)
	}

	discordtest.WaitFor(t, func() bool { return len(dc.Commands("")) > 0 }, 10*time.Second)
	dc.DispatchInteraction(dc.SlashCommand("hr", discordtest.IntegerOption("age", 23), discordtest.IntegerOption("resting", 50)).
		InDM("dm-1", discordtest.User{ID: "77", Username: "tom"}))
	discordtest.WaitFor(t, func() bool {
		for _, m := range dc.Messages("dm-1") {
			if strings.Contains(m.Content, "146") {
				return true
			}
		}
		return false
	}, 10*time.Second)

	// /healthz and /metrics on the address the log announced.
	addr := regexp.MustCompile(`health and metrics listening.*addr=(127\.0\.0\.1:\d+)`)
	var base string
	discordtest.WaitFor(t, func() bool {
		m := addr.FindStringSubmatch(logs.String())
		if m != nil {
			base = "http://" + m[1]
		}
		return m != nil
	}, 10*time.Second)
	discordtest.WaitFor(t, func() bool {
		code, _ := httpGet(t, base+"/healthz")
		return code == http.StatusOK
	}, 10*time.Second)
	_, health := httpGet(t, base+"/healthz")
	for _, probe := range []string{`"database":"ok"`, `"scheduler":"ok"`, `"telegram":"ok"`, `"discord":"ok"`} {
		if !strings.Contains(health, probe) {
			t.Errorf("/healthz lacks %s: %s", probe, health)
		}
	}
	if _, metrics := httpGet(t, base+"/metrics"); !strings.Contains(metrics, `shakeout_messages_in_total{platform="telegram"} 2`) {
		t.Errorf("/metrics lacks the two Telegram messages:\n%s", metrics)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("run returned %v\nlogs:\n%s", err, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop within 15 s of the stop signal")
	}
	for _, secret := range []string{tg.Token(), dc.Token()} {
		if strings.Contains(logs.String(), secret) || strings.Contains(out.String(), secret) {
			t.Fatal("a token appeared in the output")
		}
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("telegram limits violated: %v", v)
	}
	if v := dc.Violations(); len(v) > 0 {
		t.Errorf("discord limits violated: %v", v)
	}
}

func TestDoctor(t *testing.T) {
	tg := telegramtest.New(t)
	dc := discordtest.New(t)
	dir := t.TempDir()
	good := map[string]string{
		"SHAKEOUT_DB":               testDB(t, "d.db"),
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
		"SHAKEOUT_DISCORD_TOKEN":    dc.Token(),
		"SHAKEOUT_DISCORD_API_URL":  dc.URL(),
	}
	var out bytes.Buffer
	if err := run(t.Context(), []string{"doctor"}, env(good), nil, &out, &out); err != nil {
		t.Fatalf("doctor on a good setup: %v\n%s", err, out.String())
	}
	for _, want := range []string{"ok    configuration", "ok    database", "schema version", "@" + tg.Bot().Username, "All checks passed."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out.String())
		}
	}

	bad := map[string]string{
		"SHAKEOUT_DB":               filepath.Join(dir, "missing", "d.db"), // a missing folder: a SQLite path
		"SHAKEOUT_TELEGRAM_TOKEN":   "123456:" + strings.Repeat("z", 35),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
	}
	out.Reset()
	err := run(t.Context(), []string{"doctor"}, env(bad), nil, &out, &out)
	if err == nil {
		t.Fatalf("doctor passed a broken setup:\n%s", out.String())
	}
	for _, want := range []string{"FAIL  database", "does not exist", "FAIL  telegram", "rejected the token"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), strings.Repeat("z", 35)) {
		t.Error("doctor printed the token")
	}

	out.Reset()
	err = run(t.Context(), []string{"doctor"}, env(map[string]string{"SHAKEOUT_TZ": "Mars/Base", "SHAKEOUT_LOG_LEVEL": "loud"}), nil, &out, &out)
	if err == nil || !strings.Contains(out.String(), "SHAKEOUT_TZ") || !strings.Contains(out.String(), "SHAKEOUT_LOG_LEVEL") {
		t.Fatalf("doctor should list every configuration problem: %v\n%s", err, out.String())
	}
}

// TestRunStopsOnFatalCloseCode: Discord refusing the token (close code
// 4004) stops `shakeout run` with an error within seconds, the reason
// logged once, instead of reconnecting and burning identifies.
func TestRunStopsOnFatalCloseCode(t *testing.T) {
	dc := discordtest.New(t)
	dc.RejectIdentify(4004, "Authentication failed.")
	vars := map[string]string{
		"SHAKEOUT_DB":              testDB(t, "fatal.db"),
		"SHAKEOUT_DISCORD_TOKEN":   dc.Token(),
		"SHAKEOUT_DISCORD_API_URL": dc.URL(),
	}
	var out, logs syncBuffer
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- run(t.Context(), []string{"run"}, env(vars), nil, &out, &logs) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "4004") {
			t.Fatalf("run returned %v; want an error naming close code 4004", err)
		}
		t.Logf("stopped %s after start: %v", time.Since(start).Round(time.Millisecond), err)
	case <-time.After(20 * time.Second):
		t.Fatalf("run still running 20 s after Discord refused the token\nlogs:\n%s", logs.String())
	}
	if n := strings.Count(logs.String(), "close_code=4004"); n != 1 {
		t.Errorf("the close code was logged %d times, want once:\n%s", n, logs.String())
	}
	if ids := dc.IdentifyCount(); ids > 1 {
		t.Errorf("%d identifies; a fatal close code must not be retried", ids)
	}
}
