// Package dbopen opens the bot's database from the one value the commands
// and tests name it by (SHAKEOUT_DB, --db): a postgres:// URL is a
// PostgreSQL database, anything else a SQLite file. `shakeout run` opens
// its store itself, with the instance lease and heartbeats; this is for
// the console, the charts and the tests' seeding.
package dbopen

import (
	"context"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// Store is what both stores offer beyond bot.Store: the outbox, units of
// work and the diagnostics the tools and tests read.
type Store interface {
	bot.Store
	bot.UpdateUnits
	outbox.Store
	Close() error
	Ping(ctx context.Context) error
	ClubByChat(ctx context.Context, p chat.Platform, chatID string) (bot.Club, error)
	OutboxCounts(ctx context.Context) (map[outbox.Status]int, error)
	OutboxBody(ctx context.Context, key string, body *string) error
	OutboxBacklog(ctx context.Context) (int, time.Time, error)
	Prune(ctx context.Context, cutoff time.Time) (inbox, outbox int, err error)
	Requeue(ctx context.Context) (int, error)
	Checkpoint(ctx context.Context) error
	ErasedSinceCheckpoint() bool
	SchemaVersion(ctx context.Context) (int, error)
	MoveChatReferences(ctx context.Context, p chat.Platform, oldID, newID string) error
	TelegramOffset(ctx context.Context) (int64, error)
	SetTelegramOffset(ctx context.Context, id int64) error
}

var (
	_ Store = (*sqlite.Store)(nil)
	_ Store = (*postgres.Store)(nil)
)

// Open opens db, creating a SQLite file that does not exist and migrating
// either store, with the store's clock reading now (nil: time.Now).
func Open(ctx context.Context, db string, now func() time.Time) (Store, error) {
	if postgres.IsURL(db) {
		s, err := postgres.Open(ctx, db, postgres.Options{Now: now})
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, db, sqlite.Options{Now: now})
	if err != nil {
		return nil, err
	}
	return s, nil
}
