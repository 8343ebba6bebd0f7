package main

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to read the shared database

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/internal/faulttest"
	"github.com/shakeoutbot/shakeout/internal/storetest"
)

// seedDuePostgres is faulttest.SeedDue on the PostgreSQL database at url:
// the members get their morning message at the minute before now.
func seedDuePostgres(t *testing.T, url string, members []faulttest.Recipient) {
	t.Helper()
	ctx := context.Background()
	past := time.Now().Add(-48 * time.Hour)
	s, err := postgres.Open(ctx, url, postgres.Options{Now: func() time.Time { return past }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := input.ClockOf(time.Now().UTC().Add(-time.Minute))
	for _, r := range members {
		m, err := s.EnsureMember(ctx, r.Platform, r.UserID, "runner "+r.UserID, 0, r.ChatID)
		if err != nil {
			t.Fatal(err)
		}
		m.TZ, m.NudgeTime, m.Nudges = "UTC", at, true
		if err := s.UpdateMember(ctx, m, false); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFaultTwoInstancesOnPostgresKillTheTickHolder runs two `shakeout run`
// processes on one PostgreSQL database, Telegram in webhook mode (the mode
// for several instances), against the Telegram and Discord fakes, with a
// morning fan-out due (2,000 messages in .ci/run's run of it). Mid-fan-out the holder of the
// scheduler's tick lease is killed with SIGKILL. The other instance takes
// the tick over within the lease's TTL (and its retry interval), sends
// what the dead one had claimed, and every member gets the message: none
// twice on Discord, on Telegram at most the one in flight at the kill.
func TestFaultTwoInstancesOnPostgresKillTheTickHolder(t *testing.T) {
	// SHAKEOUT_TEST_FANOUT is the members per platform: .ci/run runs
	// this test in a step of its own with 1000 (2,000 messages); it takes
	// minutes, so the run of every package leaves it out.
	nTG, err := strconv.Atoi(os.Getenv("SHAKEOUT_TEST_FANOUT"))
	if storetest.Kind() != "postgres" || err != nil || nTG < 10 {
		t.Logf("runs on PostgreSQL with SHAKEOUT_TEST_FANOUT=N (members per platform, at least 10) only: set %s "+
			"(internal/pgtest/pg.sh start prints one) and SHAKEOUT_TEST_FANOUT=1000, as .ci/run does", storetest.EnvPostgres)
		return
	}
	nDC := nTG
	bin := faulttest.Binary(t)
	url := storetest.Schema(t)
	f := newFakes(t, nTG, nDC)
	seedDuePostgres(t, url, f.members())
	env := f.env(url)
	env["SHAKEOUT_TELEGRAM_WEBHOOK_URL"] = "https://bot.example.org/telegram"
	env["SHAKEOUT_TELEGRAM_WEBHOOK_SECRET"] = "a-webhook-secret-for-the-test"
	env["SHAKEOUT_TELEGRAM_WEBHOOK_LISTEN"] = "127.0.0.1:0"
	// Telegram's 30 messages and Discord's 50 requests a second are the
	// bot's, shared by the two.
	env["SHAKEOUT_TELEGRAM_RATE"] = "15"
	env["SHAKEOUT_DISCORD_RATE"] = "25"
	opts := faulttest.Options{Env: env}

	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tickPID := func() int {
		var pid int
		if err := db.QueryRow(`SELECT pid FROM tick_lease WHERE expires_at > now()`).Scan(&pid); err != nil {
			return 0
		}
		return pid
	}
	delivered := func() (tg, dc int) {
		tg, _, _ = tally(f.tgCounts())
		dc, _, _ = tally(f.dcCounts())
		return tg, dc
	}
	wait := func(p *faulttest.Proc, timeout time.Duration, what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(timeout)
		for !cond() {
			if p != nil {
				select {
				case <-p.Done():
					t.Fatalf("an instance exited while waiting for %s", what)
				default:
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s within %v", what, timeout)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	start := time.Now()
	a := faulttest.Start(t, bin, opts, "run")
	wait(a, 60*time.Second, "tick lease for the first instance", func() bool { return tickPID() == a.PID() })
	b := faulttest.Start(t, bin, opts, "run")
	wait(b, 60*time.Second, "second instance standing by", func() bool {
		return strings.Contains(b.Stderr.String(), "this one stands by")
	})
	wait(a, 120*time.Second, "fan-out under way (a fifth delivered)", func() bool {
		tg, dc := delivered()
		return tg+dc >= (nTG+nDC)/5
	})
	holder, other := a, b
	if tickPID() == b.PID() {
		holder, other = b, a
	}
	tgAtKill, dcAtKill := delivered()
	holder.Signal(syscall.SIGKILL)
	holder.Wait(10 * time.Second)
	killed := time.Now()
	wait(other, 2*time.Minute, "takeover of the tick lease", func() bool { return tickPID() == other.PID() })
	takeover := time.Since(killed)
	wait(other, 5*time.Minute, "every member's message", func() bool {
		_, tgChats, _ := tally(f.tgCounts())
		_, dcChats, _ := tally(f.dcCounts())
		return tgChats == nTG && dcChats == nDC
	})
	fanout := time.Since(start)
	other.Signal(syscall.SIGTERM)
	if code, _ := other.Wait(20 * time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}

	_, _, dcRepeats := tally(f.dcCounts())
	_, _, tgRepeats := tally(f.tgCounts())
	t.Logf("%d messages (%d Telegram, %d Discord) delivered by two instances in %v; the tick holder killed after %d+%d; takeover %v after the kill (lease TTL %v); repeats: Telegram %d, Discord %d",
		nTG+nDC, nTG, nDC, fanout.Round(100*time.Millisecond), tgAtKill, dcAtKill, takeover.Round(100*time.Millisecond),
		postgres.DefaultLeaseTime, tgRepeats, dcRepeats)
	if dcRepeats != 0 {
		t.Errorf("Discord: %d messages repeated", dcRepeats)
	}
	if tgRepeats > 1 {
		t.Errorf("Telegram: %d messages repeated; at most the one in flight at the kill may be", tgRepeats)
	}
	// Within the TTL of the killed holder's last renewal, plus the
	// standby's retry interval (a sixth of it).
	if limit := postgres.DefaultLeaseTime + postgres.DefaultLeaseTime/6 + 5*time.Second; takeover > limit {
		t.Errorf("takeover took %v, want within %v", takeover, limit)
	}
	var notSent int
	if err := db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE status <> 'sent'`).Scan(&notSent); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := db.QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != nTG+nDC || notSent != 0 {
		t.Errorf("outbox: %d rows, %d not sent; want %d, all sent", rows, notSent, nTG+nDC)
	}
	f.checkViolations(t)
}
