package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/coach"
)

// runAsk answers one question from the command line, through the same path
// as /ask, on a throwaway database that holds only the knowledge index.
func runAsk(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object: answer, topic, source, score, kind, red-flag tier and the slots understood")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: shakeout ask [--json] "how slow should my recovery run be?"`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError{}
	}
	question := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if question == "" {
		fs.Usage()
		return usageError{`a question is required, e.g. shakeout ask "how slow should my recovery run be?"`}
	}
	dir, err := os.MkdirTemp("", "shakeout-ask-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := sqlite.Open(ctx, filepath.Join(dir, "kb.db"), sqlite.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	a, err := bot.Ask(ctx, store, question)
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintln(stdout, a.Text)
		return nil
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Answer   string      `json:"answer"`
		Topic    string      `json:"topic"`
		Source   string      `json:"source"`
		Score    float64     `json:"score"`
		Known    bool        `json:"known"`
		RedFlag  bool        `json:"red_flag"`
		Tier     string      `json:"tier"`
		Kind     string      `json:"kind"`
		Computed bool        `json:"computed"`
		Slots    coach.Slots `json:"slots"`
	}{a.Text, a.Topic, a.Source, a.Score, a.Known, a.RedFlag, a.Tier.String(), string(a.Kind), a.Computed, a.Slots})
}
