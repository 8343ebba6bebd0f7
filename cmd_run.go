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
	"github.com/shakeoutbot/shakeout/adapters/limit"
	"github.com/shakeoutbot/shakeout/adapters/telegram"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/internal/ops"
	"github.com/shakeoutbot/shakeout/outbox"
	"github.com/shakeoutbot/shakeout/schedules"
)

// stopGrace is how long a stop waits for the sends in flight.
const stopGrace = 8 * time.Second

// platform is one running chat platform.
type platform struct {
	name   chat.Platform
	run    func(ctx context.Context) error
	sender outbox.Sender
	health ops.Check
}

// runPlatforms starts every platform whose token is configured, with the
// scheduler and the outbox dispatcher, until ctx ends or a platform fails.
func runPlatforms(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usageError{"run takes no arguments; configure it with SHAKEOUT_* environment variables"}
	}
	defer setRunMemoryLimit(getenv)()
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if len(cfg.Platforms()) == 0 {
		return errors.New("no platform configured: set SHAKEOUT_TELEGRAM_TOKEN and/or SHAKEOUT_DISCORD_TOKEN " +
			"(or their _FILE variants). To try the bot without a token, run: shakeout chat")
	}
	log := cfg.NewLogger(stderr)
	op, err := openRunStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	store := op.store
	defer store.Close()
	deps := bot.Deps{Store: store, Logger: log, DefaultTZ: cfg.DefaultTZ, StoreUnavailable: storeUnavailable}
	if err := intervalsDeps(cfg, &deps); err != nil {
		return err
	}
	b, err := bot.New(deps)
	if err != nil {
		return err
	}
	metrics := ops.NewMetrics()
	var names []chat.Platform
	for _, p := range cfg.Platforms() {
		names = append(names, chat.Platform(p))
	}
	metrics.Init(names, b.Catalog(), version)
	metrics.LeaseHolder(op.host, op.pid)
	health := ops.NewHealth()
	health.Add("database", func(ctx context.Context) error {
		// A locked or read-only SQLite file still answers the ping.
		if err := store.Ping(ctx); err != nil {
			return err
		}
		return b.StoreTrouble()
	})
	core := metrics.Core(b)

	platforms, err := buildPlatforms(cfg, core, b, store, log)
	if err != nil {
		return err
	}
	senders := map[chat.Platform]outbox.Sender{}
	for _, p := range platforms {
		senders[p.name] = metrics.Sender(p.name, p.sender)
	}
	disp, err := outbox.NewDispatcher(outbox.Deps{Outbox: store, Senders: senders, Logger: log, OnRefused: b.PostRefused})
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
	var jobs schedules.JobRunner = b
	if op.gate != nil {
		jobs = schedules.Gated(b, op.gate)
	}
	sched, err := schedules.New(schedules.Deps{Core: jobs, Dispatcher: disp, Logger: log,
		OnTick: func(time.Time, error) { beat.Beat(); metrics.Tick(time.Now()) }})
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
	errc := make(chan error, len(platforms)+2)
	for _, p := range platforms {
		health.Add(string(p.name), p.health)
		wg.Go(func() {
			if err := p.run(runCtx); err != nil {
				errc <- err // adapters name their platform in their errors
				cancelRun()
			}
		})
	}
	wg.Go(func() {
		select {
		case <-op.lost:
			errc <- fmt.Errorf("stopped: this process no longer holds the database %s (another shakeout took it over, or it could not be renewed)", cfg.DBPath)
			cancelRun()
		case <-runCtx.Done():
		}
	})
	wg.Go(func() { maintain(runCtx, store, cfg.RetentionDays, log) })
	if op.keep != nil {
		wg.Go(func() { op.keep(runCtx) })
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
func buildPlatforms(cfg config.Config, core ops.Core, b *bot.Bot, store runStore, log *slog.Logger) ([]platform, error) {
	var out []platform
	// One limiter for both adapters; members are keyed by platform and id.
	limiter := limit.New(limit.Config{Burst: cfg.MemberBurst, PerMinute: cfg.MemberPerMinute, Cooldown: cfg.MemberCooldown}, nil)
	if cfg.TelegramToken.IsSet() {
		tg, err := telegram.New(telegram.Deps{
			Token:  cfg.TelegramToken,
			APIURL: cfg.TelegramAPIURL,
			Webhook: telegram.Webhook{
				URL:    cfg.TelegramWebhookURL,
				Secret: cfg.TelegramWebhookSecret,
				Listen: cfg.TelegramWebhookListen,
			},
			Core:      core,
			State:     store,
			PerSecond: cfg.TelegramPerSecond,
			OnChatMoved: func(ctx context.Context, oldID, newID string) error {
				return store.MoveChatReferences(ctx, chat.PlatformTelegram, oldID, newID)
			},
			Spool:   store,
			Reach:   b,
			Limiter: limiter,
			Logger:  log,
		})
		if err != nil {
			return nil, err
		}
		out = append(out, platform{name: chat.PlatformTelegram, run: tg.Run, sender: tg.Sender(), health: tg.Health})
	}
	if cfg.DiscordToken.IsSet() {
		dc, err := discord.New(discord.Deps{
			Token:     cfg.DiscordToken,
			APIURL:    cfg.DiscordAPIURL,
			GuildID:   cfg.DiscordGuildID,
			AdminRole: cfg.DiscordCoachRole,
			Core:      core,
			Reach:     b,
			DMs:       store,
			Limiter:   limiter,
			Shard:     cfg.DiscordShardID,
			Shards:    cfg.DiscordShardCount,
			PerSecond: cfg.DiscordRate,
			Logger:    log,
		})
		if err != nil {
			return nil, err
		}
		out = append(out, platform{name: chat.PlatformDiscord, run: dc.Run, sender: dc.Sender(), health: dc.Health})
	}
	return out, nil
}

// maintain deletes what is kept only for a while, at start and every six
// hours, and checkpoints the database after deletions (a pruning, a
// /forgetme), so deleted rows are gone from the write-ahead log too.
func maintain(ctx context.Context, store runStore, days int, log *slog.Logger) {
	prune := time.NewTicker(6 * time.Hour)
	defer prune.Stop()
	check := time.NewTicker(time.Minute)
	defer check.Stop()
	// An erasure is checkpointed at the tick after the one that saw it,
	// when the /forgetme that asked for it has long been committed.
	due := false
	for first := true; ; first = false {
		if !first {
			select {
			case <-ctx.Done():
				return
			case <-check.C:
				if due {
					if err := store.Checkpoint(ctx); err != nil && ctx.Err() == nil {
						log.Warn("checkpoint after an erasure", "error", err)
					}
				}
				due = store.ErasedSinceCheckpoint()
				continue
			case <-prune.C:
			}
		}
		in, out, err := store.Prune(ctx, time.Now().AddDate(0, 0, -days))
		if err != nil {
			if ctx.Err() == nil {
				log.Error("prune", "error", err)
			}
			continue
		}
		if in+out > 0 {
			log.Info("pruned old records", "inbox", in, "outbox", out, "days", days)
			if err := store.Checkpoint(ctx); err != nil && ctx.Err() == nil {
				log.Warn("checkpoint after pruning", "error", err)
			}
		}
	}
}
