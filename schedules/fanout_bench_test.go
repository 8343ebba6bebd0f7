package schedules_test

import (
	"context"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/coach"
)

// BenchmarkTickFanout is one scheduler Tick at the instant every club post
// and morning message falls due: the job list is loaded, and each slot is
// built (club post, or the member's verdict) and put in the outbox with its
// slot record, as `shakeout run` does every minute. 1,000 members in 20
// clubs, 9 in 10 with morning messages on, a third with three weeks of
// logs. Each iteration is the next day, so every slot is new; the outbox
// grows by about 920 rows an iteration. ns/op is one whole fan-out; the
// per-slot figure is reported as ns/slot.
func BenchmarkTickFanout(b *testing.B) {
	const members, clubs = 1000, 20
	ctx := context.Background()
	base := time.Date(2026, 6, 8, 6, 30, 0, 0, time.UTC)
	today := coach.DateOf(base)
	kinds := []coach.Kind{coach.KindEasy, coach.KindLong, coach.KindTempo, coach.KindIntervals}
	sched, clock := benchClubs(b, base, members, clubs, func(s *sqlite.Store, i int, m bot.Member) {
		if i%3 != 0 {
			return
		}
		for d := 21; d >= 1; d -= 2 {
			x := bot.LoggedSession{Session: coach.Session{Date: today.AddDays(-d), Kind: kinds[(i+d)%len(kinds)],
				DistanceKm: 8, Minutes: 45, RPE: 5}, TZ: "UTC", RPEGiven: true}
			if _, err := s.AddSession(ctx, m.ID, x, base.AddDate(0, 0, -d)); err != nil {
				b.Fatal(err)
			}
		}
	})
	want := clubs + members - members/10
	slots := 0
	for i := 0; b.Loop(); i++ {
		at := base.AddDate(0, 0, i)
		clock.Store(at.UnixNano())
		res, err := sched.Tick(ctx, at)
		if err != nil {
			b.Fatal(err)
		}
		if res.Enqueued != want {
			b.Fatalf("day %d: enqueued %d, want %d", i, res.Enqueued, want)
		}
		slots += clubs + members
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(slots), "ns/slot")
}
