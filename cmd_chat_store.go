package main

import (
	"context"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// chatStore is what `shakeout chat` and `shakeout chart` need of their store.
type chatStore interface {
	bot.Store
	outbox.Store
	ClubByChat(ctx context.Context, p chat.Platform, chatID string) (bot.Club, error)
	Close() error
}

// openChatStore opens --db for the console and the charts: a postgres:// URL is a
// PostgreSQL database (as SHAKEOUT_DB for `shakeout run`), anything else a
// SQLite file. now stamps the rows, so a scripted clock stays consistent.
func openChatStore(ctx context.Context, db string, now func() time.Time) (chatStore, error) {
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
