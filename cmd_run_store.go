package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/outbox"
	"github.com/shakeoutbot/shakeout/schedules"
)

// runStore is what `shakeout run` needs of its store; *sqlite.Store and
// *postgres.Store both have it.
type runStore interface {
	bot.Store
	Close() error
	Ping(ctx context.Context) error
	MoveChatReferences(ctx context.Context, p chat.Platform, oldID, newID string) error
	OutboxBacklog(ctx context.Context) (int, time.Time, error)
	Prune(ctx context.Context, cutoff time.Time) (inbox, outbox int, err error)
	Checkpoint(ctx context.Context) error
	ErasedSinceCheckpoint() bool
	TelegramOffset(ctx context.Context) (int64, error)
	SetTelegramOffset(ctx context.Context, id int64) error
	Enqueue(ctx context.Context, items []outbox.Item, now time.Time) (int, error)
}

// opened is the store `shakeout run` opened, with how it shares the
// database.
type opened struct {
	store runStore
	// lost is closed when this process must stop (SQLite: another took
	// the database's lease); nil with PostgreSQL, where instances share.
	lost <-chan struct{}
	// host and pid name this process in the lease metric.
	host string
	pid  int
	// gate, with PostgreSQL, runs the scheduler's tick on one instance
	// at a time.
	gate schedules.Gate
	// keep, with PostgreSQL, keeps trying for the tick lease while the
	// process runs, so a standby takes the tick over within the TTL.
	keep func(ctx context.Context)
}

// openRunStore opens SHAKEOUT_DB: a postgres:// URL is a PostgreSQL
// database that several instances can share; anything else is a SQLite
// file, held by this process alone.
func openRunStore(ctx context.Context, cfg config.Config, log *slog.Logger) (opened, error) {
	logf := func(msg string, args ...any) { log.Error(msg, args...) }
	if postgres.IsURL(cfg.DBPath) {
		s, err := postgres.Open(ctx, cfg.DBPath, postgres.Options{Logf: logf})
		if err != nil {
			return opened{}, err
		}
		host, _ := os.Hostname()
		tick := s.TickLease(postgres.DefaultLeaseTime)
		keep := func(ctx context.Context) {
			tick.Keep(ctx, func(held bool, err error) {
				switch {
				case err != nil:
					log.Warn("the scheduler tick lease could not be renewed", "error", err)
				case held:
					log.Info("this instance runs the scheduler tick", "lease_ttl", postgres.DefaultLeaseTime.String())
				default:
					log.Info("another instance runs the scheduler tick; this one stands by")
				}
			})
		}
		return opened{store: s, host: host, pid: os.Getpid(), gate: tick, keep: keep}, nil
	}
	s, err := sqlite.Open(ctx, cfg.DBPath, sqlite.Options{Lease: &sqlite.LeaseOptions{Logf: logf}})
	if err != nil {
		return opened{}, err
	}
	lease := s.Lease()
	if prev := lease.TakenFrom; prev != nil {
		log.Warn("took the database over from a shakeout that is gone", "pid", prev.PID, "host", prev.Host,
			"since", prev.Since.UTC().Format(time.RFC3339))
	}
	return opened{store: s, lost: lease.Lost(), host: lease.Holder().Host, pid: lease.Holder().PID}, nil
}
