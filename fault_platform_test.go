package main

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord"
	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/adapters/telegram"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/internal/faulttest"
	"github.com/shakeoutbot/shakeout/outbox"
	"github.com/shakeoutbot/shakeout/schedules"
)

// TestFault429Storm runs the whole program (run, in this process) through a
// morning fan-out while both platforms answer storms of 429s: Telegram with
// short retry_after values the adapter waits out in place, one chat three
// times running (given back to the outbox), and long ones it hands back to
// the outbox at once; Discord with per-route and global limits. Every
// message must arrive exactly once, no limit may be broken, and the number
// of requests must stay within one per message plus one per injected 429:
// nothing retries in a tight loop.
func TestFault429Storm(t *testing.T) {
	t.Parallel()
	const nTG, nDC = 30, 30
	f := newFakes(t, nTG, nDC)
	db := testDB(t, "storm.db")
	faulttest.SeedDue(t, db, f.members())

	tgFaults := 0
	chat := func(i int) int64 {
		var id int64
		fmt.Sscan(f.tgPeople[i].ChatID, &id)
		return id
	}
	// The order matters only for the test's length: the dispatcher looks
	// for due messages every 5 s, so the long 429s come first.
	for i := range 8 { // longer than the adapter waits in place
		f.tg.FailNextChat(chat(i), telegramtest.TooManyRequests(6))
		tgFaults++
	}
	for range 3 { // three in a row: handed back to the outbox
		f.tg.FailNextChat(chat(10), telegramtest.TooManyRequests(1))
		tgFaults++
	}
	for _, i := range []int{15, 25} { // waited out in place
		f.tg.FailNextChat(chat(i), telegramtest.TooManyRequests(1))
		tgFaults++
	}
	var dcStorm []discordtest.Fault
	for i := range 16 {
		if i%4 == 3 {
			dcStorm = append(dcStorm, discordtest.GlobalRateLimited(0.2))
		} else {
			dcStorm = append(dcStorm, discordtest.RateLimited(0.4))
		}
	}
	f.dc.QueueFault(discordtest.RouteCreateMessage, dcStorm...)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, logs syncBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
	})
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- run(ctx, []string{"run"}, env(f.env(db)), nil, &out, &logs) }()
	faulttest.Eventually(t, nil, 45*time.Second, "every member to get a message", func() bool {
		_, tgChats, _ := tally(f.tgCounts())
		_, dcChats, _ := tally(f.dcCounts())
		return tgChats == nTG && dcChats == nDC
	})
	took := time.Since(start)
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("run returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop within 15 s")
	}

	tgN, _, tgRepeats := tally(f.tgCounts())
	dcN, _, dcRepeats := tally(f.dcCounts())
	tgCalls := len(f.tg.CallsTo("sendMessage"))
	dcCalls := len(f.dc.CallsTo(discordtest.RouteCreateMessage))
	t.Logf("delivered in %v: Telegram %d messages, %d requests, %d 429s injected; Discord %d messages, %d requests, %d 429s injected",
		took.Round(100*time.Millisecond), tgN, tgCalls, tgFaults, dcN, dcCalls, len(dcStorm))
	if tgRepeats != 0 || dcRepeats != 0 {
		t.Errorf("repeated messages: Telegram %d, Discord %d", tgRepeats, dcRepeats)
	}
	if tgCalls > nTG+tgFaults {
		t.Errorf("Telegram got %d sendMessage requests for %d messages and %d 429s", tgCalls, nTG, tgFaults)
	}
	if dcCalls > nDC+len(dcStorm) {
		t.Errorf("Discord got %d message requests for %d messages and %d 429s", dcCalls, nDC, len(dcStorm))
	}
	checkAllSent(t, db, f.members())
	for _, r := range faulttest.OutboxRows(t, db) {
		if r.Attempts != 0 {
			t.Errorf("row %s counts %d failed attempts; waiting out a rate limit is not a failure", r.Key, r.Attempts)
		}
	}
	f.checkViolations(t)
}

// TestFaultPlatformUnreachable makes both platforms unreachable during a
// morning fan-out (Telegram's front end answers 502, Discord's connections
// are reset) and then brings them back: every message must then arrive,
// once.
//
// How the minute is represented: in production the dispatcher waits 30 s
// after a failed send and doubles the wait each time, so a platform down
// for a minute costs each waiting message two failed attempts (at 0 s and
// 30 s) before the one that succeeds, well short of the eight that give a
// message up. Here the waits are 600 times shorter (Backoff 50 ms) and the
// outage lasts exactly as long as that minute does for the messages: until
// every one of them has failed twice. The adapters' pacing is real.
func TestFaultPlatformUnreachable(t *testing.T) {
	t.Parallel()
	const nTG, nDC = 20, 20
	ctx := t.Context()
	f := newFakes(t, nTG, nDC)
	tgSwitch := faulttest.NewSwitch(t, f.tg.URL())
	dcSwitch := faulttest.NewSwitch(t, f.dc.URL())
	tgSwitch.Set(faulttest.BadGateway)
	dcSwitch.Set(faulttest.Reset)
	db := testDB(t, "down.db")
	faulttest.SeedDue(t, db, f.members())

	var logs faulttest.Buffer
	log := newTestLogger(&logs)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", lastLines(logs.String(), 60))
		}
	})
	store := openTestStore(ctx, t, db, nil)
	defer store.Close()
	b, err := bot.New(bot.Deps{Store: store, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := telegram.New(telegram.Deps{Token: config.Secret(f.tg.Token()), APIURL: tgSwitch.URL(), Core: b, State: store, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	dc, err := discord.New(discord.Deps{Token: config.Secret(f.dc.Token()), APIURL: dcSwitch.URL(), Core: b, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	disp, err := outbox.NewDispatcher(outbox.Deps{Outbox: store, Logger: log,
		Senders: map[chat.Platform]outbox.Sender{chat.PlatformTelegram: tg.Sender(), chat.PlatformDiscord: dc},
		Backoff: 50 * time.Millisecond, MaxBackoff: 30 * time.Minute / 600, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := schedules.New(schedules.Deps{Core: b, Dispatcher: disp, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := sched.Tick(ctx, time.Now()); err != nil || res.Enqueued != nTG+nDC {
		t.Fatalf("tick = %+v, %v; want %d messages enqueued", res, err, nTG+nDC)
	}
	runDone := make(chan struct{})
	go func() { _ = disp.Run(ctx); close(runDone) }()
	defer func() { disp.Stop(); <-runDone }()

	// Each platform comes back once all of its messages failed twice.
	start := time.Now()
	var downFor [2]time.Duration
	switches := [2]*faulttest.Switch{tgSwitch, dcSwitch}
	platforms := [2]chat.Platform{chat.PlatformTelegram, chat.PlatformDiscord}
	faulttest.Eventually(t, nil, 30*time.Second, "every message to fail twice", func() bool {
		failing := map[chat.Platform]bool{}
		for _, r := range faulttest.OutboxRows(t, db) {
			if r.Attempts < 2 {
				failing[r.Platform] = true
			}
		}
		for i, p := range platforms {
			if !failing[p] && downFor[i] == 0 {
				switches[i].Set(faulttest.Up)
				downFor[i] = time.Since(start)
			}
		}
		return downFor[0] > 0 && downFor[1] > 0
	})
	faulttest.Eventually(t, nil, 30*time.Second, "every member to get a message", func() bool {
		_, tgChats, _ := tally(f.tgCounts())
		_, dcChats, _ := tally(f.dcCounts())
		return tgChats == nTG && dcChats == nDC
	})
	back := time.Since(start) - max(downFor[0], downFor[1])
	disp.Stop()

	tgN, _, tgRepeats := tally(f.tgCounts())
	dcN, _, dcRepeats := tally(f.dcCounts())
	attempts := map[int]int{}
	for _, r := range faulttest.OutboxRows(t, db) {
		attempts[r.Attempts]++
	}
	t.Logf("down for Telegram %v (%d requests refused), Discord %v (%d refused); all delivered %v after both came back: "+
		"Telegram %d, Discord %d; failed attempts per message: %v", downFor[0].Round(10*time.Millisecond), tgSwitch.Refused(),
		downFor[1].Round(10*time.Millisecond), dcSwitch.Refused(), back.Round(10*time.Millisecond), tgN, dcN, attempts)
	if tgRepeats != 0 || dcRepeats != 0 {
		t.Errorf("repeated messages: Telegram %d, Discord %d", tgRepeats, dcRepeats)
	}
	for n := range attempts {
		if n < 2 || n > 3 {
			t.Errorf("%d messages took %d failed attempts; want 2 (at most 3 for those failing as the platform came back)", attempts[n], n)
		}
	}
	checkAllSent(t, db, f.members())
	f.checkViolations(t)
}
