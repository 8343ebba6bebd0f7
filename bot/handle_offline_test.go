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
}

var errUnreachable = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (s *downStore) BeginUpdate(ctx context.Context, p chat.Platform, id string) (context.Context, bot.UpdateUnit, bool, error) {
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
