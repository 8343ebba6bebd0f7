package main

import (
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/internal/intervals"
	"github.com/shakeoutbot/shakeout/internal/seal"
)

// intervalsDeps wires the intervals.icu link: its client and the sealer of
// members' API keys, both nil (the link off) without SHAKEOUT_SECRET_KEY.
func intervalsDeps(cfg config.Config, d *bot.Deps) error {
	if !cfg.SecretKey.IsSet() {
		return nil
	}
	key, err := config.DecodeSecretKey(cfg.SecretKey.Reveal())
	if err != nil {
		return err
	}
	box, err := seal.New(key)
	if err != nil {
		return err
	}
	client, err := intervals.New(intervals.Options{BaseURL: cfg.IntervalsAPIURL})
	if err != nil {
		return err
	}
	d.Intervals, d.Sealer = client, box
	return nil
}
