package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
)

// Deps are what a Dispatcher needs. Zero durations and counts
// take the defaults named beside them.
type Deps struct {
	Outbox Store
	// Senders deliver per platform; rows for a platform without a sender
	// wait in the outbox.
	Senders map[chat.Platform]Sender
	Logger  *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Batch is how many rows one claim takes (20).
	Batch int
	// MaxAttempts is how many transient failures a row gets before it is
	// given up as failed (8). Waiting out a rate limit is not a failure.
	MaxAttempts int
	// Backoff is the wait after the first transient failure (30 s); it
	// doubles with each further failure up to MaxBackoff (30 min).
	Backoff    time.Duration
	MaxBackoff time.Duration
	// MaxRetryAfter caps a platform's retry-after (1 h): Telegram has asked
	// for waits of many hours, and a morning message is better late than
	// parked for a day; asking again early only costs another 429.
	MaxRetryAfter time.Duration
	// SendTimeout bounds one Send (2 min); Lease is how long a claim holds
	// (10 min) and must be longer, so a live send never loses its row.
	SendTimeout time.Duration
	Lease       time.Duration
	// Poll is how often Run looks for due rows without a Notify (5 s).
	Poll time.Duration
	// OnRefused is told about a message to a group or channel that the
	// platform refused for good (a *RefusedError, or unreachable), after
	// its outcome is recorded; nil means nobody is told.
	OnRefused func(ctx context.Context, o Outgoing, err error)
}

// Dispatcher delivers outbox rows through the Sender of their platform.
// Each row is claimed by one dispatcher under a fresh token, so two
// dispatchers, or two drains at once, never send a row twice.
type Dispatcher struct {
	d         Deps
	platforms []chat.Platform
	log       *slog.Logger
	now       func() time.Time

	wake chan struct{}
	stop chan struct{}
	// mu orders Run's joining of running before Stop's wait: a Run that
	// starts after Stop returns at once instead of racing the wait.
	mu      sync.Mutex
	stopped bool
	running sync.WaitGroup
}

// NewDispatcher returns a dispatcher over the outbox and senders.
func NewDispatcher(d Deps) (*Dispatcher, error) {
	if d.Outbox == nil {
		return nil, errors.New("dispatcher: an outbox is required")
	}
	if len(d.Senders) == 0 {
		return nil, errors.New("dispatcher: at least one sender is required")
	}
	def := func(v *time.Duration, x time.Duration) {
		if *v <= 0 {
			*v = x
		}
	}
	def(&d.Backoff, 30*time.Second)
	def(&d.MaxBackoff, 30*time.Minute)
	def(&d.MaxRetryAfter, time.Hour)
	def(&d.SendTimeout, 2*time.Minute)
	def(&d.Lease, 10*time.Minute)
	def(&d.Poll, 5*time.Second)
	if d.Lease <= d.SendTimeout {
		return nil, errors.New("dispatcher: the lease must be longer than the send timeout")
	}
	if d.Batch <= 0 {
		d.Batch = 20
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 8
	}
	x := &Dispatcher{d: d, log: d.Logger, now: d.Now, wake: make(chan struct{}, 1), stop: make(chan struct{})}
	if x.log == nil {
		x.log = slog.New(slog.DiscardHandler)
	}
	if x.now == nil {
		x.now = time.Now
	}
	for p, s := range d.Senders {
		if s == nil {
			return nil, fmt.Errorf("dispatcher: nil sender for %s", p)
		}
		x.platforms = append(x.platforms, p)
	}
	sort.Slice(x.platforms, func(i, j int) bool { return x.platforms[i] < x.platforms[j] })
	return x, nil
}

// Recover puts rows a crashed process left in sending back in the queue. Call
// it once at start-up, before Run or Drain: a crash after the platform took
// a message but before it was marked sent repeats at most that message, and
// adapters pass the row id as a nonce where the platform can drop repeats.
func (x *Dispatcher) Recover(ctx context.Context) (int, error) {
	n, err := x.d.Outbox.Requeue(ctx)
	if err != nil {
		return 0, fmt.Errorf("outbox requeue: %w", err)
	}
	if n > 0 {
		x.log.Info("outbox rows requeued after a restart", "count", n)
	}
	return n, nil
}

// NextDue returns when the earliest row this dispatcher would send falls
// due; false when the outbox holds nothing for its platforms.
func (x *Dispatcher) NextDue(ctx context.Context) (time.Time, bool, error) {
	return x.d.Outbox.NextDue(ctx, x.platforms)
}

// Notify wakes Run to look for due rows now.
func (x *Dispatcher) Notify() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Stop makes the dispatcher claim nothing new, lets the sends in flight
// finish and record their outcome, and waits for Run to return.
func (x *Dispatcher) Stop() {
	x.mu.Lock()
	if !x.stopped {
		x.stopped = true
		close(x.stop)
	}
	x.mu.Unlock()
	x.running.Wait()
}

func (x *Dispatcher) stopping(ctx context.Context) bool {
	select {
	case <-x.stop:
		return true
	default:
		return ctx.Err() != nil
	}
}

// Run delivers due rows until ctx is done or Stop is called, waking on
// Notify and every Poll.
func (x *Dispatcher) Run(ctx context.Context) error {
	x.mu.Lock()
	if x.stopped {
		x.mu.Unlock()
		return nil
	}
	x.running.Add(1)
	x.mu.Unlock()
	defer x.running.Done()
	t := time.NewTicker(x.d.Poll)
	defer t.Stop()
	for {
		if _, err := x.Drain(ctx); err != nil && !x.stopping(ctx) {
			x.log.Error("outbox drain", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-x.stop:
			return nil
		case <-t.C:
		case <-x.wake:
		}
	}
}

// Drain delivers every row due now and returns how many were sent. Each
// platform drains in its own goroutine, so one platform's rate limits never
// hold up another's messages. It stops claiming as soon as ctx is done or
// Stop was called; the send in flight finishes and unsent claims are
// released.
func (x *Dispatcher) Drain(ctx context.Context) (int, error) {
	sent := make([]int, len(x.platforms))
	errs := make([]error, len(x.platforms))
	var wg sync.WaitGroup
	for i, p := range x.platforms {
		wg.Go(func() { sent[i], errs[i] = x.drainPlatform(ctx, p) })
	}
	wg.Wait()
	total := 0
	for _, n := range sent {
		total += n
	}
	return total, errors.Join(errs...)
}

func (x *Dispatcher) drainPlatform(ctx context.Context, p chat.Platform) (int, error) {
	sent := 0
	for !x.stopping(ctx) {
		token, err := newToken()
		if err != nil {
			return sent, err
		}
		now := x.now()
		rows, err := x.d.Outbox.Claim(ctx, []chat.Platform{p}, token, now, now.Add(x.d.Lease), x.d.Batch)
		if err != nil {
			return sent, fmt.Errorf("outbox claim: %w", err)
		}
		if len(rows) == 0 {
			return sent, nil
		}
		gone := map[string]bool{}
		for i, row := range rows {
			if gone[recipientKey(row)] {
				continue // marked unreachable with the row before it
			}
			if x.stopping(ctx) {
				ids := make([]int64, 0, len(rows)-i)
				for _, r := range rows[i:] {
					ids = append(ids, r.ID)
				}
				if err := x.d.Outbox.Release(context.WithoutCancel(ctx), ids, token); err != nil {
					return sent, fmt.Errorf("outbox release: %w", err)
				}
				return sent, nil
			}
			res, err := x.deliver(ctx, row, token)
			if err != nil {
				return sent, err
			}
			switch res {
			case delivered:
				sent++
			case unreachable:
				gone[recipientKey(row)] = true
			}
		}
	}
	return sent, nil
}

type outcome int

const (
	delivered outcome = iota
	deferred          // retried later, moved, or given up
	unreachable
)

// recipientKey names who a row goes to, for skipping the rest of a batch
// once they turned out unreachable.
func recipientKey(c Claimed) string {
	if c.To.Private {
		return "u:" + c.To.UserID
	}
	return "c:" + c.To.ChatID
}

// deliver sends one claimed row and records the outcome. The send and the
// record use a context that a stop does not cancel, so a message in flight
// is finished and its outcome kept.
func (x *Dispatcher) deliver(ctx context.Context, row Claimed, token string) (outcome, error) {
	keep := context.WithoutCancel(ctx)
	sctx, cancel := context.WithTimeout(keep, x.d.SendTimeout)
	err := x.d.Senders[row.To.Platform].Send(sctx, row.Outgoing)
	cancel()
	now := x.now()
	log := x.log.With("platform", row.To.Platform, "chat_id", row.To.ChatID, "user_id", row.To.UserID, "job", row.Key)
	var retry *RetryAfterError
	var moved *ChatMovedError
	switch {
	case err == nil:
		if err := x.d.Outbox.MarkSent(keep, row.ID, token, now); err != nil {
			return delivered, fmt.Errorf("outbox mark sent: %w", err)
		}
		log.Debug("sent")
		return delivered, nil
	case errors.As(err, &retry):
		wait := min(max(retry.After, time.Second), x.d.MaxRetryAfter)
		log.Info("rate limited; will retry", "retry_after_ms", wait.Milliseconds())
		return deferred, x.record(x.d.Outbox.Retry(keep, row.ID, token, now.Add(wait), false, err.Error()))
	case errors.As(err, new(*RefusedError)):
		log.Warn("post refused; not retrying", "error", err)
		if err := x.record(x.d.Outbox.Fail(keep, row.ID, token, err.Error())); err != nil {
			return deferred, err
		}
		x.refused(keep, row.Outgoing, err)
		return deferred, nil
	case errors.Is(err, ErrUnreachable):
		log.Info("recipient unreachable; not retrying", "error", err)
		if err := x.record(x.d.Outbox.MarkUnreachable(keep, row.ID, token, err.Error())); err != nil {
			return unreachable, err
		}
		x.refused(keep, row.Outgoing, err)
		return unreachable, nil
	case errors.As(err, &moved):
		if row.Moved || moved.NewID == "" || moved.NewID == row.To.ChatID {
			log.Error("chat moved again; giving up", "error", err)
			return deferred, x.record(x.d.Outbox.Fail(keep, row.ID, token, err.Error()))
		}
		log.Info("chat moved; references updated, resending", "new_chat_id", moved.NewID)
		p := moved.Platform
		if p == "" {
			p = row.To.Platform
		}
		old := moved.OldID
		if old == "" {
			old = row.To.ChatID
		}
		return deferred, x.record(x.d.Outbox.MoveChat(keep, row.ID, token, p, old, moved.NewID, now))
	}
	attempts := row.Attempts + 1
	if attempts >= x.d.MaxAttempts {
		log.Error("delivery failed; giving up", "attempts", attempts, "error", err)
		return deferred, x.record(x.d.Outbox.Fail(keep, row.ID, token, err.Error()))
	}
	wait := x.backoff(attempts)
	log.Warn("delivery failed; will retry", "attempts", attempts, "retry_in_ms", wait.Milliseconds(), "error", err)
	return deferred, x.record(x.d.Outbox.Retry(keep, row.ID, token, now.Add(wait), true, err.Error()))
}

// refused passes a refused group message to OnRefused.
func (x *Dispatcher) refused(ctx context.Context, o Outgoing, err error) {
	if x.d.OnRefused != nil && !o.To.Private {
		x.d.OnRefused(ctx, o, err)
	}
}

func (x *Dispatcher) record(err error) error {
	if err != nil {
		return fmt.Errorf("outbox record outcome: %w", err)
	}
	return nil
}

// backoff is the wait after the nth transient failure: Backoff doubled
// n−1 times, at most MaxBackoff.
func (x *Dispatcher) backoff(n int) time.Duration {
	d := x.d.Backoff
	for i := 1; i < n && d < x.d.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, x.d.MaxBackoff)
}

func newToken() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}
