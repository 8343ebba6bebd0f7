package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"

	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/config"
)

// runMigrateDB copies a SQLite database into the PostgreSQL database of
// SHAKEOUT_DB: every table, in one transaction, rows already there left
// as they are, so running it again adds nothing. The URL comes from the
// environment, so its password is not on the command line.
func runMigrateDB(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	const example = "for example: SHAKEOUT_DB=postgres://shakeout:secret@db:5432/shakeout shakeout migrate-db ./shakeout.db"
	if len(args) != 1 || args[0] == "" {
		return usageError{"migrate-db takes the SQLite file to copy; " + example}
	}
	file := args[0]
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if !postgres.IsURL(cfg.DBPath) {
		return usageError{"migrate-db copies into PostgreSQL: set SHAKEOUT_DB to a postgres:// URL; " + example}
	}
	if st, err := os.Stat(file); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("no SQLite database at %s: give the path of the file shakeout ran on; %s", file, example)
	}
	// Opening the file as `run` does brings its schema up to date and
	// holds its lease while the copy runs: a shakeout still running on the
	// file makes this stop, instead of copying a database in flux.
	src, err := sqlite.Open(ctx, file, sqlite.Options{Lease: &sqlite.LeaseOptions{}})
	if err != nil {
		return err
	}
	defer src.Close()
	raw, err := sql.Open("sqlite", sqlite.FileURI(file)+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer raw.Close()
	dst, err := postgres.Open(ctx, cfg.DBPath, postgres.Options{})
	if err != nil {
		return err
	}
	defer dst.Close()
	rep, err := dst.CopyFrom(ctx, raw)
	if err != nil {
		return fmt.Errorf("copy %s to %s: %w", file, dst.Where(), err)
	}
	total := 0
	for _, t := range rep.Tables {
		fmt.Fprintf(stdout, "%-20s %8d rows, %8d new\n", t, rep.Read[t], rep.Added[t])
		total += rep.Added[t]
	}
	fmt.Fprintf(stdout, "copied %s to %s: %d new rows (a second run adds none)\n", file, dst.Where(), total)
	return nil
}
