// Package outbox delivers scheduled and spooled messages exactly once,
// within each platform's limits. It holds the outbox items and the Store
// contract a database implements (bot/sqlite), the Sender contract each
// adapter implements with the errors a send can end in (retry after, chat
// moved, refused, unreachable), and the Dispatcher that claims due rows and
// sends them. It imports only package chat and the standard library.
package outbox
