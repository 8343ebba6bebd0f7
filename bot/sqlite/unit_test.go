package sqlite_test

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

// copyFiles copies the database and its write-ahead log as they are on
// disk at this instant: what a machine that lost power now would restart
// with.
func copyFiles(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		src, err := os.Open(from + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.Create(to + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(dst, src); err != nil {
			t.Fatal(err)
		}
		src.Close()
		dst.Close()
	}
}

func logMsg(update string) chat.Message {
	return chat.Message{Platform: chat.PlatformTelegram, UpdateID: update, ClubChatID: "-100", ClubName: "Harriers",
		ChatID: "-100", UserID: "42", UserName: "Maya", Command: "log", Args: "tempo 8km 40min"}
}

func sessionsOf(t *testing.T, s *sqlite.Store) int {
	t.Helper()
	m, err := s.EnsureMember(t.Context(), chat.PlatformTelegram, "42", "", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	xs, err := s.SessionsSince(t.Context(), m.ID, coach.Date{Year: 2000, Month: 1, Day: 1})
	if err != nil {
		t.Fatal(err)
	}
	return len(xs)
}

// TestCrashBetweenInboxAndCommandRunsOnceOnRedelivery: the process dies
// after the update's inbox row is written and before the command's own
// write. The files as they are at that instant are what the restarted
// process finds; the platform then redelivers the update. The command runs
// exactly once: the inbox row was not kept without the command's write.
// The process that survived the failed attempt (a panic instead of a
// crash) also runs the redelivery exactly once.
func TestCrashBetweenInboxAndCommandRunsOnceOnRedelivery(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "crash.db")
	crashed := filepath.Join(dir, "after-crash.db")
	now := time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var once sync.Once
	s, err := sqlite.Open(ctx, path, sqlite.Options{Now: clock, AfterInbox: func(p chat.Platform, id string) {
		if id != "1001" {
			return
		}
		once.Do(func() {
			copyFiles(t, path, crashed)
			panic("crash injected after the inbox record")
		})
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b, err := bot.New(bot.Deps{Store: s, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	// Maya and her club exist before: the crash lands on the /log alone.
	if rs := b.Handle(ctx, logMsg("1000")); len(rs) != 1 || !strings.HasPrefix(rs[0].Text, "Logged:") {
		t.Fatalf("first /log = %+v", rs)
	}
	rs := b.Handle(ctx, logMsg("1001"))
	if len(rs) != 1 || !strings.HasPrefix(rs[0].Text, "Sorry") {
		t.Fatalf("the crashed /log answered %+v, want the apology", rs)
	}
	if _, err := os.Stat(crashed); err != nil {
		t.Fatalf("the hook did not run: %v", err)
	}

	// The restarted process, on the files as they were at the crash.
	r, err := sqlite.Open(ctx, crashed, sqlite.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n := sessionsOf(t, r); n != 1 {
		t.Fatalf("after the crash the file holds %d sessions, want 1 (the one before)", n)
	}
	rb, err := bot.New(bot.Deps{Store: r, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		rs := rb.Handle(ctx, logMsg("1001"))
		if i == 0 && (len(rs) != 1 || !strings.HasPrefix(rs[0].Text, "Logged:")) {
			t.Fatalf("the redelivered /log answered %+v", rs)
		}
		if i == 1 && len(rs) != 0 {
			t.Fatalf("a second redelivery answered %+v, want it dropped", rs)
		}
	}
	if n := sessionsOf(t, r); n != 2 {
		t.Errorf("after the redelivery: %d sessions, want 2", n)
	}

	// The surviving process: the panic undid the inbox row too.
	if n := sessionsOf(t, s); n != 1 {
		t.Fatalf("after the failed attempt: %d sessions, want 1", n)
	}
	b.Handle(ctx, logMsg("1001"))
	b.Handle(ctx, logMsg("1001"))
	if n := sessionsOf(t, s); n != 2 {
		t.Errorf("after redeliveries to the surviving process: %d sessions, want 2", n)
	}
}

// TestConcurrentUpdatesAllCommitted drives many members' /log at once:
// every update is answered once, every session and inbox row is committed
// (whatever batches the writer grouped them into), and redelivering all of
// them changes nothing.
func TestConcurrentUpdatesAllCommitted(t *testing.T) {
	ctx := t.Context()
	s := open(t, filepath.Join(t.TempDir(), "many.db"))
	b, err := bot.New(bot.Deps{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	const members, each = 16, 10
	msg := func(m, i int) chat.Message {
		return chat.Message{Platform: chat.PlatformTelegram, UpdateID: fmt.Sprintf("%d-%d", m, i), ClubChatID: "-100",
			ChatID: "-100", UserID: fmt.Sprint(100 + m), UserName: fmt.Sprint("runner", m), Command: "log", Args: "easy 5km"}
	}
	for round := range 2 {
		var wg sync.WaitGroup
		var mu sync.Mutex
		answered := 0
		for m := range members {
			wg.Go(func() {
				for i := range each {
					if rs := b.Handle(ctx, msg(m, i)); len(rs) > 0 {
						mu.Lock()
						answered++
						mu.Unlock()
						if !strings.HasPrefix(rs[0].Text, "Logged:") {
							t.Errorf("/log answered %q", rs[0].Text)
						}
					}
				}
			})
		}
		wg.Wait()
		want := members * each
		if round == 1 {
			want = 0
		}
		if answered != want {
			t.Errorf("round %d: %d updates answered, want %d", round, answered, want)
		}
	}
	for m := range members {
		mem, err := s.EnsureMember(ctx, chat.PlatformTelegram, fmt.Sprint(100+m), "", 0, "")
		if err != nil {
			t.Fatal(err)
		}
		xs, err := s.SessionsSince(ctx, mem.ID, coach.Date{Year: 2000, Month: 1, Day: 1})
		if err != nil || len(xs) != each {
			t.Errorf("member %d: %d sessions (%v), want %d", m, len(xs), err, each)
		}
	}
}

// TestLeaseOneInstance: a second Open with a lease on the same file is
// refused, naming the holder; a holder on this host whose process is gone,
// or whose lease ran out, is taken over; Close gives the lease up.
func TestLeaseOneInstance(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "lease.db")
	first, err := sqlite.Open(ctx, path, sqlite.Options{Lease: &sqlite.LeaseOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	_, err = sqlite.Open(ctx, path, sqlite.Options{Lease: &sqlite.LeaseOptions{}})
	var held *sqlite.HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second Open = %v, want a HeldError", err)
	}
	if held.Holder.PID != os.Getpid() || held.Holder.Host != host || held.Holder.Since.IsZero() {
		t.Errorf("holder = %+v, want pid %d on %s", held.Holder, os.Getpid(), host)
	}
	for _, want := range []string{path, fmt.Sprintf("pid %d", os.Getpid()), "host " + host, "since"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q lacks %q", err, want)
		}
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	// Closed: the lease was given up.
	second, err := sqlite.Open(ctx, path, sqlite.Options{Lease: &sqlite.LeaseOptions{}})
	if err != nil {
		t.Fatalf("Open after the holder closed: %v", err)
	}
	if second.Lease().TakenFrom != nil {
		t.Errorf("took over from %+v, but the lease was given up", second.Lease().TakenFrom)
	}
	second.Close()

	set := func(pid int, host string, expires time.Time) {
		db := rawDB(t, path)
		if _, err := db.ExecContext(ctx, `INSERT OR REPLACE INTO instance_lease (id, token, pid, host, since, expires_at)
			VALUES (1, 'other', ?, ?, ?, ?)`, pid, host, time.Now().Add(-time.Hour).UTC().Format(time.RFC3339Nano),
			expires.UTC().Format(time.RFC3339Nano)); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	for _, c := range []struct {
		name     string
		pid      int
		host     string
		expires  time.Time
		takeover bool
	}{
		{"gone process on this host", 1 << 30, host, time.Now().Add(time.Hour), true},
		{"lease ran out on another host", 4242, "elsewhere", time.Now().Add(-time.Second), true},
		{"live lease on another host", 4242, "elsewhere", time.Now().Add(time.Hour), false},
	} {
		set(c.pid, c.host, c.expires)
		s, err := sqlite.Open(ctx, path, sqlite.Options{Lease: &sqlite.LeaseOptions{}})
		if c.takeover {
			if err != nil {
				t.Errorf("%s: %v, want a takeover", c.name, err)
				continue
			}
			if tf := s.Lease().TakenFrom; tf == nil || tf.PID != c.pid || tf.Host != c.host {
				t.Errorf("%s: taken from %+v", c.name, tf)
			}
			s.Close()
			continue
		}
		if !errors.As(err, &held) || held.Holder.PID != c.pid || held.Holder.Host != c.host {
			t.Errorf("%s: %v, want a refusal naming pid %d on %s", c.name, err, c.pid, c.host)
		}
		if err == nil {
			s.Close()
		}
	}
}

// TestRequeueOnlyOverClaims: at start-up only rows whose claim is over go
// back to pending: the claim's lease ran out, or the instance that claimed
// it no longer holds the database. A live instance's rows stay claimed.
func TestRequeueOnlyOverClaims(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "requeue.db")
	live, err := sqlite.Open(ctx, path, sqlite.Options{Lease: &sqlite.LeaseOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	now := time.Now()
	var items []outbox.Item
	for i := range 3 {
		items = append(items, outbox.Item{Key: fmt.Sprint("k", i), To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: fmt.Sprint(i + 1)},
			Reply: chat.Reply{Text: "hi"}})
	}
	if _, err := live.Enqueue(ctx, items, now); err != nil {
		t.Fatal(err)
	}
	// The live instance claims one row, with a long lease.
	if rows, err := live.Claim(ctx, []chat.Platform{chat.PlatformTelegram}, "live", now, now.Add(time.Hour), 1); err != nil || len(rows) != 1 {
		t.Fatalf("claim: %v %v", rows, err)
	}
	// A process without the lease (a dead one's leftovers) claimed another
	// with a long lease, and a third was claimed with a lease already over.
	db := rawDB(t, path)
	defer db.Close()
	if _, err := db.ExecContext(ctx, `UPDATE outbox SET status = 'sending', claim_token = 'dead', instance = 'gone',
		lease_until = ? WHERE key = 'k1'`, now.Add(time.Hour).UTC().Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE outbox SET status = 'sending', claim_token = 'old', instance = ?,
		lease_until = ? WHERE key = 'k2'`, "x", now.Add(-time.Minute).UTC().Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	n, err := live.Requeue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := live.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || c[outbox.Sending] != 1 || c[outbox.Pending] != 2 {
		t.Errorf("requeued %d, outbox %v; want the dead instance's and the expired row back, the live claim kept", n, c)
	}
}

// TestPrune deletes inbox rows and finished outbox rows older than the
// cutoff and keeps everything newer or still waiting.
func TestPrune(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)
	clock := now
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "prune.db"), sqlite.Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	old := now.AddDate(0, 0, -40)
	clock = old
	if _, err := s.FirstDelivery(ctx, chat.PlatformTelegram, "old"); err != nil {
		t.Fatal(err)
	}
	clock = now
	if _, err := s.FirstDelivery(ctx, chat.PlatformTelegram, "new"); err != nil {
		t.Fatal(err)
	}
	to := chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "1"}
	for i, at := range []time.Time{old, old, now} {
		if _, err := s.Enqueue(ctx, []outbox.Item{{Key: fmt.Sprint("k", i), To: to, Reply: chat.Reply{Text: "x"}}}, at); err != nil {
			t.Fatal(err)
		}
	}
	// k0 sent long ago, k1 still pending since long ago, k2 sent now.
	rows, err := s.Claim(ctx, []chat.Platform{chat.PlatformTelegram}, "t", now, now.Add(time.Minute), 3)
	if err != nil || len(rows) != 3 {
		t.Fatal(rows, err)
	}
	for _, r := range rows {
		switch r.Key {
		case "k0":
			err = s.MarkSent(ctx, r.ID, "t", old)
		case "k1":
			err = s.Release(ctx, []int64{r.ID}, "t")
		case "k2":
			err = s.MarkSent(ctx, r.ID, "t", now)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	in, out, err := s.Prune(ctx, now.AddDate(0, 0, -30))
	if err != nil {
		t.Fatal(err)
	}
	if in != 1 || out != 1 {
		t.Errorf("pruned %d inbox and %d outbox rows, want 1 and 1", in, out)
	}
	if first, _ := s.FirstDelivery(ctx, chat.PlatformTelegram, "new"); first {
		t.Error("the recent inbox row was pruned")
	}
	c, _ := s.OutboxCounts(ctx)
	if c[outbox.Pending] != 1 || c[outbox.Sent] != 1 {
		t.Errorf("outbox after pruning %v, want the waiting row and the recent sent one", c)
	}
}

// rawDB opens the file as another program would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", sqlite.FileURI(path)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestMigrationsRaceOnAFreshFile: processes starting together on a new
// file do not race the migrations ("table clubs already exists"): they run
// in one immediate transaction, so the later ones wait and find nothing to
// do.
func TestMigrationsRaceOnAFreshFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fresh.db")
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Go(func() {
			s, err := sqlite.Open(t.Context(), path, sqlite.Options{})
			if err != nil {
				errs <- err
				return
			}
			errs <- s.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("open on a fresh file: %v", err)
		}
	}
	s := open(t, path)
	if v, err := s.SchemaVersion(t.Context()); err != nil || v < 16 {
		t.Errorf("schema version %d, %v", v, err)
	}
}
