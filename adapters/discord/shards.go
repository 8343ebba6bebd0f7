package discord

import (
	"context"
	"time"

	"github.com/shakeoutbot/shakeout/internal/pace"
)

// identifyInterval is how far apart Discord lets the shards of one
// max_concurrency bucket identify.
const identifyInterval = 5 * time.Second

// maxStartWait bounds a wait for the session-start limit to reset, so a
// stop is never held up for a day; the connect is then tried again.
const maxStartWait = 10 * time.Minute

// waitSessionStart respects the gateway's session-start limit before a
// connect: with no starts left it waits until the limit resets, and on the
// first start of a sharded bot a shard waits its bucket's turn
// (shard_id / max_concurrency, 5 s apart), so shards started together do
// not identify at once. A failed look-up does not hold the connect up: the
// gateway itself refuses a start over the limit.
func (a *Adapter) waitSessionStart(ctx context.Context, first bool) error {
	gb, err := a.s.GatewayBot()
	if err != nil {
		a.log.Warn("discord session-start limit unknown; connecting anyway", "error", err)
		return nil
	}
	l := gb.SessionStartLimit
	var wait time.Duration
	if l.Total > 0 && l.Remaining == 0 {
		wait = min(time.Duration(l.ResetAfter)*time.Millisecond, maxStartWait)
		a.log.Warn("discord session starts used up; waiting for the limit to reset", "wait_ms", wait.Milliseconds(), "total", l.Total)
	}
	if first && a.shards > 1 {
		wait += time.Duration(a.shard/max(1, l.MaxConcurrency)) * identifyInterval
	}
	if wait <= 0 {
		return nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(wait):
		return nil
	}
}

// setRate paces the transport at n requests a second instead of the whole
// global limit: the share of one process of several (shards, or instances
// sending a shared outbox). Before the transport is used.
func (t *transport) setRate(n int) {
	t.global = pace.NewWindow(n, time.Second, true)
	t.global.Prefill(time.Now(), n)
}
