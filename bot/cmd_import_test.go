package bot_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/activity"
	"github.com/shakeoutbot/shakeout/bot/activity/fittest"
	"github.com/shakeoutbot/shakeout/chat"
)

// importStart is a Tuesday morning in the club's timezone (UTC).
var importStart = time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)

// fileMsg is a console message from member `as` carrying data as a file.
func (h *harness) fileMsg(as, name string, data []byte) chat.Message {
	m := h.msg(as, "")
	m.Args = ""
	m.Attachment = &chat.Attachment{Name: name, Size: int64(len(data)), Fetch: func(_ context.Context, limit int64) ([]byte, error) {
		if int64(len(data)) > limit {
			return nil, chat.ErrAttachmentTooLarge
		}
		return data, nil
	}}
	return m
}

// sendFile sends data as a file named name and returns the replies.
func (h *harness) sendFile(as, name string, data []byte) []chat.Reply {
	h.t.Helper()
	return h.bot.Handle(h.t.Context(), h.fileMsg(as, name, data))
}

func fitOf(t *testing.T, w fittest.Workout) []byte {
	t.Helper()
	data, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// withHR makes member `as` someone whose heart rate the bot may read:
// consent, age 40 (maximum 180) and a resting heart rate of 50.
func (h *harness) withHR(as string) {
	h.t.Helper()
	h.say(as, "/settings consent yes age 40")
	h.say(as, "/checkin rhr 50")
}

func TestImportIntervalsFileWithHeartRate(t *testing.T) {
	h := newHarness(t, importStart)
	h.withHR("maya")
	yesterday := importStart.Add(-13 * time.Hour) // Monday 18:00
	data := fitOf(t, fittest.Intervals(yesterday, 6, 130, 165))
	rs := h.sendFile("maya", "Evening_Run.fit", data)
	got := joinReplies(rs)
	for _, want := range []string{"Logged from a FIT file: intervals on Mon 8 Jun (yesterday)", "TRIMP", "at or above 154 bpm", "a hard session"} {
		if !strings.Contains(got, want) {
			t.Errorf("reply lacks %q:\n%s", want, got)
		}
	}
	for _, r := range rs {
		if !r.Private {
			t.Errorf("a reply about heart rate is not private: %q", r.Text)
		}
		if len(r.Buttons) > 0 {
			t.Errorf("buttons offered for a session with heart rate: %+v", r.Buttons)
		}
	}
	today := h.say("maya", "/today")
	if !strings.Contains(today, "EASY") || !strings.Contains(today, "intervals") {
		t.Errorf("/today after a hard interval file yesterday:\n%s", today)
	}
	week := h.say("maya", "/week")
	if !strings.Contains(week, "intervals") || !strings.Contains(week, "(from a FIT file)") {
		t.Errorf("/week does not mark the file's session:\n%s", week)
	}

	// The same file again, and gzip-compressed: logged once.
	before := h.stored("maya")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	for _, again := range [][]byte{data, gz.Bytes()} {
		got := joinReplies(h.sendFile("maya", "again.fit.gz", again))
		if !strings.Contains(got, "Already logged: intervals on Mon 8 Jun (yesterday)") || !strings.Contains(got, "stored nothing new") {
			t.Errorf("second copy: %s", got)
		}
	}
	if after := h.stored("maya"); after != before {
		t.Errorf("a duplicate stored something:\nbefore %s\nafter  %s", before, after)
	}
}

func TestImportWithoutConsentAsksForEffort(t *testing.T) {
	h := newHarness(t, importStart)
	h.say("tom", "/settings age 40")
	data := fitOf(t, fittest.Intervals(importStart.Add(-13*time.Hour), 6, 130, 165))
	rs := h.sendFile("tom", "run.fit", data)
	got := joinReplies(rs)
	if !strings.Contains(got, "Logged from a FIT file: easy on Mon 8 Jun (yesterday)") || !strings.Contains(got, "/settings consent yes") {
		t.Fatalf("reply without consent:\n%s", got)
	}
	if strings.Contains(got, "TRIMP") || strings.Contains(got, "bpm") {
		t.Errorf("heart rate used without consent:\n%s", got)
	}
	if st := h.stored("tom"); !strings.Contains(st, `"avg_hr":0`) || !strings.Contains(st, `"trimp":0`) || !strings.Contains(st, `"source":"file"`) {
		t.Errorf("heart rate stored without consent: %s", h.stored("tom"))
	}
	data8 := buttonData(t, rs, "8")
	saved := h.press("tom", data8)
	if !strings.Contains(saved, "Effort saved: easy on Mon 8 Jun (yesterday)") || !strings.Contains(saved, "RPE 8") {
		t.Fatalf("after tapping 8: %s", saved)
	}
	if week := h.say("tom", "/week"); !strings.Contains(week, "RPE 8") {
		t.Errorf("/week after the tap:\n%s", week)
	}
}

func TestImportRideWithoutHeartRate(t *testing.T) {
	h := newHarness(t, importStart)
	w := fittest.Steady(importStart.Add(-2*time.Hour), 60*time.Minute, 8, 0)
	w.Ride = true
	rs := h.sendFile("ana", "ride.fit", fitOf(t, w))
	got := joinReplies(rs)
	if !strings.Contains(got, "Logged from a FIT file: cross on Tue 9 Jun (today): 28.8 km, 1 h") || !strings.Contains(got, "How hard did it feel") {
		t.Fatalf("ride without heart rate:\n%s", got)
	}
	saved := h.press("ana", buttonData(t, rs, "4"))
	if !strings.Contains(saved, "RPE 4 (load 240)") {
		t.Errorf("after tapping 4: %s", saved)
	}
}

func TestImportHalfMarathonOffersTheRacePlan(t *testing.T) {
	h := newHarness(t, importStart)
	h.withHR("maya")
	race := fittest.Steady(importStart.Add(-22*time.Hour), 88*time.Minute+20*time.Second, 4.0, 162)
	rs := h.sendFile("maya", "Half.fit", fitOf(t, race))
	got := joinReplies(rs)
	if !strings.Contains(got, "Was this a race?") || !strings.Contains(got, "21.1 km") {
		t.Fatalf("half marathon file:\n%s", got)
	}
	plan := h.press("maya", buttonData(t, rs, "Yes, it was a race"))
	if !strings.Contains(plan, "half marathon recovery plan has started") {
		t.Fatalf("after yes: %s", plan)
	}
	if strings.Contains(plan, "/log race") {
		t.Errorf("the plan asks to log a race the file already logged: %s", plan)
	}
	if list := h.say("maya", "/log list"); !strings.Contains(list, "race") {
		t.Errorf("the session is not a race now:\n%s", list)
	}
	// An easy run of the same length is not asked about.
	easy := fittest.Steady(importStart.Add(-46*time.Hour), 110*time.Minute, 3.2, 135)
	if got := joinReplies(h.sendFile("maya", "long.fit", fitOf(t, easy))); strings.Contains(got, "race") {
		t.Errorf("an easy 21 km is offered the race plan:\n%s", got)
	}
}

func TestImportBadFiles(t *testing.T) {
	h := newHarness(t, importStart)
	h.withHR("maya")
	good := fitOf(t, fittest.Intervals(importStart.Add(-13*time.Hour), 4, 130, 165))
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0xff
	onePoint := []byte(`<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>` +
		`<trkpt lat="51.5" lon="-0.12"><time>2026-06-08T18:00:00Z</time></trkpt></trkseg></trk></gpx>`)
	future := fitOf(t, fittest.Steady(importStart.Add(26*time.Hour), 30*time.Minute, 3, 140))
	cases := []struct {
		name, file string
		data       []byte
		size       int64 // stated size; 0 for the data's own
		want       string
	}{
		{"not an activity file", "notes.txt", []byte("8 km easy this morning"), 0, "not an activity file I can read"},
		{"a photo", "run.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), 0, "not an activity file I can read"},
		{"bad checksum", "run.fit", flipped, 0, "damaged or cut short"},
		{"cut short", "run.fit", good[:len(good)/3], 0, "damaged or cut short"},
		{"no samples", "one.gpx", onePoint, 0, "no timed recording"},
		{"over the size limit", "huge.fit", good, activity.DefaultMaxBytes + 1, "too large"},
		{"from the future", "tomorrow.fit", future, 0, "in the future"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.stored("maya")
			m := h.fileMsg("maya", c.file, c.data)
			if c.size > 0 {
				m.Attachment.Size = c.size
			}
			rs := h.bot.Handle(t.Context(), m)
			got := joinReplies(rs)
			if !strings.Contains(got, c.want) || !strings.Contains(got, "Nothing was logged") || !strings.Contains(got, c.file) {
				t.Errorf("reply = %q; want %q, the file's name and nothing logged", got, c.want)
			}
			if !strings.Contains(got, "Export") && !strings.Contains(got, "/log") && !strings.Contains(got, "FIT") {
				t.Errorf("reply gives no way forward: %q", got)
			}
			if after := h.stored("maya"); after != before {
				t.Errorf("a refused file stored something:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	// A file the platform cannot hand over within the limit.
	m := h.fileMsg("maya", "big.tcx", nil)
	m.Attachment.Size = 0
	m.Attachment.Fetch = func(context.Context, int64) ([]byte, error) { return nil, chat.ErrAttachmentTooLarge }
	if got := joinReplies(h.bot.Handle(t.Context(), m)); !strings.Contains(got, "too large") {
		t.Errorf("download over the limit: %q", got)
	}
	if got := h.say("maya", "/import"); !strings.Contains(got, "Attach the file") {
		t.Errorf("/import without a file: %q", got)
	}
}

// The service itself: an activity from another source matching a file's
// start and duration is the same activity.
func TestImportActivityDedupeAcrossSources(t *testing.T) {
	h := newHarness(t, importStart)
	h.withHR("maya")
	data := fitOf(t, fittest.Intervals(importStart.Add(-13*time.Hour), 6, 130, 165))
	h.sendFile("maya", "run.fit", data)
	a, err := activity.Parse(bytes.NewReader(data), "run.fit", activity.DefaultLimits(importStart))
	if err != nil {
		t.Fatal(err)
	}
	m := h.member("maya")
	// intervals.icu's figures: a few seconds off the start, its own
	// moving time.
	a.Start = a.Start.Add(3 * time.Second)
	a.Moving -= 25 * time.Second
	a.Elapsed -= 4 * time.Second
	res, err := h.bot.ImportActivity(t.Context(), m, time.UTC, a, bot.ImportIntervals, "i777", importStart)
	if err != nil || res.Outcome != bot.ImportDuplicate || res.Imported.Source != bot.ImportFile {
		t.Fatalf("from intervals.icu after the file: %+v, %v", res, err)
	}
	// Twenty minutes later is another activity.
	a.Start = a.Start.Add(20 * time.Minute)
	res, err = h.bot.ImportActivity(t.Context(), m, time.UTC, a, bot.ImportIntervals, "i778", importStart)
	if err != nil || res.Outcome != bot.ImportLogged || res.Session.ID == 0 {
		t.Fatalf("a later activity: %+v, %v", res, err)
	}
	if got := joinReplies(bot.ImportReplies(res, m.Units, res.Session.Date)); !strings.Contains(got, "Logged from intervals.icu: intervals") {
		t.Errorf("reply for intervals.icu: %s", got)
	}
}

// The file is downloaded once, before the update's work begins, and a file
// stated over the limit is not downloaded at all.
func TestImportFetchesOnce(t *testing.T) {
	h := newHarness(t, importStart)
	data := fitOf(t, fittest.Steady(importStart.Add(-3*time.Hour), 30*time.Minute, 3, 0))
	calls := 0
	m := h.fileMsg("ana", "run.fit", data)
	inner := m.Attachment.Fetch
	m.Attachment.Fetch = func(ctx context.Context, limit int64) ([]byte, error) {
		calls++
		if limit != activity.DefaultMaxBytes {
			t.Errorf("fetched with limit %d", limit)
		}
		return inner(ctx, limit)
	}
	m.UpdateID = "u-1"
	if got := joinReplies(h.bot.Handle(t.Context(), m)); !strings.Contains(got, "Logged from a FIT file") {
		t.Fatalf("reply = %q", got)
	}
	if calls != 1 {
		t.Errorf("fetched %d times, want 1", calls)
	}
	m.Attachment.Size = activity.DefaultMaxBytes + 1
	m.UpdateID = "u-2"
	if got := joinReplies(h.bot.Handle(t.Context(), m)); !strings.Contains(got, "too large") {
		t.Errorf("over the limit: %q", got)
	}
	if calls != 1 {
		t.Errorf("a file over the limit was fetched (%d calls)", calls)
	}
}
