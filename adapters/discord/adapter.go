package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/shakeoutbot/shakeout/adapters/limit"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/outbox"
)

// Core is what the adapter needs from the bot core (package chat).
type Core = chat.Core

// Deps are what an Adapter needs.
type Deps struct {
	// Token is the bot token without the "Bot " prefix.
	Token config.Secret
	// APIURL repoints REST calls and gateway discovery from
	// https://discord.com to another base URL (proxies, tests); empty means
	// Discord itself.
	APIURL string
	// GuildID registers slash commands in that one server (instant
	// updates); empty registers them globally.
	GuildID string
	// AdminRole is the name or id of the role whose members count as
	// server administrators for coach commands.
	AdminRole string
	Core      Core
	// Reach records the bot being removed from or added back to a server
	// (GUILD_DELETE, GUILD_CREATE); nil ignores those events.
	Reach Reach
	// DMs remembers the DM channels the bot opens, so a restart does not
	// open them again; nil keeps them in memory only.
	DMs DMStore
	// Limiter holds back members who send faster than the inbound limits;
	// nil admits everything.
	Limiter *limit.Members
	Logger  *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// REST makes the REST calls; nil means the discordgo session built
	// for Token and APIURL. Unit tests pass a fake.
	REST REST

	// Shard and Shards make this adapter gateway shard Shard of Shards
	// (discordgo's ShardID/ShardCount); Shards 0 or 1 is one connection
	// for every server. Slash commands are registered by shard 0 only,
	// which also receives the direct messages.
	Shard, Shards int
	// PerSecond caps this process's REST requests a second, below the
	// bot's GlobalRequestsPerSecond when several processes share it; 0
	// means all of it.
	PerSecond int
}

// Reach records what the gateway says about the bot's servers. *bot.Bot
// implements it.
type Reach interface {
	ClubReach(ctx context.Context, p chat.Platform, chatID string, reachable bool) error
}

// DMStore keeps members' DM channel ids. *sqlite.Store implements it.
type DMStore interface {
	SetDMChat(ctx context.Context, p chat.Platform, userID, chatID string) error
}

// Adapter connects the core to Discord. It also implements outbox.Sender for
// scheduled messages.
type Adapter struct {
	s         *discordgo.Session // the gateway
	rest      REST               // every REST call; s unless Deps.REST
	core      Core
	reg       *chat.Catalog
	log       *slog.Logger
	now       func() time.Time
	guildID   string
	adminRole string
	transport *transport
	reach     Reach
	dmStore   DMStore
	limit     *limit.Members
	dmOpen    *dmOpener

	// shard and shards are Deps'; started is set after the first connect
	// (Run's goroutine only), whose shard waits its bucket's turn.
	shard, shards int
	started       bool

	// base is the context handlers run under; set by Run.
	base     context.Context
	handlers sync.WaitGroup

	ready      chan struct{}
	readyOnce  sync.Once
	disconnect chan struct{}

	mu         sync.Mutex
	connected  bool
	botID      string
	appID      string
	guildNames map[string]string
	dms        map[string]string // user id → DM channel id
	dmHints    map[string]bool   // users a DM failed for, hint not shown yet
	roles      map[string]roleCache
	sentParts  map[int64]int // outbox id → parts already accepted
}

type roleCache struct {
	ids     []string
	fetched time.Time
}

// Intents are the gateway intents the adapter asks for: none is privileged.
// Without Message Content, Discord still delivers the text of direct
// messages and of messages that mention the bot.
const Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// New builds an adapter; nothing is contacted until Run or Send.
func New(d Deps) (*Adapter, error) {
	if !d.Token.IsSet() {
		return nil, errors.New("discord: a bot token is required")
	}
	if d.Core == nil || d.Core.Catalog() == nil {
		return nil, errors.New("discord: a core with a registry is required")
	}
	s, err := discordgo.New("Bot " + d.Token.Reveal())
	if err != nil {
		return nil, fmt.Errorf("discord: session: %w", err)
	}
	base := http.DefaultTransport
	tr, err := newTransport(base, d.APIURL)
	if err != nil {
		return nil, err
	}
	if d.PerSecond > 0 && d.PerSecond < GlobalRequestsPerSecond {
		tr.setRate(d.PerSecond)
	}
	s.Client = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	s.Identify.Intents = Intents
	if d.Shards > 1 {
		if d.Shard < 0 || d.Shard >= d.Shards {
			return nil, fmt.Errorf("discord: shard %d is not one of 0 to %d", d.Shard, d.Shards-1)
		}
		s.ShardID, s.ShardCount = d.Shard, d.Shards
	}
	// The adapter reconnects itself, so a fatal close code can stop the bot
	// instead of discordgo reopening forever.
	s.ShouldReconnectOnError = false
	// discordgo's state mutates event structs after handlers start; the
	// adapter keeps the little it needs itself.
	s.StateEnabled = false
	// discordgo logs through the standard logger, with event payloads at
	// debug level and the token in debug mode: keep it silent and log here.
	s.LogLevel = -1
	s.Debug = false

	a := &Adapter{
		s: s, rest: d.REST, core: d.Core, reg: d.Core.Catalog(), log: d.Logger, now: d.Now,
		guildID: d.GuildID, adminRole: d.AdminRole, transport: tr, shard: d.Shard, shards: d.Shards,
		reach: d.Reach, dmStore: d.DMs, limit: d.Limiter, dmOpen: newDMOpener(),
		base:       context.Background(),
		ready:      make(chan struct{}),
		disconnect: make(chan struct{}, 1),
		guildNames: map[string]string{},
		dms:        map[string]string{},
		dmHints:    map[string]bool{},
		roles:      map[string]roleCache{},
		sentParts:  map[int64]int{},
	}
	if a.rest == nil {
		a.rest = s
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.log = a.log.With("platform", chat.PlatformDiscord)
	if a.now == nil {
		a.now = time.Now
	}
	s.AddHandler(a.onReady)
	s.AddHandler(a.onResumed)
	s.AddHandler(a.onGuildCreate)
	s.AddHandler(a.onGuildUpdate)
	s.AddHandler(a.onGuildDelete)
	s.AddHandler(a.onDisconnect)
	// Events are delivered in order, one at a time, so that a server's
	// removal and return are recorded in the order they happened; the slow
	// ones (interactions, messages) are handled in goroutines of their own.
	s.SyncEvents = true
	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		a.spawn(func(ctx context.Context) { a.onInteraction(ctx, ic) })
	})
	s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) {
		a.spawn(func(ctx context.Context) { a.onMessage(ctx, m) })
	})
	return a, nil
}

// handleTimeout bounds the work for one event: an interaction token lasts
// 15 minutes, and nothing the core does should take near that.
const handleTimeout = 2 * time.Minute

func (a *Adapter) track(f func(ctx context.Context)) {
	a.mu.Lock()
	base := a.base
	a.handlers.Add(1)
	a.mu.Unlock()
	defer a.handlers.Done()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(base), handleTimeout)
	defer cancel()
	f(ctx)
}

// spawn runs f like track, in a goroutine of its own, counted before the
// event handler returns so a shutdown waits for it.
func (a *Adapter) spawn(f func(ctx context.Context)) {
	a.mu.Lock()
	base := a.base
	a.handlers.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.handlers.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(base), handleTimeout)
		defer cancel()
		f(ctx)
	}()
}

// GatewayClosedError is returned by Run when Discord closed the gateway with
// a code that reconnecting cannot fix (bad token, disallowed intents…).
type GatewayClosedError struct {
	Code   int
	Reason string
}

func (e *GatewayClosedError) Error() string {
	return fmt.Sprintf("discord closed the gateway with code %d: %s", e.Code, e.Reason)
}

// fatalCloseCodes are the close codes after which Discord must not be
// reconnected to, with what the self-hoster should do about each.
var fatalCloseCodes = map[int]string{
	4004: "authentication failed: the bot token is wrong or was reset; copy a fresh one from the Developer Portal's Bot page into SHAKEOUT_DISCORD_TOKEN",
	4010: "invalid shard",
	4011: "sharding required: the bot is in too many servers for one connection",
	4012: "invalid gateway API version",
	4013: "invalid intents",
	4014: "disallowed intents: the application asked for a privileged intent that is not enabled",
}

// fatalClose reports whether err is a gateway close with a fatal code.
func fatalClose(err error) (*GatewayClosedError, bool) {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return nil, false
	}
	why, ok := fatalCloseCodes[ce.Code]
	if !ok {
		return nil, false
	}
	return &GatewayClosedError{Code: ce.Code, Reason: why}, true
}

// Backoff between gateway reconnects: doubling from minBackoff, capped so a
// long outage costs at most one identify every maxBackoff.
const (
	minBackoff = time.Second
	maxBackoff = 2 * time.Minute
)

// Run connects to the gateway, registers the slash commands and handles
// events until ctx is done (then it returns nil after closing the
// connection and letting handlers in flight finish). Dropped connections
// are reopened with backoff; a fatal close code (4004, 4010–4014) is logged
// once and returned as a *GatewayClosedError, without reconnecting.
func (a *Adapter) Run(ctx context.Context) error {
	a.mu.Lock()
	a.base = ctx
	a.mu.Unlock()
	if err := a.connect(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	select {
	case <-a.ready:
	case <-ctx.Done():
		a.shutdown()
		return nil
	case <-time.After(10 * time.Second):
		a.shutdown()
		return errors.New("discord: connected but no READY within 10 s")
	}
	if a.shard == 0 {
		a.registerCommands(ctx)
	}
	for {
		select {
		case <-ctx.Done():
			a.shutdown()
			return nil
		case <-a.disconnect:
			if ctx.Err() != nil {
				continue
			}
			a.log.Warn("discord gateway disconnected; reconnecting")
			if err := a.connect(ctx); err != nil {
				a.shutdown()
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			a.log.Info("discord gateway reconnected")
		}
	}
}

// connect opens the gateway, retrying with backoff until it works, ctx is
// done, or Discord answers with a fatal close code.
func (a *Adapter) connect(ctx context.Context) error {
	wait := minBackoff
	for {
		if err := a.waitSessionStart(ctx, !a.started); err != nil {
			return err
		}
		a.started = true
		err := a.s.Open()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			return nil
		}
		if fatal, ok := fatalClose(err); ok {
			a.log.Error("discord refused the gateway connection; stopping", "close_code", fatal.Code, "error", fatal.Reason)
			return fatal
		}
		a.log.Warn("discord gateway connect failed; retrying", "error", err, "retry_in_ms", wait.Milliseconds())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(wait*2, maxBackoff)
	}
}

// shutdownWait bounds how long Run waits for handlers still answering.
const shutdownWait = 15 * time.Second

func (a *Adapter) shutdown() {
	if err := a.s.Close(); err != nil {
		a.log.Warn("discord gateway close", "error", err)
	}
	done := make(chan struct{})
	go func() {
		a.handlers.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(shutdownWait):
		a.log.Warn("discord handlers still running at shutdown")
	}
}

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	a.mu.Lock()
	if r.User != nil {
		a.botID = r.User.ID
	}
	if r.Application != nil && r.Application.ID != "" {
		a.appID = r.Application.ID
	} else {
		a.appID = a.botID
	}
	a.mu.Unlock()
	a.readyOnce.Do(func() { close(a.ready) })
	a.setConnected(true)
	a.log.Info("discord gateway ready", "guilds", len(r.Guilds))
}

func (a *Adapter) onResumed(*discordgo.Session, *discordgo.Resumed) { a.setConnected(true) }

func (a *Adapter) setConnected(up bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.connected = up
}

// Health reports whether the gateway is connected; it backs the "discord"
// probe of /healthz.
func (a *Adapter) Health(context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.connected {
		return errors.New("the gateway is not connected")
	}
	return nil
}

func (a *Adapter) onGuildCreate(_ *discordgo.Session, g *discordgo.GuildCreate) {
	if g.Guild == nil {
		return
	}
	if g.Name != "" {
		a.mu.Lock()
		a.guildNames[g.ID] = g.Name
		a.mu.Unlock()
	}
	// Sent on every connect for each server, and when the bot is added
	// (back) to one: either way the club can be posted to.
	if !g.Unavailable {
		a.track(func(ctx context.Context) { a.guildReach(ctx, g.ID, true) })
	}
}

// onGuildDelete follows the bot's removal from a server. A delete marked
// unavailable is an outage on Discord's side, not a removal.
func (a *Adapter) onGuildDelete(_ *discordgo.Session, g *discordgo.GuildDelete) {
	if g.Guild == nil || g.Unavailable {
		return
	}
	a.track(func(ctx context.Context) { a.guildReach(ctx, g.ID, false) })
}

func (a *Adapter) guildReach(ctx context.Context, guildID string, in bool) {
	if a.reach == nil || guildID == "" {
		return
	}
	if err := a.reach.ClubReach(ctx, chat.PlatformDiscord, guildID, in); err != nil {
		a.log.Error("record server reachability", "chat_id", guildID, "error", err)
	}
}

func (a *Adapter) onGuildUpdate(_ *discordgo.Session, g *discordgo.GuildUpdate) {
	if g.Guild == nil || g.Name == "" {
		return
	}
	a.mu.Lock()
	a.guildNames[g.ID] = g.Name
	a.mu.Unlock()
}

func (a *Adapter) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	a.setConnected(false)
	select {
	case a.disconnect <- struct{}{}:
	default:
	}
}

func (a *Adapter) ids() (botID, appID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botID, a.appID
}

func (a *Adapter) guildName(id string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.guildNames[id]
}

// Sender returns the adapter as the outbox's sender for Discord; the
// Telegram adapter has the same method, so both are wired alike.
func (a *Adapter) Sender() outbox.Sender { return a }
