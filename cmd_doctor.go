package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord"
	"github.com/shakeoutbot/shakeout/adapters/telegram"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/config"
)

// errDoctor is returned when a check failed; the report already said why.
var errDoctor = errors.New("some checks failed; see above")

// runDoctor checks the configuration, the database and each token, and
// explains every problem it finds.
func runDoctor(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 {
		return usageError{"doctor takes no arguments; it checks the SHAKEOUT_* environment"}
	}
	failed := false
	report := func(ok bool, what, detail string) {
		mark := "ok  "
		if !ok {
			mark, failed = "FAIL", true
		}
		fmt.Fprintf(stdout, "%s  %-13s %s\n", mark, what, detail)
	}

	cfg, err := config.Load(getenv)
	if err != nil {
		report(false, "configuration", "")
		for _, e := range unjoin(err) {
			fmt.Fprintf(stdout, "      - %v\n", e)
		}
		return errDoctor
	}
	report(true, "configuration", fmt.Sprintf("platforms %v, default timezone %s", cfg.Platforms(), cfg.DefaultTZName))
	if len(cfg.Platforms()) == 0 {
		report(false, "platforms", "no token set: set SHAKEOUT_TELEGRAM_TOKEN and/or SHAKEOUT_DISCORD_TOKEN for `shakeout run` (`shakeout chat` needs none)")
	}

	checkDatabase(ctx, cfg.DBPath, report)

	if cfg.TelegramToken.IsSet() {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		name, err := telegram.CheckToken(cctx, cfg.TelegramToken, cfg.TelegramAPIURL)
		cancel()
		if err != nil {
			report(false, "telegram", err.Error())
		} else {
			report(true, "telegram", "the token belongs to @"+name)
		}
	}
	if cfg.DiscordToken.IsSet() {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		name, err := discord.CheckToken(cctx, cfg.DiscordToken.Reveal(), cfg.DiscordAPIURL)
		cancel()
		if err != nil {
			report(false, "discord", err.Error())
		} else {
			report(true, "discord", "the token belongs to the bot "+name)
		}
	}
	if failed {
		return errDoctor
	}
	fmt.Fprintln(stdout, "All checks passed.")
	return nil
}

// checkDatabase opens the database as `run` would (creating and migrating
// it) and reports its schema and waiting messages.
func checkDatabase(ctx context.Context, path string, report func(bool, string, string)) {
	if postgres.IsURL(path) {
		checkPostgres(ctx, path, report)
		return
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		report(false, "database", fmt.Sprintf("the folder %s does not exist: create it or point SHAKEOUT_DB elsewhere", dir))
		return
	}
	store, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		report(false, "database", err.Error()) // it names the file and what to do
		return
	}
	defer store.Close()
	version, err := store.SchemaVersion(ctx)
	if err != nil {
		report(false, "database", fmt.Sprintf("%s: cannot read the schema: %v", path, err))
		return
	}
	waiting, oldest, err := store.OutboxBacklog(ctx)
	if err != nil {
		report(false, "database", fmt.Sprintf("%s: cannot read the outbox: %v", path, err))
		return
	}
	detail := fmt.Sprintf("%s, schema version %d, %d scheduled messages waiting", path, version, waiting)
	if waiting > 0 {
		detail += fmt.Sprintf(" (oldest due %s)", oldest.Format(time.RFC3339))
	}
	report(true, "database", detail)
	h, held, err := store.LeaseHolder(ctx)
	switch {
	case err != nil:
		report(false, "lease", fmt.Sprintf("%s: cannot read the instance lease: %v", path, err))
	case held:
		report(true, "lease", fmt.Sprintf("held by a running shakeout: pid %d on host %s, since %s (lease good until %s)",
			h.PID, h.Host, h.Since.UTC().Format(time.RFC3339), h.Expires.UTC().Format(time.RFC3339)))
	default:
		report(true, "lease", "free: no shakeout is running on this database")
	}
}

// unjoin lists the errors inside an errors.Join.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// checkPostgres is checkDatabase for a PostgreSQL URL; the report names
// the database without its password.
func checkPostgres(ctx context.Context, url string, report func(bool, string, string)) {
	store, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		report(false, "database", err.Error()) // it names the database, not the password
		return
	}
	defer store.Close()
	where := store.Where()
	version, err := store.SchemaVersion(ctx)
	if err != nil {
		report(false, "database", fmt.Sprintf("%s: cannot read the schema: %v", where, err))
		return
	}
	waiting, oldest, err := store.OutboxBacklog(ctx)
	if err != nil {
		report(false, "database", fmt.Sprintf("%s: cannot read the outbox: %v", where, err))
		return
	}
	detail := fmt.Sprintf("%s (PostgreSQL), schema version %d, %d scheduled messages waiting", where, version, waiting)
	if waiting > 0 {
		detail += fmt.Sprintf(" (oldest due %s)", oldest.Format(time.RFC3339))
	}
	report(true, "database", detail)
}
