package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/internal/ops"
	"github.com/shakeoutbot/shakeout/schedules"
)

// stats are latency percentiles of one phase.
type stats struct {
	n        int
	elapsed  time.Duration
	p50, p99 time.Duration
	max      time.Duration
	// cpu is the process's CPU time (user and system) over the phase.
	cpu time.Duration
}

// cores is the mean number of cores the process kept busy.
func (s stats) cores() float64 { return s.cpu.Seconds() / s.elapsed.Seconds() }

// perOp is the process's CPU time per command.
func (s stats) perOp() time.Duration { return s.cpu / time.Duration(max(1, s.n)) }

// processCPU is the CPU time the process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func summarize(lat []time.Duration, elapsed time.Duration) stats {
	slices.Sort(lat)
	st := stats{n: len(lat), elapsed: elapsed}
	if len(lat) == 0 {
		return st
	}
	pct := func(p int) time.Duration {
		i := (len(lat)*p + 99) / 100
		return lat[max(0, min(len(lat)-1, i-1))]
	}
	st.p50, st.p99, st.max = pct(50), pct(99), lat[len(lat)-1]
	return st
}

func (s stats) rate() float64 { return float64(s.n) / s.elapsed.Seconds() }

// kbQuestions is every phrasing of every knowledge-base entry.
func kbQuestions() []string {
	var qs []string
	for _, e := range coach.Entries() {
		qs = append(qs, e.Phrasings...)
	}
	return qs
}

// measureQA times bot.Ask, the search and compose behind /ask, over every
// phrasing of the knowledge base, passes times, one question at a time.
func measureQA(ctx context.Context, s bot.KnowledgeSearcher, passes int) (stats, int, error) {
	qs := kbQuestions()
	lat := make([]time.Duration, 0, passes*len(qs))
	start := time.Now()
	for range passes {
		for _, q := range qs {
			t := time.Now()
			if _, err := bot.Ask(ctx, s, q); err != nil {
				return stats{}, 0, err
			}
			lat = append(lat, time.Since(t))
		}
	}
	return summarize(lat, time.Since(start)), len(qs), nil
}

// coreLoad drives one command through the core, as `shakeout run` wires
// it (ops.Metrics around *bot.Bot), from several workers at once.
type coreLoad struct {
	core    ops.Core
	members []seedMember // Telegram members the messages come from
	update  atomic.Int64
	// tracePhase and traceFile: run's phase of that name is written as
	// an execution trace (-trace).
	tracePhase, traceFile string
}

// message is a Telegram group message from m with a fresh update id, as
// the Telegram adapter builds it, under the member's seeded name (a known
// member: nothing about them is rewritten).
func (c *coreLoad) message(m seedMember, command, args string) chat.Message {
	return chat.Message{Platform: m.platform, UpdateID: strconv.FormatInt(c.update.Add(1), 10),
		ClubChatID: m.club.ChatID, ClubName: m.club.Name, ChatID: m.club.ChatID,
		UserID: m.userID, UserName: m.name, Command: command, Args: args}
}

// run calls next from workers goroutines for d and times every call; next
// gets the worker's number and its call count and returns the message.
// The workers carry the pprof label phase=name, so a CPU profile
// (-cpuprofile) can be read one phase at a time (pprof -tagfocus).
func (c *coreLoad) run(ctx context.Context, name string, workers int, d time.Duration, next func(w, i int) chat.Message, check func([]chat.Reply) error) (stats, error) {
	ctx = pprof.WithLabels(ctx, pprof.Labels("phase", name))
	if name == c.tracePhase && c.traceFile != "" {
		stop, err := startTrace(c.traceFile)
		if err != nil {
			return stats{}, err
		}
		defer stop()
	}
	var wg sync.WaitGroup
	lats := make([][]time.Duration, workers)
	errs := make([]error, workers)
	cpu0 := processCPU()
	start := time.Now()
	deadline := start.Add(d)
	for w := range workers {
		wg.Go(func() {
			pprof.SetGoroutineLabels(ctx)
			for i := 0; time.Now().Before(deadline); i++ {
				m := next(w, i)
				t := time.Now()
				rs := c.core.Handle(ctx, m)
				lats[w] = append(lats[w], time.Since(t))
				if err := check(rs); err != nil && errs[w] == nil {
					errs[w] = fmt.Errorf("%s %q: %w", m.Command+m.Button, m.Args, err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := processCPU() - cpu0
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	for _, err := range errs {
		if err != nil {
			return stats{}, err
		}
	}
	st := summarize(all, elapsed)
	st.cpu = cpu
	return st, nil
}

func textOf(rs []chat.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text)
		b.WriteString("\n")
	}
	return b.String()
}

func expect(prefix string) func([]chat.Reply) error {
	return func(rs []chat.Reply) error {
		if t := textOf(rs); !strings.Contains(t, prefix) {
			return fmt.Errorf("unexpected reply %q", t)
		}
		return nil
	}
}

// coreResults are the three commands' figures, a first contact's /log,
// and the writer's units per commit over the /log phase (0 when the
// store does not say).
type coreResults struct {
	ask, log, press, firstLog stats
	pressMembers              int
	logPerCommit              float64
}

// writerStats is the SQLite store's group-commit count.
type writerStats interface {
	WriterStats() (commits, writers int64)
}

// measureCore runs /ask, /log and a plan-feedback press, one after the
// other, each for d from workers goroutines, on the seeded database, from
// known members (seen in their club before, under their seeded names);
// then /log again from members the bot has never seen (first contact).
func measureCore(ctx context.Context, b *bot.Bot, store bot.ReachStore, sd seeded, o options) (coreResults, error) {
	var res coreResults
	workers, d := o.workers, o.duration
	c := &coreLoad{core: ops.NewMetrics().Core(b), tracePhase: o.tracePhase, traceFile: o.traceFile}
	var pressers []seedMember
	for _, m := range sd.members {
		if m.platform != chat.PlatformTelegram {
			continue
		}
		// Known members: each has spoken in the club before (untimed).
		if err := store.SeenInClub(ctx, m.club.ID, m.id, ""); err != nil {
			return res, err
		}
		c.members = append(c.members, m)
		if m.consent && len(pressers) < 1000 {
			pressers = append(pressers, m)
		}
	}
	if len(c.members) < workers || len(pressers) < workers {
		return res, fmt.Errorf("too few Telegram members (%d) for %d workers", len(c.members), workers)
	}
	// member picks worker w's i-th member; workers never share one, as
	// different members' messages arrive at once in production.
	member := func(list []seedMember, w, i int) seedMember {
		per := len(list) / workers
		return list[w*per+i%per]
	}

	qs := kbQuestions()
	var err error
	res.ask, err = c.run(ctx, "ask", workers, d, func(w, i int) chat.Message {
		return c.message(member(c.members, w, i), "ask", qs[(w*7919+i)%len(qs)])
	}, func(rs []chat.Reply) error {
		// A phrasing the search misses gets an honest "I don't know",
		// which is a correct reply; only an internal error is not.
		if t := textOf(rs); t == "" || strings.HasPrefix(t, "Sorry, something went wrong") {
			return fmt.Errorf("unexpected reply %q", t)
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("/ask: %w", err)
	}

	logs := []string{"easy 8km 45min rpe 3", "tempo 10km 50min rpe 7", "long 18km 1h45", "intervals 9km 50min rpe 8 yesterday"}
	ws, _ := store.(writerStats)
	var c0, w0 int64
	if ws != nil {
		c0, w0 = ws.WriterStats()
	}
	res.log, err = c.run(ctx, "log", workers, d, func(w, i int) chat.Message {
		return c.message(member(c.members, w, i), "log", logs[i%len(logs)])
	}, expect("Logged:"))
	if err != nil {
		return res, fmt.Errorf("/log: %w", err)
	}
	if ws != nil {
		if c1, w1 := ws.WriterStats(); c1 > c0 {
			res.logPerCommit = float64(w1-w0) / float64(c1-c0)
		}
	}

	// Every presser starts a plan the real way (/raced), untimed; the
	// timed presses alternate Hurting and Fresh per member, so each one
	// changes and saves the plan.
	plans := map[string]string{}
	for _, m := range pressers {
		rs := c.core.Handle(ctx, c.message(m, "raced", "10k yesterday"))
		id := planID(rs)
		if id == "" {
			return res, fmt.Errorf("/raced gave no plan buttons: %q", textOf(rs))
		}
		plans[m.userID] = id
	}
	res.pressMembers = len(pressers)
	per := len(pressers) / workers
	res.press, err = c.run(ctx, "press", workers, d, func(w, i int) chat.Message {
		m := member(pressers, w, i)
		fb := coach.FeedbackHurting
		if (i/per)%2 == 1 {
			fb = coach.FeedbackFresh
		}
		msg := c.message(m, "", "")
		msg.Button = "plan:" + plans[m.userID] + ":" + string(fb)
		return msg
	}, func(rs []chat.Reply) error {
		if t := textOf(rs); strings.Contains(t, "Sorry") || strings.Contains(t, "expired") || strings.Contains(t, "ended") {
			return fmt.Errorf("unexpected reply %q", t)
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("plan press: %w", err)
	}

	// First contact: every message is from a member never seen before,
	// so the bot stores the member and their club membership first.
	var fresh atomic.Int64
	res.firstLog, err = c.run(ctx, "log-first", workers, d, func(w, i int) chat.Message {
		m := member(c.members, w, i)
		n := fresh.Add(1)
		m.userID, m.name = strconv.FormatInt(760000000+n, 10), "newcomer "+strconv.FormatInt(n, 10)
		return c.message(m, "log", logs[i%len(logs)])
	}, expect("Logged:"))
	if err != nil {
		return res, fmt.Errorf("/log, first contact: %w", err)
	}
	return res, nil
}

// planID finds the plan id in Fresh/Sore/Hurting button data.
func planID(rs []chat.Reply) string {
	for _, r := range rs {
		for _, row := range r.Buttons {
			for _, btn := range row {
				if rest, ok := strings.CutPrefix(btn.Data, "plan:"); ok {
					id, _, _ := strings.Cut(rest, ":")
					return id
				}
			}
		}
	}
	return ""
}

// fanout is one scheduler Tick at the instant every post and morning
// message is due, as `shakeout run`'s minute tick calls it, with a fresh
// scheduler (so the job list is loaded inside the timing, as on the first
// tick after a refresh).
type fanout struct {
	elapsed  time.Duration
	enqueued int
	slots    int
	rss, hwm int64
}

func measureFanout(ctx context.Context, b *bot.Bot, clk *clock, at time.Time, sampleRSS func() (int64, int64)) (fanout, error) {
	clk.Set(at)
	sched, err := schedules.New(schedules.Deps{Core: b, Now: clk.Now})
	if err != nil {
		return fanout{}, err
	}
	var peak atomic.Int64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			rss, _ := sampleRSS()
			if rss > peak.Load() {
				peak.Store(rss)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	res, err := sched.Tick(ctx, at)
	elapsed := time.Since(start)
	close(done)
	<-sampled
	if err != nil {
		return fanout{}, err
	}
	jobs, err := b.Jobs(ctx)
	if err != nil {
		return fanout{}, err
	}
	_, hwm := sampleRSS()
	return fanout{elapsed: elapsed, enqueued: res.Enqueued, slots: len(schedules.DueSlots(jobs, at)), rss: peak.Load(), hwm: hwm}, nil
}
