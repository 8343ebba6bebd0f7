package telegram

import (
	"context"
	"sync"
	"time"

	"github.com/shakeoutbot/shakeout/internal/pace"
)

// Pacing limits, as Telegram counts them: by arrival, in sliding windows
// (internal/pace counts a message until a window's length after its answer
// came back, so a window at Telegram's end never holds more than these).
const (
	// DefaultPerSecond is Telegram's limit on messages a second in total
	// for a bot without paid broadcasts; Deps.PerSecond overrides it.
	DefaultPerSecond = 30
	// perChat: one message a second to one chat.
	perChat = 1
	// perGroup: 20 messages a minute to one group.
	perGroup = 20
)

// idleAfter is how long an unused chat's windows are kept: by then they
// count nothing and a fresh pair is the same.
const idleAfter = 2 * time.Minute

// pacer spaces sends so that every limit holds at Telegram's end. A send
// takes its place in the global, the chat's and (for groups) the group's
// window at one instant, under one lock, or in none of them.
type pacer struct {
	p         pace.Pacer
	mu        sync.Mutex // guards chats and lastSweep; taken inside p's lock
	global    *pace.Window
	chats     map[int64]*chatPace
	lastSweep time.Time
	// born is when the pacer started: what an earlier process sent just
	// before is still counted by Telegram, so the windows start as if
	// full at born (the global one) or holding one message (a chat's).
	born time.Time
}

type chatPace struct {
	chat  *pace.Window
	group *pace.Window // nil for private chats
	// holdUntil is set by a 429: nothing goes to the chat before it.
	holdUntil time.Time
	used      time.Time
}

// newPacer paces at perSecond messages a second in total (0: the default).
func newPacer(perSecond int) *pacer {
	if perSecond <= 0 {
		perSecond = DefaultPerSecond
	}
	now := time.Now()
	p := &pacer{
		global:    pace.NewWindow(perSecond, time.Second, true),
		chats:     map[int64]*chatPace{},
		lastSweep: now,
		born:      now,
	}
	p.global.Prefill(now, perSecond)
	return p
}

// entryLocked returns the chat's windows, creating them; Telegram's
// private chats have positive ids, groups and channels negative ones.
func (p *pacer) entryLocked(chatID int64, now time.Time) *chatPace {
	if now.Sub(p.lastSweep) >= time.Minute {
		for id, c := range p.chats {
			if now.Sub(c.used) >= idleAfter && !c.holdUntil.After(now) && c.chat.Idle(now) && (c.group == nil || c.group.Idle(now)) {
				delete(p.chats, id)
			}
		}
		p.lastSweep = now
	}
	c, ok := p.chats[chatID]
	if !ok {
		c = &chatPace{chat: pace.NewWindow(perChat, time.Second, false)}
		c.chat.Prefill(p.born, 1)
		if chatID < 0 {
			c.group = pace.NewWindow(perGroup, time.Minute, false)
			c.group.Prefill(p.born, 1)
		}
		p.chats[chatID] = c
	}
	c.used = now
	return c
}

// heldError reports that a chat is held back by a 429 for longer than the
// caller is willing to wait.
type heldError struct{ after time.Duration }

func (e *heldError) Error() string {
	return "rate limited by Telegram: retry after " + e.after.Round(time.Second).String()
}

// wait blocks until a message may go to chatID now and takes its place in
// the windows; the caller calls done once Telegram answered (or the send
// failed). When a 429 holds the chat for longer than maxHold, it returns a
// *heldError at once instead of blocking.
func (p *pacer) wait(ctx context.Context, chatID int64, maxHold time.Duration) (done func(), err error) {
	for {
		p.p.Lock()
		p.mu.Lock()
		now := time.Now()
		c := p.entryLocked(chatID, now)
		held := c.holdUntil.Sub(now)
		p.mu.Unlock()
		if held > maxHold {
			p.p.Unlock()
			return nil, &heldError{after: held}
		}
		ws := []*pace.Window{p.global, c.chat}
		if c.group != nil {
			ws = append(ws, c.group)
		}
		var t *pace.Ticket
		delay := held
		if delay <= 0 {
			t, delay = p.p.TryLocked(now, ws...)
		}
		p.p.Unlock()
		if t != nil {
			return func() { t.Done(time.Now()) }, nil
		}
		if !sleep(ctx, delay) {
			return nil, ctx.Err()
		}
	}
}

// hold keeps every send to chatID back for d, after a 429.
func (p *pacer) hold(chatID int64, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	c := p.entryLocked(chatID, now)
	if until := now.Add(d); until.After(c.holdUntil) {
		c.holdUntil = until
	}
}

// size is the number of chats with windows, for tests.
func (p *pacer) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.chats)
}
