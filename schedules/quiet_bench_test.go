package schedules_test

import (
	"context"
	"testing"
	"time"
)

// BenchmarkTickQuiet is the scheduler's tick in a minute when nothing falls
// due, the cost `shakeout run` pays every other minute of the day: 10,000
// members in 200 clubs whose posts and morning messages were all handled
// at 06:30. ns/op is one tick.
func BenchmarkTickQuiet(b *testing.B) {
	const members, clubs = 10000, 200
	ctx := context.Background()
	base := time.Date(2026, 6, 8, 6, 30, 0, 0, time.UTC)
	sched, clock := benchClubs(b, base, members, clubs, nil)
	clock.Store(base.UnixNano())
	if _, err := sched.Tick(ctx, base); err != nil {
		b.Fatal(err)
	}
	for i := 1; b.Loop(); i++ {
		at := base.Add(time.Duration(i%600) * time.Minute)
		clock.Store(at.UnixNano())
		res, err := sched.Tick(ctx, at)
		if err != nil {
			b.Fatal(err)
		}
		if res.Enqueued != 0 {
			b.Fatalf("minute %d: enqueued %d, want nothing", i, res.Enqueued)
		}
	}
}
