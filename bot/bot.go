package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// MaxTextLen is the longest message the bot reads, in characters.
const MaxTextLen = 4000

// Deps are what a Bot needs.
type Deps struct {
	Store  Store
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// DefaultTZ is the timezone given to new clubs; nil means UTC.
	DefaultTZ *time.Location
	// CatchUp is how late a scheduled slot may be and still be sent
	// (DefaultCatchUp); later ones are recorded as missed.
	CatchUp time.Duration
	// Intervals reads linked members' intervals.icu data; nil turns the
	// link off. Sealer seals their API keys; nil (no SHAKEOUT_SECRET_KEY)
	// turns /connect off.
	Intervals IntervalsAPI
	Sealer    Sealer
	// SyncBound is the longest the morning messages wait for the
	// intervals.icu syncs before them (DefaultSyncBound).
	SyncBound time.Duration
	// StoreUnavailable, when set, reports whether a store error means the
	// database cannot be reached or written now (locked, read-only, gone);
	// the bot then answers from memory (handle_offline.go). Without it,
	// only a failing Ping says so.
	StoreUnavailable func(error) bool
}

// Bot is the core: it turns a Message into replies.
type Bot struct {
	store     Store
	log       *slog.Logger
	now       func() time.Time
	defaultTZ *time.Location
	registry  *Registry
	locks     [memberLocks]sync.Mutex
	flags     dayFlags // red flags kept for the day without consent; never stored
	catchUp   time.Duration
	ledger    slotLedger
	icu       icuSync
	answers   answerCache  // /ask's answers by question (ask_cache.go)
	offline   offlineState // while the database is down (handle_offline.go)
	downErr   func(error) bool
}

// New builds a Bot with every command registered.
func New(d Deps) (*Bot, error) {
	if d.Store == nil {
		return nil, errors.New("bot: a store is required")
	}
	b := &Bot{store: d.Store, log: d.Logger, now: d.Now, defaultTZ: d.DefaultTZ, catchUp: d.CatchUp, downErr: d.StoreUnavailable}
	b.icu = icuSync{api: d.Intervals, sealer: d.Sealer, bound: d.SyncBound}
	if b.catchUp <= 0 {
		b.catchUp = DefaultCatchUp
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.defaultTZ == nil {
		b.defaultTZ = time.UTC
	}
	var cmds []Command
	for _, c := range commands {
		cmds = append(cmds, c(b))
	}
	r, err := NewRegistry(cmds...)
	if err != nil {
		return nil, err
	}
	b.registry = r
	return b, nil
}

// Registry returns the command registry, for adapters to render menus.
func (b *Bot) Registry() *Registry { return b.registry }

// Catalog is the commands as adapters see them.
func (b *Bot) Catalog() *chat.Catalog { return b.registry.Catalog() }

// Now returns the bot's clock reading.
func (b *Bot) Now() time.Time { return b.now() }

// Request is one message being handled, with who and where it came from.
type Request struct {
	Msg    chat.Message
	Member Member
	Club   Club
	// Now is the instant the message is handled.
	Now time.Time
	// Args is the command's argument text.
	Args string
	bot  *Bot
	// offline: the database is down; the command runs without the
	// member's record (handle_offline.go).
	offline bool
}

// Location is the member's timezone, or the club's, or the bot's default.
func (r *Request) Location() *time.Location { return r.bot.zoneOf(r.Member.TZ, r.Club.TZ) }

// Today is the member's local calendar date.
func (r *Request) Today() coach.Date { return coach.DateOf(r.Now.In(r.Location())) }

// IsClubAdmin reports whether the sender may use club-admin commands here:
// an administrator of the group or server, or on the club's coach list.
// It is checked afresh on every call.
func (r *Request) IsClubAdmin(ctx context.Context) (bool, error) {
	if r.offline {
		return false, nil
	}
	if r.Msg.PlatformAdmin && !r.Club.Direct() {
		return true, nil
	}
	return r.bot.store.IsListedClubAdmin(ctx, r.Club.ID, r.Member.ID)
}

// Handle answers one message. Errors become reply text here and nowhere
// else; internal errors are logged once and shown as a short apology.
func (b *Bot) Handle(ctx context.Context, m chat.Message) []chat.Reply {
	start := b.now()
	m = prefetchAttachment(ctx, m, start)
	// One member's messages are handled one at a time, in arrival order;
	// a redelivery of the same update waits for the first to commit.
	mu := &b.locks[lockIndex(m.Platform, m.UserID)]
	mu.Lock()
	defer mu.Unlock()
	ctx = b.precheck(ctx, m)
	if m.UpdateID != "" {
		if b.seenOffline(m) {
			b.log.Debug("redelivered update dropped", "platform", m.Platform, "chat_id", m.ChatID)
			return nil
		}
		down, probe := b.stillDown()
		if down {
			return b.answerFromMemory(ctx, m)
		}
		if probe {
			defer b.endProbe()
		}
		if us, ok := b.store.(UpdateUnits); ok {
			return b.handleUnit(ctx, us, m, start)
		}
		first, err := b.store.FirstDelivery(ctx, m.Platform, m.UpdateID)
		if err != nil {
			if isCanceled(ctx, err) {
				b.log.Error("inbox", "platform", m.Platform, "error", err)
				return []chat.Reply{{Text: apology}}
			}
			return b.answerOffline(ctx, m, err)
		}
		b.backOnline(ctx)
		if !first {
			b.log.Debug("redelivered update dropped", "platform", m.Platform, "chat_id", m.ChatID)
			return nil
		}
	}
	replies, _, down := b.answer(ctx, m, start)
	if down != nil {
		return b.answerOffline(ctx, m, down)
	}
	return replies
}

// handleUnit answers an update inside its unit of work: the inbox record
// and the command's writes commit together. A command that failed inside
// (an internal error, a panic) keeps nothing, inbox record included, so a
// redelivery runs it again; a member's mistake is committed as handled.
func (b *Bot) handleUnit(ctx context.Context, us UpdateUnits, m chat.Message, start time.Time) []chat.Reply {
	for try := 1; ; try++ {
		replies, again := b.handleUnitOnce(ctx, us, m, start)
		if !again {
			return replies
		}
		if try == 3 {
			b.log.Error("commit", "platform", m.Platform, "chat_id", m.ChatID, "error", ErrTryAgain)
			return []chat.Reply{{Text: apology}}
		}
	}
}

// handleUnitOnce is one attempt; again asks for another (ErrTryAgain).
func (b *Bot) handleUnitOnce(ctx context.Context, us UpdateUnits, m chat.Message, start time.Time) (replies []chat.Reply, again bool) {
	uctx, u, first, err := us.BeginUpdate(ctx, m.Platform, m.UpdateID)
	if err != nil {
		if isCanceled(ctx, err) {
			b.log.Error("inbox", "platform", m.Platform, "error", err)
			return []chat.Reply{{Text: apology}}, false
		}
		return b.answerOffline(ctx, m, err), false
	}
	if !first {
		b.log.Debug("redelivered update dropped", "platform", m.Platform, "chat_id", m.ChatID)
		return nil, false
	}
	replies, failed, down := b.answer(uctx, m, start)
	first, err = u.Finish(context.WithoutCancel(ctx), !failed)
	switch {
	case errors.Is(err, ErrTryAgain):
		return nil, true
	case err != nil:
		b.log.Error("commit", "platform", m.Platform, "chat_id", m.ChatID, "error", err)
		if down := b.unavailable(ctx, err); down != nil {
			return b.answerOffline(ctx, m, down), false
		}
		return []chat.Reply{{Text: apology}}, false
	case !first:
		b.log.Debug("redelivered update dropped", "platform", m.Platform, "chat_id", m.ChatID)
		return nil, false
	case down != nil:
		return b.answerOffline(ctx, m, down), false
	case failed:
		return replies, false
	}
	b.backOnline(ctx)
	return replies, false
}

// answer runs the message's command; failed reports an internal error,
// down that it came from a database that cannot be used now (the caller
// then answers with answerOffline, outside the update's unit).
func (b *Bot) answer(ctx context.Context, m chat.Message, start time.Time) (replies []chat.Reply, failed bool, down error) {
	m = normalizeMessage(m)
	name := m.Command
	if m.Button != "" {
		name = "button"
	} else if name == "" {
		name = "ask"
	}
	replies, err := b.safeHandle(ctx, m)
	if err != nil {
		if CodeOf(err) == CodeInternal {
			failed = true
		}
		if failed && !errors.Is(err, ErrTryAgain) {
			// The database may be the trouble: locked, read-only or gone.
			if down = b.unavailable(ctx, err); down != nil {
				return nil, true, down
			}
			b.log.Error("command failed", "platform", m.Platform, "chat_id", m.ChatID, "user_id", m.UserID,
				"command", name, "error", err)
		}
		// An error about a personal command stays as private as its answer
		// would have been: it may echo what the member typed.
		replies = []chat.Reply{{Text: replyText(err), Private: m.Private || b.personal(m), Alert: m.Button != "" && !m.Private}}
	}
	b.log.Debug("handled", "platform", m.Platform, "chat_id", m.ChatID, "user_id", m.UserID,
		"command", name, "duration_ms", b.now().Sub(start).Milliseconds())
	return replies, failed, nil
}

// personal reports whether the message is for a command whose replies are
// private.
func (b *Bot) personal(m chat.Message) bool {
	if m.Button != "" {
		c, _, ok := b.registry.ForButton(m.Button)
		return ok && c.Private
	}
	c, ok := b.registry.Lookup(m.Command)
	return ok && c.Private
}

// safeHandle turns a panic in a command into an internal error, so one bad
// message cannot take the bot down.
func (b *Bot) safeHandle(ctx context.Context, m chat.Message) (replies []chat.Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			replies, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return b.handle(ctx, m)
}

// precheckKey carries a command's Precheck result to its handler.
type precheckKey struct{}

// precheck runs the command's Precheck, outside any unit of work, and
// puts its result in the context.
func (b *Bot) precheck(ctx context.Context, m chat.Message) context.Context {
	if m.Button != "" || m.Command == "" || utf8.RuneCountInString(m.Args) > MaxTextLen {
		return ctx
	}
	n := normalizeMessage(m)
	c, ok := b.registry.Lookup(n.Command)
	if !ok || c.Precheck == nil {
		return ctx
	}
	return context.WithValue(ctx, precheckKey{}, c.Precheck(ctx, n))
}

// precheckOf is the Precheck result for the message being handled, nil
// without one.
func precheckOf(ctx context.Context) any { return ctx.Value(precheckKey{}) }

// memberLocks is how many locks keep one member's messages in order. Two
// members sharing a lock wait for each other: of four messages handled at
// once, one shares a lock with another about one time in 340 (one in 22
// with 64 locks, when waiting for them took 3 % of the load tool's workers'
// time).
const memberLocks = 1024

func lockIndex(p chat.Platform, user string) int {
	h := fnv.New32a()
	h.Write([]byte(p))
	h.Write([]byte{0})
	h.Write([]byte(user))
	return int(h.Sum32() % memberLocks)
}

func (b *Bot) handle(ctx context.Context, m chat.Message) ([]chat.Reply, error) {
	if utf8.RuneCountInString(m.Args) > MaxTextLen {
		return nil, Errorf(CodeTooLong, "That message is too long for me (%d characters); please keep it under %d. For a question, one or two sentences work best.",
			utf8.RuneCountInString(m.Args), MaxTextLen)
	}
	if m.UserID == "" {
		return nil, fmt.Errorf("message without a user id from %s", m.Platform)
	}
	r, err := b.request(ctx, m)
	if err != nil {
		return nil, err
	}
	var cmd Command
	switch {
	case m.Button != "":
		c, arg, ok := b.registry.ForButton(m.Button)
		if !ok {
			return nil, Errorf(CodeNotFound, "That button has expired. Send the command again to get fresh buttons.")
		}
		if c.ClubAdmin {
			if err := r.requireClubAdmin(ctx); err != nil {
				return nil, err
			}
		}
		replies, err := c.Press(ctx, r, arg)
		return markPrivate(replies, c.Private), err
	case m.Command == "" && m.Attachment != nil:
		cmd, _ = b.registry.Lookup("import")
	case m.Command == "":
		cmd, _ = b.registry.Lookup("ask")
		r.Args = strings.TrimSpace(m.Args)
	default:
		c, ok := b.registry.Lookup(m.Command)
		if !ok {
			hint := "Send /help to see what I can do."
			if s := b.registry.Suggest(m.Command); len(s) > 0 {
				hint = "Did you mean /" + strings.Join(s, " or /") + "? " + hint
			}
			return nil, Errorf(CodeNotFound, "I don't know the command /%s. %s", m.Command, hint)
		}
		cmd = c
		r.Args = strings.TrimSpace(m.Args)
	}
	if cmd.ClubAdmin {
		if err := r.requireClubAdmin(ctx); err != nil {
			return nil, err
		}
	}
	replies, err := cmd.Handler.Handle(ctx, r)
	return markPrivate(replies, cmd.Private), err
}

func (r *Request) requireClubAdmin(ctx context.Context) error {
	if r.Club.Direct() {
		return Errorf(CodeForbidden, "coach commands work in your club's group or server, not in a direct message.")
	}
	ok, err := r.IsClubAdmin(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(CodeForbidden, "only the club's coaches can do that. Group admins are coaches, and a coach can add you with /coach add @you.")
	}
	r.noteClubAdmin(ctx)
	return nil
}

func markPrivate(rs []chat.Reply, private bool) []chat.Reply {
	if private {
		for i := range rs {
			rs[i].Private = true
		}
	}
	return rs
}

// request resolves the club and member a message belongs to.
func (b *Bot) request(ctx context.Context, m chat.Message) (*Request, error) {
	now := b.now()
	var club Club
	var err error
	dmChat := ""
	if m.Private {
		dmChat = m.ChatID
	}
	if m.ClubChatID != "" {
		if ga, ok := b.store.(GroupArrivals); ok {
			club, member, err := ga.ArriveInGroup(ctx, m.Platform, m.ClubChatID, m.ClubName, b.defaultTZ.String(),
				m.UserID, m.UserName, dmChat, strings.ToLower(m.UserHandle))
			if err != nil {
				return nil, err
			}
			return &Request{Msg: m, Member: member, Club: club, Now: now, bot: b}, nil
		}
		club, err = b.store.EnsureClub(ctx, m.Platform, m.ClubChatID, m.ClubName, b.defaultTZ.String())
		if err != nil {
			return nil, err
		}
		member, err := b.store.EnsureMember(ctx, m.Platform, m.UserID, m.UserName, club.ID, dmChat)
		if err != nil {
			return nil, err
		}
		if err := b.store.SeenInClub(ctx, club.ID, member.ID, strings.ToLower(m.UserHandle)); err != nil {
			return nil, err
		}
		return &Request{Msg: m, Member: member, Club: club, Now: now, bot: b}, nil
	}
	member, err := b.store.EnsureMember(ctx, m.Platform, m.UserID, m.UserName, 0, dmChat)
	if err != nil {
		return nil, err
	}
	if member.ClubID != 0 {
		club, err = b.store.ClubByID(ctx, member.ClubID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	if club.ID == 0 {
		club, err = b.store.EnsureClub(ctx, m.Platform, "", "", b.defaultTZ.String())
		if err != nil {
			return nil, err
		}
	}
	return &Request{Msg: m, Member: member, Club: club, Now: now, bot: b}, nil
}
