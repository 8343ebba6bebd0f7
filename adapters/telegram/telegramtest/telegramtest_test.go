package telegramtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
)

var alice = telegramtest.User{ID: 42, FirstName: "Alice", Username: "alice_runs"}

func newBot(t *testing.T, srv *telegramtest.Server, opts ...tgbot.Option) *tgbot.Bot {
	t.Helper()
	opts = append([]tgbot.Option{
		tgbot.WithServerURL(srv.URL()),
		tgbot.WithSkipGetMe(),
		tgbot.WithErrorsHandler(func(err error) { t.Logf("tgbot: %v", err) }),
	}, opts...)
	b, err := tgbot.New(srv.Token(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post sends a raw request and returns status and body.
func post(t *testing.T, u, contentType, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(u, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestGetMe(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.WithBotUsername("club_bot"))
	b, err := tgbot.New(srv.Token(), tgbot.WithServerURL(srv.URL())) // New itself calls getMe
	if err != nil {
		t.Fatal(err)
	}
	me, err := b.GetMe(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if me.Username != "club_bot" || !me.IsBot || me.ID != b.ID() {
		t.Errorf("getMe = %+v, bot id from token %d", me, b.ID())
	}
}

func TestRoutingErrors(t *testing.T) {
	srv := telegramtest.New(t)
	tests := []struct {
		name, path string
		code       int
		body       string
	}{
		{"wrong token", "/bot1:nope/getMe", 401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`},
		{"unknown method", "/bot" + srv.Token() + "/sendTelepathy", 404, `{"ok":false,"error_code":404,"description":"Not Found: method not found"}`},
		{"no bot prefix", "/getMe", 404, `{"ok":false,"error_code":404,"description":"Not Found"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := post(t, srv.URL()+tc.path, "application/x-www-form-urlencoded", "")
			if code != tc.code || body != tc.body {
				t.Errorf("got %d %s, want %d %s", code, body, tc.code, tc.body)
			}
		})
	}
	_, err := newBotToken(t, srv, "123:wrong").GetMe(t.Context())
	if !errors.Is(err, tgbot.ErrorUnauthorized) {
		t.Errorf("wrong token: err = %v, want ErrorUnauthorized", err)
	}
	_, err = newBot(t, srv).SendPoll(t.Context(), &tgbot.SendPollParams{ChatID: 1, Question: "?"})
	if !errors.Is(err, tgbot.ErrorNotFound) {
		t.Errorf("unimplemented method: err = %v, want ErrorNotFound", err)
	}
}

func newBotToken(t *testing.T, srv *telegramtest.Server, token string) *tgbot.Bot {
	t.Helper()
	b, err := tgbot.New(token, tgbot.WithServerURL(srv.URL()), tgbot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSendMessageWithInlineKeyboard(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.FailOnViolations())
	b := newBot(t, srv)
	ctx := t.Context()
	srv.SendUpdate(telegramtest.PrivateText(alice, "hi")) // message 1 in chat 42

	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: "I'm in", CallbackData: "rsvp:yes:17"},
		{Text: "Map", URL: "https://example.org/route"},
	}}}
	msg, err := b.SendMessage(ctx, &tgbot.SendMessageParams{
		ChatID:             alice.ID,
		Text:               "Tuesday 5k & coffee",
		ReplyMarkup:        kb,
		ReplyParameters:    &models.ReplyParameters{MessageID: 1},
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	})
	if err != nil {
		t.Fatal(err)
	}
	if msg.ID != 2 || msg.Chat.ID != alice.ID || msg.Chat.Type != models.ChatTypePrivate || msg.Text != "Tuesday 5k & coffee" {
		t.Errorf("returned message = %+v", msg)
	}
	if msg.ReplyToMessage == nil || msg.ReplyToMessage.Text != "hi" {
		t.Errorf("reply_to_message = %+v", msg.ReplyToMessage)
	}
	if msg.ReplyMarkup == nil || msg.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "rsvp:yes:17" {
		t.Errorf("reply_markup = %+v", msg.ReplyMarkup)
	}
	sent := srv.WaitSent(t, 1, time.Second)
	got := sent[0]
	if got.ChatID != alice.ID || got.Text != "Tuesday 5k & coffee" || got.ParseMode != "" ||
		got.ReplyTo != 1 || got.LinkPreview == nil || !got.LinkPreview.IsDisabled {
		t.Errorf("sent = %+v", got)
	}
	if bs := got.Buttons(); len(bs) != 2 || bs[0].CallbackData != "rsvp:yes:17" || bs[1].URL != "https://example.org/route" {
		t.Errorf("buttons = %+v", bs)
	}

	msg2, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: alice.ID, Text: "second"})
	if err != nil || msg2.ID != 3 {
		t.Fatalf("second message id = %v, %v", msg2, err)
	}

	_, err = b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: alice.ID, Text: "x", ReplyParameters: &models.ReplyParameters{MessageID: 999}})
	if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "message to be replied not found") {
		t.Errorf("reply to missing message: %v", err)
	}
}

func TestEditMessages(t *testing.T) {
	srv := telegramtest.New(t)
	b := newBot(t, srv)
	ctx := t.Context()
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Join", CallbackData: "join"}}}}
	m, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: alice.ID, Text: "Run at 7", ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: alice.ID, MessageID: m.ID, Text: "Run at 8", ReplyMarkup: kb}); err != nil {
		t.Fatal(err)
	}
	_, err = b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: alice.ID, MessageID: m.ID, Text: "Run at 8", ReplyMarkup: kb})
	if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("same edit: %v", err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: alice.ID, MessageID: m.ID}); err != nil {
		t.Fatal(err)
	}
	cur, _ := srv.Message(alice.ID, m.ID)
	if cur.Text != "Run at 8" || cur.ReplyMarkup != nil || cur.EditDate == 0 {
		t.Errorf("current message = %+v", cur)
	}
	if e := srv.Edits(); len(e) != 2 || e[0].Text != "Run at 8" || e[1].Method != "editMessageReplyMarkup" {
		t.Errorf("edits = %+v", e)
	}
	_, err = b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: alice.ID, MessageID: 77, Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "message to edit not found") {
		t.Errorf("missing message: %v", err)
	}
}

// TestLongPoll drives the library's own polling loop: a private command,
// a group mention and a button press all reach the handler, and the
// handler's answers are recorded.
func TestLongPoll(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.FailOnViolations())
	got := make(chan *models.Update, 8)
	b := newBot(t, srv, tgbot.WithDefaultHandler(func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
		defer func() { got <- u }() // after the answer, so the test never cancels it
		switch {
		case u.Message != nil:
			_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{
				ChatID: u.Message.Chat.ID, Text: "pong",
				ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Again", CallbackData: "again"}}}},
			})
			if err != nil {
				t.Error(err)
			}
		case u.CallbackQuery != nil:
			if _, err := b.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: "ok"}); err != nil {
				t.Error(err)
			}
		}
	}))
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Go(func() { b.Start(ctx) })
	defer wg.Wait()
	defer cancel()

	recv := func() *models.Update {
		t.Helper()
		select {
		case u := <-got:
			return u
		case <-time.After(2 * time.Second):
			t.Fatal("no update delivered")
			return nil
		}
	}

	srv.SendUpdate(telegramtest.PrivateText(alice, "/ping"))
	u := recv()
	if u.Message == nil || u.Message.Text != "/ping" || u.Message.Chat.Type != models.ChatTypePrivate ||
		len(u.Message.Entities) != 1 || u.Message.Entities[0].Type != models.MessageEntityTypeBotCommand {
		t.Fatalf("update = %+v", u.Message)
	}
	sent := srv.WaitSent(t, 1, 2*time.Second)

	club := telegramtest.Chat{ID: -1001234567890, Type: telegramtest.ChatSupergroup, Title: "Club"}
	srv.SendUpdate(telegramtest.GroupText(club, alice, "🏃 @shakeout_test_bot /ping@shakeout_test_bot"))
	u = recv()
	ents := u.Message.Entities
	if u.Message.Chat.Type != models.ChatTypeSupergroup || len(ents) != 2 ||
		ents[0].Type != models.MessageEntityTypeMention || ents[0].Offset != 3 || ents[0].Length != 18 ||
		ents[1].Type != models.MessageEntityTypeBotCommand || ents[1].Offset != 22 || ents[1].Length != 23 {
		t.Errorf("group update entities = %+v", ents)
	}
	srv.WaitSent(t, 2, 2*time.Second)

	srv.SendUpdate(srv.PressButton(alice, alice.ID, sent[0].MessageID, "again"))
	u = recv()
	cq := u.CallbackQuery
	if cq == nil || cq.Data != "again" || cq.Message.Message == nil || cq.Message.Message.ID != sent[0].MessageID {
		t.Fatalf("callback update = %+v", cq)
	}
	srv.WaitAnswered(t, 2*time.Second)
	if a := srv.CallbackAnswers(); len(a) != 1 || a[0].Text != "ok" || a[0].QueryID != cq.ID {
		t.Errorf("answers = %+v", a)
	}
	srv.WaitConfirmed(t, 2*time.Second)

	// A reply to the bot carries the bot's message.
	srv.SendUpdate(srv.ReplyTo(alice, alice.ID, sent[0].MessageID, "thanks"))
	u = recv()
	if r := u.Message.ReplyToMessage; r == nil || r.ID != sent[0].MessageID || r.From == nil || r.From.Username != "shakeout_test_bot" {
		t.Errorf("reply_to_message = %+v", r)
	}
	srv.WaitSent(t, 3, 2*time.Second)
}

func TestUnansweredCallbacks(t *testing.T) {
	srv := telegramtest.New(t)
	b := newBot(t, srv)
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Yes", CallbackData: "y"}}}}
	m, err := b.SendMessage(t.Context(), &tgbot.SendMessageParams{ChatID: alice.ID, Text: "Coming?", ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	u := srv.SendUpdate(srv.PressButton(alice, alice.ID, m.ID, "y"))
	if un := srv.UnansweredCallbacks(); len(un) != 1 || un[0].ID != u.CallbackQuery.ID {
		t.Fatalf("unanswered = %+v", un)
	}
	if _, err := b.AnswerCallbackQuery(t.Context(), &tgbot.AnswerCallbackQueryParams{CallbackQueryID: "nope"}); !errors.Is(err, tgbot.ErrorBadRequest) {
		t.Errorf("unknown query id: %v", err)
	}
	if _, err := b.AnswerCallbackQuery(t.Context(), &tgbot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID}); err != nil {
		t.Fatal(err)
	}
	if un := srv.UnansweredCallbacks(); len(un) != 0 {
		t.Errorf("unanswered after answer = %+v", un)
	}
}

func TestGetUpdatesOffsetsAndConflict(t *testing.T) {
	srv := telegramtest.New(t)
	base := srv.URL() + "/bot" + srv.Token() + "/getUpdates"
	poll := func(form url.Values) (int, []json.RawMessage, string) {
		code, body := post(t, base, "application/x-www-form-urlencoded", form.Encode())
		var env struct {
			Result []json.RawMessage `json:"result"`
		}
		_ = json.Unmarshal([]byte(body), &env)
		return code, env.Result, body
	}
	u1 := srv.SendUpdate(telegramtest.PrivateText(alice, "one"))
	srv.SendUpdate(telegramtest.PrivateText(alice, "two"))
	if _, ups, _ := poll(url.Values{}); len(ups) != 2 {
		t.Fatalf("first poll: %d updates", len(ups))
	}
	if _, ups, _ := poll(url.Values{}); len(ups) != 2 {
		t.Fatalf("unconfirmed updates must come again, got %d", len(ups))
	}
	if _, ups, _ := poll(url.Values{"offset": {strconv.FormatInt(u1.UpdateID+1, 10)}}); len(ups) != 1 || srv.Pending() != 1 {
		t.Fatalf("after confirming one: %d updates, %d pending", len(ups), srv.Pending())
	}

	// Two concurrent long polls: the newer one terminates the older with 409.
	next := strconv.FormatInt(u1.UpdateID+2, 10)
	type result struct {
		code int
		body string
	}
	results := make(chan result, 2)
	start := func() {
		go func() {
			code, _, body := poll(url.Values{"offset": {next}, "timeout": {"5"}})
			results <- result{code, body}
		}()
	}
	start()
	srv.Wait(t, time.Second, "first long poll", func() bool { return openPolls(srv) == 1 })
	start()
	first := <-results
	if first.code != 409 || first.body != `{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}` {
		t.Errorf("older poller got %d %s", first.code, first.body)
	}
	srv.SendUpdate(telegramtest.PrivateText(alice, "three"))
	if second := <-results; second.code != 200 || !strings.Contains(second.body, `"three"`) {
		t.Errorf("newer poller got %d %s", second.code, second.body)
	}

	// An active webhook makes getUpdates a conflict.
	b := newBot(t, srv)
	if ok, err := b.SetWebhook(t.Context(), &tgbot.SetWebhookParams{URL: "https://example.org/hook", SecretToken: "s3cret"}); !ok || err != nil {
		t.Fatalf("setWebhook: %v %v", ok, err)
	}
	if w := srv.Webhook(); w.URL != "https://example.org/hook" || w.SecretToken != "s3cret" {
		t.Errorf("webhook = %+v", w)
	}
	if code, _, _ := poll(url.Values{}); code != 409 {
		t.Errorf("getUpdates with webhook: %d", code)
	}
	if _, err := b.DeleteWebhook(t.Context(), &tgbot.DeleteWebhookParams{DropPendingUpdates: true}); err != nil {
		t.Fatal(err)
	}
	if srv.Webhook().URL != "" || srv.Pending() != 0 {
		t.Errorf("after deleteWebhook: %+v, %d pending", srv.Webhook(), srv.Pending())
	}
}

// openPolls counts getUpdates calls still waiting for an answer.
func openPolls(srv *telegramtest.Server) int {
	n := 0
	for _, c := range srv.CallsTo("getUpdates") {
		if c.Code == 0 {
			n++
		}
	}
	return n
}

func TestFaultsSurfaceAsLibraryErrors(t *testing.T) {
	srv := telegramtest.New(t)
	b := newBot(t, srv)
	send := func(chatID int64) error {
		_, err := b.SendMessage(t.Context(), &tgbot.SendMessageParams{ChatID: chatID, Text: "hello"})
		return err
	}
	forbidden := func(desc string) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			if !errors.Is(err, tgbot.ErrorForbidden) || !strings.Contains(err.Error(), desc) {
				t.Errorf("err = %v, want ErrorForbidden with %q", err, desc)
			}
		}
	}
	tests := []struct {
		name  string
		fault telegramtest.Fault
		check func(*testing.T, error)
	}{
		{"429", telegramtest.TooManyRequests(17), func(t *testing.T, err error) {
			var tm *tgbot.TooManyRequestsError
			if !errors.As(err, &tm) || tm.RetryAfter != 17 {
				t.Errorf("err = %v, want TooManyRequestsError retry 17", err)
			}
		}},
		{"blocked", telegramtest.Forbidden(telegramtest.DescBlockedByUser), forbidden("bot was blocked by the user")},
		{"deactivated", telegramtest.Forbidden(telegramtest.DescUserDeactivated), forbidden("user is deactivated")},
		{"kicked", telegramtest.Forbidden(telegramtest.DescKickedFromGroup), forbidden("bot was kicked from the group chat")},
		{"cannot initiate", telegramtest.Forbidden(telegramtest.DescCantInitiateChat), forbidden("bot can't initiate conversation with a user")},
		{"migrate", telegramtest.Migrated(-1009876543210), func(t *testing.T, err error) {
			var me *tgbot.MigrateError
			if !errors.As(err, &me) || me.MigrateToChatID != -1009876543210 {
				t.Errorf("err = %v, want MigrateError", err)
			}
		}},
		{"500", telegramtest.InternalError(), func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") {
				t.Errorf("err = %v", err)
			}
		}},
		{"502 html", telegramtest.BadGateway(), func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "error decode response body") {
				t.Errorf("err = %v", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Sent())
			srv.FailNext("sendMessage", tc.fault)
			tc.check(t, send(alice.ID))
			if len(srv.Sent()) != before {
				t.Errorf("a failed send was recorded as delivered")
			}
			if err := send(alice.ID); err != nil {
				t.Errorf("fault was not one-shot: %v", err)
			}
		})
	}

	t.Run("accepted then failed", func(t *testing.T) {
		srv.FailNext("sendMessage", telegramtest.AcceptedThenFailed())
		if err := send(7); err == nil {
			t.Fatal("want an error")
		}
		if got := srv.SentTo(7); len(got) != 1 || !got[0].FailedResponse {
			t.Errorf("sent to 7 = %+v, want one delivered message marked FailedResponse", got)
		}
	})
	t.Run("per chat", func(t *testing.T) {
		srv.FailNextChat(8, telegramtest.TooManyRequests(3))
		if err := send(9); err != nil {
			t.Errorf("other chat failed: %v", err)
		}
		if err := send(8); !tgbot.IsTooManyRequestsError(err) {
			t.Errorf("chat 8: %v", err)
		}
	})
	t.Run("blocked for good", func(t *testing.T) {
		srv.BlockChat(10, telegramtest.DescBlockedByUser)
		for range 2 {
			if err := send(10); !errors.Is(err, tgbot.ErrorForbidden) {
				t.Errorf("blocked chat: %v", err)
			}
		}
		srv.UnblockChat(10)
		if err := send(10); err != nil {
			t.Errorf("unblocked: %v", err)
		}
	})
	t.Run("migrated for good", func(t *testing.T) {
		srv.MigrateChat(-4001, -1004001)
		var me *tgbot.MigrateError
		if err := send(-4001); !errors.As(err, &me) || me.MigrateToChatID != -1004001 {
			t.Errorf("old group: %v", err)
		}
		if err := send(-1004001); err != nil {
			t.Errorf("new supergroup: %v", err)
		}
	})
}

func TestFaultWireShapes(t *testing.T) {
	srv := telegramtest.New(t)
	u := srv.URL() + "/bot" + srv.Token() + "/sendMessage"
	tests := []struct {
		name  string
		fault telegramtest.Fault
		want  string
	}{
		{"429", telegramtest.TooManyRequests(5), `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`},
		{"migrate", telegramtest.Migrated(-1001), `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001}}`},
		{"403", telegramtest.Forbidden(telegramtest.DescBlockedByUser), `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv.FailNext("SENDMESSAGE", tc.fault)
			code, body := post(t, u, "application/json", `{"chat_id":1,"text":"x"}`)
			if code != tc.fault.Code || body != tc.want {
				t.Errorf("got %d %s\nwant %s", code, body, tc.want)
			}
		})
	}
}

func TestRequestEncodings(t *testing.T) {
	srv := telegramtest.New(t)
	u := srv.URL() + "/bot" + srv.Token() + "/sendMessage"
	code, body := post(t, u, "application/json",
		`{"chat_id":5,"text":"json","reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}}`)
	if code != 200 {
		t.Fatalf("json: %d %s", code, body)
	}
	code, body = post(t, u, "application/x-www-form-urlencoded", url.Values{"chat_id": {"6"}, "text": {"form"}}.Encode())
	if code != 200 {
		t.Fatalf("form: %d %s", code, body)
	}
	sent := srv.Sent()
	if len(sent) != 2 || sent[0].ChatID != 5 || sent[0].Buttons()[0].CallbackData != "a" || sent[1].Text != "form" {
		t.Errorf("sent = %+v", sent)
	}
	if c := srv.CallsTo("sendMessage"); len(c) != 2 || c[0].ChatID() != 5 || c[0].Params["text"] != "json" {
		t.Errorf("calls = %+v", c)
	}
}

func TestLimitViolations(t *testing.T) {
	now := time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	srv := telegramtest.New(t, telegramtest.WithClock(clock))
	b := newBot(t, srv)
	send := func(chatID int64, text string, markup models.ReplyMarkup) error {
		_, err := b.SendMessage(t.Context(), &tgbot.SendMessageParams{ChatID: chatID, Text: text, ReplyMarkup: markup})
		return err
	}
	expect := func(substr string) {
		t.Helper()
		v := srv.Violations()
		if len(v) == 0 || !strings.Contains(v[len(v)-1], substr) {
			t.Errorf("violations = %q, want last to contain %q", v, substr)
		}
	}

	// Private chat: two in a second are tolerated, the third is flagged.
	for range 2 {
		if err := send(alice.ID, "hi", nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(srv.Violations()) != 0 {
		t.Fatalf("burst of 2 flagged: %q", srv.Violations())
	}
	_ = send(alice.ID, "hi", nil)
	expect("3 messages to private chat 42 within 1s (limit 2)")
	advance(1500 * time.Millisecond)
	n := len(srv.Violations())
	_ = send(alice.ID, "later", nil)
	if len(srv.Violations()) != n {
		t.Errorf("a send after the window was flagged")
	}

	// Group: 20 a minute.
	group := int64(-1001112223334)
	for range 20 {
		_ = send(group, "news", nil)
		advance(2 * time.Second)
	}
	n = len(srv.Violations())
	if n != 1 {
		t.Fatalf("20 group messages in 40s flagged: %q", srv.Violations())
	}
	_ = send(group, "news", nil)
	expect("21 messages to supergroup chat -1001112223334 within 1m0s (limit 20)")

	// Global: 30 a second across chats.
	advance(time.Minute)
	for i := range 31 {
		_ = send(int64(1000+i), "broadcast", nil)
	}
	expect("31 messages overall within 1s (limit 30)")

	// Content: rejected with the real 400 and recorded.
	advance(time.Minute)
	long := strings.Repeat("🏃", 2049) // 4098 UTF-16 units, 2049 characters
	if err := send(alice.ID, long, nil); !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "message is too long") {
		t.Errorf("long text: %v", err)
	}
	expect("message is too long")
	advance(time.Minute)
	if err := send(alice.ID, strings.Repeat("🏃", 2048), nil); err != nil {
		t.Errorf("4096 UTF-16 units rejected: %v", err)
	}
	if err := send(alice.ID, "", nil); !errors.Is(err, tgbot.ErrorBadRequest) {
		t.Errorf("empty text: %v", err)
	}
	expect("message text is empty")
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "x", CallbackData: strings.Repeat("é", 33)}}}}
	if err := send(alice.ID, "pick", kb); err == nil || !strings.Contains(err.Error(), "BUTTON_DATA_INVALID") {
		t.Errorf("66-byte callback_data: %v", err)
	}
	expect("BUTTON_DATA_INVALID")
}

func TestOnlyPlainText(t *testing.T) {
	srv := telegramtest.New(t)
	b := newBot(t, srv)
	text := "<b>5k</b> at 7.30 *pace* < 5:00"
	if _, err := b.SendMessage(t.Context(), &tgbot.SendMessageParams{ChatID: alice.ID, Text: text}); err != nil {
		t.Fatal(err)
	}
	if sent := srv.Sent(); sent[len(sent)-1].PlainText != text {
		t.Errorf("plain = %q, want the text as sent", sent[len(sent)-1].PlainText)
	}
	for _, mode := range []models.ParseMode{models.ParseModeHTML, models.ParseModeMarkdown, "Rich"} {
		_, err := b.SendMessage(t.Context(), &tgbot.SendMessageParams{ChatID: alice.ID, Text: "5k", ParseMode: mode})
		if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "unsupported parse_mode") {
			t.Errorf("parse_mode %s: err = %v, want a bad request", mode, err)
		}
	}
}

func TestCommandsAndMembers(t *testing.T) {
	srv := telegramtest.New(t)
	b := newBot(t, srv)
	ctx := t.Context()
	cmds := []models.BotCommand{{Command: "join", Description: "Join a run"}, {Command: "runs", Description: "Upcoming runs"}}
	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{
		Commands: cmds[:1], Scope: &models.BotCommandScopeChat{ChatID: -1001}, LanguageCode: "de",
	}); err != nil {
		t.Fatal(err)
	}
	sets := srv.Commands()
	if len(sets) != 2 || sets[0].Scope.Type != "default" || len(sets[0].Commands) != 2 ||
		sets[1].Scope != (telegramtest.CommandScope{Type: "chat", ChatID: -1001}) || sets[1].LanguageCode != "de" {
		t.Errorf("command sets = %+v", sets)
	}
	if _, err := b.DeleteMyCommands(ctx, &tgbot.DeleteMyCommandsParams{}); err != nil {
		t.Fatal(err)
	}
	if sets := srv.Commands(); len(sets) != 1 || sets[0].LanguageCode != "de" {
		t.Errorf("after delete = %+v", sets)
	}
	_, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "Join", Description: "x"}}})
	if !errors.Is(err, tgbot.ErrorBadRequest) {
		t.Errorf("uppercase command: %v", err)
	}

	srv.SetChatMember(-1001, 1, telegramtest.StatusCreator)
	srv.SetChatMember(-1001, 2, telegramtest.StatusAdministrator)
	for _, tc := range []struct {
		user int64
		want models.ChatMemberType
	}{{1, models.ChatMemberTypeOwner}, {2, models.ChatMemberTypeAdministrator}, {3, models.ChatMemberTypeMember}} {
		m, err := b.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: -1001, UserID: tc.user})
		if err != nil {
			t.Fatal(err)
		}
		if m.Type != tc.want {
			t.Errorf("user %d: status %q, want %q", tc.user, m.Type, tc.want)
		}
	}
}

func TestParseEntities(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []telegramtest.MessageEntity
	}{
		{"command", "/start", []telegramtest.MessageEntity{{Type: "bot_command", Offset: 0, Length: 6}}},
		{"command with bot", "/join@shakeout_test_bot 7", []telegramtest.MessageEntity{{Type: "bot_command", Offset: 0, Length: 23}}},
		{"after emoji", "🏃 /run", []telegramtest.MessageEntity{{Type: "bot_command", Offset: 3, Length: 4}}},
		{"mention then command", "é @club_bot /x", []telegramtest.MessageEntity{{Type: "mention", Offset: 2, Length: 9}, {Type: "bot_command", Offset: 12, Length: 2}}},
		{"no entities", "a/b mail@x.org 1/2 //", nil},
		{"short mention", "@ab", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := telegramtest.ParseEntities(tc.text)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("entity %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
