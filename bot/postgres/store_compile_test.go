package postgres

import "github.com/shakeoutbot/shakeout/bot"

var (
	_ bot.Store       = (*Store)(nil)
	_ bot.UpdateUnits = (*Store)(nil)
)
