// Package telegramtest owns a fake of the Telegram Bot API for tests: an
// httptest server on 127.0.0.1 that speaks the wire format the real API
// uses (multipart, JSON and URL-encoded requests to /bot<token>/<method>,
// {"ok":...} envelopes, 401/403/404/409/429/400-migrate errors), long-polls
// getUpdates, records every call, checks Telegram's message limits and can
// inject faults.
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
