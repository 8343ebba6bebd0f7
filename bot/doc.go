// Package bot is Shakeout's platform-neutral core: it decides what to say.
//
// It holds the command registry from which /help, the Telegram command menu
// and the Discord slash commands are all rendered (adapters see it as a
// chat.Catalog), the commands themselves (one file each, cmd_*.go, with only
// the definition and the argument handling), the services commands and
// scheduled jobs share (verdict.go, plan.go, sessions.go, ask.go, club.go),
// conversation flows driven by buttons, the error codes that become reply
// text, the inbox that drops a redelivered platform update, and the daily
// jobs (schedule.go): Jobs lists them, RunSlots sends or records as missed
// the slots package schedules found due, keeping the one ledger of what was
// done.
//
// The contract types (chat.Message, chat.Reply, chat.Platform…) live in
// package chat and bot names them there; delivery lives in package outbox;
// parsing what members type in bot/input (times of day are input.Clock
// throughout, HH:MM text only in the store); advice in package coach, and
// "coach" in a Go name means that package: the club role is "admin"
// (Command.ClubAdmin, Request.IsClubAdmin, Club.AdminChat), whatever the
// members' /coach command calls it. bot must not import a chat SDK or
// database/sql (imports_test.go checks it): adapters translate platforms,
// and bot/sqlite implements the small store interfaces declared here.
package bot
