package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot/activity/fittest"
)

// A FIT document sent on Telegram and a file attached on Discord are
// logged by the real program and answered.
func TestRunImportsWatchFiles(t *testing.T) {
	tg := telegramtest.New(t)
	dc := discordtest.New(t)
	dc.AddDMChannel("77", "dm-77")
	db := testDB(t, "run.db")
	vars := map[string]string{
		"SHAKEOUT_DB":               db,
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
		"SHAKEOUT_DISCORD_TOKEN":    dc.Token(),
		"SHAKEOUT_DISCORD_API_URL":  dc.URL(),
		"SHAKEOUT_HTTP_ADDR":        "127.0.0.1:0",
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

	run := func(start time.Time, hr int) []byte {
		data, err := fittest.Steady(start.Truncate(time.Second), 42*time.Minute, 3.1, hr).Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	maya := telegramtest.User{ID: 4242, FirstName: "Maya"}
	doc := tg.AddFile("Morning_Run.fit", run(time.Now().Add(-5*time.Hour), 0))
	tg.SendUpdate(telegramtest.PrivateDocument(maya, doc, ""))
	sent := tg.WaitSent(t, 2, 15*time.Second)
	if !strings.Contains(sent[0].Text, "Logged from a FIT file: easy") || !strings.Contains(sent[0].Text, "7.8 km") || sent[0].ChatID != maya.ID {
		t.Fatalf("telegram answer = %+v", sent[0])
	}
	if !strings.Contains(sent[1].Text, "How hard did it feel") {
		t.Errorf("no effort question on Telegram: %q", sent[1].Text)
	}
	// The same file again: already logged.
	tg.SendUpdate(telegramtest.PrivateDocument(maya, doc, ""))
	sent = tg.WaitSent(t, 3, 15*time.Second)
	if !strings.Contains(sent[2].Text, "Already logged") {
		t.Errorf("second copy on Telegram: %q", sent[2].Text)
	}

	discordtest.WaitFor(t, func() bool { return len(dc.Commands("")) > 0 }, 15*time.Second)
	f := dc.AddAttachment("Lunch_Run.fit", run(time.Now().Add(-2*time.Hour), 0))
	dc.Dispatch("MESSAGE_CREATE", dc.DMMessage("dm-77", discordtest.User{ID: "77", Username: "tom"}, "", f))
	discordtest.WaitFor(t, func() bool {
		for _, m := range dc.Messages("dm-77") {
			if strings.Contains(m.Content, "Logged from a FIT file: easy") {
				return true
			}
		}
		return false
	}, 15*time.Second)

	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop within 15 s")
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
