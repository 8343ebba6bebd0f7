package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord"
	"github.com/shakeoutbot/shakeout/adapters/telegram"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/internal/ops"
	"github.com/shakeoutbot/shakeout/schedules"
)

// stopGrace is how long a stop waits for the sends in flight.
const stopGrace = 8 * time.Second

// platform is one running chat platform.
type platform struct {
	name   bot.Platform
	run    func(ctx context.Context) error
	sender bot.Sender
	health ops.Check
}

// runPlatforms starts every platform whose token is configured, with the
// scheduler and the outbox dispatcher, until ctx ends or a platform fails.
func runPlatforms(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usageError{"run takes no arguments; configure it with SHAKEOUT_* environment variables"}
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if len(cfg.Platforms()) == 0 {
		return errors.New("no platform configured: set SHAKEOUT_TELEGRAM_TOKEN and/or SHAKEOUT_DISCORD_TOKEN " +
			"(or their _FILE variants). To try the bot without a token, run: shakeout chat")
	}
	log := cfg.NewLogger(stderr)
	store, err := sqlite.Open(ctx, cfg.DBPath, sqlite.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	b, err := bot.New(bot.Deps{Store: store, Logger: log, DefaultTZ: cfg.DefaultTZ})
	if err != nil {
		return err
	}
	metrics := ops.NewMetrics()
	health := ops.NewHealth()
	health.Add("database", store.Ping)
	core := metrics.Core(b)

	platforms, err := buildPlatforms(cfg, core, b, store, log)
	if err != nil {
		return err
	}
	senders := map[bot.Platform]bot.Sender{}
	for _, p := range platforms {
		senders[p.name] = metrics.Sender(p.name, p.sender)
	}
	disp, err := bot.NewDispatcher(bot.DispatcherDeps{Outbox: store, Senders: senders, Logger: log, OnRefused: b.PostRefused})
	if err != nil {
		return err
	}
	if n, err := disp.Recover(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("requeued messages left mid-send by the last run", "count", n)
	}
	metrics.WatchOutbox(func(ctx context.Context) (int, time.Duration, error) {
		n, oldest, err := store.OutboxBacklog(ctx)
		if err != nil || n == 0 {
			return n, 0, err
		}
		return n, max(0, time.Since(oldest)), nil
	})

	beat := ops.NewHeartbeat(nil)
	health.Add("scheduler", beat.Check(3*time.Minute))
	sched, err := schedules.New(schedules.Deps{Core: b, Dispatcher: disp, Logger: log,
		OnTick: func(time.Time, error) { beat.Beat() }})
	if err != nil {
		return err
	}

	// The dispatcher runs on a context a stop does not cancel: on a stop it
	// claims nothing new and the sends in flight finish (Stop below).
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	var wg sync.WaitGroup
	wg.Go(func() { _ = disp.Run(sendCtx) })

	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	errc := make(chan error, len(platforms)+1)
	for _, p := range platforms {
		health.Add(string(p.name), p.health)
		wg.Go(func() {
			if err := p.run(runCtx); err != nil {
				errc <- err // adapters name their platform in their errors
				cancelRun()
			}
		})
	}
	if cfg.HTTPAddr != "" {
		wg.Go(func() {
			if err := ops.Serve(runCtx, cfg.HTTPAddr, ops.Handler(metrics, health), log); err != nil {
				errc <- fmt.Errorf("health and metrics server: %w", err)
				cancelRun()
			}
		})
	}
	if err := sched.Start(runCtx); err != nil {
		cancelRun()
		wg.Wait()
		return err
	}
	log.Info("shakeout running", "platforms", cfg.Platforms(), "version", version)
	fmt.Fprintf(stdout, "shakeout %s running on %v; stop with Ctrl-C\n", version, cfg.Platforms())

	<-runCtx.Done()
	log.Info("stopping: finishing the sends in flight")
	sched.Stop()
	stopped := make(chan struct{})
	go func() { disp.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(stopGrace):
		log.Warn("sends still in flight after the grace period; they will be retried next start")
	}
	cancelSends()
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// buildPlatforms creates an adapter for every configured token.
func buildPlatforms(cfg config.Config, core ops.Core, b *bot.Bot, store *sqlite.Store, log *slog.Logger) ([]platform, error) {
	var out []platform
	// One limiter for both adapters; members are keyed by platform and id.
	limiter := bot.NewMemberLimiter(bot.LimitConfig{Burst: cfg.MemberBurst, PerMinute: cfg.MemberPerMinute, Cooldown: cfg.MemberCooldown}, nil)
	if cfg.TelegramToken.IsSet() {
		tg, err := telegram.New(telegram.Deps{
			Token:  cfg.TelegramToken,
			APIURL: cfg.TelegramAPIURL,
			Webhook: telegram.Webhook{
				URL:    cfg.TelegramWebhookURL,
				Secret: cfg.TelegramWebhookSecret,
				Listen: cfg.TelegramWebhookListen,
			},
			Core:  core,
			State: store,
			OnChatMoved: func(ctx context.Context, oldID, newID string) error {
				return store.MoveChatReferences(ctx, bot.PlatformTelegram, oldID, newID)
			},
			Spool:   store,
			Reach:   b,
			Limiter: limiter,
			Logger:  log,
		})
		if err != nil {
			return nil, err
		}
		out = append(out, platform{name: bot.PlatformTelegram, run: tg.Run, sender: tg.Sender(), health: tg.Health})
	}
	if cfg.DiscordToken.IsSet() {
		dc, err := discord.New(discord.Deps{
			Token:     cfg.DiscordToken.Reveal(),
			APIURL:    cfg.DiscordAPIURL,
			GuildID:   cfg.DiscordGuildID,
			CoachRole: cfg.DiscordCoachRole,
			Core:      core,
			Reach:     b,
			DMs:       store,
			Limiter:   limiter,
			Logger:    log,
		})
		if err != nil {
			return nil, err
		}
		out = append(out, platform{name: bot.PlatformDiscord, run: dc.Run, sender: dc, health: dc.Health})
	}
	return out, nil
}
