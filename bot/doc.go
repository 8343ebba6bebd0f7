// Package bot is Shakeout's platform-neutral core.
//
// It owns the value types that cross the adapter boundary (Message, Reply,
// Button, Recipient, Platform), the command registry from which /help, the
// Telegram command menu and the Discord slash commands are all rendered, the
// commands themselves (one file each, cmd_*.go), conversation flows driven by
// buttons, the error codes that become reply text, the inbox that drops a
// redelivered platform update, and the outbox and dispatcher that deliver
// scheduled messages exactly once.
//
// bot decides what to say; package coach decides which advice. bot must not
// import a chat SDK or database/sql: adapters translate platforms, and
// bot/sqlite implements the small store interfaces declared here.
package bot
