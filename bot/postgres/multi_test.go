package postgres_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/internal/storetest"
	"github.com/shakeoutbot/shakeout/outbox"
)

// These tests need a real PostgreSQL: pgtests lists them, and .ci/run
// runs them against a throwaway cluster (internal/pgtest/pg.sh). Without
// SHAKEOUT_TEST_POSTGRES they are not selected: each one checks in with
// pgOnly, which runs its body only on PostgreSQL and says so.

// pgOnly runs body when the tests run on PostgreSQL.
func pgOnly(t *testing.T, body func(t *testing.T, url string)) {
	t.Helper()
	if storetest.Kind() != "postgres" {
		t.Logf("runs on PostgreSQL only: set %s (internal/pgtest/pg.sh start prints one)", storetest.EnvPostgres)
		return
	}
	body(t, storetest.Schema(t))
}

func open(t *testing.T, url string, ttl time.Duration) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), url, postgres.Options{InstanceTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Two instances on one database: one holds the tick lease at a time; the
// other takes it once the holder is gone (its lease ran out).
func TestTickLeaseOneHolderAndTakeover(t *testing.T) {
	pgOnly(t, func(t *testing.T, url string) {
		ctx := t.Context()
		a, b := open(t, url, time.Second), open(t, url, time.Second)
		la, lb := a.TickLease(time.Second), b.TickLease(time.Second)
		if held, err := la.Held(ctx); err != nil || !held {
			t.Fatalf("first instance: held=%v err=%v, want the lease", held, err)
		}
		if held, err := lb.Held(ctx); err != nil || held {
			t.Fatalf("second instance: held=%v err=%v, want no lease while the first holds it", held, err)
		}
		if held, err := la.Held(ctx); err != nil || !held {
			t.Fatalf("first instance renewing: held=%v err=%v", held, err)
		}
		// The holder stops renewing (as a killed process does): the
		// second takes over once the lease has run out.
		deadline := time.Now().Add(30 * time.Second)
		for {
			held, err := lb.Held(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if held {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the second instance never took the lease over")
			}
			time.Sleep(100 * time.Millisecond)
		}
		if held, _ := la.Held(ctx); held {
			t.Fatal("the old holder still thinks it holds the lease")
		}
		h, ok, err := lb.TickHolder(ctx)
		if err != nil || !ok || h.Instance != b.Instance() {
			t.Fatalf("holder = %+v, %v, %v; want the second instance", h, ok, err)
		}
	})
}

// Dispatchers on four instances claim a shared outbox at once: every row
// is claimed exactly once (FOR UPDATE SKIP LOCKED).
func TestClaimsAcrossInstancesTakeEachRowOnce(t *testing.T) {
	pgOnly(t, func(t *testing.T, url string) {
		ctx := t.Context()
		stores := []*postgres.Store{open(t, url, 0), open(t, url, 0), open(t, url, 0), open(t, url, 0)}
		now := time.Now()
		const n = 600
		var items []outbox.Item
		for i := range n {
			items = append(items, outbox.Item{Key: fmt.Sprintf("k%d", i),
				To:    chat.Recipient{Platform: chat.PlatformDiscord, ChatID: fmt.Sprintf("c%d", i)},
				Reply: chat.Reply{Text: "morning"}})
		}
		if k, err := stores[0].Enqueue(ctx, items, now); err != nil || k != n {
			t.Fatalf("enqueue = %d, %v", k, err)
		}
		// A second enqueue of the same keys, from another instance, adds nothing.
		if k, err := stores[1].Enqueue(ctx, items, now); err != nil || k != 0 {
			t.Fatalf("enqueue again = %d, %v; want 0", k, err)
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for i, s := range stores {
			wg.Go(func() {
				token := fmt.Sprintf("d%d", i)
				for {
					cs, err := s.Claim(ctx, []chat.Platform{chat.PlatformDiscord}, token, now, now.Add(time.Minute), 7)
					if err != nil {
						t.Error(err)
						return
					}
					if len(cs) == 0 {
						return
					}
					for _, c := range cs {
						mu.Lock()
						seen[c.ID]++
						mu.Unlock()
						if err := s.MarkSent(ctx, c.ID, token, now); err != nil {
							t.Error(err)
							return
						}
					}
				}
			})
		}
		wg.Wait()
		if len(seen) != n {
			t.Fatalf("%d rows claimed, want %d", len(seen), n)
		}
		for id, k := range seen {
			if k != 1 {
				t.Fatalf("row %d claimed %d times", id, k)
			}
		}
		counts, err := stores[2].OutboxCounts(ctx)
		if err != nil || counts[outbox.Sent] != n {
			t.Fatalf("counts = %v, %v; want %d sent", counts, err, n)
		}
	})
}

// The same update delivered to two instances at once is handled once: the
// inbox's primary key makes the second unit a redelivery.
func TestUpdateOnTwoInstancesHandledOnce(t *testing.T) {
	pgOnly(t, func(t *testing.T, url string) {
		ctx := t.Context()
		a, b := open(t, url, 0), open(t, url, 0)
		club, err := a.EnsureClub(ctx, chat.PlatformConsole, "c1", "Harriers", "UTC")
		if err != nil {
			t.Fatal(err)
		}
		m, err := a.EnsureMember(ctx, chat.PlatformConsole, "u1", "Ann", club.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		firsts := make([]bool, 2)
		for i, s := range []*postgres.Store{a, b} {
			wg.Go(func() {
				uctx, u, _, err := s.BeginUpdate(ctx, chat.PlatformConsole, "update-1")
				if err != nil {
					t.Error(err)
					return
				}
				_, werr := s.AddSession(uctx, m.ID, bot.LoggedSession{Session: coach.Session{Date: coach.DateOf(time.Now()), Kind: coach.KindEasy, DistanceKm: 5}, TZ: "UTC"}, time.Now())
				first, err := u.Finish(ctx, werr == nil)
				if err != nil {
					t.Error(err)
				}
				firsts[i] = first && werr == nil
			})
		}
		wg.Wait()
		if firsts[0] == firsts[1] {
			t.Fatalf("first deliveries = %v, want exactly one", firsts)
		}
		data, err := a.ExportMember(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(data["sessions"]); got != 1 {
			t.Fatalf("%d sessions stored, want 1", got)
		}
	})
}

// Claims of an instance whose heartbeat ran out go back to pending at the
// next Requeue; a live instance's claims stay.
func TestRequeueReleasesGoneInstanceClaims(t *testing.T) {
	pgOnly(t, func(t *testing.T, url string) {
		ctx := t.Context()
		live, gone := open(t, url, time.Minute), open(t, url, time.Minute)
		now := time.Now()
		for i, s := range []*postgres.Store{live, gone} {
			it := outbox.Item{Key: fmt.Sprintf("r%d", i), To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "1"}, Reply: chat.Reply{Text: "hi"}}
			if _, err := s.Enqueue(ctx, []outbox.Item{it}, now); err != nil {
				t.Fatal(err)
			}
			if cs, err := s.Claim(ctx, []chat.Platform{chat.PlatformTelegram}, fmt.Sprintf("tok%d", i), now, now.Add(time.Hour), 1); err != nil || len(cs) != 1 {
				t.Fatalf("claim: %v, %v", cs, err)
			}
		}
		// The second instance goes away without a word (its row stays
		// until it runs out; here it is made to have run out).
		if _, err := live.DB().ExecContext(ctx, `UPDATE instances SET expires_at = now() - interval '1 second' WHERE token = $1`, gone.Instance()); err != nil {
			t.Fatal(err)
		}
		// Requeue (a start) or the live instance's heartbeat releases the
		// gone one's claim, whichever comes first; the live claim stays.
		if _, err := live.Requeue(ctx); err != nil {
			t.Fatal(err)
		}
		counts, err := live.OutboxCounts(ctx)
		if err != nil || counts[outbox.Pending] != 1 || counts[outbox.Sending] != 1 {
			t.Fatalf("counts = %v, %v; want the gone instance's row pending and the live one's sending", counts, err)
		}
	})
}
