package pace

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

// simulate runs sends through a window on a virtual clock, one at a time as
// the dispatcher does, each taking a random time in transit before the far
// end counts it and a random time more before the answer is back. It
// returns the arrival times at the far end.
func simulate(w *Window, sends int, seed uint64, bursty bool) []time.Time {
	rng := rand.New(rand.NewPCG(seed, 1))
	var p Pacer
	now := time.Date(2026, 6, 8, 6, 30, 0, 0, time.UTC)
	var arrivals []time.Time
	for range sends {
		for {
			t, d := p.Try(now, w)
			if t != nil {
				// Bursty transit: usually fast, sometimes very slow.
				out := time.Duration(rng.IntN(3)) * time.Millisecond
				if bursty && rng.IntN(10) == 0 {
					out = time.Duration(20+rng.IntN(200)) * time.Millisecond
				}
				back := time.Duration(rng.IntN(3)) * time.Millisecond
				arrivals = append(arrivals, now.Add(out))
				now = now.Add(out + back)
				t.Done(now)
				break
			}
			now = now.Add(d)
		}
	}
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
	return arrivals
}

// maxInWindow is the most arrivals in any window (a-per, a].
func maxInWindow(arrivals []time.Time, per time.Duration) int {
	most, lo := 0, 0
	for hi, a := range arrivals {
		for !arrivals[lo].After(a.Add(-per)) {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return most
}

func TestWindowNeverOverAtTheFarEnd(t *testing.T) {
	for seed := range uint64(20) {
		arrivals := simulate(NewWindow(30, time.Second, true), 1000, seed, true)
		if n := maxInWindow(arrivals, time.Second); n > 30 {
			t.Fatalf("seed %d: %d arrivals within one second, limit 30", seed, n)
		}
	}
}

// TestWindowNearTheLimit: with answers back within a few milliseconds, as
// on a good link, one sender at a time reaches nearly the limit.
func TestWindowNearTheLimit(t *testing.T) {
	for seed := range uint64(5) {
		arrivals := simulate(NewWindow(30, time.Second, true), 1000, seed, false)
		if n := maxInWindow(arrivals, time.Second); n > 30 {
			t.Fatalf("seed %d: %d arrivals within one second, limit 30", seed, n)
		}
		span := arrivals[len(arrivals)-1].Sub(arrivals[0])
		rate := float64(len(arrivals)-1) / span.Seconds()
		if rate < 29 {
			t.Errorf("seed %d: %.1f sends a second, want near 30", seed, rate)
		}
	}
}

func TestWindowPerChat(t *testing.T) {
	w := NewWindow(1, time.Second, false)
	arrivals := simulate(w, 20, 7, true)
	if n := maxInWindow(arrivals, time.Second); n > 1 {
		t.Fatalf("%d arrivals within one second to one chat, limit 1", n)
	}
}

func TestTryTakesAllOrNone(t *testing.T) {
	var p Pacer
	now := time.Now()
	a, b := NewWindow(2, time.Second, false), NewWindow(1, time.Second, false)
	t1, _ := p.Try(now, a, b)
	if t1 == nil {
		t.Fatal("first send refused")
	}
	if t2, d := p.Try(now, a, b); t2 != nil || d <= 0 {
		t.Fatalf("second send into a full window: %v, %v", t2, d)
	}
	// a still has room: the refused send took no place in it.
	if t3, _ := p.Try(now, a); t3 == nil {
		t.Fatal("a send refused by b took a's place")
	}
	t1.Done(now)
	if _, d := p.Try(now.Add(999*time.Millisecond), b); d <= 0 {
		t.Fatal("b free before a second after the answer")
	}
	if t4, _ := p.Try(now.Add(time.Second), b); t4 == nil {
		t.Fatal("b still full a second after the answer")
	}
}

// TestPrefill: a window prefilled at start holds the first sends back for
// a period, as the platform still counts what the previous process sent.
func TestPrefill(t *testing.T) {
	start := time.Now()
	w := NewWindow(30, time.Second, true)
	w.Prefill(start, 30)
	if d := w.Delay(start.Add(500 * time.Millisecond)); d < 499*time.Millisecond {
		t.Errorf("delay half a second after a full prefill = %v, want the other half", d)
	}
	if d := w.Delay(start.Add(time.Second)); d != 0 {
		t.Errorf("delay a second after the prefill = %v, want 0", d)
	}
}
