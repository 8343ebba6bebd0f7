package telegram

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/internal/pace"
)

// fakeAPI is the unit tests' Bot API: it records what the adapter asks for
// and answers from the fields a test sets. It is not safe to change its
// fields while the adapter runs; the records are.
type fakeAPI struct {
	me *models.User
	// sendErr, when set, decides each sendMessage: a nil result sends.
	sendErr func(p *tgbot.SendMessageParams) error
	// members answers getChatMember by user id; missing users fail.
	members map[int64]models.ChatMemberType

	mu        sync.Mutex
	sent      []*tgbot.SendMessageParams
	answers   []*tgbot.AnswerCallbackQueryParams
	commands  []*tgbot.SetMyCommandsParams
	lookups   int
	sentEvent chan struct{}

	// photoErr, when set, decides each sendPhoto (before the lock is
	// taken); photos are the ones sent, under mu.
	photoErr func(p *tgbot.SendPhotoParams) error
	photos   []*tgbot.SendPhotoParams
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{
		me:        &models.User{ID: 7000000001, IsBot: true, FirstName: "Shakeout", Username: "ShakeoutBot"},
		members:   map[int64]models.ChatMemberType{},
		sentEvent: make(chan struct{}, 100),
	}
}

func (f *fakeAPI) GetMe(context.Context) (*models.User, error) { return f.me, nil }

func (f *fakeAPI) SetMyCommands(_ context.Context, p *tgbot.SetMyCommandsParams) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commands = append(f.commands, p)
	return true, nil
}

func (f *fakeAPI) SetWebhook(context.Context, *tgbot.SetWebhookParams) (bool, error) {
	return true, nil
}

func (f *fakeAPI) DeleteWebhook(context.Context, *tgbot.DeleteWebhookParams) (bool, error) {
	return true, nil
}

func (f *fakeAPI) GetChatMember(_ context.Context, p *tgbot.GetChatMemberParams) (*models.ChatMember, error) {
	f.mu.Lock()
	f.lookups++
	f.mu.Unlock()
	typ, ok := f.members[p.UserID]
	if !ok {
		return nil, fmt.Errorf("%w, Bad Request: user not found", tgbot.ErrorBadRequest)
	}
	return &models.ChatMember{Type: typ}, nil
}

func (f *fakeAPI) AnswerCallbackQuery(_ context.Context, p *tgbot.AnswerCallbackQueryParams) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers = append(f.answers, p)
	return true, nil
}

func (f *fakeAPI) SendMessage(_ context.Context, p *tgbot.SendMessageParams) (*models.Message, error) {
	if f.sendErr != nil {
		if err := f.sendErr(p); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	f.sent = append(f.sent, p)
	n := len(f.sent)
	f.mu.Unlock()
	f.sentEvent <- struct{}{}
	return &models.Message{ID: n, Text: p.Text}, nil
}

func (f *fakeAPI) SendPhoto(_ context.Context, p *tgbot.SendPhotoParams) (*models.Message, error) {
	if f.photoErr != nil {
		if err := f.photoErr(p); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.photos = append(f.photos, p)
	return &models.Message{ID: 1000 + len(f.photos), Caption: p.Caption}, nil
}

func (f *fakeAPI) GetFile(context.Context, *tgbot.GetFileParams) (*models.File, error) {
	return nil, fmt.Errorf("%w, Bad Request: the unit fake has no files", tgbot.ErrorBadRequest)
}

func (f *fakeAPI) FileDownloadLink(file *models.File) string {
	return "http://127.0.0.1:1/file/" + file.FilePath
}

// sentMessages returns a copy of what was sent so far.
func (f *fakeAPI) sentMessages() []*tgbot.SendMessageParams {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*tgbot.SendMessageParams(nil), f.sent...)
}

// waitSent waits until n messages in all were sent.
func (f *fakeAPI) waitSent(t *testing.T, n int) []*tgbot.SendMessageParams {
	t.Helper()
	timeout := time.After(wait)
	for len(f.sentMessages()) < n {
		select {
		case <-f.sentEvent:
		case <-timeout:
			t.Fatalf("the fake API saw %d messages, want %d", len(f.sentMessages()), n)
		}
	}
	return f.sentMessages()
}

// fixedCore answers every message with the same replies and keeps what
// it was asked.
type fixedCore struct {
	catalog *chat.Catalog
	replies []chat.Reply

	mu   sync.Mutex
	seen []chat.Message
}

func (c *fixedCore) Catalog() *chat.Catalog { return c.catalog }

func (c *fixedCore) Handle(_ context.Context, m chat.Message) []chat.Reply {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, m)
	return append([]chat.Reply(nil), c.replies...)
}

func (c *fixedCore) messages() []chat.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]chat.Message(nil), c.seen...)
}

// nullState keeps the polling offset in memory.
type nullState struct{}

func (nullState) TelegramOffset(context.Context) (int64, error)  { return 0, nil }
func (nullState) SetTelegramOffset(context.Context, int64) error { return nil }

// unitCatalog is a small command set: one member command, one for club
// admins, one whose name Telegram's menu cannot show.
var unitCatalog = chat.NewCatalog([]chat.Command{
	{Name: "today", Summary: "Today's verdict"},
	{Name: "club", Summary: "Club settings", ClubAdmin: true, ButtonPrefix: "club"},
	{Name: "Bad-Name", Summary: "not for menus"},
})

// newUnit builds an adapter on a fake API, with the bot's own user known
// and its send queues stopped when the test ends.
func newUnit(t *testing.T, api *fakeAPI, core chat.Core, now func() time.Time) *Adapter {
	t.Helper()
	a, err := New(Deps{Token: "123:unit", Core: core, State: nullState{}, API: api, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	a.me = api.me
	// A fresh process counts what a previous one may just have sent;
	// unit tests start with empty windows.
	a.pace.global = pace.NewWindow(DefaultPerSecond, time.Second, true)
	a.pace.born = time.Now().Add(-2 * time.Minute)
	t.Cleanup(func() { a.out.stop(time.Second) })
	return a
}
