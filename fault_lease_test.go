package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/internal/faulttest"
)

// TestFaultSecondInstanceRefusedThenTakesOver runs the real binary twice on
// one database. The second `shakeout run` refuses to start while the first
// runs, naming it (pid, host, since), and touches nothing. After a SIGKILL
// of the first, with a Discord message in flight, a new start takes the
// database over at once (the holder's process is gone) and completes the
// fan-out: every member gets their message, none twice on Discord, and on
// Telegram at most the message in flight at the kill twice.
func TestFaultSecondInstanceRefusedThenTakesOver(t *testing.T) {
	t.Parallel()
	const nTG, nDC, killAt = 30, 30, 10
	bin := faulttest.Binary(t)
	f := newFakes(t, nTG, nDC)
	dcSwitch := faulttest.NewSwitch(t, f.dc.URL())
	dcHeld := dcSwitch.HoldNth(killAt, 0, func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages")
	})
	// SQLite only: the single-process lease on the file (PostgreSQL: fault_postgres_test.go).
	db := filepath.Join(t.TempDir(), "one.db")
	faulttest.SeedDue(t, db, f.members())
	env := f.env(db)
	env["SHAKEOUT_DISCORD_API_URL"] = dcSwitch.URL()
	opts := faulttest.Options{Env: env}

	first := faulttest.Start(t, bin, opts, "run")
	select {
	case <-dcHeld:
	case <-first.Done():
		t.Fatal("the first run exited before the fan-out got going")
	case <-time.After(30 * time.Second):
		t.Fatal("no Discord send in flight after 30 s")
	}
	rowsBefore := faulttest.OutboxRows(t, db)

	second := faulttest.Start(t, bin, opts, "run")
	code, _ := second.Wait(30 * time.Second)
	last := lastLines(second.Stderr.String(), 1)
	host, _ := os.Hostname()
	t.Logf("second run: exit %d: %s", code, last)
	if code != 1 {
		t.Errorf("second run exit code = %d, want 1", code)
	}
	for _, want := range []string{"shakeout: ", db, "in use by another shakeout", fmt.Sprintf("pid %d", first.PID()), "host " + host, "since "} {
		if !strings.Contains(last, want) {
			t.Errorf("the refusal lacks %q: %s", want, last)
		}
	}
	if strings.Contains(second.Stderr.String(), "requeued") {
		t.Error("the refused run requeued the first one's messages")
	}
	if after := faulttest.OutboxRows(t, db); len(after) < len(rowsBefore) {
		t.Errorf("the refused run changed the outbox: %d rows, was %d", len(after), len(rowsBefore))
	}

	first.Signal(syscall.SIGKILL)
	first.Wait(10 * time.Second)
	tgAtKill := ""
	if sent := f.tg.Sent(); len(sent) > 0 {
		tgAtKill = strconv.FormatInt(sent[len(sent)-1].ChatID, 10)
	}

	third := faulttest.Start(t, bin, opts, "run")
	faulttest.Eventually(t, third, 30*time.Second, "every member to get a message after the takeover", func() bool {
		_, tgChats, _ := tally(f.tgCounts())
		_, dcChats, _ := tally(f.dcCounts())
		return tgChats == nTG && dcChats == nDC
	})
	third.Signal(syscall.SIGTERM)
	if code, _ := third.Wait(15 * time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}
	logs := third.Stderr.String()
	if !strings.Contains(logs, "took the database over") || !strings.Contains(logs, fmt.Sprintf("pid=%d", first.PID())) {
		t.Errorf("the takeover is not logged with the old holder; logs:\n%s", lastLines(logs, 30))
	}
	_, _, dcRepeats := tally(f.dcCounts())
	tgCounts := f.tgCounts()
	if dcRepeats != 0 {
		t.Errorf("Discord: %d messages repeated", dcRepeats)
	}
	for chat, n := range tgCounts {
		if n > 1 && (n > 2 || chat != tgAtKill) {
			t.Errorf("Telegram: chat %s got %d messages; only the one in flight at the kill (%s) may repeat, once", chat, n, tgAtKill)
		}
	}
	checkAllSent(t, db, f.members())
	f.checkViolations(t)
}

// TestRunFreshMetrics: the first /metrics scrape of a fresh `shakeout run`
// shows every shakeout_ series, at zero, for both platforms, with the build
// information and this process as the lease holder.
func TestRunFreshMetrics(t *testing.T) {
	t.Parallel()
	bin := faulttest.Binary(t)
	f := newFakes(t, 0, 0)
	// SQLite only: the metrics name this process as the file's lease holder.
	db := filepath.Join(t.TempDir(), "metrics.db")
	env := f.env(db)
	env["SHAKEOUT_HTTP_ADDR"] = ":0"
	p := faulttest.Start(t, bin, faulttest.Options{Env: env}, "run")
	addrRe := regexp.MustCompile(`health and metrics listening" addr=(\S+)`)
	var addr string
	faulttest.Eventually(t, p, 30*time.Second, "the metrics listener", func() bool {
		m := addrRe.FindStringSubmatch(p.Stderr.String())
		if m != nil {
			addr = m[1]
		}
		return m != nil
	})
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Errorf("a bare :0 listens on %s, want loopback only", addr)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	n := 0
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, "shakeout_") {
			continue
		}
		n++
		name, value, _ := strings.Cut(line, " ")
		switch {
		case strings.HasPrefix(name, "shakeout_build_info"):
		case strings.HasPrefix(name, "shakeout_lease_holder"):
			if !strings.Contains(name, fmt.Sprintf(`pid="%d"`, p.PID())) || value != "1" {
				t.Errorf("lease holder %s %s, want this process", name, value)
			}
		case strings.HasPrefix(name, "shakeout_scheduler_last_tick_timestamp_seconds"):
		case value != "0":
			t.Errorf("fresh scrape: %s = %s, want 0", name, value)
		}
	}
	for _, want := range []string{`shakeout_messages_in_total{platform="telegram"} 0`, `shakeout_messages_in_total{platform="discord"} 0`,
		`shakeout_send_outcomes_total{outcome="unreachable",platform="discord"} 0`, `shakeout_handler_seconds_count{command="log",platform="telegram"} 0`,
		"shakeout_build_info{", "shakeout_outbox_depth 0"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("fresh scrape lacks %s", want)
		}
	}
	t.Logf("fresh scrape: %d shakeout_ series", n)
	p.Signal(syscall.SIGTERM)
	p.Wait(15 * time.Second)
}
