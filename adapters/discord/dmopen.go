package discord

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Opening DM channels is watched by Discord: a burst of them gets a bot
// flagged (40003, "opening direct messages too fast"). The adapter opens
// them at a modest pace, remembers every channel (in the store too), and
// after a 40003 halves the pace down to one every minRate and holds off
// for a while.
const (
	dmOpenRate  = rate.Limit(2)
	dmOpenBurst = 5
	dmMinRate   = rate.Limit(1.0 / 30)
	dmHold      = time.Minute
)

// dmTooFast reports a 40003: the message is retried after the hold.
type dmTooFast struct{ after time.Duration }

func (e *dmTooFast) Error() string {
	return fmt.Sprintf("discord: opening DMs too fast (40003); retry after %s", e.after)
}

type dmOpener struct {
	mu    sync.Mutex
	lim   *rate.Limiter
	until time.Time
}

func newDMOpener() *dmOpener {
	return &dmOpener{lim: rate.NewLimiter(dmOpenRate, dmOpenBurst)}
}

// wait blocks until another DM may be opened; during a hold it fails at
// once with *dmTooFast.
func (d *dmOpener) wait(ctx context.Context) error {
	d.mu.Lock()
	held := time.Until(d.until)
	lim := d.lim
	d.mu.Unlock()
	if held > 0 {
		return &dmTooFast{after: held}
	}
	return lim.Wait(ctx)
}

// slowDown halves the pace after a 40003 and starts a hold; it returns
// how long the hold lasts.
func (d *dmOpener) slowDown() time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	r := max(d.lim.Limit()/2, dmMinRate)
	d.lim.SetLimit(r)
	d.lim.SetBurst(1)
	d.until = time.Now().Add(dmHold)
	return dmHold
}
