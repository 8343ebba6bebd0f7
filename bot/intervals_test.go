package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/activity"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/internal/intervals"
	"github.com/shakeoutbot/shakeout/internal/intervals/icufake"
	"github.com/shakeoutbot/shakeout/internal/seal"
	"github.com/shakeoutbot/shakeout/internal/storetest"
)

// icuKey is the canary: it must never show in a log line or in /mydata.
const icuKey = "CANARYk3y7q0w9e8r7t6y5u4"

// lockedBuffer collects log output from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// icuRig is a harness whose bot has the intervals.icu link, against the
// fake, with every log line kept.
type icuRig struct {
	*harness
	fake *icufake.Server
	logs *lockedBuffer
	rig  *schedRig
}

func newICURig(t *testing.T, start time.Time, withKey bool) *icuRig {
	t.Helper()
	return newICURigWith(t, start, withKey, 0, 0)
}

// newICURigWith sets the sync bound and the client's timeout (0: their
// defaults).
func newICURigWith(t *testing.T, start time.Time, withKey bool, bound, timeout time.Duration) *icuRig {
	t.Helper()
	h := &harness{t: t, now: start, club: "harriers"}
	s := storetest.Open(t, h.Now)
	fake := icufake.New(t)
	fake.AddAthlete("i42", icuKey)
	logs := &lockedBuffer{}
	d := bot.Deps{Store: s, Now: h.Now, DefaultTZ: start.Location(), SyncBound: bound,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if withKey {
		box, err := seal.New(bytes.Repeat([]byte{3}, seal.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		client, err := intervals.New(intervals.Options{BaseURL: fake.URL(), Now: h.Now, Timeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		d.Intervals, d.Sealer = client, box
	}
	b, err := bot.New(d)
	if err != nil {
		t.Fatal(err)
	}
	h.bot, h.store = b, s
	r := &icuRig{harness: h, fake: fake, logs: logs}
	r.rig = newSchedRig(h)
	t.Cleanup(func() {
		if strings.Contains(logs.String(), icuKey) {
			t.Errorf("the API key appears in the log:\n%s", logs.String())
		}
	})
	return r
}

// dm sends text as member `as` in a private chat.
func (r *icuRig) dm(as, text string) string {
	r.t.Helper()
	m := chat.Message{Platform: chat.PlatformConsole, ChatID: "dm-" + as, UserID: as, UserName: as, UserHandle: as, Private: true}
	name, args, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	m.Command, m.Args = name, args
	return joinReplies(r.bot.Handle(r.t.Context(), m))
}

func (r *icuRig) link(t *testing.T) *bot.IntervalsLink {
	t.Helper()
	l, err := r.store.IntervalsLink(t.Context(), r.member("maya").ID)
	if err != nil {
		return nil
	}
	return &l
}

// morning runs the 07:00 slots of the date and returns the texts sent.
func (r *icuRig) morning(date string) []string {
	r.t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", date+" 07:00", time.UTC)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, o := range r.rig.at(at) {
		out = append(out, o.Reply.Text)
	}
	return out
}

var june8 = time.Date(2026, 6, 8, 20, 0, 0, 0, time.UTC) // a Monday evening

func TestConnectInAGroupIsRefusedAndStoresNothing(t *testing.T) {
	r := newICURig(t, june8, true)
	r.say("maya", "/help")
	before := r.stored("maya")
	got := r.say("maya", "/connect intervals i42 "+icuKey)
	if !strings.Contains(got, "Delete that key") || !strings.Contains(got, "private chat") || strings.Contains(got, icuKey) {
		t.Fatalf("reply = %q; want advice to revoke the key, without the key", got)
	}
	if after := r.stored("maya"); after != before {
		t.Fatalf("a refused /connect stored something:\n%s\n%s", before, after)
	}
	if n := len(r.fake.Calls()); n != 0 {
		t.Fatalf("the key posted in a group was tried on the service (%d calls)", n)
	}
}

func TestConnectWithoutSecretKey(t *testing.T) {
	r := newICURig(t, june8, false)
	got := r.dm("maya", "/connect intervals i42 "+icuKey)
	if !strings.Contains(got, "SHAKEOUT_SECRET_KEY") || r.link(t) != nil {
		t.Fatalf("reply = %q; want the host's missing setting named and nothing stored", got)
	}
}

func TestConnectBadInput(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/help")
	for in, want := range map[string]string{
		"/connect":                                     "athlete id",
		"/connect strava i42 " + icuKey:                "intervals.icu only",
		"/connect intervals i42":                       "exactly three",
		"/connect intervals athlete42 " + icuKey:       "isn't an intervals.icu athlete id",
		"/connect intervals i42 short!":                "doesn't look like an intervals.icu API key",
		"/connect intervals i42 wr0ngk3y0000000000000": "refused athlete i42",
	} {
		before := r.stored("maya")
		got := r.dm("maya", in)
		if !strings.Contains(got, want) {
			t.Errorf("%s: reply = %q; want %q", in, got, want)
		}
		if strings.Contains(want, "refused") {
			if !strings.Contains(got, "Nothing was stored") {
				t.Errorf("%s: reply = %q; want it to say nothing was stored", in, got)
			}
		} else if !strings.Contains(got, "For example: /connect intervals i") {
			t.Errorf("%s: reply = %q; want a correct example", in, got)
		}
		if after := r.stored("maya"); after != before {
			t.Errorf("%s stored something", in)
		}
	}
}

func TestLinkSyncsBeforeTheMorningMessage(t *testing.T) {
	r := newICURig(t, june8, true)
	r.fake.AddActivity("i42", icufake.Activity{ID: "i1", Start: time.Date(2026, 6, 5, 18, 0, 0, 0, time.UTC), Type: "Run",
		Name: "Easy jog", MovingSec: 1800, Elapsed: 1900, DistanceM: 5200})
	r.dm("maya", "/settings consent yes")
	r.dm("maya", "/settings nudge 07:00")
	got := r.dm("maya", "/connect intervals I42 "+icuKey)
	if !strings.Contains(got, "Linked to intervals.icu athlete i42") || !strings.Contains(got, "1 runs") || strings.Contains(got, icuKey) {
		t.Fatalf("/connect reply = %q", got)
	}
	l := r.link(t)
	if l == nil || l.State != bot.LinkOK || bytes.Contains(l.KeySealed, []byte(icuKey)) {
		t.Fatalf("link = %+v; want it stored with the key sealed", l)
	}
	// Overnight: a hard track session yesterday evening, and this
	// morning's wellness from the watch.
	r.fake.AddActivity("i42", icufake.Activity{ID: "i2", Start: time.Date(2026, 6, 8, 18, 30, 0, 0, time.UTC), Type: "Run",
		Name: "Track 6x800", MovingSec: 2700, Elapsed: 3100, DistanceM: 9000, AvgHR: 165, MaxHR: 186, RPE: 8})
	r.fake.AddWellness("i42", icufake.Wellness{Date: "2026-06-09", RestingHR: 49, HRV: 70, SleepSecs: 8 * 3600, Soreness: 1, Fatigue: 1})
	sent := r.morning("2026-06-09")
	if len(sent) != 1 || !strings.HasPrefix(sent[0], "EASY") || !strings.Contains(sent[0], "Yesterday was a hard session (intervals)") {
		t.Fatalf("morning message = %q; want EASY after yesterday's intervals from intervals.icu", sent)
	}
	week := r.dm("maya", "/week")
	if !strings.Contains(week, "intervals") || !strings.Contains(week, "easy") {
		t.Errorf("/week = %q; want both synced runs", week)
	}
	cis, err := r.store.CheckInsSince(t.Context(), r.member("maya").ID, mustDate(t, "2026-06-09"))
	if err != nil || len(cis) != 1 || cis[0].RestingHR != 49 || cis[0].Sleep != 5 || cis[0].Soreness != 1 || cis[0].Energy != 5 {
		t.Errorf("check-ins = %+v, %v; want this morning's wellness", cis, err)
	}
	// The next morning reads from the last sync on and logs nothing twice.
	r.morning("2026-06-10")
	ss, err := r.store.SessionsSince(t.Context(), r.member("maya").ID, mustDate(t, "2026-06-01"))
	if err != nil || len(ss) != 2 {
		t.Fatalf("sessions = %+v, %v; want the 2 activities once each", ss, err)
	}
	calls := r.fake.Calls()
	if last := calls[len(calls)-2]; last.What != "activities" || last.Oldest != "2026-06-08" {
		t.Errorf("second sync asked for %+v; want activities from the day of the last sync", last)
	}
	mydata := r.dm("maya", "/mydata")
	if strings.Contains(mydata, icuKey) || !strings.Contains(mydata, "(kept encrypted; not shown)") || !strings.Contains(mydata, "i42") {
		t.Errorf("/mydata must list the link without the key:\n%s", mydata)
	}
}

func TestWellnessNeedsConsent(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.AddWellness("i42", icufake.Wellness{Date: "2026-06-09", RestingHR: 49, Soreness: 4})
	r.morning("2026-06-09")
	if cis, _ := r.store.CheckInsSince(t.Context(), r.member("maya").ID, mustDate(t, "2026-06-01")); len(cis) != 0 {
		t.Fatalf("check-ins stored without consent: %+v", cis)
	}
	for _, c := range r.fake.Calls() {
		if c.What == "wellness" {
			t.Fatalf("wellness read without consent: %+v", c)
		}
	}
}

func TestRevokedKeyBreaksTheLinkAndTellsOnce(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.Revoke("i42")
	sent := r.morning("2026-06-09")
	if len(sent) != 2 || !strings.Contains(strings.Join(sent, "\n"), "no longer accepts the API key") {
		t.Fatalf("morning = %q; want the verdict and one note about the key", sent)
	}
	if l := r.link(t); l == nil || l.State != bot.LinkBroken || !l.BrokenTold {
		t.Fatalf("link = %+v; want broken and told", l)
	}
	calls := len(r.fake.Calls())
	sent = r.morning("2026-06-10")
	if len(sent) != 1 || strings.Contains(sent[0], "API key") {
		t.Fatalf("second morning = %q; want only the verdict", sent)
	}
	if len(r.fake.Calls()) != calls {
		t.Fatal("a broken link was still used")
	}
	// Connecting again with a new key mends it.
	r.fake.AddAthlete("i42", "n3wk3yaf7errevoke0000")
	if got := r.dm("maya", "/connect intervals i42 n3wk3yaf7errevoke0000"); !strings.Contains(got, "Linked") {
		t.Fatalf("reconnect = %q", got)
	}
	if l := r.link(t); l.State != bot.LinkOK || l.BrokenTold {
		t.Fatalf("link after reconnect = %+v", l)
	}
}

func TestStravaStubsSkippedWithOneNote(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.AddActivity("i42", icufake.Activity{ID: "555", Start: time.Date(2026, 6, 8, 18, 0, 0, 0, time.UTC), Type: "Run", Strava: true})
	sent := r.morning("2026-06-09")
	if len(sent) != 2 || !strings.Contains(strings.Join(sent, "\n"), "from Strava") {
		t.Fatalf("morning = %q; want the verdict and a note about Strava", sent)
	}
	r.fake.AddActivity("i42", icufake.Activity{ID: "556", Start: time.Date(2026, 6, 9, 18, 0, 0, 0, time.UTC), Type: "Run", Strava: true})
	if sent := r.morning("2026-06-10"); len(sent) != 1 {
		t.Fatalf("second morning = %q; want no second note", sent)
	}
	if ss, _ := r.store.SessionsSince(t.Context(), r.member("maya").ID, mustDate(t, "2026-06-01")); len(ss) != 0 {
		t.Fatalf("stubs were logged: %+v", ss)
	}
}

func TestRateLimitedSyncDoesNotHoldTheMorning(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.Throttle("i42", 3600)
	sent := r.morning("2026-06-09")
	if len(sent) != 1 {
		t.Fatalf("morning = %q; want the verdict alone", sent)
	}
	l := r.link(t)
	if l.State != bot.LinkOK || l.NotBefore.IsZero() {
		t.Fatalf("link = %+v; want it kept, held until the Retry-After", l)
	}
	r.fake.Throttle("i42", 0)
	r.fake.AddActivity("i42", icufake.Activity{ID: "i7", Start: time.Date(2026, 6, 9, 18, 0, 0, 0, time.UTC), Type: "Run", MovingSec: 1800, DistanceM: 5000})
	r.morning("2026-06-10")
	if ss, _ := r.store.SessionsSince(t.Context(), r.member("maya").ID, mustDate(t, "2026-06-01")); len(ss) != 1 {
		t.Fatalf("after the Retry-After the next sync logs the run; sessions = %+v", ss)
	}
}

func TestDisconnectAndForgetRemoveTheLink(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/connect intervals i42 "+icuKey)
	if got := r.dm("maya", "/disconnect"); !strings.Contains(got, "Unlinked") || r.link(t) != nil {
		t.Fatalf("/disconnect = %q; link %+v", got, r.link(t))
	}
	if got := r.dm("maya", "/disconnect"); !strings.Contains(got, "no intervals.icu link") {
		t.Fatalf("second /disconnect = %q", got)
	}
	r.dm("maya", "/connect intervals i42 "+icuKey)
	id := r.member("maya").ID
	if err := r.store.ForgetMember(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := r.store.IntervalsLink(t.Context(), id); err == nil {
		t.Fatal("the link survived /forgetme")
	}
}

func mustDate(t *testing.T, s string) coach.Date {
	t.Helper()
	d, err := coach.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSyncReadsHeartRateAndSkipsAFileAlreadySent(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings consent yes")
	r.dm("maya", "/settings nudge 07:00")
	// Maximum 180 (220 − 40), resting 50: the threshold band starts at 154.
	r.dm("maya", "/settings age 40")
	r.dm("maya", "/checkin rhr 50")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	// 40 minutes, 20 of them at 165 bpm: hard by heart rate, whatever
	// its name says.
	hr := make([]int, 2400)
	for i := range hr {
		hr[i] = 135
		if i >= 1200 {
			hr[i] = 165
		}
	}
	start := time.Date(2026, 6, 8, 17, 0, 0, 0, time.UTC)
	r.fake.AddActivity("i42", icufake.Activity{ID: "i20", Start: start, Type: "Run", Name: "Evening run",
		MovingSec: 2400, Elapsed: 2400, DistanceM: 8000, AvgHR: 150, MaxHR: 170, HR: hr})
	// A ride she already sent as a file: the same start and duration.
	ride := time.Date(2026, 6, 8, 7, 0, 0, 0, time.UTC)
	m := r.member("maya")
	if _, err := r.bot.ImportActivity(t.Context(), m, time.UTC, activity.Activity{Format: activity.FormatFIT, Sport: activity.SportRide,
		Start: ride, Elapsed: time.Hour, Timer: time.Hour, Moving: 59 * time.Minute, DistanceM: 30000}, bot.ImportFile, "", r.Now()); err != nil {
		t.Fatal(err)
	}
	r.fake.AddActivity("i42", icufake.Activity{ID: "i21", Start: ride.Add(20 * time.Second), Type: "Ride", Name: "Commute",
		MovingSec: 3550, Elapsed: 3600, DistanceM: 30100})
	sent := r.morning("2026-06-09")
	if len(sent) != 1 || !strings.HasPrefix(sent[0], "EASY") {
		ss, _ := r.store.SessionsSince(t.Context(), m.ID, mustDate(t, "2026-06-01"))
		t.Fatalf("morning = %q; want EASY after a run that was hard by heart rate; sessions %+v; calls %+v\n%s", sent, ss, r.fake.Calls(), r.logs.String())
	}
	ss, err := r.store.SessionsSince(t.Context(), m.ID, mustDate(t, "2026-06-01"))
	if err != nil || len(ss) != 2 {
		t.Fatalf("sessions = %+v, %v; want the file's ride and the run, the ride once", ss, err)
	}
	streams := 0
	for _, c := range r.fake.Calls() {
		if c.What == "streams" {
			streams++
		}
	}
	if streams != 1 {
		t.Errorf("%d stream reads; want 1, for the run with heart rate", streams)
	}
}

// TestConnectCheckHoldsNoWrites: the check of a new member's key runs
// before their update's unit of work opens, so while the service is slow
// to answer, other members' messages are handled and stored.
func TestConnectCheckHoldsNoWrites(t *testing.T) {
	r := newICURig(t, june8, true)
	r.say("tom", "/help")
	started, release := r.fake.Hold()
	defer release()
	done := make(chan string, 1)
	go func() {
		m := chat.Message{Platform: chat.PlatformConsole, ChatID: "dm-maya", UserID: "maya", UserName: "maya",
			Private: true, UpdateID: "u1", Command: "connect", Args: "intervals i42 " + icuKey}
		done <- joinReplies(r.bot.Handle(context.Background(), m))
	}()
	<-started
	logged := make(chan string, 1)
	go func() {
		m := r.msg("tom", "/log easy 30min")
		m.UpdateID = "u2"
		logged <- joinReplies(r.bot.Handle(context.Background(), m))
	}()
	select {
	case got := <-logged:
		if !strings.Contains(got, "Logged") {
			t.Fatalf("tom's /log = %q", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("another member's /log waited for the intervals.icu check")
	}
	release()
	if got := <-done; !strings.Contains(got, "Linked") {
		t.Fatalf("/connect = %q", got)
	}
}

func TestSyncCommand(t *testing.T) {
	r := newICURig(t, june8, true)
	if got := r.dm("maya", "/sync"); !strings.Contains(got, "no intervals.icu link") {
		t.Fatalf("/sync without a link = %q", got)
	}
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.AddActivity("i42", icufake.Activity{ID: "i30", Start: time.Date(2026, 6, 8, 18, 0, 0, 0, time.UTC), Type: "Run",
		Name: "Tempo 3x10min", MovingSec: 3000, Elapsed: 3100, DistanceM: 11000})
	r.fake.AddActivity("i42", icufake.Activity{ID: "777", Start: time.Date(2026, 6, 8, 7, 0, 0, 0, time.UTC), Type: "Run", Strava: true})
	got := r.dm("maya", "/sync")
	if !strings.Contains(got, "1 new activity logged") || !strings.Contains(got, "from Strava") {
		t.Fatalf("/sync = %q; want the activity logged and the Strava note", got)
	}
	if got := r.dm("maya", "/sync"); !strings.Contains(got, "0 new activities") || strings.Contains(got, "Strava") {
		t.Fatalf("second /sync = %q; want nothing new and no second note", got)
	}
	if got := r.dm("maya", "/sync now"); !strings.Contains(got, "For example: /sync") {
		t.Fatalf("/sync now = %q", got)
	}
	r.fake.Revoke("i42")
	if got := r.dm("maya", "/sync"); !strings.Contains(got, "no longer accepts the API key") {
		t.Fatalf("/sync with a revoked key = %q", got)
	}
}

// TestChangedSecretKeyAsksToReconnect: keys sealed under another secret
// key cannot be opened; the member is asked once to connect again.
func TestChangedSecretKeyAsksToReconnect(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	other, err := seal.New(bytes.Repeat([]byte{9}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	l := r.link(t)
	l.KeySealed, err = other.Seal([]byte(icuKey), []byte("elsewhere"))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.store.SaveIntervalsLink(t.Context(), *l, r.Now()); err != nil {
		t.Fatal(err)
	}
	sent := r.morning("2026-06-09")
	if len(sent) != 2 || !strings.Contains(strings.Join(sent, "\n"), "changed the secret key") {
		t.Fatalf("morning = %q; want the verdict and a request to connect again", sent)
	}
	if l := r.link(t); l.State != bot.LinkBroken {
		t.Fatalf("link = %+v; want broken", l)
	}
}

// TestSlowServiceDoesNotHoldTheMorning: a sync the service never answers
// is cut off at the sync bound (here 1 s, with a client timeout of a
// minute) and the morning message goes without it.
func TestSlowServiceDoesNotHoldTheMorning(t *testing.T) {
	r := newICURigWith(t, june8, true, time.Second, time.Minute)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	started, release := r.fake.Hold()
	defer release()
	done := make(chan []string, 1)
	go func() { done <- r.morning("2026-06-09") }()
	<-started
	select {
	case sent := <-done:
		if len(sent) != 1 || !strings.HasPrefix(sent[0], "HARD") {
			t.Fatalf("morning = %q; want the verdict without the sync", sent)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the morning message waited for the service beyond the sync bound")
	}
	if l := r.link(t); l.State != bot.LinkOK || !l.LastSync.IsZero() {
		t.Fatalf("link = %+v; want it kept and not marked synced", l)
	}
}
