package bot_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/internal/storetest"
)

// downStore is a real store whose database can be made unreachable: every
// call that opens an update's record, and the ping, fail while down is set.
type downStore struct {
	storetest.Store
	down atomic.Bool
	// tries counts the attempts to open an update's record.
	tries atomic.Int64
}

var errUnreachable = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (s *downStore) BeginUpdate(ctx context.Context, p chat.Platform, id string) (context.Context, bot.UpdateUnit, bool, error) {
	s.tries.Add(1)
	if s.down.Load() {
		return nil, nil, false, errUnreachable
	}
	return s.Store.BeginUpdate(ctx, p, id)
}

func (s *downStore) FirstDelivery(ctx context.Context, p chat.Platform, id string) (bool, error) {
	if s.down.Load() {
		return false, errUnreachable
	}
	return s.Store.FirstDelivery(ctx, p, id)
}

func (s *downStore) Ping(ctx context.Context) error {
	if s.down.Load() {
		return errUnreachable
	}
	return s.Store.Ping(ctx)
}

// TestLostDatabaseAnswersFromMemoryAndRecovers: while the database cannot
// record updates, a question and /help are answered, a command that needs
// the member's record gets the apology and stores nothing, and a
// redelivered update is dropped; once the database is back the command
// works, and redeliveries of what was answered meanwhile are still dropped.
func TestLostDatabaseAnswersFromMemoryAndRecovers(t *testing.T) {
	ctx := t.Context()
	s := &downStore{Store: storetest.Open(t, nil)}
	b, err := bot.New(bot.Deps{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	id := 0
	send := func(text string, update string) []chat.Reply {
		t.Helper()
		m := chat.Message{Platform: chat.PlatformTelegram, ChatID: "41", UserID: "41", UserName: "Maya", Private: true, UpdateID: update}
		if cmd, args, ok := strings.Cut(text, " "); strings.HasPrefix(text, "/") {
			m.Command, m.Args = strings.TrimPrefix(cmd, "/"), args
			if !ok {
				m.Command, m.Args = strings.TrimPrefix(text, "/"), ""
			}
		} else {
			m.Args = text
		}
		return b.Handle(ctx, m)
	}
	next := func() string { id++; return strconv.Itoa(1000 + id) }
	text := func(rs []chat.Reply) string {
		var sb strings.Builder
		for _, r := range rs {
			sb.WriteString(r.Text + "\n")
		}
		return sb.String()
	}

	if got := text(send("/log easy 5km 30min", next())); strings.HasPrefix(got, "Sorry") {
		t.Fatalf("/log with the database up = %q", got)
	}
	since := coach.DateOf(time.Now().AddDate(0, 0, -7))
	m, err := s.MemberByUserID(ctx, chat.PlatformTelegram, "41")
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.SessionsSince(ctx, m.ID, since)
	if err != nil {
		t.Fatal(err)
	}

	s.down.Store(true)
	askID := next()
	if got := text(send("how slow should my recovery run be?", askID)); strings.HasPrefix(got, "Sorry") ||
		(!strings.Contains(strings.ToLower(got), "conversation") && !strings.Contains(got, "65")) {
		t.Errorf("question while the database is down = %q, want the answer", got)
	}
	if got := text(send("/help", next())); !strings.Contains(got, "/log") {
		t.Errorf("/help while the database is down = %q, want the command list", got)
	}
	if got := text(send("/help log", next())); !strings.Contains(got, "/log") || strings.HasPrefix(got, "Sorry") {
		t.Errorf("/help log while the database is down = %q", got)
	}
	if got := text(send("/ask", next())); !strings.Contains(got, "For example: /ask") {
		t.Errorf("/ask without a question while the database is down = %q, want the member's mistake explained", got)
	}
	logID := next()
	for _, cmd := range []struct{ text, id string }{{"/log tempo 8km 40min", logID}, {"/today", next()}, {"/settings", next()}} {
		if got := text(send(cmd.text, cmd.id)); !strings.HasPrefix(got, "Sorry, I can't reach my records") {
			t.Errorf("%s while the database is down = %q, want the apology for a lost database", cmd.text, got)
		}
	}
	if rs := send("how slow should my recovery run be?", askID); len(rs) != 0 {
		t.Errorf("a redelivered question during the outage was answered again: %v", rs)
	}
	if err := b.StoreTrouble(); err == nil || !errors.Is(err, errUnreachable) {
		t.Errorf("StoreTrouble while down = %v, want the connection error", err)
	}

	s.down.Store(false)
	// No message needed: the health check's calls notice the return.
	deadline := time.Now().Add(10 * time.Second)
	for b.StoreTrouble() != nil {
		if time.Now().After(deadline) {
			t.Fatal("StoreTrouble still reports trouble 10 s after the database came back")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Redeliveries of what was answered during the outage are dropped: the
	// ids went to the inbox when the database came back.
	for _, id := range []string{askID, logID} {
		if rs := send("/log tempo 8km 40min", id); len(rs) != 0 {
			t.Errorf("redelivery of %s after the outage answered %v", id, rs)
		}
	}
	if got := text(send("/log tempo 8km 40min", next())); strings.HasPrefix(got, "Sorry") {
		t.Errorf("/log after the outage = %q", got)
	}
	after, err := s.SessionsSince(ctx, m.ID, since)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Errorf("%d sessions before the outage, %d after; want exactly the one logged after it", len(before), len(after))
	}
}

// TestLostDatabaseIsTriedEveryFewSeconds: once an update found the
// database down, the next ones are answered from memory without trying it
// (a database that does not answer would make each wait for the driver's
// timeout) until two seconds have passed; then one update tries it again,
// and when it is back the commands work at once.
func TestLostDatabaseIsTriedEveryFewSeconds(t *testing.T) {
	ctx := t.Context()
	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	wait := func(d time.Duration) { clock.Add(int64(d)) }
	s := &downStore{Store: storetest.Open(t, now)}
	b, err := bot.New(bot.Deps{Store: s, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	id := 0
	send := func(cmd, args string) string {
		t.Helper()
		id++
		rs := b.Handle(ctx, chat.Message{Platform: chat.PlatformTelegram, ChatID: "43", UserID: "43", UserName: "Kofi",
			Private: true, UpdateID: strconv.Itoa(5000 + id), Command: cmd, Args: args})
		var sb strings.Builder
		for _, r := range rs {
			sb.WriteString(r.Text)
		}
		return sb.String()
	}

	s.down.Store(true)
	for i := range 5 {
		if got := send("log", "easy 5km 30min"); !strings.HasPrefix(got, "Sorry, I can't reach my records") {
			t.Fatalf("/log %d while down = %q", i, got)
		}
		wait(300 * time.Millisecond)
	}
	if got := s.tries.Load(); got != 1 {
		t.Errorf("%d attempts to reach the database in 1.5 s after it failed, want 1", got)
	}
	if got := send("help", ""); !strings.Contains(got, "/log") {
		t.Errorf("/help while down and not tried = %q, want the command list", got)
	}
	wait(2 * time.Second)
	send("log", "easy 5km 30min")
	if got := s.tries.Load(); got != 2 {
		t.Errorf("%d attempts after the retry interval, want 2", got)
	}

	s.down.Store(false)
	if got := send("log", "easy 5km 30min"); !strings.HasPrefix(got, "Sorry, I can't reach my records") {
		t.Errorf("/log just after a failed try = %q, want it answered from memory", got)
	}
	wait(2 * time.Second)
	if got := send("log", "easy 5km 30min"); !strings.HasPrefix(got, "Logged:") {
		t.Errorf("/log once the database is back and tried = %q", got)
	}
	if got := send("log", "tempo 8km 40min"); !strings.HasPrefix(got, "Logged:") {
		t.Errorf("the next /log = %q", got)
	}
	if err := b.StoreTrouble(); err != nil {
		t.Errorf("StoreTrouble after the return = %v", err)
	}
	// Every update answered from memory went to the inbox on the return.
	for i := 1; i <= id; i++ {
		first, err := s.FirstDelivery(ctx, chat.PlatformTelegram, strconv.Itoa(5000+i))
		if err != nil {
			t.Fatal(err)
		}
		if first {
			t.Errorf("update %d is not in the inbox", 5000+i)
		}
	}
}
