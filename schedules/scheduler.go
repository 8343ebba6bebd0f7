package schedules

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/shakeoutbot/shakeout/bot"
)

// Core is what the scheduler needs from package bot; *bot.Bot has it.
type Core interface {
	Jobs(ctx context.Context) ([]bot.Job, error)
	HandledSlots(ctx context.Context, keys []string) (map[string]bool, error)
	RunSlots(ctx context.Context, slots []bot.Slot, now time.Time) (done []string, enqueued int, err error)
	MissSlot(ctx context.Context, s bot.Slot, now time.Time) (bool, error)
	PruneSlots(ctx context.Context, now time.Time) error
}

// Dispatcher is the part of *outbox.Dispatcher the scheduler uses: Notify
// after a tick put messages in the outbox; Drain and NextDue to deliver
// them at once in RunDue and Flush (the console, where time only moves when
// told).
type Dispatcher interface {
	Notify()
	Drain(ctx context.Context) (int, error)
	NextDue(ctx context.Context) (time.Time, bool, error)
}

// Deps are what a Scheduler needs.
type Deps struct {
	Core Core
	// Dispatcher is optional; see Dispatcher.
	Dispatcher Dispatcher
	Logger     *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// CatchUp is how late a slot may be and still be sent (2 h).
	CatchUp time.Duration
	// Refresh is how long the list of jobs is reused between ticks (5 min).
	// A changed setting therefore takes effect up to Refresh late, which the
	// catch-up covers; Flush forgets the list at once.
	Refresh time.Duration
	// OnTick, when set, is called after every minute's tick with its error
	// (health checks watch it).
	OnTick func(now time.Time, err error)
}

// DefaultCatchUp is how late a slot may be sent: a bot that was down for
// less than this sends the morning's messages when it comes back.
const DefaultCatchUp = 2 * time.Hour

// everyMinute is the ticker's cron spec.
const everyMinute = "* * * * *"

// Scheduler ticks every minute and hands due slots to the core.
type Scheduler struct {
	d   Deps
	log *slog.Logger
	now func() time.Time

	mu        sync.Mutex // one tick at a time
	jobs      []bot.Job
	loadedAt  time.Time
	done      map[string]time.Time // keys with an outcome, by due instant
	lastPrune time.Time

	// drainAt is when the outbox next has something due, for RunDue;
	// zero means unknown, so RunDue looks.
	drainAt time.Time
	idle    bool // the outbox had nothing waiting at the last look

	cron  *cron.Cron
	stopc chan struct{}
	once  sync.Once
}

// TickResult counts what one tick did.
type TickResult struct {
	Enqueued int
	Missed   int
}

// New returns a scheduler; Start runs it on the clock, Tick and RunDue run
// it by hand.
func New(d Deps) (*Scheduler, error) {
	if d.Core == nil {
		return nil, errors.New("schedules: a core is required")
	}
	if d.CatchUp <= 0 {
		d.CatchUp = DefaultCatchUp
	}
	if d.Refresh <= 0 {
		d.Refresh = 5 * time.Minute
	}
	s := &Scheduler{d: d, log: d.Logger, now: d.Now, done: map[string]time.Time{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Start runs one tick at once, which sends what fell due while the bot was
// down (up to the catch-up window), and then one every minute until Stop or
// the end of ctx.
func (s *Scheduler) Start(ctx context.Context) error {
	if s.cron != nil {
		return errors.New("schedules: already started")
	}
	spec, err := parseSpec(everyMinute)
	if err != nil {
		return err
	}
	l := cronLogger{s.log}
	// SkipIfStillRunning must wrap Recover, not the other way round: its
	// semaphore is given back only when the job returns, so a panic passing
	// through it would make it skip every later tick.
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(l),
		cron.WithChain(cron.SkipIfStillRunning(l), cron.Recover(l)))
	c.Schedule(spec, cron.FuncJob(func() { s.tickNow(ctx) }))
	s.tickNow(ctx)
	s.cron, s.stopc = c, make(chan struct{})
	c.Start()
	go func() {
		select {
		case <-ctx.Done():
		case <-s.stopc:
		}
		c.Stop()
	}()
	return nil
}

// Stop stops the ticker and waits for a tick in progress to finish.
func (s *Scheduler) Stop() {
	if s.cron == nil {
		return
	}
	s.once.Do(func() { close(s.stopc) })
	<-s.cron.Stop().Done()
}

func (s *Scheduler) tickNow(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	now := s.now()
	res, err := s.Tick(ctx, now)
	if err != nil {
		s.log.Error("schedule tick", "error", err)
	}
	if s.d.OnTick != nil {
		s.d.OnTick(now, err)
	}
	if res.Enqueued > 0 && s.d.Dispatcher != nil {
		s.d.Dispatcher.Notify()
	}
}

// RunDue runs the slots due at now and delivers what they and anything
// else in the outbox have due; the console calls it for every minute its
// clock moves through.
func (s *Scheduler) RunDue(ctx context.Context, now time.Time) error {
	res, err := s.Tick(ctx, now)
	if err != nil {
		return err
	}
	s.mu.Lock()
	quiet := res.Enqueued == 0 && !s.drainAt.IsZero() && (s.idle || now.Before(s.drainAt))
	s.mu.Unlock()
	if quiet {
		return nil // nothing new and nothing due: skip the outbox
	}
	return s.drain(ctx)
}

// Flush forgets the cached job list (settings may have changed) and
// delivers what is due in the outbox, such as a coach's announcement.
func (s *Scheduler) Flush(ctx context.Context) error {
	s.mu.Lock()
	s.jobs = nil
	s.mu.Unlock()
	return s.drain(ctx)
}

func (s *Scheduler) drain(ctx context.Context) error {
	if s.d.Dispatcher == nil {
		return nil
	}
	if _, err := s.d.Dispatcher.Drain(ctx); err != nil {
		return err
	}
	next, ok, err := s.d.Dispatcher.NextDue(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idle = !ok
	s.drainAt = next
	if !ok {
		s.drainAt = time.Unix(0, 0)
	}
	return nil
}

// Tick hands every slot due at now that has no outcome yet to the core:
// sent when at most CatchUp late, recorded as missed when later. Ticks run
// one at a time, and the core records each slot under its key, so ticks at
// once or repeated add nothing.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) (TickResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var res TickResult
	if s.jobs == nil || now.Sub(s.loadedAt) >= s.d.Refresh || now.Before(s.loadedAt) {
		jobs, err := s.d.Core.Jobs(ctx)
		if err != nil {
			return res, err
		}
		s.jobs, s.loadedAt = jobs, now
	}
	var due []bot.Slot
	var keys []string
	for _, sl := range DueSlots(s.jobs, now) {
		if _, ok := s.done[sl.Key()]; !ok {
			due = append(due, sl)
			keys = append(keys, sl.Key())
		}
	}
	if len(due) > 0 {
		handled, err := s.d.Core.HandledSlots(ctx, keys)
		if err != nil {
			return res, err
		}
		var errs []error
		var send []bot.Slot
		for _, sl := range due {
			key := sl.Key()
			if handled[key] {
				s.done[key] = sl.Due
				continue
			}
			switch Decide(sl.Due, now, s.d.CatchUp) {
			case Send:
				send = append(send, sl)
				continue
			case Miss:
				missed, err := s.d.Core.MissSlot(ctx, sl, now)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if missed {
					res.Missed++
				}
			}
			s.done[key] = sl.Due
		}
		if len(send) > 0 {
			// Sent slots are recorded in batches, not one commit each.
			dueAt := make(map[string]time.Time, len(send))
			for _, sl := range send {
				dueAt[sl.Key()] = sl.Due
			}
			done, n, err := s.d.Core.RunSlots(ctx, send, now)
			if err != nil {
				errs = append(errs, err)
			}
			res.Enqueued += n
			for _, key := range done {
				s.done[key] = dueAt[key]
			}
		}
		if err := errors.Join(errs...); err != nil {
			return res, err
		}
	}
	s.forget(ctx, now)
	return res, nil
}

// forget drops remembered keys that can no longer come up (older than two
// days) and, once a day, old stored outcomes.
func (s *Scheduler) forget(ctx context.Context, now time.Time) {
	if now.Sub(s.lastPrune) < 24*time.Hour && !now.Before(s.lastPrune) {
		return
	}
	for k, due := range s.done {
		if now.Sub(due) > 48*time.Hour {
			delete(s.done, k)
		}
	}
	if err := s.d.Core.PruneSlots(ctx, now); err != nil {
		s.log.Error("prune schedule slots", "error", err)
		return
	}
	s.lastPrune = now
}

// parseSpec parses a cron spec, turning the parser's panics (it panics on
// some malformed CRON_TZ prefixes) into errors.
func parseSpec(spec string) (sched cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("cron spec %q: %v", spec, r)
		}
	}()
	return cron.ParseStandard(spec)
}

// cronLogger passes cron's log lines to slog; cron's own info lines
// (every schedule and wake-up) are debug noise.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append([]any{"error", err}, kv...)...)
}
