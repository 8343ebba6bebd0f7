package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/internal/faulttest"
	"github.com/shakeoutbot/shakeout/internal/storetest"
)

// storeDownReply is the start of the answer to a command that needs the
// database while it cannot be written (bot/errors.go).
const storeDownReply = "Sorry, I can't reach my records right now"

// TestRunLosesTheDatabaseAndRecovers runs `shakeout run` on the Telegram
// fake and takes its database away while it runs. On PostgreSQL a TCP proxy
// between the program and the cluster is cut (open connections closed, new
// ones dropped) across a minute boundary at which three members' morning
// messages fall due; on SQLite another program holds the file's write lock
// for a few seconds (shorter than the file's lease, whose loss stops the
// program on purpose). Meanwhile a recovery question and /help are
// answered, /log gets the apology and stores nothing, and /healthz shows the
// database down. Once it is back, without a restart: /healthz is healthy,
// /log works, every update is in the inbox exactly once, and (PostgreSQL)
// the tick catches up the missed slot and the outbox sends each morning
// message once.
func TestRunLosesTheDatabaseAndRecovers(t *testing.T) {
	t.Parallel()
	tg := telegramtest.New(t)
	pg := storetest.PostgresURL() != ""
	var db, direct string
	var cut, restore func()
	if pg {
		direct = storetest.Schema(t)
		u, err := url.Parse(direct)
		if err != nil {
			t.Fatal(err)
		}
		proxy := faulttest.NewTCPProxy(t, u.Host)
		u.Host = proxy.Addr()
		db = u.String()
		cut, restore = proxy.Cut, proxy.Restore
	} else {
		// SQLite: a lock held by another program (a backup, a shell).
		db = filepath.Join(t.TempDir(), "lost.db")
		direct = db
		var release func()
		cut = func() { release = faulttest.Lock(t, db) }
		restore = func() { release() }
	}

	// PostgreSQL: three members whose morning message falls due while the
	// database is away: at the first minute boundary at least 25 s ahead.
	due := time.Now().Add(85 * time.Second).Truncate(time.Minute)
	sleepers := faulttest.TelegramMembers(3)
	if pg {
		past := time.Now().Add(-48 * time.Hour)
		s := openTestStore(t.Context(), t, direct, func() time.Time { return past })
		for _, r := range sleepers {
			m, err := s.EnsureMember(t.Context(), r.Platform, r.UserID, "runner "+r.UserID, 0, r.ChatID)
			if err != nil {
				t.Fatal(err)
			}
			m.TZ, m.NudgeTime, m.Nudges = "UTC", input.ClockOf(due.UTC()), true
			if err := s.UpdateMember(t.Context(), m, false); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
	}

	vars := map[string]string{
		"SHAKEOUT_DB":               db,
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
		"SHAKEOUT_HTTP_ADDR":        "127.0.0.1:0",
		"SHAKEOUT_LOG_LEVEL":        "debug",
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, logs syncBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("program output:\n%s\nlogs:\n%s", out.String(), lastLines(logs.String(), 80))
		}
	})
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run"}, env(vars), nil, &out, &logs) }()
	running := func(when string) {
		t.Helper()
		select {
		case err := <-done:
			t.Fatalf("run stopped %s: %v", when, err)
		default:
		}
	}

	addrRe := regexp.MustCompile(`health and metrics listening.*addr=(127\.0\.0\.1:\d+)`)
	var base string
	discordtest.WaitFor(t, func() bool {
		if m := addrRe.FindStringSubmatch(logs.String()); m != nil {
			base = "http://" + m[1]
		}
		return base != ""
	}, 20*time.Second)
	health := func() (int, string) { return httpGet(t, base+"/healthz") }

	maya := telegramtest.User{ID: 4301, FirstName: "Maya"}
	ana := telegramtest.User{ID: 4302, FirstName: "Ana"}
	ben := telegramtest.User{ID: 4303, FirstName: "Ben"}
	var updates []int64
	send := func(u telegramtest.User, text string) {
		updates = append(updates, tg.SendUpdate(telegramtest.PrivateText(u, text)).UpdateID)
	}
	waitReply := func(u telegramtest.User, n int, what string) string {
		t.Helper()
		tg.Wait(t, 60*time.Second, what, func() bool { return len(tg.SentTo(u.ID)) >= n })
		got := tg.SentTo(u.ID)
		return got[n-1].Text
	}

	send(maya, "/log easy 5km 30min")
	send(ana, "/start")
	send(ben, "/start")
	if got := waitReply(maya, 1, "the first /log"); strings.HasPrefix(got, "Sorry") {
		t.Fatalf("/log with the database up = %q", got)
	}
	waitReply(ana, 1, "Ana's /start")
	waitReply(ben, 1, "Ben's /start")
	discordtest.WaitFor(t, func() bool { code, _ := health(); return code == http.StatusOK }, 20*time.Second)

	cut()
	cutAt := time.Now()
	send(ana, "how slow should my recovery run be?")
	send(ben, "/help")
	send(maya, "/log tempo 8km 40min")
	if got := waitReply(ana, 2, "the answer to Ana's question"); strings.HasPrefix(got, "Sorry") ||
		(!strings.Contains(strings.ToLower(got), "conversation") && !strings.Contains(got, "65")) {
		t.Errorf("question while the database is away = %q, want the answer", got)
	}
	if got := waitReply(ben, 2, "Ben's /help"); !strings.Contains(got, "/log") {
		t.Errorf("/help while the database is away = %q, want the command list", got)
	}
	if got := waitReply(maya, 2, "Maya's second /log"); !strings.HasPrefix(got, storeDownReply) {
		t.Errorf("/log while the database is away = %q, want the apology for a lost database", got)
	}
	code, body := health()
	if code != http.StatusServiceUnavailable || strings.Contains(body, `"database":"ok"`) || !strings.Contains(body, `"database"`) {
		t.Errorf("/healthz while the database is away = %d %s, want 503 naming the database", code, body)
	}
	t.Logf("the answers while the database was away took %v", time.Since(cutAt).Round(100*time.Millisecond))
	running("while the database was away")
	if pg {
		// Keep it away until the slot's tick has come and gone.
		for time.Now().Before(due.Add(5 * time.Second)) {
			time.Sleep(200 * time.Millisecond)
		}
		for _, r := range sleepers {
			if n := len(tg.SentTo(mustInt(t, r.ChatID))); n != 0 {
				t.Errorf("member %s got %d messages while the database was away", r.UserID, n)
			}
		}
	}
	restore()
	t.Logf("the database was away for %v", time.Since(cutAt).Round(100*time.Millisecond))

	discordtest.WaitFor(t, func() bool { code, _ := health(); return code == http.StatusOK }, 60*time.Second)
	send(maya, "/log tempo 8km 40min")
	if got := waitReply(maya, 3, "Maya's /log after the outage"); strings.HasPrefix(got, "Sorry") {
		t.Errorf("/log after the outage = %q", got)
	}
	if pg {
		for _, r := range sleepers {
			id := mustInt(t, r.ChatID)
			tg.Wait(t, 120*time.Second, "the morning message to "+r.UserID, func() bool { return len(tg.SentTo(id)) >= 1 })
		}
	}
	running("after the database came back")
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not stop within 20 s")
	}

	if pg {
		for _, r := range sleepers {
			if n := len(tg.SentTo(mustInt(t, r.ChatID))); n != 1 {
				t.Errorf("member %s got %d morning messages, want 1", r.UserID, n)
			}
		}
	}
	s := openTestStore(context.Background(), t, direct, nil)
	defer s.Close()
	m, err := s.MemberByUserID(context.Background(), chat.PlatformTelegram, strconv.FormatInt(maya.ID, 10))
	if err != nil {
		t.Fatal(err)
	}
	logged, err := s.SessionsSince(context.Background(), m.ID, coach.DateOf(time.Now().AddDate(0, 0, -7)))
	if err != nil {
		t.Fatal(err)
	}
	if len(logged) != 2 {
		t.Errorf("Maya has %d sessions, want 2 (before and after the outage, none from the apology)", len(logged))
	}
	// Every update is in the inbox: a redelivery of any, including those
	// answered while the database was away, would be dropped.
	for _, id := range updates {
		first, err := s.FirstDelivery(context.Background(), chat.PlatformTelegram, strconv.FormatInt(id, 10))
		if err != nil {
			t.Fatal(err)
		}
		if first {
			t.Errorf("update %d is not in the inbox", id)
		}
	}
	if strings.Contains(logs.String(), "panic") {
		t.Error("a panic was logged")
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("telegram limits violated: %v", v)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(fmt.Errorf("not a chat id: %q", s))
	}
	return n
}
