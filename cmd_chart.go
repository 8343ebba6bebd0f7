package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/chart"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
)

const chartUsage = `usage: shakeout chart week|recovery --member ID [flags]
       shakeout chart club --club CHAT [flags]
Draws a picture from the database to a PNG file, for checking by eye:
  week      a member's last 28 days (as /week sends it)
  recovery  a member's post-race plan (as /recovery sends it)
  club      a club's day in counts (as /club today sends it; needs 5 members with health-data consent)
Examples:
  shakeout chart week --db shakeout.db --member maya --out week.png
  shakeout chart club --platform telegram --club -1001234567890 --now "2026-06-09 07:00"`

// runChart renders one picture from an existing database to a file and
// prints the path and the picture's caption.
func runChart(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, chartUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return usageError{}
		}
		return usageError{"say which picture: week, recovery or club, e.g. shakeout chart week --member maya"}
	}
	kind := args[0]
	fs := flag.NewFlagSet("chart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", cfg.DBPath, "database file (it must exist), or a postgres:// URL")
	platform := fs.String("platform", string(chat.PlatformConsole), "platform of the member or club: console, telegram or discord")
	member := fs.String("member", "", "the member's platform user id (on the console, the name used with --as)")
	club := fs.String("club", "", "the club's chat id (on the console, the club name; on Discord the server id)")
	nowFlag := fs.String("now", "", `the moment to draw: "YYYY-MM-DD HH:MM" in UTC, or RFC 3339; default now`)
	out := fs.String("out", "", "the PNG file to write (default: week.png, recovery.png or club.png here)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, chartUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q; see shakeout chart --help", fs.Arg(0))}
	}
	p := chat.Platform(*platform)
	if p != chat.PlatformConsole && p != chat.PlatformTelegram && p != chat.PlatformDiscord {
		return usageError{fmt.Sprintf("--platform: %q is not console, telegram or discord", *platform)}
	}
	switch kind {
	case "week", "recovery":
		if *member == "" {
			return usageError{fmt.Sprintf("shakeout chart %s needs --member, e.g. --member maya", kind)}
		}
	case "club":
		if *club == "" {
			return usageError{"shakeout chart club needs --club, e.g. --club harriers"}
		}
	default:
		fmt.Fprintln(stderr, chartUsage)
		return usageError{fmt.Sprintf("unknown picture %q: use week, recovery or club", kind)}
	}
	now := time.Now()
	if *nowFlag != "" {
		if now, err = parseNow(*nowFlag, time.UTC); err != nil {
			return usageError{err.Error()}
		}
	}
	if *out == "" {
		*out = kind + ".png"
	}
	where := *dbPath // named in messages; a URL may hold a password
	if postgres.IsURL(*dbPath) {
		where = "the PostgreSQL database"
	} else if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("no database at %s (--db picks the file): %w", *dbPath, err)
	}
	store, err := openChatStore(ctx, *dbPath, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	b, err := bot.New(bot.Deps{Store: store, Logger: cfg.NewLogger(stderr), DefaultTZ: cfg.DefaultTZ})
	if err != nil {
		return err
	}
	var img *bot.Image
	switch kind {
	case "week", "recovery":
		m, err := store.MemberByUserID(ctx, p, *member)
		if errors.Is(err, bot.ErrNotFound) {
			return fmt.Errorf("no member %q on %s in %s", *member, p, where)
		}
		if err != nil {
			return err
		}
		if kind == "week" {
			img, err = b.WeekPicture(ctx, m, now)
		} else {
			img, err = b.RecoveryPicture(ctx, m, now)
		}
		if err != nil {
			return err
		}
	case "club":
		c, err := store.ClubByChat(ctx, p, *club)
		if errors.Is(err, bot.ErrNotFound) {
			return fmt.Errorf("no club %q on %s in %s", *club, p, where)
		}
		if err != nil {
			return err
		}
		img, err = b.ClubPicture(ctx, c, now)
		if errors.Is(err, chart.ErrTooFewMembers) {
			return fmt.Errorf("club %s: fewer than %d members with health-data consent contribute, and no club picture is drawn below that", *club, chart.MinClubMembers)
		}
		if err != nil {
			return err
		}
	}
	if err := os.WriteFile(*out, img.PNG, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n%s\n", *out, img.Caption)
	return nil
}
