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

// JobRunner is the scheduler's boundary with package bot, two calls;
// *bot.Bot has them. Jobs says which daily jobs exist now; RunSlots deals with the
// slots that have fallen due (sends, or records as missed, each one that
// has no outcome yet) and keeps the record of what was done.
type JobRunner interface {
	Jobs(ctx context.Context) ([]bot.Job, error)
	RunSlots(ctx context.Context, slots []bot.Slot, now time.Time) (bot.SlotsResult, error)
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
	Core JobRunner
	// Dispatcher is optional; see Dispatcher.
	Dispatcher Dispatcher
	Logger     *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnTick, when set, is called after every minute's tick with its error
	// (health checks watch it).
	OnTick func(now time.Time, err error)
}

// everyMinute is the ticker's cron spec.
const everyMinute = "* * * * *"

// Scheduler ticks every minute and hands due slots to the core.
type Scheduler struct {
	d   Deps
	log *slog.Logger
	now func() time.Time

	mu sync.Mutex // one tick at a time

	// drainAt is when the outbox next has something due, for RunDue;
	// zero means unknown, so RunDue looks.
	drainAt time.Time
	idle    bool // the outbox had nothing waiting at the last look

	cron  *cron.Cron
	stopc chan struct{}
	once  sync.Once
}

// TickResult counts what one tick did.
type TickResult = bot.SlotsResult

// New returns a scheduler; Start runs it on the clock, Tick and RunDue run
// it by hand.
func New(d Deps) (*Scheduler, error) {
	if d.Core == nil {
		return nil, errors.New("schedules: a core is required")
	}
	s := &Scheduler{d: d, log: d.Logger, now: d.Now}
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

// Flush delivers what is due in the outbox, such as a coach's
// announcement.
func (s *Scheduler) Flush(ctx context.Context) error {
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

// Tick reads the job list afresh, so a changed post time, nudge time or
// timezone, or a new member, counts from the next minute, and hands each
// job's latest due slot to the core, which sends it, records it as missed,
// or finds it already done. Ticks run one at a time, and the core records
// each slot under its key, so ticks at once or repeated add nothing.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) (TickResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	jobs, err := s.d.Core.Jobs(ctx)
	if err != nil {
		return TickResult{}, err
	}
	return s.d.Core.RunSlots(ctx, DueSlots(jobs, now), now)
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
