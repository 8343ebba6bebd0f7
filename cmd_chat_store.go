package main

import (
	"context"
	"time"

	"github.com/shakeoutbot/shakeout/internal/dbopen"
)

// openChatStore opens --db for the console and the charts: a postgres:// URL is a
// PostgreSQL database (as SHAKEOUT_DB for `shakeout run`), anything else a
// SQLite file. now stamps the rows, so a scripted clock stays consistent.
func openChatStore(ctx context.Context, db string, now func() time.Time) (dbopen.Store, error) {
	return dbopen.Open(ctx, db, now)
}
