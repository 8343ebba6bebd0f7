package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// The core benchmarks run the real bot.Handle on a SQLite file in a temp
// dir, with Telegram-shaped group messages (an update id each, so the inbox
// insert is part of every figure, as in production). BENCHMARKS.md quotes
// them; internal/loadtest measures the same paths concurrently at 10,000
// members.

// benchMembers is how many members the benchmark database holds.
const benchMembers = 1000

// benchStart is the benchmarks' clock: a Monday morning, fixed, so every
// run computes the same verdicts.
var benchStart = time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)

type benchRig struct {
	bot    *bot.Bot
	store  *sqlite.Store
	update atomic.Int64
}

const benchClubChat = "-1001000000001"

// newBenchRig opens a fresh on-disk database and seeds benchMembers
// members of one club, a third of them with three weeks of logs.
func newBenchRig(b *testing.B) *benchRig {
	b.Helper()
	ctx := context.Background()
	now := func() time.Time { return benchStart }
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{Now: now})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	bt, err := bot.New(bot.Deps{Store: s, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	club, err := s.EnsureClub(ctx, chat.PlatformTelegram, benchClubChat, "Harriers", "UTC")
	if err != nil {
		b.Fatal(err)
	}
	kinds := []coach.Kind{coach.KindEasy, coach.KindLong, coach.KindTempo, coach.KindIntervals, coach.KindRecovery}
	today := coach.DateOf(benchStart)
	for i := range benchMembers {
		m, err := s.EnsureMember(ctx, chat.PlatformTelegram, benchUser(i), "runner"+strconv.Itoa(i), club.ID, "")
		if err != nil {
			b.Fatal(err)
		}
		m.Nudges, m.Consent = true, bot.ConsentYes
		if err := s.UpdateMember(ctx, m, false); err != nil {
			b.Fatal(err)
		}
		// Every member has spoken in the group before.
		if err := s.SeenInClub(ctx, club.ID, m.ID, ""); err != nil {
			b.Fatal(err)
		}
		if i%3 != 0 {
			continue
		}
		for d := 21; d >= 1; d -= 2 {
			k := kinds[(i+d)%len(kinds)]
			sess := bot.LoggedSession{Session: coach.Session{Date: today.AddDays(-d), Kind: k, DistanceKm: 8, Minutes: 45, RPE: 5},
				TZ: "UTC", RPEGiven: true}
			if _, err := s.AddSession(ctx, m.ID, sess, benchStart.AddDate(0, 0, -d)); err != nil {
				b.Fatal(err)
			}
		}
	}
	return &benchRig{bot: bt, store: s}
}

func benchUser(i int) string { return strconv.Itoa(500000000 + i) }

// msg is a group message from member i with a fresh update id.
func (r *benchRig) msg(i int, command, args string) chat.Message {
	// The name as seeded: a member's message rewrites nothing about them.
	return chat.Message{Platform: chat.PlatformTelegram, UpdateID: strconv.FormatInt(r.update.Add(1), 10),
		ClubChatID: benchClubChat, ClubName: "Harriers", ChatID: benchClubChat, UserID: benchUser(i % benchMembers),
		UserName: "runner" + strconv.Itoa(i%benchMembers),
		Command:  command, Args: args}
}

func replyText(rs []chat.Reply) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.Text)
	}
	return strings.Join(parts, "\n")
}

// kbQuestions is every phrasing of every knowledge-base entry.
func kbQuestions() []string {
	var qs []string
	for _, e := range coach.Entries() {
		qs = append(qs, e.Phrasings...)
	}
	return qs
}

// BenchmarkHandleAsk is /ask in a group through bot.Handle: inbox insert,
// club and member upserts, the full-text search and the composed answer.
// The questions cycle through every phrasing of the knowledge base.
func BenchmarkHandleAsk(b *testing.B) {
	r := newBenchRig(b)
	ctx := context.Background()
	qs := kbQuestions()
	for i := 0; b.Loop(); i++ {
		rs := r.bot.Handle(ctx, r.msg(i, "ask", qs[i%len(qs)]))
		if i == 0 && !strings.Contains(replyText(rs), "Source") {
			b.Fatalf("/ask answered %q", replyText(rs))
		}
	}
}

// BenchmarkHandleLog is /log through bot.Handle. Each iteration stores one
// session, spread over all members (the table grows by b.N rows; an insert
// into its index is logarithmic, and /log reads no history).
func BenchmarkHandleLog(b *testing.B) {
	r := newBenchRig(b)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		rs := r.bot.Handle(ctx, r.msg(i, "log", "easy 8km 45min rpe 3"))
		if i == 0 && !strings.HasPrefix(replyText(rs), "Logged:") {
			b.Fatalf("/log answered %q", replyText(rs))
		}
	}
}

// BenchmarkHandlePlanButton is a press on the post-race plan's feedback
// buttons, the ones under every morning plan step. Each member alternates
// Hurting and Fresh, so every press changes and saves the plan (one row per
// member, updated in place: nothing grows).
func BenchmarkHandlePlanButton(b *testing.B) {
	r := newBenchRig(b)
	ctx := context.Background()
	plans := make([]string, benchMembers)
	for i := range benchMembers {
		rs := r.bot.Handle(ctx, r.msg(i, "raced", "10k yesterday"))
		plans[i] = planID(rs)
		if plans[i] == "" {
			b.Fatalf("no plan buttons in /raced reply %q", replyText(rs))
		}
	}
	for i := 0; b.Loop(); i++ {
		fb := coach.FeedbackHurting
		if (i/benchMembers)%2 == 1 {
			fb = coach.FeedbackFresh
		}
		m := r.msg(i, "", "")
		m.Button = fmt.Sprintf("plan:%s:%s", plans[i%benchMembers], fb)
		rs := r.bot.Handle(ctx, m)
		if i == 0 && !strings.Contains(replyText(rs), "rest") {
			b.Fatalf("plan press answered %q", replyText(rs))
		}
	}
}

// planID finds the plan id in the Fresh/Sore/Hurting buttons of replies.
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

// BenchmarkAsk is bot.Ask alone (search and compose, no inbox or member
// upserts) over every phrasing of every knowledge-base entry; ns/op is the
// mean answer time per question.
func BenchmarkAsk(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "ask.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	qs := kbQuestions()
	unknown := 0
	i := 0
	for ; b.Loop(); i++ {
		a, err := bot.Ask(ctx, s, qs[i%len(qs)])
		if err != nil {
			b.Fatal(err)
		}
		if !a.Known {
			unknown++
		}
	}
	// The share of questions answered "I don't know", for reading the
	// figure: such an answer skips composing.
	b.ReportMetric(float64(unknown)/float64(i), "unknown/op")
}

// BenchmarkHandleLogParallel is /log from four goroutines at once on two
// cores (2×GOMAXPROCS), as the load tool's core phase drives it: the
// writer's group commit shows here, not in the one-at-a-time figure.
func BenchmarkHandleLogParallel(b *testing.B) {
	r := newBenchRig(b)
	var n atomic.Int64
	b.SetParallelism(2)
	c0, w0 := r.store.WriterStats()
	defer func() {
		c, w := r.store.WriterStats()
		if c > c0 {
			b.ReportMetric(float64(w-w0)/float64(c-c0), "writers/commit")
		}
	}()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			m := r.msg(i, "log", "easy 8km 45min rpe 3")
			m.UserName = "runner" + strconv.Itoa(i%benchMembers) // as seeded: no member write
			if rs := r.bot.Handle(context.Background(), m); !strings.HasPrefix(replyText(rs), "Logged:") {
				b.Errorf("/log answered %q", replyText(rs))
				return
			}
		}
	})
}
