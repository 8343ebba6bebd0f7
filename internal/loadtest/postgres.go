package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
)

// storeUnderLoad is the store phases (a)-(c) run on.
type storeUnderLoad interface {
	bot.Store
	Close() error
}

// onPostgres copies the seeded SQLite database at db into the PostgreSQL
// database at url, as `shakeout migrate-db` does, and opens the store
// there, so (a)-(c) measure PostgreSQL on the same data.
func onPostgres(ctx context.Context, url, db string, clk *clock) (*postgres.Store, error) {
	raw, err := sql.Open("sqlite", sqlite.FileURI(db)+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	s, err := postgres.Open(ctx, url, postgres.Options{Now: clk.Now})
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	rep, err := s.CopyFrom(ctx, raw)
	if err != nil {
		s.Close()
		return nil, err
	}
	if rep.Added["members"] != rep.Read["members"] {
		s.Close()
		return nil, fmt.Errorf("the PostgreSQL database already had members: give an empty one")
	}
	fmt.Printf("copied to PostgreSQL (%s) in %.1f s: %d members, %d sessions\n", s.Where(), time.Since(t0).Seconds(),
		rep.Read["members"], rep.Read["sessions"])
	return s, nil
}
