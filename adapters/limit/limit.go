package limit

import (
	"fmt"
	"sync"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
	"golang.org/x/time/rate"
)

// Config is how much one member may ask of the bot: Burst messages at
// once, then PerMinute on average; beyond that one polite notice and
// silence for Cooldown.
type Config struct {
	Burst     int
	PerMinute float64
	Cooldown  time.Duration
}

// Defaults are the per-member inbound limits when none are configured.
// A member who types quickly (a check-in, a few questions) never meets
// them; one member alone can take at most about half of a Telegram group's
// 20 messages a minute.
var Defaults = Config{Burst: 8, PerMinute: 10, Cooldown: time.Minute}

// Verdict is what to do with one incoming message.
type Verdict int

// The verdicts of Members.Check.
const (
	// Admit: handle the message.
	Admit Verdict = iota
	// Notice: drop the message and send the member SlowDownText, once.
	Notice
	// Drop: drop the message silently (cool-down).
	Drop
)

// Members applies Config per member, for adapters to call before
// handing a message to the core. It is safe for concurrent use.
type Members struct {
	cfg Config
	now func() time.Time

	mu        sync.Mutex
	members   map[string]*memberLimit
	lastSweep time.Time
}

type memberLimit struct {
	lim        *rate.Limiter
	quietUntil time.Time
	used       time.Time
}

// New returns a limiter; zero fields of cfg take the defaults
// and a nil now means time.Now.
func New(cfg Config, now func() time.Time) *Members {
	if cfg.Burst <= 0 {
		cfg.Burst = Defaults.Burst
	}
	if cfg.PerMinute <= 0 {
		cfg.PerMinute = Defaults.PerMinute
	}
	if cfg.Cooldown <= 0 {
		cfg.Cooldown = Defaults.Cooldown
	}
	if now == nil {
		now = time.Now
	}
	return &Members{cfg: cfg, now: now, members: map[string]*memberLimit{}}
}

// Config returns the limits in force.
func (l *Members) Config() Config { return l.cfg }

// Check takes one message from the member and says what to do with it.
func (l *Members) Check(p chat.Platform, userID string) Verdict {
	if l == nil {
		return Admit
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	idle := time.Duration(float64(l.cfg.Burst)/l.cfg.PerMinute*float64(time.Minute)) + l.cfg.Cooldown
	if now.Sub(l.lastSweep) > time.Minute {
		for k, m := range l.members {
			if now.Sub(m.used) > idle {
				delete(l.members, k)
			}
		}
		l.lastSweep = now
	}
	key := string(p) + "\x00" + userID
	m, ok := l.members[key]
	if !ok {
		m = &memberLimit{lim: rate.NewLimiter(rate.Limit(l.cfg.PerMinute/60), l.cfg.Burst)}
		l.members[key] = m
	}
	m.used = now
	if now.Before(m.quietUntil) {
		return Drop
	}
	if m.lim.AllowN(now, 1) {
		return Admit
	}
	m.quietUntil = now.Add(l.cfg.Cooldown)
	return Notice
}

// SlowDownText is the one notice a member gets on reaching the limit.
func (l *Members) SlowDownText() string {
	return fmt.Sprintf("You're sending me messages faster than I can answer them, so I'll skip what you send "+
		"for the next %s. After that, send your last question or command again and I'll answer it.", roundWords(l.cfg.Cooldown))
}

func roundWords(d time.Duration) string {
	switch {
	case d%time.Minute == 0 && d == time.Minute:
		return "minute"
	case d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	}
	return fmt.Sprintf("%d seconds", int(d.Round(time.Second)/time.Second))
}
