package schedules

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/internal/storetest"
	"github.com/shakeoutbot/shakeout/outbox"
)

// fakeCore records what the scheduler hands it; it keeps outcomes in memory.
type fakeCore struct {
	mu       sync.Mutex
	jobs     []bot.Job
	sent     map[string]time.Time
	missed   map[string]bool
	panicOn  int           // panic in the tick with this number (1-based)
	slowOn   int           // take slow in the tick with this number
	slow     time.Duration // how long the slow tick takes
	jobCalls int
}

func (f *fakeCore) Jobs(ctx context.Context) ([]bot.Job, error) {
	f.mu.Lock()
	f.jobCalls++
	n := f.jobCalls
	f.mu.Unlock()
	if n == f.panicOn {
		panic("boom")
	}
	if n == f.slowOn {
		time.Sleep(f.slow)
	}
	return f.jobs, nil
}

// RunSlots sends what is at most two hours late and misses the rest, once
// per key, as the core does.
func (f *fakeCore) RunSlots(ctx context.Context, slots []bot.Slot, now time.Time) (bot.SlotsResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var res bot.SlotsResult
	for _, s := range slots {
		if _, ok := f.sent[s.Key()]; ok || f.missed[s.Key()] {
			continue
		}
		if bot.TooLate(s.Due, now, bot.DefaultCatchUp) {
			f.missed[s.Key()] = true
			res.Missed++
			continue
		}
		f.sent[s.Key()] = now
		res.Enqueued++
	}
	return res, nil
}

func newFake(jobs ...bot.Job) *fakeCore {
	return &fakeCore{jobs: jobs, sent: map[string]time.Time{}, missed: map[string]bool{}}
}

// Every tick calls Jobs, so the calls count ticks.
func TestCronTicksEveryMinuteOnFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now() // the bubble's clock: 2000-01-01 00:00 UTC
		job := bot.Job{Kind: bot.JobClubPost, Club: bot.Club{ID: 1}, Zone: time.UTC, At: input.Clock{Minute: 10}, Since: start.Add(-48 * time.Hour)}
		core := newFake(job)
		s, err := New(Deps{Core: core})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(30*time.Minute + time.Second)
		synctest.Wait()
		s.Stop()
		// One tick at start, then one on each of the 30 minute boundaries.
		if core.jobCalls != 31 {
			t.Errorf("ticks = %d; want 31", core.jobCalls)
		}
		want := start.Add(10 * time.Minute)
		if got, ok := core.sent["club_post:c1:2000-01-01"]; !ok || !got.Equal(want) || len(core.sent) != 1 {
			t.Errorf("sent = %v; want the 00:10 slot once, at %s", core.sent, want)
		}
		// The slot of the day before was more than two hours late at start.
		if !core.missed["club_post:c1:1999-12-31"] {
			t.Errorf("missed = %v; want yesterday's slot", core.missed)
		}
	})
}

func TestCronRecoversFromPanicsAndSkipsOverlaps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		job := bot.Job{Kind: bot.JobClubPost, Club: bot.Club{ID: 1}, Zone: time.UTC, At: input.Clock{Minute: 5}, Since: start}
		core := newFake(job)
		core.panicOn = 2                            // the first minute tick panics
		core.slowOn, core.slow = 3, 150*time.Second // the second takes 2.5 minutes
		s, err := New(Deps{Core: core})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10*time.Minute + time.Second)
		synctest.Wait()
		s.Stop()
		// Ticks at 0 (start), 1 (panics), 2 (slow until 4:30), 3 and 4
		// skipped, then 5..10: 9 calls.
		if core.jobCalls != 9 {
			t.Errorf("Jobs called %d times; want 9 (a panic survived, overlapping ticks skipped)", core.jobCalls)
		}
		if got, ok := core.sent["club_post:c1:2000-01-01"]; !ok || !got.Equal(start.Add(5*time.Minute)) {
			t.Errorf("sent = %v; want the 00:05 slot at 00:05", core.sent)
		}
	})
}

func TestStopEndsTheTicker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		core := newFake()
		s, _ := New(Deps{Core: core})
		ctx, cancel := context.WithCancel(t.Context())
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3*time.Minute + time.Second)
		cancel()
		synctest.Wait()
		n := core.jobCalls
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		if core.jobCalls != n || n != 4 {
			t.Errorf("ticks = %d then %d after cancel; want 4 and no more", n, core.jobCalls)
		}
		s.Stop()
	})
}

// recorder is a outbox.Sender that remembers every key it delivered.
type recorder struct {
	mu   sync.Mutex
	keys []string
}

func (r *recorder) Send(_ context.Context, o outbox.Outgoing) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys = append(r.keys, o.Key)
	return nil
}

// world is a bot on a real database with a clock the test sets.
type world struct {
	store storetest.Store
	bot   *bot.Bot
	mu    sync.Mutex
	now   time.Time
	rec   *recorder
	disp  *outbox.Dispatcher
}

func (w *world) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *world) set(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = t
}

func newWorld(t *testing.T, start time.Time) *world {
	t.Helper()
	w := &world{now: start, rec: &recorder{}}
	s := storetest.Open(t, w.Now) // SQLite, or PostgreSQL with SHAKEOUT_TEST_POSTGRES
	b, err := bot.New(bot.Deps{Store: s, Now: w.Now, DefaultTZ: start.Location()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := outbox.NewDispatcher(outbox.Deps{Outbox: s, Now: w.Now, Senders: map[chat.Platform]outbox.Sender{chat.PlatformConsole: w.rec}})
	if err != nil {
		t.Fatal(err)
	}
	w.store, w.bot, w.disp = s, b, d
	return w
}

func (w *world) club(t *testing.T, post string) bot.Club {
	t.Helper()
	c, err := w.store.EnsureClub(t.Context(), chat.PlatformConsole, "harriers", "Harriers", w.now.Location().String())
	if err != nil {
		t.Fatal(err)
	}
	if c.PostTime, err = input.ParseClock(post); err != nil {
		t.Fatal(err)
	}
	if err := w.store.UpdateClub(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// start runs a fresh scheduler's start-up tick at the world's time, as a
// restarted process does, and delivers what it enqueued.
func (w *world) start(t *testing.T) TickResult {
	t.Helper()
	s, err := New(Deps{Core: w.bot, Dispatcher: w.disp, Now: w.Now})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Tick(t.Context(), w.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.disp.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRestartAfterASlot(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	cases := []struct {
		name       string
		late       time.Duration
		wantSent   int
		wantMissed int
	}{
		{"40 minutes late is sent once", 40 * time.Minute, 1, 0},
		{"3 hours late is missed", 3 * time.Hour, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The club exists from the day before; the bot was down over
			// the 06:30 post and comes back late.
			w := newWorld(t, time.Date(2026, 6, 7, 12, 0, 0, 0, berlin))
			w.club(t, "06:30")
			slot := time.Date(2026, 6, 8, 6, 30, 0, 0, berlin)
			w.set(slot.Add(c.late))
			first := w.start(t)
			again := w.start(t) // a second restart a moment later
			w.set(slot.Add(c.late + time.Minute))
			third := w.start(t)
			if first.Enqueued != c.wantSent || first.Missed != c.wantMissed {
				t.Errorf("start-up tick = %+v; want %d sent, %d missed", first, c.wantSent, c.wantMissed)
			}
			if again != (TickResult{}) || third != (TickResult{}) {
				t.Errorf("later restarts did %+v and %+v; want nothing", again, third)
			}
			posts := 0
			for _, k := range w.rec.keys {
				if k == "club_post:c1:2026-06-08" {
					posts++
				}
			}
			if posts != c.wantSent {
				t.Errorf("the 8 June post was delivered %d times; want %d (delivered: %v)", posts, c.wantSent, w.rec.keys)
			}
			handled, err := w.bot.HandledSlots(t.Context(), []string{"club_post:c1:2026-06-08"})
			if err != nil || !handled["club_post:c1:2026-06-08"] {
				t.Errorf("the slot has no recorded outcome: %v %v", handled, err)
			}
		})
	}
}

func TestTwoTicksAtOnceAddNoSends(t *testing.T) {
	w := newWorld(t, time.Date(2026, 6, 7, 12, 0, 0, 0, time.UTC))
	w.club(t, "06:30")
	for _, name := range []string{"ann", "ben", "cat"} {
		m, err := w.store.EnsureMember(t.Context(), chat.PlatformConsole, name, name, 1, "")
		if err != nil {
			t.Fatal(err)
		}
		_ = m
	}
	w.set(time.Date(2026, 6, 8, 7, 0, 0, 0, time.UTC))
	// Nudges are off by default: only the club post is due (members with
	// no plan and no nudges get nothing).
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := New(Deps{Core: w.bot, Now: w.Now})
			if err == nil {
				_, err = s.Tick(t.Context(), w.Now())
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
	}
	counts, err := w.store.OutboxCounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if counts[outbox.Pending] != 1 {
		t.Fatalf("outbox = %v; want exactly one pending row (the club post)", counts)
	}
}
