package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// These tests run the adapter against fakeAPI, the small interface of SDK
// calls it makes; the tests with the loopback Bot API (env) cover the wire.

func TestUnitMenusPerScope(t *testing.T) {
	api := newFakeAPI()
	a := newUnit(t, api, &fixedCore{catalog: unitCatalog}, nil)
	a.publishCommands(context.Background())
	if len(api.commands) != 2 {
		t.Fatalf("setMyCommands called %d times, want 2 (members, administrators)", len(api.commands))
	}
	names := func(p *tgbot.SetMyCommandsParams) string {
		var out []string
		for _, c := range p.Commands {
			out = append(out, c.Command)
		}
		return strings.Join(out, " ")
	}
	if _, ok := api.commands[0].Scope.(*models.BotCommandScopeDefault); !ok || names(api.commands[0]) != "today" {
		t.Errorf("member menu = %T %q, want the default scope with today", api.commands[0].Scope, names(api.commands[0]))
	}
	if _, ok := api.commands[1].Scope.(*models.BotCommandScopeAllChatAdministrators); !ok || names(api.commands[1]) != "today club" {
		t.Errorf("admin menu = %T %q, want the administrators' scope with today club", api.commands[1].Scope, names(api.commands[1]))
	}
}

func TestUnitSendIsPlainTextSplitWithButtonsLast(t *testing.T) {
	api := newFakeAPI()
	a := newUnit(t, api, &fixedCore{catalog: unitCatalog}, nil)
	para := strings.Repeat("easy miles build the base ", 100) // 2,600 characters
	text := para + "\n\n" + para
	o := outbox.Outgoing{ID: 9, To: chat.Recipient{Platform: chat.PlatformTelegram, UserID: "1001", Private: true},
		Reply: chat.Reply{Text: text, Buttons: [][]chat.Button{{{Label: "Done", Data: "club:done"}}}}}
	if err := a.Send(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	sent := api.sentMessages()
	if len(sent) != 2 {
		t.Fatalf("sent %d messages, want 2 parts", len(sent))
	}
	for i, p := range sent {
		if p.ChatID != int64(1001) || p.ParseMode != "" || p.LinkPreviewOptions == nil || !*p.LinkPreviewOptions.IsDisabled {
			t.Errorf("part %d: chat %v, parse mode %q, preview %+v; want the user's chat, plain text, no preview", i, p.ChatID, p.ParseMode, p.LinkPreviewOptions)
		}
		if utf16Len(p.Text) > maxTextUTF16 {
			t.Errorf("part %d is %d UTF-16 units", i, utf16Len(p.Text))
		}
	}
	if sent[0].ReplyMarkup != nil {
		t.Error("the first part carries the buttons; only the last should")
	}
	kb, ok := sent[1].ReplyMarkup.(*inlineKeyboard)
	if !ok || len(kb.InlineKeyboard) != 1 || kb.InlineKeyboard[0][0].CallbackData != "club:done" {
		t.Errorf("last part's markup = %#v, want the Done button", sent[1].ReplyMarkup)
	}
}

func TestUnitSendErrorsFollowTheOutboxContract(t *testing.T) {
	to := chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "-100200", Private: false}
	cases := []struct {
		name  string
		err   error
		check func(error) bool
	}{
		{"blocked", fmt.Errorf("%w, Forbidden: bot was blocked by the user", tgbot.ErrorForbidden),
			func(err error) bool { return errors.Is(err, outbox.ErrUnreachable) }},
		{"chat gone", fmt.Errorf("%w, Bad Request: chat not found", tgbot.ErrorBadRequest),
			func(err error) bool { return errors.Is(err, outbox.ErrUnreachable) }},
		{"group upgraded", &tgbot.MigrateError{Message: "Bad Request: group chat was upgraded", MigrateToChatID: -100300},
			func(err error) bool {
				var m *outbox.ChatMovedError
				return errors.As(err, &m) && m.OldID == "-100200" && m.NewID == "-100300" && m.Platform == chat.PlatformTelegram
			}},
		{"long 429", &tgbot.TooManyRequestsError{Message: "Too Many Requests", RetryAfter: 30},
			func(err error) bool {
				var r *outbox.RetryAfterError
				return errors.As(err, &r) && r.After == 30*time.Second
			}},
		{"other", fmt.Errorf("%w, Bad Request: message is too long", tgbot.ErrorBadRequest),
			func(err error) bool {
				var r *outbox.RetryAfterError
				return err != nil && !errors.Is(err, outbox.ErrUnreachable) && !errors.As(err, &r)
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			api := newFakeAPI()
			api.sendErr = func(*tgbot.SendMessageParams) error { return c.err }
			a := newUnit(t, api, &fixedCore{catalog: unitCatalog}, nil)
			err := a.Send(context.Background(), outbox.Outgoing{ID: 1, To: to, Reply: chat.Reply{Text: "Long run Sunday"}})
			if !c.check(err) {
				t.Errorf("Send = %v", err)
			}
			if err != nil && strings.Contains(err.Error(), "123:unit") {
				t.Errorf("error shows the token: %v", err)
			}
		})
	}
	api := newFakeAPI()
	a := newUnit(t, api, &fixedCore{catalog: unitCatalog}, nil)
	err := a.Send(context.Background(), outbox.Outgoing{To: chat.Recipient{ChatID: "harriers"}, Reply: chat.Reply{Text: "hi"}})
	if !errors.Is(err, outbox.ErrUnreachable) || len(api.sentMessages()) != 0 {
		t.Errorf("a chat id that is no number: %v after %d sends; want unreachable, nothing sent", err, len(api.sentMessages()))
	}
}

func TestUnitClosedTopicFallsBackToGeneral(t *testing.T) {
	closed := fmt.Errorf("%w, Bad Request: TOPIC_CLOSED", tgbot.ErrorBadRequest)
	post := outbox.Outgoing{ID: 4, To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "-100200", ThreadID: "17"},
		Reply: chat.Reply{Text: "Club run at 7"}}

	api := newFakeAPI()
	api.sendErr = func(p *tgbot.SendMessageParams) error {
		if p.MessageThreadID != 0 {
			return closed
		}
		return nil
	}
	a := newUnit(t, api, &fixedCore{catalog: unitCatalog}, nil)
	if err := a.Send(context.Background(), post); err != nil {
		t.Fatal(err)
	}
	if sent := api.sentMessages(); len(sent) != 1 || sent[0].MessageThreadID != 0 {
		t.Fatalf("sent %+v, want one message to General", sent)
	}

	api = newFakeAPI()
	api.sendErr = func(*tgbot.SendMessageParams) error { return closed }
	a = newUnit(t, api, &fixedCore{catalog: unitCatalog}, nil)
	var refused *outbox.RefusedError
	if err := a.Send(context.Background(), post); !errors.As(err, &refused) || !strings.Contains(refused.Fix, "/club topic") {
		t.Errorf("with General closed too: %v, want a RefusedError telling the admins how to fix it", err)
	}
}

func TestUnitAdminCheckIsCachedForAMinute(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 5, 4, 7, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	api := newFakeAPI()
	api.members[1001] = models.ChatMemberTypeAdministrator
	api.members[1002] = models.ChatMemberTypeMember
	a := newUnit(t, api, &fixedCore{catalog: unitCatalog}, clock)
	ctx := context.Background()
	for range 2 {
		if !a.isAdmin(ctx, -100200, 1001) {
			t.Fatal("an administrator is not seen as one")
		}
	}
	if a.isAdmin(ctx, -100200, 1002) {
		t.Error("a plain member is seen as an administrator")
	}
	for range 2 {
		if a.isAdmin(ctx, -100200, 1003) {
			t.Error("a failed lookup counts as an administrator")
		}
	}
	if api.lookups != 4 {
		t.Errorf("%d getChatMember calls, want 4 (one each, failures not cached)", api.lookups)
	}
	mu.Lock()
	now = now.Add(adminTTL)
	mu.Unlock()
	a.isAdmin(ctx, -100200, 1001)
	if api.lookups != 5 {
		t.Errorf("%d getChatMember calls after a minute, want 5", api.lookups)
	}
}

func TestUnitGroupCommandReachesTheCoreAndTheReplyQuotesIt(t *testing.T) {
	api := newFakeAPI()
	api.members[1001] = models.ChatMemberTypeOwner
	core := &fixedCore{catalog: unitCatalog, replies: []chat.Reply{{Text: "Club posts now go to this topic."}}}
	a := newUnit(t, api, core, nil)
	text := "/club@ShakeoutBot topic"
	a.handleUpdate(context.Background(), &models.Update{ID: 51, Message: &models.Message{
		ID: 300, Date: 1780000000, Text: text, Entities: entities(text),
		From:           &models.User{ID: 1001, FirstName: "Alice", Username: "alice_runs"},
		Chat:           models.Chat{ID: -100200, Type: models.ChatTypeSupergroup, Title: "Harriers"},
		IsTopicMessage: true, MessageThreadID: 17,
	}})
	seen := core.messages()
	want := chat.Message{Platform: chat.PlatformTelegram, UpdateID: "51", ClubChatID: "-100200", ClubName: "Harriers",
		ChatID: "-100200", ThreadID: "17", UserID: "1001", UserName: "Alice", UserHandle: "alice_runs",
		PlatformAdmin: true, Command: "club", Args: "topic", Time: time.Unix(1780000000, 0).UTC()}
	if len(seen) != 1 || seen[0] != want {
		t.Fatalf("the core saw %+v, want %+v", seen, want)
	}
	sent := api.waitSent(t, 1)
	p := sent[0]
	if p.ChatID != int64(-100200) || p.MessageThreadID != 17 || p.ReplyParameters == nil || p.ReplyParameters.MessageID != 300 {
		t.Errorf("reply went to chat %v topic %d quoting %+v; want the group's topic 17, quoting message 300", p.ChatID, p.MessageThreadID, p.ReplyParameters)
	}
}

func TestUnitButtonPressIsAnsweredOnceWithTheAlert(t *testing.T) {
	api := newFakeAPI()
	core := &fixedCore{catalog: unitCatalog, replies: []chat.Reply{{Text: "That button is for Bob.", Alert: true}}}
	a := newUnit(t, api, core, nil)
	a.handleUpdate(context.Background(), &models.Update{ID: 52, CallbackQuery: &models.CallbackQuery{
		ID: "q1", Data: "club:done", From: models.User{ID: 1001, FirstName: "Alice"},
		Message: models.MaybeInaccessibleMessage{Message: &models.Message{ID: 301,
			Chat: models.Chat{ID: 1001, Type: models.ChatTypePrivate}}},
	}})
	if len(api.answers) != 1 || api.answers[0].Text != "That button is for Bob." || !api.answers[0].ShowAlert {
		t.Errorf("answers = %+v, want one alert with the core's refusal", api.answers)
	}
	if seen := core.messages(); len(seen) != 1 || seen[0].Button != "club:done" || !seen[0].Private {
		t.Errorf("the core saw %+v, want the private press of club:done", seen)
	}
	if n := len(api.sentMessages()); n != 0 {
		t.Errorf("%d messages sent; an alert goes to the presser only", n)
	}
}
