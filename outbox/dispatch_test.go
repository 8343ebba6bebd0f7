package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/internal/storetest"
	"github.com/shakeoutbot/shakeout/outbox"
)

// outboxWorld is an outbox on a real database file with a settable clock.
type outboxWorld struct {
	reopen func() storetest.Store
	store  storetest.Store
	mu     sync.Mutex
	now    time.Time
}

func (w *outboxWorld) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *outboxWorld) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func newOutboxWorld(t *testing.T) *outboxWorld {
	t.Helper()
	w := &outboxWorld{now: time.Date(2026, 6, 8, 7, 0, 0, 0, time.UTC)}
	// SQLite, or PostgreSQL with SHAKEOUT_TEST_POSTGRES; open again is a
	// restart on the same database.
	w.reopen = storetest.Opener(t, w.Now)
	w.open(t)
	return w
}

func (w *outboxWorld) open(t *testing.T) {
	t.Helper()
	s := w.reopen()
	t.Cleanup(func() { s.Close() })
	w.store = s
}

func (w *outboxWorld) enqueue(t *testing.T, items ...outbox.Item) {
	t.Helper()
	if _, err := w.store.Enqueue(t.Context(), items, w.Now()); err != nil {
		t.Fatal(err)
	}
}

func (w *outboxWorld) counts(t *testing.T) map[outbox.Status]int {
	t.Helper()
	c, err := w.store.OutboxCounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *outboxWorld) dispatcher(t *testing.T, out outbox.Store, s outbox.Sender, tune func(*outbox.Deps)) *outbox.Dispatcher {
	t.Helper()
	deps := outbox.Deps{Outbox: out, Now: w.Now, Senders: map[chat.Platform]outbox.Sender{chat.PlatformTelegram: s}}
	if tune != nil {
		tune(&deps)
	}
	d, err := outbox.NewDispatcher(deps)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func clubItem(key, chatID string) outbox.Item {
	return outbox.Item{Key: key, To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: chatID}, Reply: chat.Reply{Text: "post " + key}}
}

// sendLog is a Sender that records deliveries and can be told what to do.
type sendLog struct {
	mu    sync.Mutex
	sent  []outbox.Outgoing
	fail  func(o outbox.Outgoing, n int) error // n: deliveries so far
	after func(n int)                          // called after the nth delivery
}

func (s *sendLog) Send(_ context.Context, o outbox.Outgoing) error {
	s.mu.Lock()
	if s.fail != nil {
		if err := s.fail(o, len(s.sent)); err != nil {
			s.mu.Unlock()
			return err
		}
	}
	s.sent = append(s.sent, o)
	n := len(s.sent)
	s.mu.Unlock()
	if s.after != nil {
		s.after(n)
	}
	runtime.Gosched()
	return nil
}

func (s *sendLog) keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, o := range s.sent {
		out = append(out, o.Key)
	}
	return out
}

// crashedOutbox is the outbox of a process that died: once the dispatcher
// is told to stop, nothing more reaches the database.
type crashedOutbox struct {
	outbox.Store
	dead func() bool
}

func (c crashedOutbox) Release(ctx context.Context, ids []int64, token string) error {
	if c.dead() {
		return errors.New("process gone")
	}
	return c.Store.Release(ctx, ids, token)
}

func TestCrashAfterKOfNSendsEachRemainingOnce(t *testing.T) {
	const n, k, batch = 50, 17, 10
	for _, hard := range []bool{true, false} {
		name := "graceful stop"
		if hard {
			name = "hard stop"
		}
		t.Run(name, func(t *testing.T) {
			w := newOutboxWorld(t)
			for i := range n {
				w.enqueue(t, clubItem(fmt.Sprintf("club_post:c%d:2026-06-08", i), fmt.Sprintf("-%d", 100+i)))
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			first := &sendLog{after: func(got int) {
				if got == k {
					cancel() // SIGTERM, or the machine going down, right after the kth send
				}
			}}
			var out outbox.Store = w.store
			if hard {
				out = crashedOutbox{Store: w.store, dead: func() bool { return ctx.Err() != nil }}
			}
			d := w.dispatcher(t, out, first, func(dd *outbox.Deps) { dd.Batch = batch })
			_, _ = d.Drain(ctx)
			stuck := w.counts(t)[outbox.Sending]

			// Restart: a new process on the same file.
			w.store.Close()
			w.open(t)
			second := &sendLog{}
			d2 := w.dispatcher(t, w.store, second, func(dd *outbox.Deps) { dd.Batch = batch })
			requeued, err := d2.Recover(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d2.Drain(t.Context()); err != nil {
				t.Fatal(err)
			}

			seen := map[string]int{}
			for _, key := range append(first.keys(), second.keys()...) {
				seen[key]++
			}
			dups := 0
			for key, c := range seen {
				if c > 1 {
					dups++
					t.Errorf("%s sent %d times", key, c)
				}
			}
			if len(first.keys()) != k || len(second.keys()) != n-k || len(seen) != n {
				t.Errorf("first run sent %d, restart sent %d, distinct %d; want %d, %d, %d",
					len(first.keys()), len(second.keys()), len(seen), k, n-k, n)
			}
			if c := w.counts(t); c[outbox.Sent] != n || len(c) != 1 {
				t.Errorf("outbox after restart = %v; want all %d sent", c, n)
			}
			wantStuck := 0
			if hard {
				wantStuck = batch - k%batch
			}
			if stuck != wantStuck || requeued != wantStuck {
				t.Errorf("rows left sending = %d, requeued = %d; want %d", stuck, requeued, wantStuck)
			}
			t.Logf("crash test (%s): n=%d k=%d batch=%d: first run sent %d, left %d in sending; restart requeued %d and sent %d; duplicates %d",
				name, n, k, batch, len(first.keys()), stuck, requeued, len(second.keys()), dups)
		})
	}
}

func TestTwoDispatchersNeverSendARowTwice(t *testing.T) {
	const n = 120
	w := newOutboxWorld(t)
	for i := range n {
		w.enqueue(t, clubItem(fmt.Sprintf("k%03d", i), "-1"))
	}
	w.enqueue(t, clubItem("k000", "-1")) // a duplicate key is a no-op
	s := &sendLog{}
	var wg sync.WaitGroup
	for range 3 {
		d := w.dispatcher(t, w.store, s, func(dd *outbox.Deps) { dd.Batch = 7 })
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := d.Drain(t.Context()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, k := range s.keys() {
		seen[k]++
	}
	if len(s.keys()) != n || len(seen) != n {
		t.Fatalf("sent %d messages, %d distinct; want %d each", len(s.keys()), len(seen), n)
	}
}

func TestRetryAfterIsCappedAndWaitedOut(t *testing.T) {
	w := newOutboxWorld(t)
	w.enqueue(t, clubItem("a", "-1"))
	calls := 0
	s := &sendLog{fail: func(o outbox.Outgoing, n int) error {
		calls++
		if calls == 1 {
			return &outbox.RetryAfterError{After: 70000 * time.Second}
		}
		return nil
	}}
	d := w.dispatcher(t, w.store, s, nil)
	for _, step := range []struct {
		wait time.Duration
		want int
	}{{0, 0}, {59 * time.Minute, 0}, {time.Minute, 1}} {
		w.advance(step.wait)
		if _, err := d.Drain(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := len(s.keys()); got != step.want {
			t.Fatalf("after %s more: %d sent; want %d (retry-after capped at an hour)", step.wait, got, step.want)
		}
	}
}

func TestTransientFailuresBackOffThenGiveUp(t *testing.T) {
	w := newOutboxWorld(t)
	w.enqueue(t, clubItem("a", "-1"))
	tries := 0
	s := &sendLog{fail: func(outbox.Outgoing, int) error { tries++; return errors.New("connection reset") }}
	d := w.dispatcher(t, w.store, s, func(dd *outbox.Deps) { dd.MaxAttempts = 4 })
	// Backoff 30 s, 1 min, 2 min: tries at 0, +30 s, +1.5 min, +3.5 min.
	for _, wait := range []time.Duration{0, 29 * time.Second, time.Second, time.Minute, 2 * time.Minute, 10 * time.Hour} {
		w.advance(wait)
		if _, err := d.Drain(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if tries != 4 {
		t.Errorf("tries = %d; want 4", tries)
	}
	if c := w.counts(t); c[outbox.Failed] != 1 {
		t.Errorf("outbox = %v; want the row failed", c)
	}
}

func TestUnreachableMemberIsNotRetriedUntilTheySpeak(t *testing.T) {
	w := newOutboxWorld(t)
	ctx := t.Context()
	club, err := w.store.EnsureClub(ctx, chat.PlatformTelegram, "-100", "Runners", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	m, err := w.store.EnsureMember(ctx, chat.PlatformTelegram, "42", "Maya", club.ID, "42")
	if err != nil {
		t.Fatal(err)
	}
	personal := func(key string) outbox.Item {
		return outbox.Item{Key: key, To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "42", UserID: "42", Private: true},
			Reply: chat.Reply{Text: "EASY", Private: true}, MemberID: m.ID, ClubID: club.ID}
	}
	w.enqueue(t, personal("morning:m1:2026-06-08"), personal("morning:m1:2026-06-09"), clubItem("club_post:c1:2026-06-08", "-100"))
	tries := 0
	s := &sendLog{fail: func(o outbox.Outgoing, _ int) error {
		if o.To.Private {
			tries++
			return fmt.Errorf("forbidden: bot was blocked by the user: %w", outbox.ErrUnreachable)
		}
		return nil
	}}
	d := w.dispatcher(t, w.store, s, nil)
	for range 3 {
		if _, err := d.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		w.advance(time.Hour)
	}
	if tries != 1 {
		t.Errorf("tried the blocked member %d times; want once", tries)
	}
	if c := w.counts(t); c[outbox.Unreachable] != 2 || c[outbox.Sent] != 1 {
		t.Errorf("outbox = %v; want both personal rows unreachable, the club post sent", c)
	}
	got, _ := w.store.ScheduleMember(ctx, m.ID)
	if !got.Unreachable {
		t.Fatal("member not marked unreachable")
	}
	again, _ := w.store.EnsureMember(ctx, chat.PlatformTelegram, "42", "", 0, "42")
	if again.Unreachable {
		t.Error("a member who writes to the bot again should be reachable again")
	}
}

func TestRemovedFromGroupMarksClubUntilItSpeaks(t *testing.T) {
	w := newOutboxWorld(t)
	ctx := t.Context()
	club, err := w.store.EnsureClub(ctx, chat.PlatformTelegram, "-100", "Runners", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	item := clubItem("club_post:c1:2026-06-08", "-100")
	item.ClubID = club.ID
	w.enqueue(t, item)
	s := &sendLog{fail: func(outbox.Outgoing, int) error { return fmt.Errorf("kicked: %w", outbox.ErrUnreachable) }}
	if _, err := w.dispatcher(t, w.store, s, nil).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if c, _ := w.store.ClubByID(ctx, club.ID); !c.Unreachable {
		t.Fatal("club not marked unreachable")
	}
	if c, _ := w.store.EnsureClub(ctx, chat.PlatformTelegram, "-100", "", "UTC"); c.Unreachable {
		t.Error("a group the bot hears from again should be reachable again")
	}
}

func TestChatMovedKeepsTheClubAndResendsOnce(t *testing.T) {
	w := newOutboxWorld(t)
	ctx := t.Context()
	club, err := w.store.EnsureClub(ctx, chat.PlatformTelegram, "-100", "Runners", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	club.PostTime = input.Clock{Hour: 5, Minute: 45}
	if err := w.store.UpdateClub(ctx, club); err != nil {
		t.Fatal(err)
	}
	a, b := clubItem("club_post:c1:2026-06-08", "-100"), clubItem("broadcast:b1", "-100")
	a.ClubID, b.ClubID = club.ID, club.ID
	w.enqueue(t, a, b)
	s := &sendLog{fail: func(o outbox.Outgoing, _ int) error {
		if o.To.ChatID == "-100" {
			return &outbox.ChatMovedError{Platform: chat.PlatformTelegram, OldID: "-100", NewID: "-1009"}
		}
		return nil
	}}
	if _, err := w.dispatcher(t, w.store, s, nil).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	for _, o := range s.sent {
		if o.To.ChatID != "-1009" {
			t.Errorf("%s went to %s; want the new id", o.Key, o.To.ChatID)
		}
	}
	if len(s.sent) != 2 {
		t.Errorf("sent %d; want both rows, once each, to the new chat", len(s.sent))
	}
	moved, err := w.store.ClubByID(ctx, club.ID)
	if err != nil || moved.ChatID != "-1009" || moved.PostTime.String() != "05:45" || moved.TZ != "Europe/Berlin" {
		t.Errorf("club after the move = %+v, %v; want the same club and settings under -1009", moved, err)
	}

	// A chat that moves again right after is given up, not chased.
	c := clubItem("club_post:c1:2026-06-09", "-1009")
	w.enqueue(t, c)
	loop := &sendLog{fail: func(o outbox.Outgoing, _ int) error {
		return &outbox.ChatMovedError{Platform: chat.PlatformTelegram, OldID: o.To.ChatID, NewID: o.To.ChatID + "0"}
	}}
	if _, err := w.dispatcher(t, w.store, loop, nil).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.counts(t)[outbox.Failed]; got != 1 {
		t.Errorf("failed rows = %d; want the row given up after one resend", got)
	}
}

func TestStopLetsTheSendInFlightFinish(t *testing.T) {
	w := newOutboxWorld(t)
	for i := range 5 {
		w.enqueue(t, clubItem(fmt.Sprintf("k%d", i), "-1"))
	}
	var d *outbox.Dispatcher
	started := make(chan struct{})
	release := make(chan struct{})
	s := &sendLog{fail: func(o outbox.Outgoing, n int) error {
		if n == 1 {
			close(started)
			<-release
		}
		return nil
	}}
	d = w.dispatcher(t, w.store, s, func(dd *outbox.Deps) { dd.Poll = time.Hour })
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = d.Run(t.Context())
	}()
	<-started
	stopped := make(chan struct{})
	go func() {
		d.Stop()
		close(stopped)
	}()
	time.Sleep(5 * time.Millisecond)
	close(release)
	<-stopped
	<-done
	c := w.counts(t)
	if len(s.keys()) != 2 || c[outbox.Sent] != 2 || c[outbox.Pending] != 3 || c[outbox.Sending] != 0 {
		t.Errorf("sent %v, outbox %v; want the two sends begun before the stop finished and recorded, the rest pending", s.keys(), c)
	}
}
