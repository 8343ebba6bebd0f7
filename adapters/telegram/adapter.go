package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/adapters/limit"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/outbox"
)

// Core is what the adapter needs from the bot core (package chat).
type Core = chat.Core

// State persists the polling offset: the update_id of the last update that
// was completely handled. *sqlite.Store implements it.
type State interface {
	TelegramOffset(ctx context.Context) (int64, error)
	SetTelegramOffset(ctx context.Context, updateID int64) error
}

// Webhook configures webhook mode; a zero Webhook means long polling.
type Webhook struct {
	// URL is the public https URL Telegram posts updates to. Its path is
	// the path the local server answers on.
	URL string
	// Secret is sent by Telegram in X-Telegram-Bot-Api-Secret-Token.
	Secret config.Secret
	// Listen is the host:port the webhook server listens on.
	Listen string
	// Listener, when set, is used instead of Listen (tests, socket
	// activation). Run closes it.
	Listener net.Listener
}

// Deps are what an Adapter needs.
type Deps struct {
	Token config.Secret
	// APIURL is the Bot API base URL; empty means api.telegram.org.
	APIURL  string
	Webhook Webhook
	Core    Core
	State   State
	// OnChatMoved moves every stored reference from a group's old chat id to
	// its new one when the group became a supergroup. It may be called
	// more than once for the same move and must be idempotent.
	OnChatMoved func(ctx context.Context, oldID, newID string) error
	// Spool keeps replies still unsent at shutdown for the next start;
	// nil loses them (and says so in the log).
	Spool Spool
	// Reach records the bot being blocked, unblocked, removed or added
	// back (my_chat_member); nil ignores those updates.
	Reach Reach
	// Limiter holds back members who send faster than the inbound limits;
	// nil admits everything.
	Limiter *limit.Members
	Logger  *slog.Logger
	// Now is the clock for caches and button presses; nil means time.Now.
	Now func() time.Time
	// HTTPClient carries every request; nil means a client with timeouts
	// suited to long polling.
	HTTPClient *http.Client
	// PerSecond is how many messages a second the bot may send in total
	// (DefaultPerSecond, Telegram's limit; more with paid broadcasts).
	PerSecond int
	// API makes the Bot API calls; nil means the SDK's client for Token
	// and APIURL. Unit tests pass a fake.
	API API
}

// Adapter runs the bot on Telegram. It is also the outbox.Sender the outbox
// dispatcher delivers scheduled Telegram messages through.
type Adapter struct {
	tg          API
	token       string
	apiURL      string
	http        *http.Client
	webhook     Webhook
	core        Core
	state       State
	onChatMoved func(ctx context.Context, oldID, newID string) error
	log         *slog.Logger
	now         func() time.Time
	pace        *pacer
	admins      *adminCache
	out         *outQueues
	spool       Spool
	reach       Reach
	limit       *limit.Members

	pollTimeout   time.Duration
	maxInlineWait time.Duration

	moveMu sync.Mutex // serialises chat moves

	mu sync.Mutex
	// contact is when the Bot API last answered a poll (or the webhook
	// was registered); zero while not connected.
	contact  time.Time
	me       *models.User
	hinted   map[int64]bool
	moved    map[int64]int64
	progress map[int64]int
}

var _ outbox.Sender = (*Adapter)(nil)

// Tunings of the adapter, named so tests and documentation agree.
const (
	// pollTimeout is the long-poll wait of one getUpdates call.
	pollTimeout = 25 * time.Second
	// maxInlineWait is the longest 429 retry_after waited out in place;
	// longer ones go back to the outbox (scheduled) or drop the reply.
	maxInlineWait = 5 * time.Second
	// maxTries bounds the sends of one message part after 429s.
	maxTries = 3
	// handleTimeout bounds the handling of one batch or webhook update,
	// which is not cancelled by shutdown so that no update is left half done.
	handleTimeout = 2 * time.Minute
	// parallelChats is how many chats of one batch are handled at once.
	parallelChats = 8
)

// New checks deps and builds an Adapter. It does no network I/O; Run does.
func New(deps Deps) (*Adapter, error) {
	var problems []string
	if !deps.Token.IsSet() {
		problems = append(problems, "a token is required")
	}
	if deps.Core == nil {
		problems = append(problems, "a core is required")
	}
	if deps.State == nil {
		problems = append(problems, "a state store for the polling offset is required")
	}
	if deps.Webhook.URL != "" {
		if !deps.Webhook.Secret.IsSet() {
			problems = append(problems, "a webhook needs a secret")
		}
		if u, err := url.Parse(deps.Webhook.URL); err != nil || u.Host == "" {
			problems = append(problems, "the webhook URL is not an absolute URL")
		}
		if deps.Webhook.Listen == "" && deps.Webhook.Listener == nil {
			problems = append(problems, "a webhook needs a listen address")
		}
	}
	if len(problems) > 0 {
		return nil, errors.New("telegram: " + strings.Join(problems, "; "))
	}
	a := &Adapter{
		token:         deps.Token.Reveal(),
		apiURL:        strings.TrimRight(deps.APIURL, "/"),
		http:          deps.HTTPClient,
		webhook:       deps.Webhook,
		core:          deps.Core,
		state:         deps.State,
		onChatMoved:   deps.OnChatMoved,
		spool:         deps.Spool,
		reach:         deps.Reach,
		limit:         deps.Limiter,
		log:           deps.Logger,
		now:           deps.Now,
		pace:          newPacer(deps.PerSecond),
		pollTimeout:   pollTimeout,
		maxInlineWait: maxInlineWait,
		hinted:        map[int64]bool{},
		moved:         map[int64]int64{},
		progress:      map[int64]int{},
	}
	if a.apiURL == "" {
		a.apiURL = "https://api.telegram.org"
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.log = a.log.With("platform", string(chat.PlatformTelegram))
	if a.now == nil {
		a.now = time.Now
	}
	if a.http == nil {
		a.http = &http.Client{Timeout: pollTimeout + 30*time.Second}
	}
	a.admins = newAdminCache(a.now)
	a.out = newOutQueues(a)
	if deps.API != nil {
		a.tg = deps.API
		return a, nil
	}
	tg, err := tgbot.New(a.token,
		tgbot.WithServerURL(a.apiURL),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(pollTimeout, a.http),
		tgbot.WithDefaultHandler(func(context.Context, *tgbot.Bot, *models.Update) {}),
		tgbot.WithErrorsHandler(func(err error) { a.log.Warn("telegram client", "error", a.scrub(err)) }),
		tgbot.WithDebugHandler(func(string, ...any) {}),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", a.scrub(err))
	}
	a.tg = tg
	return a, nil
}

// Sender returns the adapter as the outbox dispatcher's outbox.Sender.
func (a *Adapter) Sender() outbox.Sender { return a }

// Run connects, publishes the command menu and receives updates until ctx
// ends: by webhook when one is configured, by long polling otherwise. It
// returns nil after a clean shutdown, once the updates in hand are handled
// and their replies sent, or stored in the outbox to send after a restart.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.out.stop(sendGrace)
	if err := a.connect(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	a.publishCommands(ctx)
	if a.webhook.URL != "" {
		return a.runWebhook(ctx)
	}
	return a.runPolling(ctx)
}

// connect learns the bot's own user (its username is needed for /cmd@bot,
// mentions and deep links). A rejected token is fatal; anything else is
// retried until ctx ends.
func (a *Adapter) connect(ctx context.Context) error {
	delay := time.Duration(0)
	for {
		me, err := a.tg.GetMe(ctx)
		if err == nil {
			a.mu.Lock()
			a.me = me
			a.mu.Unlock()
			a.log.Info("connected", "bot_username", me.Username)
			return nil
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
			return fmt.Errorf("telegram: the Bot API rejected the token (check SHAKEOUT_TELEGRAM_TOKEN): %w", a.scrub(err))
		}
		delay = backoff(delay)
		a.log.Warn("getMe failed; retrying", "error", a.scrub(err), "retry_in_ms", delay.Milliseconds())
		if !sleep(ctx, delay) {
			return ctx.Err()
		}
	}
}

// markContact records a successful poll or a registered webhook (up), or
// the end of the webhook (down).
func (a *Adapter) markContact(up bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if up {
		a.contact = a.now()
	} else {
		a.contact = time.Time{}
	}
}

// Health reports whether the adapter is connected: the webhook is
// registered, or a long poll was answered within the last two poll
// timeouts. It backs the "telegram" probe of /healthz.
func (a *Adapter) Health(context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.contact.IsZero():
		return errors.New("not connected to the Bot API")
	case a.webhook.URL != "":
		return nil
	}
	if age := a.now().Sub(a.contact); age > 2*a.pollTimeout+30*time.Second {
		return fmt.Errorf("no answer from the Bot API for %s", age.Round(time.Second))
	}
	return nil
}

// self returns the bot's own user; zero before Run connected.
func (a *Adapter) self() models.User {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.me == nil {
		return models.User{}
	}
	return *a.me
}

// publishCommands renders the registry as Telegram's command menu: member
// commands for everyone, member and coach commands for group admins.
// A failure is logged: the bot works without a menu.
func (a *Adapter) publishCommands(ctx context.Context) {
	var member, all []models.BotCommand
	for _, c := range a.core.Catalog().Commands() {
		if !menuName(c.Name) {
			a.log.Warn("command left out of the menu: Telegram allows only a-z, 0-9 and _", "command", c.Name)
			continue
		}
		bc := models.BotCommand{Command: c.Name, Description: c.Summary}
		if !c.ClubAdmin {
			member = append(member, bc)
		}
		all = append(all, bc)
	}
	sets := []struct {
		scope models.BotCommandScope
		cmds  []models.BotCommand
	}{
		{&models.BotCommandScopeDefault{}, member},
		{&models.BotCommandScopeAllChatAdministrators{}, all},
	}
	for _, s := range sets {
		if len(s.cmds) > 100 {
			s.cmds = s.cmds[:100]
		}
		if _, err := a.tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: s.cmds, Scope: s.scope}); err != nil {
			a.log.Warn("setMyCommands failed", "error", a.scrub(err))
		}
	}
}

func menuName(name string) bool {
	if name == "" || len(name) > 32 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// redactedError hides the token in an error's text; errors.Is and As still
// see the original.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// scrub returns err with every form of the token replaced by REDACTED. The
// SDK puts the token in request URLs, and net/http errors quote URLs.
func (a *Adapter) scrub(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := msg
	for _, form := range []string{a.token, url.PathEscape(a.token), url.QueryEscape(a.token)} {
		if form != "" {
			clean = strings.ReplaceAll(clean, form, "REDACTED")
		}
	}
	if _, ok := err.(*redactedError); ok && clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}

// backoff doubles a retry delay from 100 ms up to 30 s.
func backoff(d time.Duration) time.Duration {
	if d <= 0 {
		return 100 * time.Millisecond
	}
	return min(2*d, 30*time.Second)
}

// sleep waits d or until ctx ends, and reports whether it waited fully.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
