package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/console"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/outbox"
	"github.com/shakeoutbot/shakeout/schedules"
)

// runChat is the terminal chat.
func runChat(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", cfg.DBPath, "database file, or a postgres:// URL")
	club := fs.String("club", "club", "club name")
	as := fs.String("as", "me", "member name to speak as")
	coachFlag := fs.Bool("coach", false, "speak with coach rights")
	tzName := fs.String("tz", "", "club timezone (IANA name), default $SHAKEOUT_TZ or the club's")
	nowFlag := fs.String("now", "", `start time: "YYYY-MM-DD HH:MM" in the club's timezone, or RFC 3339`)
	echo := fs.Bool("echo", false, "print each input line (default: on when input is not a terminal)")
	imagesDir := fs.String("images", "", "folder for the pictures replies carry (default: a new temporary folder)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: shakeout chat [--db FILE] [--club NAME] [--as NAME] [--tz ZONE] [--now "YYYY-MM-DD HH:MM"] [--images DIR]
Type a question or a /command. Lines starting with ":" steer the chat:
  :as NAME [coach]        speak as another member
  :at YYYY-MM-DD HH:MM    move the clock forward, running what falls due
  :images DIR             write the pictures replies carry to DIR (the path is printed)
  :quit`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError{}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q; see shakeout chat --help", fs.Arg(0))}
	}
	if strings.TrimSpace(*club) == "" || strings.ContainsAny(*as, " \t") || *as == "" {
		return usageError{"--club and --as need a name without spaces, e.g. --club harriers --as maya"}
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	if !explicit["echo"] {
		*echo = !isTerminal(stdin)
	}

	// The store stamps rows with the console's clock, so a scenario's members
	// exist from the scenario's time on (the schedule counts from then).
	clock := console.NewClock(time.Now())
	store, err := openChatStore(ctx, *dbPath, clock.Now)
	if err != nil {
		return err
	}
	defer store.Close()

	clubTZ := cfg.DefaultTZName
	if *tzName != "" {
		if _, err := time.LoadLocation(*tzName); err != nil || *tzName == "Local" {
			return usageError{fmt.Sprintf("--tz: unknown timezone %q; use an IANA name such as Europe/Berlin", *tzName)}
		}
		clubTZ = *tzName
	}
	// A new club is stamped with the scenario's start, read in the zone it
	// is about to get; an existing club's own zone is applied below.
	if guess, err := time.LoadLocation(clubTZ); err == nil && *nowFlag != "" {
		if t, err := parseNow(*nowFlag, guess); err == nil {
			clock.Set(t)
		}
	}
	c, err := store.EnsureClub(ctx, chat.PlatformConsole, *club, *club, clubTZ)
	if err != nil {
		return err
	}
	if *tzName != "" && c.TZ != *tzName {
		c.TZ = *tzName
		if err := store.UpdateClub(ctx, c); err != nil {
			return err
		}
	}
	loc, err := time.LoadLocation(c.TZ)
	if err != nil {
		return fmt.Errorf("club %s has an unknown timezone %q", c.Name, c.TZ)
	}
	start := time.Now()
	if *nowFlag != "" {
		start, err = parseNow(*nowFlag, loc)
		if err != nil {
			return usageError{err.Error()}
		}
	}
	clock.Set(start)
	con := console.New(nil, nil, stdout, console.Options{Club: *club, As: *as, ClubAdmin: *coachFlag, Location: loc, Clock: clock, Echo: *echo, ImagesDir: *imagesDir})
	logger := cfg.NewLogger(stderr)
	deps := bot.Deps{Store: store, Logger: logger, Now: clock.Now, DefaultTZ: loc, StoreUnavailable: storeUnavailable}
	if err := intervalsDeps(cfg, &deps); err != nil {
		return err
	}
	b, err := bot.New(deps)
	if err != nil {
		return err
	}
	con.SetHandler(b)
	// Scheduled messages reach the terminal through the same outbox and
	// dispatcher as on the platforms; the console's clock drives both.
	disp, err := outbox.NewDispatcher(outbox.Deps{Outbox: store, Logger: logger, Now: clock.Now,
		Senders: map[chat.Platform]outbox.Sender{chat.PlatformConsole: console.NewSender(con)}})
	if err != nil {
		return err
	}
	if _, err := disp.Recover(ctx); err != nil {
		return err
	}
	// The console forgets its job list after every line (Flush), so while
	// the clock runs through a script nothing changes it: reload hourly.
	sched, err := schedules.New(schedules.Deps{Core: b, Dispatcher: disp, Logger: logger, Now: clock.Now})
	if err != nil {
		return err
	}
	con.SetScheduler(sched)
	if !*echo {
		fmt.Fprintf(stdout, "Shakeout chat: club %s, you are %s, it is %s. Ask a question or type /help; :quit to leave.\n",
			*club, *as, start.In(loc).Format("Mon 2006-01-02 15:04 MST"))
	}
	return con.Run(ctx, stdin)
}

// parseNow reads --now: a local "YYYY-MM-DD HH:MM" or an RFC 3339 instant.
func parseNow(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf(`--now: can't read %q; use "YYYY-MM-DD HH:MM" (in the club's timezone) or RFC 3339, e.g. --now "2026-06-07 09:00"`, s)
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
