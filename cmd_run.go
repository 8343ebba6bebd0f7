package main

import (
	"context"
	"errors"
	"io"

	"github.com/shakeoutbot/shakeout/config"
)

// runPlatforms starts every platform whose token is configured.
func runPlatforms(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usageError{"run takes no arguments; configure it with SHAKEOUT_* environment variables"}
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if len(cfg.Platforms()) == 0 {
		return errors.New("no platform configured: set SHAKEOUT_TELEGRAM_TOKEN and/or SHAKEOUT_DISCORD_TOKEN " +
			"(or their _FILE variants). To try the bot without a token, run: shakeout chat")
	}
	return errors.New("the Telegram and Discord adapters are not built into this version yet; use shakeout chat")
}
