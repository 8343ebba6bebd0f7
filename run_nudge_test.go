package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
)

// TestRunSendsANudgeSetAMinuteAhead: with `shakeout run` going, a member
// sets their morning message for the coming minute, and it is delivered
// when that minute comes: the scheduler reads the job list afresh every
// minute, so a changed nudge time counts at once (a job list cached for
// five minutes sent it only at the next refresh, minutes late). The test
// runs on the real clock, so it takes one to two minutes.
func TestRunSendsANudgeSetAMinuteAhead(t *testing.T) {
	t.Parallel()
	tg := telegramtest.New(t)
	vars := map[string]string{
		"SHAKEOUT_DB":               testDB(t, "nudge.db"),
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
		"SHAKEOUT_TZ":               "UTC",
	}
	maya := telegramtest.User{ID: 4343, FirstName: "Maya"}

	// A first run meets Maya, so the second starts with her morning job
	// (07:00 by default) already in its job list.
	first := startRun(t, vars)
	tg.SendUpdate(telegramtest.PrivateText(maya, "/start"))
	tg.WaitSent(t, 1, 10*time.Second)
	first.stop(t)

	second := startRun(t, vars)
	defer second.stop(t)
	// Her /help is answered once the second run polls, after its first
	// tick has read the job list.
	tg.SendUpdate(telegramtest.PrivateText(maya, "/help"))
	tg.WaitSent(t, 2, 10*time.Second)

	// The coming minute, unless it starts too soon to store the setting
	// before it; then the one after.
	now := time.Now().UTC()
	slot := now.Truncate(time.Minute).Add(time.Minute)
	if slot.Sub(now) < 20*time.Second {
		slot = slot.Add(time.Minute)
	}
	tg.SendUpdate(telegramtest.PrivateText(maya, "/settings tz UTC nudge "+slot.Format("15:04")))
	confirmed := tg.WaitSent(t, 3, 10*time.Second)
	if !strings.Contains(confirmed[2].Text, slot.Format("15:04")) {
		t.Fatalf("settings reply = %q; want the new nudge time", confirmed[2].Text)
	}
	if time.Now().After(slot) {
		t.Fatalf("the setting was stored after its minute %s began; the machine is too slow for this test", slot.Format("15:04"))
	}

	// The morning message comes in that minute's tick. The wait allows
	// for a slow machine, and ends well before a five-minute job cache
	// would have been refreshed.
	sent := tg.WaitSent(t, 4, time.Until(slot)+100*time.Second)
	if sent[3].ChatID != maya.ID {
		t.Fatalf("morning message went to chat %d; want Maya's %d", sent[3].ChatID, maya.ID)
	}
}

// runningProgram is `shakeout run` going in the background.
type runningProgram struct {
	cancel    context.CancelFunc
	done      chan error
	out, logs *syncBuffer
	stopped   bool
}

func startRun(t *testing.T, vars map[string]string) *runningProgram {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	p := &runningProgram{cancel: cancel, done: make(chan error, 1), out: &syncBuffer{}, logs: &syncBuffer{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("program output:\n%s\nlogs:\n%s", p.out.String(), p.logs.String())
		}
	})
	go func() { p.done <- run(ctx, []string{"run"}, env(vars), nil, p.out, p.logs) }()
	return p
}

// stop stops the program as SIGTERM does and waits for it to end.
func (p *runningProgram) stop(t *testing.T) {
	t.Helper()
	if p.stopped {
		return
	}
	p.stopped = true
	p.cancel()
	select {
	case err := <-p.done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop within 15 s of the stop signal")
	}
}
