package main

import (
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/internal/faulttest"
	"github.com/shakeoutbot/shakeout/outbox"
)

// The fault tests run the real program (the binary as a child process, or
// run in this process) against the platform fakes on 127.0.0.1 and break
// something mid-fan-out: the process, the platform or the database.

// fakes are the two platform fakes and the members whose morning messages
// go through them.
type fakes struct {
	tg       *telegramtest.Server
	dc       *discordtest.Server
	tgPeople []faulttest.Recipient
	dcPeople []faulttest.Recipient
}

func newFakes(t *testing.T, nTelegram, nDiscord int) *fakes {
	f := &fakes{
		tg:       telegramtest.New(t),
		dc:       discordtest.New(t),
		tgPeople: faulttest.TelegramMembers(nTelegram),
		dcPeople: faulttest.DiscordMembers(nDiscord),
	}
	for _, p := range f.dcPeople { // opened in an earlier run
		f.dc.AddDMChannel(p.UserID, p.ChatID)
	}
	return f
}

// env is the configuration of `shakeout run` on the fakes and db.
func (f *fakes) env(db string) map[string]string {
	return map[string]string{
		"SHAKEOUT_DB":               db,
		"SHAKEOUT_TELEGRAM_TOKEN":   f.tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": f.tg.URL(),
		"SHAKEOUT_DISCORD_TOKEN":    f.dc.Token(),
		"SHAKEOUT_DISCORD_API_URL":  f.dc.URL(),
		"SHAKEOUT_LOG_LEVEL":        "debug",
	}
}

// members is everyone seeded, Discord first: the scheduler enqueues in
// member order and the dispatcher sends Discord before Telegram, so even a
// dispatcher that starts draining while the first tick is still enqueuing
// sends every Discord message before any Telegram one.
func (f *fakes) members() []faulttest.Recipient {
	return append(append([]faulttest.Recipient(nil), f.dcPeople...), f.tgPeople...)
}

// tgCounts counts the messages each seeded Telegram chat received.
func (f *fakes) tgCounts() map[string]int {
	out := map[string]int{}
	for _, m := range f.tg.Sent() {
		out[strconv.FormatInt(m.ChatID, 10)]++
	}
	return out
}

// dcCounts counts the messages each seeded Discord DM channel holds.
func (f *fakes) dcCounts() map[string]int {
	out := map[string]int{}
	for _, p := range f.dcPeople {
		if n := len(f.dc.Messages(p.ChatID)); n > 0 {
			out[p.ChatID] = n
		}
	}
	return out
}

// tally sums counts: total messages, chats reached, and messages beyond the
// first in a chat.
func tally(counts map[string]int) (total, chats, repeats int) {
	for _, n := range counts {
		total += n
		chats++
		repeats += n - 1
	}
	return total, chats, repeats
}

// checkViolations fails the test on any limit either fake recorded.
func (f *fakes) checkViolations(t *testing.T) {
	t.Helper()
	if v := f.tg.Violations(); len(v) > 0 {
		t.Errorf("telegram limits violated: %v", v)
	}
	if v := f.dc.Violations(); len(v) > 0 {
		t.Errorf("discord limits violated: %v", v)
	}
}

// checkAllSent checks that every seeded member has exactly one outbox row
// and that it is marked sent.
func checkAllSent(t *testing.T, db string, people []faulttest.Recipient) {
	t.Helper()
	rows := faulttest.OutboxRows(t, db)
	byChat := map[string][]faulttest.Row{}
	for _, r := range rows {
		byChat[string(r.Platform)+"/"+r.ChatID] = append(byChat[string(r.Platform)+"/"+r.ChatID], r)
	}
	for _, p := range people {
		rs := byChat[string(p.Platform)+"/"+p.ChatID]
		if len(rs) != 1 || rs[0].Status != outbox.Sent {
			t.Errorf("%s chat %s: outbox rows %+v, want one marked sent", p.Platform, p.ChatID, rs)
		}
	}
	if len(rows) != len(people) {
		t.Errorf("outbox holds %d rows for %d members", len(rows), len(people))
	}
}

// TestFaultSIGKILLMidFanOutThenRestart kills the real binary with SIGKILL in
// the middle of the morning fan-out, twice (once with a Discord message in
// flight, once with a Telegram one; the platforms drain side by side), and
// restarts it each time. Each kill lands with a message in flight: a switch
// in front of the fake passes the killAt-th send to the platform and
// withholds the answer, so the platform has the message and the process has
// not marked it sent. Every message must arrive; on Discord none twice,
// because the resend carries the same nonce (from the outbox id) with
// enforce_nonce; on Telegram, which has no such guard, at most the message
// in flight at each kill, once.
func TestFaultSIGKILLMidFanOutThenRestart(t *testing.T) {
	t.Parallel()
	const nTG, nDC, killAt = 60, 60, 15
	bin := faulttest.Binary(t)
	f := newFakes(t, nTG, nDC)
	tgSwitch := faulttest.NewSwitch(t, f.tg.URL())
	dcSwitch := faulttest.NewSwitch(t, f.dc.URL())
	tgHeld := tgSwitch.HoldNth(killAt, 0, func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/sendMessage") })
	dcHeld := dcSwitch.HoldNth(killAt, 0, func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages")
	})
	db := testDB(t, "kill.db")
	faulttest.SeedDue(t, db, f.members())
	env := f.env(db)
	env["SHAKEOUT_TELEGRAM_API_URL"] = tgSwitch.URL()
	env["SHAKEOUT_DISCORD_API_URL"] = dcSwitch.URL()
	opts := faulttest.Options{Env: env}

	dcTotal := func() int { n, _, _ := tally(f.dcCounts()); return n }
	tgTotal := func() int { n, _, _ := tally(f.tgCounts()); return n }
	waitHeld := func(p *faulttest.Proc, held <-chan struct{}, what string) {
		t.Helper()
		select {
		case <-held:
		case <-p.Done():
			t.Fatalf("the child exited before the %s send was in flight", what)
		case <-time.After(30 * time.Second):
			t.Fatalf("no %s send in flight after 30 s", what)
		}
	}

	// First run: killed with the killAt-th Discord message in flight.
	p := faulttest.Start(t, bin, opts, "run")
	waitHeld(p, dcHeld, "Discord")
	p.Signal(syscall.SIGKILL)
	if code, _ := p.Wait(10 * time.Second); code != -1 {
		t.Fatalf("exit code after SIGKILL = %d, want -1 (killed)", code)
	}
	creates := f.dc.CallsTo(discordtest.RouteCreateMessage)
	dcInFlight := strings.Split(creates[len(creates)-1].Path, "/")[2]
	// Telegram drains at the same time, so it may have had a message in
	// flight at this kill too: the last one it received.
	tgAtKill1 := ""
	if sent := f.tg.Sent(); len(sent) > 0 {
		tgAtKill1 = strconv.FormatInt(sent[len(sent)-1].ChatID, 10)
	}
	k1 := dcTotal()
	t.Logf("kill 1: Discord had %d of %d (the last, to %s, unanswered), Telegram %d of %d; outbox: %v",
		k1, nDC, dcInFlight, tgTotal(), nTG, faulttest.CountStatus(faulttest.OutboxRows(t, db)))
	if k1 != killAt {
		t.Fatalf("Discord holds %d messages at the kill, want %d", k1, killAt)
	}

	// Second run: killed with the killAt-th Telegram message in flight.
	p = faulttest.Start(t, bin, opts, "run")
	waitHeld(p, tgHeld, "Telegram")
	p.Signal(syscall.SIGKILL)
	p.Wait(10 * time.Second)
	sent := f.tg.Sent()
	tgInFlight := strconv.FormatInt(sent[len(sent)-1].ChatID, 10)
	k2 := tgTotal()
	t.Logf("kill 2: Telegram had %d of %d (the last, to %s, unanswered), Discord %d of %d; outbox: %v",
		k2, nTG, tgInFlight, dcTotal(), nDC, faulttest.CountStatus(faulttest.OutboxRows(t, db)))
	if k2 != killAt {
		t.Fatalf("Telegram holds %d messages at the kill, want %d", k2, killAt)
	}
	// On SQLite the restart takes the file's lease and requeues the dead
	// process's claims at once. On PostgreSQL another instance may still be
	// alive, so a dead one's claims come back only once its heartbeat runs
	// out (postgres.DefaultLeaseTime), and the last run waits that long too.
	finish := 30 * time.Second
	if postgres.IsURL(db) {
		finish += postgres.DefaultLeaseTime + 15*time.Second
	} else if !strings.Contains(p.Stderr.String(), "requeued") {
		t.Errorf("the first restart did not report requeued messages; logs:\n%s", lastLines(p.Stderr.String(), 20))
	}

	// Third run: finishes the fan-out, then stops like a service manager.
	p = faulttest.Start(t, bin, opts, "run")
	faulttest.Eventually(t, p, finish, "every member to get a message", func() bool {
		_, tgChats, _ := tally(f.tgCounts())
		_, dcChats, _ := tally(f.dcCounts())
		return tgChats == nTG && dcChats == nDC
	})
	p.Signal(syscall.SIGTERM)
	if code, _ := p.Wait(15 * time.Second); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}

	tgCounts, dcCounts := f.tgCounts(), f.dcCounts()
	tgN, _, tgRepeats := tally(tgCounts)
	dcN, _, dcRepeats := tally(dcCounts)
	resends := 0
	for _, c := range f.dc.CallsTo(discordtest.RouteCreateMessage) {
		if strings.Contains(c.Path, "/"+dcInFlight+"/") {
			resends++
		}
	}
	t.Logf("after the restarts: Telegram %d messages to %d chats (%d repeated), Discord %d messages to %d channels "+
		"(%d repeated; the one in flight was sent %d times)", tgN, nTG, tgRepeats, dcN, nDC, dcRepeats, resends)
	if dcRepeats != 0 {
		t.Errorf("Discord: %d messages repeated; the nonce should have made the resend a no-op", dcRepeats)
	}
	if resends != 2 {
		t.Errorf("Discord: the message in flight at the kill was sent %d times, want 2 (once more after the restart)", resends)
	}
	if tgCounts[tgInFlight] != 2 {
		t.Errorf("Telegram: the message in flight at the second kill arrived %d times; want twice (no nonce guard)", tgCounts[tgInFlight])
	}
	for chat, n := range tgCounts {
		if n > 1 && (n > 2 || (chat != tgInFlight && chat != tgAtKill1)) {
			t.Errorf("Telegram: chat %s got %d messages; only a message in flight at a kill (%s, %s) may repeat, once",
				chat, n, tgAtKill1, tgInFlight)
		}
	}
	if tgRepeats > 2 {
		t.Errorf("Telegram: %d repeated; at most one per kill", tgRepeats)
	}
	for chat, n := range tgCounts {
		if !isSeeded(f.tgPeople, chat) {
			t.Errorf("Telegram: %d messages to unknown chat %s", n, chat)
		}
	}
	checkAllSent(t, db, f.members())
	f.checkViolations(t)
}

func isSeeded(people []faulttest.Recipient, chat string) bool {
	for _, p := range people {
		if p.ChatID == chat {
			return true
		}
	}
	return false
}

// lastLines is the end of a log, for failure messages.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestFaultSIGTERMMidFanOut stops the real binary with SIGTERM while the
// Telegram fan-out is running, at a moment a send is in flight: the switch
// in front of the fake holds the stopAt-th answer back for a while. The
// process must exit within 10 s with status 0, having waited for that send:
// it is marked sent, no row is left in sending, and exactly the messages the
// fake accepted are marked sent.
func TestFaultSIGTERMMidFanOut(t *testing.T) {
	t.Parallel()
	const n, stopAt, inFlight = 80, 20, 1500 * time.Millisecond
	bin := faulttest.Binary(t)
	f := newFakes(t, n, 0)
	sw := faulttest.NewSwitch(t, f.tg.URL())
	held := sw.HoldNth(stopAt, inFlight, func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/sendMessage") })
	db := testDB(t, "term.db")
	faulttest.SeedDue(t, db, f.members())
	env := f.env(db)
	env["SHAKEOUT_TELEGRAM_API_URL"] = sw.URL()

	p := faulttest.Start(t, bin, faulttest.Options{Env: env}, "run")
	select {
	case <-held:
	case <-p.Done():
		t.Fatal("the child exited before the fan-out got going")
	case <-time.After(30 * time.Second):
		t.Fatal("no send in flight after 30 s")
	}
	at := time.Now()
	sent := f.tg.Sent()
	inFlightChat := strconv.FormatInt(sent[len(sent)-1].ChatID, 10)
	p.Signal(syscall.SIGTERM)
	code, ended := p.Wait(30 * time.Second)
	took := ended.Sub(at)
	total, chats, repeats := tally(f.tgCounts())
	t.Logf("SIGTERM with message %d of %d in flight (answer held %v); exited with %d after %v; the fake holds %d messages (%d chats, %d repeated)",
		stopAt, n, inFlight, code, took.Round(time.Millisecond), total, chats, repeats)
	if took > 10*time.Second {
		t.Errorf("exit took %v after SIGTERM, want at most 10 s", took)
	}
	if code != 0 {
		t.Errorf("exit code = %d, want 0", code)
	}
	if total >= n {
		t.Fatalf("the fan-out finished (%d/%d) before the stop landed", total, n)
	}
	if repeats != 0 {
		t.Errorf("%d messages repeated", repeats)
	}
	marked := map[string]bool{}
	st := map[outbox.Status]int{}
	for _, r := range faulttest.OutboxRows(t, db) {
		st[r.Status]++
		if r.Status == outbox.Sent {
			marked[r.ChatID] = true
		}
	}
	t.Logf("outbox after the stop: %v", st)
	if !marked[inFlightChat] {
		t.Errorf("the send in flight at the stop (to %s) is not marked sent", inFlightChat)
	}
	if st[outbox.Sending] != 0 {
		t.Errorf("%d rows left in sending", st[outbox.Sending])
	}
	if st[outbox.Sent]+st[outbox.Pending] != n {
		t.Errorf("outbox %v, want %d rows sent or pending", st, n)
	}
	delivered := f.tgCounts()
	for chat := range delivered {
		if !marked[chat] {
			t.Errorf("chat %s got its message but the row is not marked sent", chat)
		}
	}
	for chat := range marked {
		if delivered[chat] == 0 {
			t.Errorf("chat %s is marked sent but the fake never took its message", chat)
		}
	}
	f.checkViolations(t)
	if s := p.Stderr.String(); !strings.Contains(s, "stopping") {
		t.Errorf("no stop logged; logs:\n%s", lastLines(s, 20))
	}
}
