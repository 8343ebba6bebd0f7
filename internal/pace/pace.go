// Package pace keeps a sender within a platform's rate limits as the
// platform counts them: at the far end, by arrival, in any sliding window.
//
// A limiter that spaces departures can still break such a limit: requests
// that left evenly can arrive bunched, and the platform counts arrivals.
// A Window instead counts a send from its start until Per after it
// finished: by the time the answer is back the platform has counted it, so
// a send that starts after that instant can never share a window with it.
// At most N sends are ever counted, so no window of length Per at the far
// end holds more than N. Starts are also spaced a little under Per/N
// apart, so the sends are spread over the window rather than bunched at its
// start.
package pace

import (
	"sync"
	"time"
)

// Window is the rule "at most N sends in any period Per".
type Window struct {
	n   int
	per time.Duration
	gap time.Duration
	// open are the sends counted now: in flight (zero end) or finished
	// less than Per ago.
	open      []*Slot
	lastStart time.Time
}

// Slot is one send counted by a Window.
type Slot struct{ end time.Time }

// NewWindow returns the rule of n sends per period per. Spacing the starts
// is optional: spread false lets the n sends start at once.
func NewWindow(n int, per time.Duration, spread bool) *Window {
	w := &Window{n: max(n, 1), per: per}
	if spread {
		// A little under per/n: the window, not the spacing, sets the
		// pace, so a send held up (a slow answer, a busy machine) does
		// not push every later one back; the sends after it catch up.
		w.gap = per * 4 / time.Duration(5*w.n)
	}
	return w
}

// poll is how long to wait when every counted send is still in flight.
const poll = 2 * time.Millisecond

// Delay is how long from now until a send may start (0: now). It is not
// safe for concurrent use; callers serialise it with Take (Pacer does).
func (w *Window) Delay(now time.Time) time.Duration {
	kept := w.open[:0]
	for _, s := range w.open {
		if s.end.IsZero() || now.Sub(s.end) < w.per {
			kept = append(kept, s)
		}
	}
	clear(w.open[len(kept):])
	w.open = kept
	d := time.Duration(0)
	if w.gap > 0 && !w.lastStart.IsZero() {
		d = w.lastStart.Add(w.gap).Sub(now)
	}
	if len(w.open) < w.n {
		return max(d, 0)
	}
	free := time.Duration(-1)
	for _, s := range w.open {
		if !s.end.IsZero() {
			if f := s.end.Add(w.per).Sub(now); free < 0 || f < free {
				free = f
			}
		}
	}
	if free < 0 {
		free = poll
	}
	return max(d, free, 0)
}

// Prefill counts k sends as finished at the instant at: a process that has
// just started does not know what the one before it (killed, crashed,
// restarted) sent, and the platform still counts those for a while.
func (w *Window) Prefill(at time.Time, k int) {
	for range min(k, w.n) {
		w.open = append(w.open, &Slot{end: at})
	}
}

// Take counts a send starting now; Delay(now) must have been 0.
func (w *Window) Take(now time.Time) *Slot {
	s := &Slot{}
	w.open = append(w.open, s)
	w.lastStart = now
	return s
}

// Idle reports whether the window counts nothing at now, so it can be
// dropped: a fresh one behaves the same.
func (w *Window) Idle(now time.Time) bool {
	return w.Delay(now) == 0 && len(w.open) == 0 && now.Sub(w.lastStart) >= w.gap
}

// Pacer serialises Delay and Take over several windows, so a send takes its
// place in all of them at one instant or in none.
type Pacer struct{ mu sync.Mutex }

// Ticket is a send's place in its windows; Done releases it.
type Ticket struct {
	p     *Pacer
	slots []*Slot
}

// Try takes a place in every window at now, or reports how long to wait.
// The caller must hold nothing; windows must only be used through p.
func (p *Pacer) Try(now time.Time, ws ...*Window) (*Ticket, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.TryLocked(now, ws...)
}

// Lock and Unlock let a caller look windows up under the pacer's lock and
// then call TryLocked.
func (p *Pacer) Lock()   { p.mu.Lock() }
func (p *Pacer) Unlock() { p.mu.Unlock() }

// TryLocked is Try with p locked by the caller.
func (p *Pacer) TryLocked(now time.Time, ws ...*Window) (*Ticket, time.Duration) {
	d := time.Duration(0)
	for _, w := range ws {
		d = max(d, w.Delay(now))
	}
	if d > 0 {
		return nil, d
	}
	t := &Ticket{p: p, slots: make([]*Slot, len(ws))}
	for i, w := range ws {
		t.slots[i] = w.Take(now)
	}
	return t, 0
}

// Done records that the send finished (its answer, or its failure, is
// back) at now. Calling it twice, or on nil, does nothing.
func (t *Ticket) Done(now time.Time) {
	if t == nil {
		return
	}
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	for _, s := range t.slots {
		if s.end.IsZero() {
			s.end = now
		}
	}
}
