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
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/schedules"
)

// benchClubs is a database for the tick benchmarks: clubs on Telegram
// posting at 06:30 and members round them, 9 in 10 with a 06:30 morning
// message. each, if given, runs for every member once saved (to add logs).
// The clock starts a day before base; the benchmark moves it.
func benchClubs(b *testing.B, base time.Time, members, clubs int, each func(s *sqlite.Store, i int, m bot.Member)) (*schedules.Scheduler, *atomic.Int64) {
	b.Helper()
	ctx := context.Background()
	clock := new(atomic.Int64)
	clock.Store(base.Add(-24 * time.Hour).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{Now: now})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
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
		club.PostTime, club.PostOn = input.Clock{Hour: 6, Minute: 30}, true
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
		m.Nudges, m.NudgeTime = i%10 != 0, input.Clock{Hour: 6, Minute: 30}
		if err := s.UpdateMember(ctx, m, false); err != nil {
			b.Fatal(err)
		}
		if each != nil {
			each(s, i, m)
		}
	}
	sched, err := schedules.New(schedules.Deps{Core: core, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	return sched, clock
}
