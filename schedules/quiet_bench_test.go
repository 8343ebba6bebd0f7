package schedules_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/schedules"
)

// BenchmarkTickQuiet is the scheduler's tick in a minute when nothing falls
// due, the cost `shakeout run` pays every other minute of the day: 10,000
// members in 200 clubs whose posts and morning messages were all handled
// at 06:30. ns/op is one tick.
func BenchmarkTickQuiet(b *testing.B) {
	const members, clubs = 10000, 200
	ctx := context.Background()
	base := time.Date(2026, 6, 8, 6, 30, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(base.Add(-24 * time.Hour).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "quiet.db"), sqlite.Options{Now: now})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	core, err := bot.New(bot.Deps{Store: s, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	var clubIDs []int64
	for c := range clubs {
		club, err := s.EnsureClub(ctx, chat.PlatformTelegram, fmt.Sprintf("-100%010d", c+1), fmt.Sprintf("Club %d", c), "UTC")
		if err != nil {
			b.Fatal(err)
		}
		club.PostTime, club.PostOn = "06:30", true
		if err := s.UpdateClub(ctx, club); err != nil {
			b.Fatal(err)
		}
		clubIDs = append(clubIDs, club.ID)
	}
	for i := range members {
		m, err := s.EnsureMember(ctx, chat.PlatformTelegram, strconv.Itoa(600000000+i), "runner", clubIDs[i%clubs], "")
		if err != nil {
			b.Fatal(err)
		}
		m.Nudges, m.NudgeTime = i%10 != 0, "06:30"
		if err := s.UpdateMember(ctx, m, false); err != nil {
			b.Fatal(err)
		}
	}
	sched, err := schedules.New(schedules.Deps{Core: core, Now: now})
	if err != nil {
		b.Fatal(err)
	}
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
