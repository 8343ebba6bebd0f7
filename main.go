// Command shakeout is a recovery-coach chat bot for running clubs.
//
// Subcommands: run (the configured chat platforms), chat (a terminal chat
// on a local database), ask (answer one question), chart (draw a picture
// from the database), doctor (check the
// setup), version. main only wires
// packages together; see run.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // timezones work in a minimal image without /usr/share/zoneinfo
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var u usageError
		if !errors.As(err, &u) || u.msg != "" {
			fmt.Fprintln(os.Stderr, "shakeout:", err)
		}
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `shakeout: a recovery coach for running clubs on Discord and Telegram.

Usage:
  shakeout run                 connect to the platforms whose tokens are set
  shakeout chat [flags]        chat in the terminal, on a local database (no token needed)
  shakeout ask [--json] "question"
                               answer one recovery question
  shakeout chart week|recovery|club [flags]
                               draw a picture from the database to a PNG file
  shakeout doctor              check the configuration, the database and each token
  shakeout migrate-db FILE     copy the SQLite database FILE into the PostgreSQL SHAKEOUT_DB
  shakeout version             print the version

Run "shakeout chat --help" for the chat flags. Configuration is read from
SHAKEOUT_* environment variables; see README.md.
`

// run is the whole program, with its inputs and outputs passed in so tests
// can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"a subcommand is required: run, chat, ask, chart, doctor or version"}
	}
	switch args[0] {
	case "run":
		return runPlatforms(ctx, args[1:], getenv, stdout, stderr)
	case "chat":
		return runChat(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "ask":
		return runAsk(ctx, args[1:], getenv, stdout, stderr)
	case "chart":
		return runChart(ctx, args[1:], getenv, stdout, stderr)
	case "doctor":
		return runDoctor(ctx, args[1:], getenv, stdout)
	case "migrate-db":
		return runMigrateDB(ctx, args[1:], getenv, stdout)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "shakeout", version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown subcommand %q", args[0])}
}
