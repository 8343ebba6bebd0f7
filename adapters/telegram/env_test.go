package telegram

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"log/slog"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/internal/storetest"
)

// People and chats of the tests.
var (
	alice    = telegramtest.User{ID: 1001, FirstName: "Alice", LastName: "Runner", Username: "alice_runs"}
	bob      = telegramtest.User{ID: 1002, FirstName: "Bob"}
	carol    = telegramtest.User{ID: 1003, FirstName: "Carol"}
	harriers = telegramtest.Chat{ID: -1001234567890, Type: telegramtest.ChatSupergroup, Title: "Harriers"}
)

// wait is how long a test waits for the bot to act.
const wait = 10 * time.Second

// lockedBuffer collects log output from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// recordingState wraps the store's offset methods and checks, at every
// save, a condition the test sets.
type recordingState struct {
	State
	mu     sync.Mutex
	saves  []int64
	onSave func(id int64)
}

func (r *recordingState) SetTelegramOffset(ctx context.Context, id int64) error {
	r.mu.Lock()
	r.saves = append(r.saves, id)
	f := r.onSave
	r.mu.Unlock()
	if f != nil {
		f(id)
	}
	return r.State.SetTelegramOffset(ctx, id)
}

// env is an adapter wired to a real core on a real store (storetest: SQLite,
// or PostgreSQL when SHAKEOUT_TEST_POSTGRES is set), talking
// to a fake Bot API on 127.0.0.1 through the real SDK client.
type env struct {
	t     *testing.T
	srv   *telegramtest.Server
	store storetest.Store
	core  *bot.Bot
	state *recordingState
	a     *Adapter
	logs  *lockedBuffer

	mu    sync.Mutex
	moves [][2]string

	stop func()
}

type envConfig struct {
	srvOpts []telegramtest.Option
	webhook Webhook
	open    func() storetest.Store // nil: a fresh store
	srv     *telegramtest.Server
	token   string
	client  *http.Client
}

type envOption func(*envConfig)

func withWebhook(w Webhook) envOption {
	return func(c *envConfig) { c.webhook = w }
}

// withDB opens the store with open (storetest.Opener), so two envs can
// share one database as a restarted process would.
func withDB(open func() storetest.Store) envOption {
	return func(c *envConfig) { c.open = open }
}

func withServer(s *telegramtest.Server) envOption {
	return func(c *envConfig) { c.srv = s }
}

func withToken(token string) envOption {
	return func(c *envConfig) { c.token = token }
}

func withHTTPClient(c *http.Client) envOption {
	return func(cfg *envConfig) { cfg.client = c }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	cfg := envConfig{}
	for _, o := range opts {
		o(&cfg)
	}
	srv := cfg.srv
	if srv == nil {
		srv = telegramtest.New(t, append([]telegramtest.Option{telegramtest.FailOnViolations()}, cfg.srvOpts...)...)
	}
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var store storetest.Store
	if cfg.open != nil {
		store = cfg.open()
		t.Cleanup(func() { store.Close() })
	} else {
		store = storetest.Open(t, nil)
	}
	core, err := bot.New(bot.Deps{Store: store, Logger: log, DefaultTZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, store: store, core: core, logs: logs, state: &recordingState{State: store}}
	token := cfg.token
	if token == "" {
		token = srv.Token()
	}
	a, err := New(Deps{
		Token:   config.Secret(token),
		APIURL:  srv.URL(),
		Webhook: cfg.webhook,
		Core:    core,
		State:   e.state,
		OnChatMoved: func(_ context.Context, oldID, newID string) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.moves = append(e.moves, [2]string{oldID, newID})
			return nil
		},
		Spool:      store,
		Reach:      core,
		Logger:     log,
		HTTPClient: cfg.client,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Short long polls keep shutdown quick; nothing else changes.
	a.pollTimeout = 2 * time.Second
	e.a = a
	return e
}

// run starts the adapter and waits until it published its menus.
func (e *env) run() {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	e.stop = func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				e.t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			e.t.Errorf("Run did not return after cancel")
		}
		e.stop = func() {}
	}
	e.t.Cleanup(func() { e.stop() })
	e.srv.WaitCalls(e.t, "setMyCommands", 2, wait)
}

// send queues an update and waits until the adapter handled it (it
// confirms an update only after handling it).
func (e *env) send(u telegramtest.Update) telegramtest.Update {
	e.t.Helper()
	u = e.srv.SendUpdate(u)
	e.srv.WaitConfirmed(e.t, wait)
	e.waitSent()
	return u
}

// waitSent waits until the adapter's reply queues are empty: every reply
// handed to them was sent (or given up).
func (e *env) waitSent() {
	e.t.Helper()
	deadline := time.Now().Add(wait)
	for !e.a.out.idle() {
		if time.Now().After(deadline) {
			e.t.Fatalf("replies still queued after %v", wait)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// dm sends text from a user in their private chat and returns the bot's
// messages to that chat sent in answer.
func (e *env) dm(from telegramtest.User, text string) []telegramtest.SentMessage {
	e.t.Helper()
	before := len(e.srv.SentTo(from.ID))
	e.send(telegramtest.PrivateText(from, text))
	return e.srv.SentTo(from.ID)[before:]
}

// group sends text from a user in a group and returns the bot's new
// messages to the group.
func (e *env) group(chat telegramtest.Chat, from telegramtest.User, text string) []telegramtest.SentMessage {
	e.t.Helper()
	before := len(e.srv.SentTo(chat.ID))
	e.send(telegramtest.GroupText(chat, from, text))
	return e.srv.SentTo(chat.ID)[before:]
}

// press presses a button on a message the bot sent and returns the bot's
// new messages to that chat. It checks the press was answered.
func (e *env) press(from telegramtest.User, m telegramtest.SentMessage, label string) []telegramtest.SentMessage {
	e.t.Helper()
	data := ""
	for _, b := range m.Buttons() {
		if b.Text == label {
			data = b.CallbackData
		}
	}
	if data == "" {
		e.t.Fatalf("no button %q under %q", label, m.PlainText)
	}
	before := len(e.srv.SentTo(m.ChatID))
	e.send(e.srv.PressButton(from, m.ChatID, m.MessageID, data))
	if un := e.srv.UnansweredCallbacks(); len(un) > 0 {
		e.t.Fatalf("%d callback queries not answered", len(un))
	}
	return e.srv.SentTo(m.ChatID)[before:]
}

func (e *env) movesSeen() [][2]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([][2]string(nil), e.moves...)
}

// texts joins what the recipients saw.
func texts(ms []telegramtest.SentMessage) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.PlainText)
	}
	return strings.Join(parts, "\n---\n")
}

// requireCommands skips a conversation test whose commands are not in the
// core yet.
func requireCommands(t *testing.T, core *bot.Bot, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, ok := core.Registry().Lookup(n); !ok {
			t.Fatalf("command /%s is not registered in the core", n)
		}
	}
}

// scriptedCore answers some commands with fixed replies and passes the rest
// to the real core, so delivery paths can be tested on their own.
type scriptedCore struct {
	real    *bot.Bot
	reg     *bot.Registry
	mu      sync.Mutex
	seen    []chat.Message
	scripts map[string][]chat.Reply
}

func newScripted(t *testing.T, real *bot.Bot, scripts map[string][]chat.Reply, private map[string]bool) *scriptedCore {
	t.Helper()
	cmds := real.Registry().Commands()
	for name := range scripts {
		cmds = append(cmds, bot.Command{
			Name: name, Summary: "test command " + name, Usage: "/" + name, Private: private[name],
			Handler: bot.HandlerFunc(func(context.Context, *bot.Request) ([]chat.Reply, error) { return nil, nil }),
		})
	}
	reg, err := bot.NewRegistry(cmds...)
	if err != nil {
		t.Fatal(err)
	}
	return &scriptedCore{real: real, reg: reg, scripts: scripts}
}

func (s *scriptedCore) Catalog() *chat.Catalog { return s.reg.Catalog() }

func (s *scriptedCore) Handle(ctx context.Context, m chat.Message) []chat.Reply {
	s.mu.Lock()
	s.seen = append(s.seen, m)
	rs, ok := s.scripts[m.Command]
	s.mu.Unlock()
	if ok && m.Button == "" {
		return append([]chat.Reply(nil), rs...)
	}
	return s.real.Handle(ctx, m)
}

func (s *scriptedCore) messages() []chat.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]chat.Message(nil), s.seen...)
}

// loopback listens on a free 127.0.0.1 port.
func loopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}
