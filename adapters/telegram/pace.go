package telegram

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacing limits. Each is a token bucket whose worst case stays under
// Telegram's published limit with room for network jitter: at most
// burst + rate × window messages can fall in any window.
var (
	// globalRate: Telegram allows about 30 messages a second in total;
	// 1 + 25 × 1 s = 26 in any second.
	globalRate, globalBurst = rate.Limit(25), 1
	// chatRate: about one message a second per chat; 1 + 1 = 2 in any
	// second, the short burst Telegram tolerates.
	chatRate, chatBurst = rate.Limit(1), 1
	// groupRate: 20 messages a minute per group; 5 + 14 = 19 in any
	// minute, and the first five of a quiet group go out at once.
	groupRate, groupBurst = rate.Every(time.Minute / 14), 5
)

// idleAfter is how long an unused chat's limiters are kept: by then they
// have refilled completely and a fresh pair is the same.
const idleAfter = 2 * time.Minute

// pacer spaces sends so that every limit holds at the moment of sending.
// A send takes a token from the global, the chat's and (for groups) the
// group's bucket at one instant, under one lock, or from none of them: the
// buckets then agree on when each message went out, which separate Wait
// calls in sequence would not.
type pacer struct {
	mu        sync.Mutex
	global    *rate.Limiter
	chats     map[int64]*chatPace
	lastSweep time.Time
}

type chatPace struct {
	chat  *rate.Limiter
	group *rate.Limiter // nil for private chats
	// holdUntil is set by a 429: nothing goes to the chat before it.
	holdUntil time.Time
	used      time.Time
}

func newPacer() *pacer {
	return &pacer{
		global:    rate.NewLimiter(globalRate, globalBurst),
		chats:     map[int64]*chatPace{},
		lastSweep: time.Now(),
	}
}

// entryLocked returns the chat's limiters, creating them; Telegram's
// private chats have positive ids, groups and channels negative ones.
func (p *pacer) entryLocked(chatID int64, now time.Time) *chatPace {
	if now.Sub(p.lastSweep) >= time.Minute {
		for id, c := range p.chats {
			if now.Sub(c.used) >= idleAfter && !c.holdUntil.After(now) {
				delete(p.chats, id)
			}
		}
		p.lastSweep = now
	}
	c, ok := p.chats[chatID]
	if !ok {
		c = &chatPace{chat: rate.NewLimiter(chatRate, chatBurst)}
		if chatID < 0 {
			c.group = rate.NewLimiter(groupRate, groupBurst)
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

// wait blocks until a message may go to chatID now and takes its tokens.
// When a 429 holds the chat for longer than maxHold, it returns a
// *heldError at once instead of blocking.
func (p *pacer) wait(ctx context.Context, chatID int64, maxHold time.Duration) error {
	for {
		p.mu.Lock()
		now := time.Now()
		c := p.entryLocked(chatID, now)
		if held := c.holdUntil.Sub(now); held > maxHold {
			p.mu.Unlock()
			return &heldError{after: held}
		}
		lims := []*rate.Limiter{p.global, c.chat}
		if c.group != nil {
			lims = append(lims, c.group)
		}
		delay := c.holdUntil.Sub(now)
		for _, l := range lims {
			if tokens := l.TokensAt(now); tokens < 1 {
				d := time.Duration((1 - tokens) / float64(l.Limit()) * float64(time.Second))
				// A hair more than the exact refill time, so that float
				// rounding does not leave the bucket a sliver short on
				// waking; a whole millisecond here cost 2.5% of the rate.
				delay = max(delay, d+50*time.Microsecond)
			}
		}
		if delay <= 0 {
			for _, l := range lims {
				l.AllowN(now, 1)
			}
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		if !sleep(ctx, delay) {
			return ctx.Err()
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

// size is the number of chats with limiters, for tests.
func (p *pacer) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.chats)
}
