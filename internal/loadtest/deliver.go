package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord"
	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/adapters/telegram"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/internal/ops"
	"github.com/shakeoutbot/shakeout/outbox"
	"github.com/shakeoutbot/shakeout/schedules"
)

// delivered is one platform's delivery figures, as the fake saw them.
type delivered struct {
	messages   int
	requests   int // REST requests (Discord) or sendMessage calls (Telegram)
	window     time.Duration
	rate       float64 // messages/s between the first and the last arrival
	reqRate    float64
	violations []string
}

type deliverResult struct {
	telegram, discord delivered
	enqueued          int
	total             time.Duration
}

// inTB runs f with a real *testing.B, which the fakes need for their
// cleanups and failures, outside `go test`: testing.Benchmark calls f with
// b.N = 1 and, since f takes longer than the default benchtime, does not
// call it again (a guard makes sure). Cleanups registered on b run when f
// returns, which closes the fakes.
func inTB(f func(b *testing.B) error) error {
	var err error
	ran := false
	testing.Benchmark(func(b *testing.B) {
		if ran {
			return
		}
		ran = true
		err = f(b)
		if err == nil && b.Failed() {
			err = fmt.Errorf("a fake reported a failure")
		}
	})
	if !ran {
		return fmt.Errorf("testing.Benchmark did not run the measurement")
	}
	return err
}

// measureDelivery seeds a small database of its own (n members on each
// platform, two clubs each), runs the fan-out Tick at `at`, and delivers
// the outbox with the real dispatcher and the real Telegram and Discord
// Senders, wired as `shakeout run` wires them (one dispatcher, metrics
// around each sender), against the fakes on 127.0.0.1.
func measureDelivery(ctx context.Context, dir string, n int, at time.Time, timeout time.Duration) (deliverResult, error) {
	var res deliverResult
	err := inTB(func(b *testing.B) error {
		tg := telegramtest.New(b)
		dc := discordtest.New(b)
		clk := newClock(at)
		s, err := sqlite.Open(ctx, filepath.Join(dir, "deliver.db"), sqlite.Options{Now: clk.Now})
		if err != nil {
			return err
		}
		defer s.Close()
		core, err := bot.New(bot.Deps{Store: s, Now: clk.Now})
		if err != nil {
			return err
		}
		if _, err := seed(ctx, s, clk, at, 2*n, 4, []chat.Platform{chat.PlatformTelegram, chat.PlatformDiscord}); err != nil {
			return err
		}
		// The Discord fake knows only channels that exist: the clubs' post
		// channels and the members' DM channels.
		// Clubs alternate Telegram, Discord, and members go round the clubs,
		// so the odd clubs and the odd members are on Discord.
		for c := 1; c < 4; c += 2 {
			dc.AddChannel(clubChat(chat.PlatformDiscord, c), postChannel(c))
		}
		for i := 1; i < 2*n; i += 2 {
			dc.AddDMChannel(userID(chat.PlatformDiscord, i), dmChannel(i))
		}
		// Every member gets a morning message here (the seed turns them
		// off for 3 in 20).
		members, err := s.ScheduleMembers(ctx)
		if err != nil {
			return err
		}
		for _, m := range members {
			m.Nudges = true
			if err := s.UpdateMember(ctx, m, false); err != nil {
				return err
			}
		}
		clk.Set(at)
		sched, err := schedules.New(schedules.Deps{Core: core, Now: clk.Now})
		if err != nil {
			return err
		}
		tick, err := sched.Tick(ctx, at)
		if err != nil {
			return err
		}
		res.enqueued = tick.Enqueued

		metrics := ops.NewMetrics()
		mc := metrics.Core(core)
		tga, err := telegram.New(telegram.Deps{Token: config.Secret(tg.Token()), APIURL: tg.URL(), Core: mc, State: s})
		if err != nil {
			return err
		}
		dca, err := discord.New(discord.Deps{Token: config.Secret(dc.Token()), APIURL: dc.URL(), Core: mc})
		if err != nil {
			return err
		}
		disp, err := outbox.NewDispatcher(outbox.Deps{Outbox: s, Senders: map[chat.Platform]outbox.Sender{
			chat.PlatformTelegram: metrics.Sender(chat.PlatformTelegram, tga.Sender()),
			chat.PlatformDiscord:  metrics.Sender(chat.PlatformDiscord, dca),
		}})
		if err != nil {
			return err
		}
		want := map[chat.Platform]int{}
		counts, err := s.OutboxCounts(ctx)
		if err != nil {
			return err
		}
		if counts[outbox.Pending] != tick.Enqueued {
			return fmt.Errorf("outbox holds %d pending rows, the tick enqueued %d", counts[outbox.Pending], tick.Enqueued)
		}
		// n members and two clubs on each platform.
		want[chat.PlatformTelegram], want[chat.PlatformDiscord] = n+2, n+2
		if tick.Enqueued != 2*n+4 {
			return fmt.Errorf("the tick enqueued %d messages, want %d", tick.Enqueued, 2*n+4)
		}

		runCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- disp.Run(runCtx) }()
		dcMsgs := func() []discordtest.Call {
			var out []discordtest.Call
			for _, c := range dc.CallsTo(discordtest.RouteCreateMessage) {
				if c.Status == 200 {
					out = append(out, c)
				}
			}
			return out
		}
		deadline := time.Now().Add(timeout)
		for len(tg.Sent()) < want[chat.PlatformTelegram] || len(dcMsgs()) < want[chat.PlatformDiscord] {
			if time.Now().After(deadline) {
				disp.Stop()
				return fmt.Errorf("delivery timed out after %v: telegram %d/%d, discord %d/%d", timeout,
					len(tg.Sent()), want[chat.PlatformTelegram], len(dcMsgs()), want[chat.PlatformDiscord])
			}
			time.Sleep(50 * time.Millisecond)
		}
		res.total = time.Since(start)
		disp.Stop()
		cancel()
		<-done

		sent := tg.Sent()
		res.telegram = delivered{messages: len(sent), requests: len(tg.CallsTo("sendMessage")), violations: tg.Violations()}
		if len(sent) > 1 {
			res.telegram.window = sent[len(sent)-1].Time.Sub(sent[0].Time)
		}
		msgs := dcMsgs()
		calls := dc.Calls()
		res.discord = delivered{messages: len(msgs), requests: len(calls)}
		for _, v := range dc.Violations() {
			res.discord.violations = append(res.discord.violations, fmt.Sprintf("%s %s: %s", v.Kind, v.Route, v.Detail))
		}
		if len(calls) > 1 {
			res.discord.window = calls[len(calls)-1].At.Sub(calls[0].At)
		}
		for _, d := range []*delivered{&res.telegram, &res.discord} {
			if d.window > 0 {
				// n arrivals span n-1 intervals.
				d.rate = float64(d.messages-1) / d.window.Seconds()
				d.reqRate = float64(d.requests-1) / d.window.Seconds()
			}
		}
		after, err := s.OutboxCounts(ctx)
		if err != nil {
			return err
		}
		if after[outbox.Sent] != tick.Enqueued {
			return fmt.Errorf("outbox marks %d rows sent, want %d (%v)", after[outbox.Sent], tick.Enqueued, after)
		}
		return nil
	})
	return res, err
}
