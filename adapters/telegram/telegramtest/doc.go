// Package telegramtest owns a fake of the Telegram Bot API for tests: an
// httptest server on 127.0.0.1 that speaks the wire format the real API
// uses (multipart, JSON and URL-encoded requests to /bot<token>/<method>,
// {"ok":...} envelopes, 401/403/404/409/429/400-migrate errors), long-polls
// getUpdates (honouring allowed_updates), records every call, checks
// Telegram's message limits and can inject faults.
//
// Forum groups (Forum) have topics: messages to a closed topic fail with
// TOPIC_CLOSED and to a missing one with "message thread not found", as
// with the real API; General can be closed too. BotMembership changes the
// bot's own membership of a chat (blocked or unblocked by a user, removed
// from or added back to a group), queues the my_chat_member update and
// makes sends to a chat the bot is out of fail with 403.
//
// It is imported only by tests and must never be used in production code
// paths. It imports nothing from this repository, so any package's tests
// can use it.
//
// Typical use with github.com/go-telegram/bot:
//
//	srv := telegramtest.New(t)
//	b, _ := tgbot.New(srv.Token(), tgbot.WithServerURL(srv.URL()), tgbot.WithSkipGetMe())
//	go b.Start(t.Context())
//	srv.SendUpdate(telegramtest.PrivateText(alice, "/start"))
//	sent := srv.WaitSent(t, 1, 2*time.Second)
package telegramtest
