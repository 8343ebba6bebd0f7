package telegram

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/outbox"
)

// The token is a canary: after every kind of failure the adapter can meet,
// it appears in no log line and no error text.
func TestTokenNeverLeaks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := e.srv
	token := srv.Token()
	_, secretPart, _ := strings.Cut(token, ":")
	var errs []string
	check := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}

	// Failures on the way in.
	srv.FailNext("getMe", telegramtest.BadGateway())
	srv.FailNext("setMyCommands", telegramtest.InternalError())
	srv.FailNext("getUpdates", telegramtest.BadGateway())
	srv.FailNext("getUpdates", telegramtest.InternalError())
	srv.FailNext("getChatMember", telegramtest.InternalError())
	srv.FailNext("answerCallbackQuery", telegramtest.InternalError())
	e.run()
	e.srv.WaitCalls(t, "getUpdates", 3, wait)
	e.group(harriers, alice, "/club@"+srv.Bot().Username)
	check(e.a.Send(t.Context(), outbox.Outgoing{ID: 1, To: chat.Recipient{ChatID: "1001"},
		Reply: chat.Reply{Text: "Press", Buttons: [][]chat.Button{{{Label: "Old", Data: "gone:1"}}}}}))
	m := srv.SentTo(alice.ID)[0]
	e.send(srv.PressButton(alice, m.ChatID, m.MessageID, "gone:1"))

	// Failures on the way out.
	srv.BlockChat(1002, "")
	srv.FailNextChat(1003, telegramtest.BadGateway())
	srv.FailNextChat(1004, telegramtest.InternalError())
	srv.FailNextChat(1005, telegramtest.TooManyRequests(3600))
	srv.FailNextChat(-4005, telegramtest.Migrated(-1004005))
	for _, id := range []string{"1002", "1003", "1004", "1005", "-4005"} {
		check(e.a.Send(t.Context(), outbox.Outgoing{ID: 9, To: chat.Recipient{ChatID: id}, Reply: chat.Reply{Text: "hello"}}))
	}
	check(e.a.Send(t.Context(), outbox.Outgoing{ID: 10, To: chat.Recipient{ChatID: "1001"},
		Reply: chat.Reply{Text: "x", Buttons: [][]chat.Button{{{Label: "x", Data: strings.Repeat("x", 80)}}}}}))
	e.stop()

	// A Bot API that is not there at all, and one that rejects the token.
	ln := loopback(t)
	deadURL := "http://" + ln.Addr().String()
	ln.Close()
	dead, err := New(Deps{Token: config.Secret(token), APIURL: deadURL, Core: e.core, State: e.store, Logger: e.a.log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 800*time.Millisecond)
	check(dead.Run(ctx))
	cancel()
	_, _, err = dead.getUpdates(t.Context(), 5)
	check(err)
	check(dead.Send(t.Context(), outbox.Outgoing{ID: 11, To: chat.Recipient{ChatID: "1001"}, Reply: chat.Reply{Text: "x"}}))
	wrong, err := New(Deps{Token: config.Secret(token + "x"), APIURL: srv.URL(), Core: e.core, State: e.store, Logger: e.a.log})
	if err != nil {
		t.Fatal(err)
	}
	check(wrong.Run(t.Context()))
	_, err = New(Deps{Token: config.Secret(token), Webhook: Webhook{URL: "https://example.org/hook"}})
	check(err)

	if len(errs) < 8 {
		t.Fatalf("only %d errors collected; the scenario did not fail where expected: %q", len(errs), errs)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "getUpdates failed") || !strings.Contains(logs, "getMe failed") {
		t.Fatalf("the failures were not logged; logs:\n%s", logs)
	}
	for _, s := range append(errs, logs) {
		if strings.Contains(s, secretPart) {
			t.Errorf("the token leaked: %s", s)
		}
	}
}
