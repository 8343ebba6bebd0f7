// Command loadtest measures Shakeout at a club-network scale and prints
// the figures BENCHMARKS.md quotes:
//
//	go run ./internal/loadtest -members 10000 -clubs 200
//
// Everything happens in a fresh temp directory, on 127.0.0.1 only:
//
//  1. Seed: a database with the clubs (half Telegram, half Discord, morning
//     post at the chosen instant) and members (17 in 20 with morning
//     messages on, at the same instant; 3 in 10 with three weeks of logs),
//     written through the store's own methods.
//  2. Q&A: bot.Ask over every phrasing of the knowledge base, -qa-passes
//     times, one at a time; p50/p99 answer time.
//  3. Core: /ask, /log and a press on a post-race plan's feedback buttons
//     (alternating Hurting and Fresh, so each press saves the plan), each
//     for -duration from -workers goroutines through the real handler
//     (ops.Metrics around bot.Handle, as `shakeout run` wires it), as
//     Telegram group messages with update ids; commands/s and p50/p99.
//  4. Fan-out: one scheduler Tick at the due instant, as `shakeout run`'s
//     minute tick calls it: every club post and morning message built and
//     put in the outbox. The tool's own RSS is sampled meanwhile.
//  5. Delivery: a database of its own with -deliver members on each
//     platform; the fan-out is delivered by the real dispatcher through the
//     real Telegram and Discord Senders to the loopback fakes
//     (adapters/*/…test); messages/s as the fakes saw them, against the
//     adapters' pace (Telegram 30/s, Discord 50 requests/s, each counted
//     by arrival) and the platforms' limits (30/s, 50/s), and the fakes'
//     violation counts. The
//     fakes need a testing.TB: the tool runs them inside
//     testing.Benchmark, which hands a real *testing.B to a function
//     outside `go test` (see inTB). The phase is bounded by -deliver so it
//     ends in well under a minute.
//  6. Memory and start-up, on the real binary (built with go build into the
//     temp dir, or -binary): `shakeout run` with Telegram pointed at the
//     fake, on a copy of the seeded database whose fan-out is due (within
//     the 2 h catch-up), so its first tick builds all of it; VmRSS sampled
//     every 10 ms and VmHWM, while the fan-out runs and -linger after.
//     Then -startup-runs starts on that copy (now with today's slots
//     handled and a backlog in the outbox): process start to the first
//     getUpdates reaching the fake (the bot is receiving), and to its
//     "running" line (after the first scheduler tick).
//  7. (g), run after (d): the Telegram fan-out at the limit: -tg-fanout
//     members (1,000) in two Telegram groups, delivered through the real Sender to the fake; the
//     time to the last arrival, and the arrivals as the fake saw them: the
//     most in any 1 s window (30 allowed), per chat in 1 s (1) and per
//     group in 60 s (20).
//
// It exits non-zero when any phase fails, a reply is wrong, a message is
// missing or a fake records a violation.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord"
	"github.com/shakeoutbot/shakeout/adapters/telegram"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
)

type options struct {
	members, clubs, workers, qaPasses, deliver, startupRuns, tgFanout int
	duration, linger                                                  time.Duration
	binary, dir, postgres, cpuProfile, traceFile, tracePhase          string
	keep, coreOnly                                                    bool
}

func main() {
	var o options
	flag.IntVar(&o.members, "members", 10000, "members to seed")
	flag.IntVar(&o.clubs, "clubs", 200, "clubs to seed")
	flag.IntVar(&o.workers, "workers", 4, "concurrent senders in the core phase")
	flag.DurationVar(&o.duration, "duration", 3*time.Second, "how long each core command is driven")
	flag.IntVar(&o.qaPasses, "qa-passes", 5, "passes over the knowledge base's phrasings")
	flag.IntVar(&o.deliver, "deliver", 300, "members per platform in the delivery phase (each gets one message; the bound keeps the phase under a minute)")
	flag.IntVar(&o.tgFanout, "tg-fanout", 1000, "Telegram members in the fan-out-at-the-limit phase (0 skips it)")
	flag.IntVar(&o.startupRuns, "startup-runs", 5, "start-up timings of the real binary (0 skips the binary phases)")
	flag.DurationVar(&o.linger, "linger", 3*time.Second, "how long the memory run goes on after its fan-out")
	flag.StringVar(&o.binary, "binary", "", "shakeout binary to time (default: go build one)")
	flag.StringVar(&o.dir, "dir", "", "work directory (default: a fresh temp dir, removed afterwards)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory")
	flag.StringVar(&o.postgres, "postgres", "", "run (a)-(c) on this PostgreSQL database (the seed copied there as migrate-db does); its tables must be empty")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the core phase (a) to this file (pprof -tagfocus phase=^log$ reads one command's part)")
	flag.StringVar(&o.traceFile, "trace", "", "write an execution trace of one core phase (-trace-phase) to this file")
	flag.StringVar(&o.tracePhase, "trace-phase", "log", "the core phase -trace covers: ask, log, press or log-first")
	flag.BoolVar(&o.coreOnly, "core-only", false, "stop after the core phase (a)")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/1e6) }

func run(ctx context.Context, o options) error {
	if o.members < o.clubs || o.clubs < 2 || o.workers < 1 || o.deliver < 2 {
		return errors.New("need -clubs ≥ 2, -members ≥ -clubs, -workers ≥ 1, -deliver ≥ 2")
	}
	dir := o.dir
	if dir == "" {
		d, err := os.MkdirTemp("", "shakeout-load-")
		if err != nil {
			return err
		}
		dir = d
		if !o.keep {
			defer os.RemoveAll(dir)
		}
	}
	fmt.Printf("Shakeout load test: %d members, %d clubs; %s, GOMAXPROCS %d, %s\n", o.members, o.clubs,
		runtime.Version(), runtime.GOMAXPROCS(0), cpuModel())
	fmt.Printf("work directory %s\n\n", dir)

	// The due instant: this minute, so the real binary later finds the
	// fan-out due within its catch-up window.
	at := time.Now().UTC().Truncate(time.Minute)
	db := filepath.Join(dir, "load.db")
	clk := newClock(at)
	s, err := sqlite.Open(ctx, db, sqlite.Options{Now: clk.Now})
	if err != nil {
		return err
	}
	t0 := time.Now()
	sd, err := seed(ctx, s, clk, at, o.members, o.clubs, []chat.Platform{chat.PlatformTelegram, chat.PlatformDiscord})
	if err != nil {
		s.Close()
		return fmt.Errorf("seed: %w", err)
	}
	if err := s.Close(); err != nil { // checkpoints the WAL into the file
		return err
	}
	fmt.Printf("seeded in %.1f s (due instant %s UTC)\n", time.Since(t0).Seconds(), at.Format("2006-01-02 15:04"))
	snapshot := filepath.Join(dir, "snapshot.db")
	if err := copyFile(snapshot, db); err != nil {
		return err
	}

	// Opened as `shakeout run` opens it: holding the instance lease.
	s, err = sqlite.Open(ctx, db, sqlite.Options{Now: clk.Now, Lease: &sqlite.LeaseOptions{}})
	if err != nil {
		return err
	}
	defer s.Close()
	var store storeUnderLoad = s
	storeName := "SQLite on disk"
	if o.postgres != "" {
		if store, err = onPostgres(ctx, o.postgres, db, clk); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		defer store.Close()
		storeName = "PostgreSQL"
	}
	b, err := bot.New(bot.Deps{Store: store, Now: clk.Now})
	if err != nil {
		return err
	}

	qa, entries, err := measureQA(ctx, store, o.qaPasses)
	if err != nil {
		return fmt.Errorf("q&a: %w", err)
	}
	fmt.Printf("\n(b) Q&A: bot.Ask over %d phrasings × %d passes, one at a time\n", entries, o.qaPasses)
	fmt.Printf("    p50 %s   p99 %s   max %s   (goal p99 ≤ 1 ms)\n", ms(qa.p50), ms(qa.p99), ms(qa.max))

	clk.Set(at.Add(-30 * time.Minute))
	stopProfile, err := startCPUProfile(o.cpuProfile)
	if err != nil {
		return err
	}
	core, err := measureCore(ctx, b, store, sd, o)
	if perr := stopProfile(); err == nil {
		err = perr
	}
	if err != nil {
		return fmt.Errorf("core: %w", err)
	}
	fmt.Printf("\n(a) Core: %d workers, %v per command, through ops.Metrics + bot.Handle, %s\n", o.workers, o.duration, storeName)
	for _, c := range []struct {
		name string
		st   stats
	}{{"/ask", core.ask}, {"/log", core.log}, {"plan button", core.press}} {
		fmt.Printf("    %-12s %8.0f commands/s   p50 %s   p99 %s   max %s   (%d commands; CPU %.0f µs each, %.2f cores busy)\n", c.name, c.st.rate(),
			ms(c.st.p50), ms(c.st.p99), ms(c.st.max), c.st.n, float64(c.st.perOp().Nanoseconds())/1e3, c.st.cores())
	}
	fmt.Printf("    (goal ≥ 10,000 commands/s with p99 ≤ 2 ms, known members; the button presses cycle over %d members)\n", core.pressMembers)
	if core.logPerCommit > 0 {
		fmt.Printf("    /log: %.2f units of work per commit (group commit)\n", core.logPerCommit)
	}
	fmt.Printf("    %-12s %8.0f commands/s   p50 %s   p99 %s   max %s   (%d commands; each from a member never seen before)\n", "/log first", core.firstLog.rate(),
		ms(core.firstLog.p50), ms(core.firstLog.p99), ms(core.firstLog.max), core.firstLog.n)
	if o.coreOnly {
		return nil
	}

	runtime.GC()
	fo, err := measureFanout(ctx, b, clk, at, func() (int64, int64) { return procStatus("self") })
	if err != nil {
		return fmt.Errorf("fan-out: %w", err)
	}
	fmt.Printf("\n(c) Fan-out: one scheduler Tick at the due instant, %s\n", storeName)
	fmt.Printf("    %d slots due, %d messages enqueued in %.3f s (%.0f µs a slot)   (goal < 2 s for 10,000 members in 200 clubs)\n",
		fo.slots, fo.enqueued, fo.elapsed.Seconds(), float64(fo.elapsed.Microseconds())/float64(max(1, fo.slots)))
	fmt.Printf("    this tool's own VmRSS during the tick: peak %s, VmHWM so far %s (the bot's own figure is (e))\n", mb(fo.rss), mb(fo.hwm))

	dl, err := measureDelivery(ctx, dir, o.deliver, at, time.Duration(o.deliver/10+60)*time.Second)
	if err != nil {
		return fmt.Errorf("delivery: %w", err)
	}
	fmt.Printf("\n(d) Delivery: %d messages (%d members + 2 club posts on each platform), one dispatcher, real Senders, loopback fakes; %.1f s in all\n",
		dl.enqueued, o.deliver, dl.total.Seconds())
	for _, p := range []struct {
		name           string
		d              delivered
		ceiling, limit float64
		unit           string
	}{
		{"Telegram", dl.telegram, telegram.DefaultPerSecond, 30, "messages/s"},
		{"Discord", dl.discord, discord.GlobalRequestsPerSecond, 50, "requests/s"},
	} {
		fmt.Printf("    %-9s %d messages in %.2f s: %.2f messages/s, %.2f requests/s = %.1f%% of the adapter's %.0f %s (platform limit %.0f); %d violations\n",
			p.name, p.d.messages, p.d.window.Seconds(), p.d.rate, p.d.reqRate, 100*p.d.reqRate/p.ceiling, p.ceiling, p.unit, p.limit, len(p.d.violations))
		for _, v := range p.d.violations {
			fmt.Printf("        violation: %s\n", v)
		}
	}
	if len(dl.telegram.violations)+len(dl.discord.violations) > 0 {
		return errors.New("the fakes recorded limit violations")
	}

	if o.tgFanout > 0 {
		tf, err := measureTelegramFanout(ctx, dir, o.tgFanout, at, time.Duration(o.tgFanout/10+60)*time.Second)
		if err != nil {
			return fmt.Errorf("telegram fan-out: %w", err)
		}
		fmt.Printf("\n(g) Telegram fan-out at the limit: %d members in 2 groups, one dispatcher, the real Sender, the loopback fake\n", o.tgFanout)
		fmt.Printf("    %d messages in %.2f s (dispatcher start → last arrival; %.2f messages/s between first and last)   (goal ≤ 35 s for 1,000)\n",
			tf.messages, tf.total.Seconds(), tf.rate)
		fmt.Printf("    most in any 1 s window %d, windows over 30: %d; most to one chat in 1 s %d; most to one group in 60 s %d; %d violations\n",
			tf.maxSecond, tf.over30, tf.maxChat, tf.maxGroup, len(tf.violations))
		for _, v := range tf.violations {
			fmt.Printf("        violation: %s\n", v)
		}
		if len(tf.violations) > 0 || tf.over30 > 0 || tf.maxChat > 1 || tf.maxGroup > 20 {
			return errors.New("the Telegram fan-out went over a limit")
		}
	}

	if o.startupRuns <= 0 {
		fmt.Println("\n(e), (f) skipped (-startup-runs 0)")
		return nil
	}
	bin := o.binary
	if bin == "" {
		if bin, err = buildBinary(ctx, dir); err != nil {
			return err
		}
	}
	memDB := filepath.Join(dir, "binary.db")
	if err := copyFile(memDB, snapshot); err != nil {
		return err
	}
	mem, err := runBinary(ctx, bin, memDB, o.linger)
	if err != nil {
		return fmt.Errorf("memory run: %w", err)
	}
	fmt.Printf("\n(e) Memory: `shakeout run` (Telegram on the fake) on the seeded %d-member database, whose fan-out is due\n", o.members)
	fmt.Printf("    first tick (fan-out) done %.2f s after start; peak VmRSS %s, VmHWM %s over that and %v of delivery (%d messages sent)   (goal ≤ 50 MB)\n",
		mem.running.Seconds(), mb(mem.peakRSS), mb(mem.hwm), o.linger, mem.sent)

	var polls, runs []time.Duration
	for range o.startupRuns {
		obs, err := runBinary(ctx, bin, memDB, 0)
		if err != nil {
			return fmt.Errorf("start-up run: %w", err)
		}
		polls = append(polls, obs.firstPoll)
		runs = append(runs, obs.running)
	}
	fmt.Printf("\n(f) Start-up: `shakeout run` on that %d-member database (slots handled, outbox backlog), %d runs\n", o.members, o.startupRuns)
	fmt.Printf("    process start → first getUpdates: median %s (runs %s)   (goal ≤ 200 ms)\n", ms(median(polls)), list(polls))
	fmt.Printf("    process start → \"running\" line (first tick done): median %s (runs %s)\n", ms(median(runs)), list(runs))
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func list(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%.0f", float64(d)/1e6))
	}
	return strings.Join(parts, ", ") + " ms"
}

func cpuModel() string {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
