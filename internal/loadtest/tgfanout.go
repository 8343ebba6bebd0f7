package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

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

// tgFanout is the Telegram fan-out figures, as the fake saw the arrivals.
type tgFanout struct {
	messages   int
	total      time.Duration // dispatcher start → last arrival
	window     time.Duration // first → last arrival
	rate       float64
	maxSecond  int // most arrivals in any 1 s window
	over30     int // arrivals that ended a 1 s window holding more than 30
	maxChat    int // most arrivals to one chat in any 1 s window
	maxGroup   int // most arrivals to one group in any 60 s window
	violations []string
}

// maxIn is the most times in any window (t-per, t].
func maxIn(ts []time.Time, per time.Duration, limit int) (most, over int) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	lo := 0
	for hi, t := range ts {
		for !ts[lo].After(t.Add(-per)) {
			lo++
		}
		n := hi - lo + 1
		most = max(most, n)
		if limit > 0 && n > limit {
			over++
		}
	}
	return most, over
}

// measureTelegramFanout seeds n Telegram members (two groups), runs the
// morning Tick and delivers it through the real dispatcher and Telegram
// Sender to the fake, as `shakeout run` wires them.
func measureTelegramFanout(ctx context.Context, dir string, n int, at time.Time, timeout time.Duration) (tgFanout, error) {
	var res tgFanout
	err := inTB(func(b *testing.B) error {
		tg := telegramtest.New(b)
		clk := newClock(at)
		s, err := sqlite.Open(ctx, filepath.Join(dir, "tgfanout.db"), sqlite.Options{Now: clk.Now})
		if err != nil {
			return err
		}
		defer s.Close()
		core, err := bot.New(bot.Deps{Store: s, Now: clk.Now})
		if err != nil {
			return err
		}
		if _, err := seed(ctx, s, clk, at, n, 2, []chat.Platform{chat.PlatformTelegram}); err != nil {
			return err
		}
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
		metrics := ops.NewMetrics()
		tga, err := telegram.New(telegram.Deps{Token: config.Secret(tg.Token()), APIURL: tg.URL(), Core: metrics.Core(core), State: s})
		if err != nil {
			return err
		}
		disp, err := outbox.NewDispatcher(outbox.Deps{Outbox: s, Senders: map[chat.Platform]outbox.Sender{
			chat.PlatformTelegram: metrics.Sender(chat.PlatformTelegram, tga.Sender()),
		}})
		if err != nil {
			return err
		}
		runCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- disp.Run(runCtx) }()
		deadline := start.Add(timeout)
		for len(tg.Sent()) < tick.Enqueued {
			if time.Now().After(deadline) {
				disp.Stop()
				return fmt.Errorf("telegram fan-out timed out after %v: %d/%d", timeout, len(tg.Sent()), tick.Enqueued)
			}
			time.Sleep(20 * time.Millisecond)
		}
		disp.Stop()
		cancel()
		<-done
		sent := tg.Sent()
		var all []time.Time
		byChat := map[int64][]time.Time{}
		for _, m := range sent {
			all = append(all, m.Time)
			byChat[m.ChatID] = append(byChat[m.ChatID], m.Time)
		}
		res.messages = len(sent)
		res.maxSecond, res.over30 = maxIn(all, time.Second, 30)
		for chat, ts := range byChat {
			if chat < 0 {
				g, _ := maxIn(ts, time.Minute, 0)
				res.maxGroup = max(res.maxGroup, g)
			}
			c, _ := maxIn(ts, time.Second, 0)
			res.maxChat = max(res.maxChat, c)
		}
		res.window = all[len(all)-1].Sub(all[0])
		res.total = all[len(all)-1].Sub(start)
		if res.window > 0 {
			res.rate = float64(res.messages-1) / res.window.Seconds()
		}
		res.violations = tg.Violations()
		return nil
	})
	return res, err
}
