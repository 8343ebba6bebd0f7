package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
)

func TestRecoveryRhythmRange(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t)))
	h.sayCoach("tom", "/club")
	before := clubState(t, h)
	for _, in := range []string{"/recoveryweek every 0", "/recoveryweek every 99", "/recoveryweek every 1", "/recoveryweek every -3", "/recoveryweek every"} {
		got := h.sayCoach("tom", in)
		if !strings.Contains(got, "from 2 to 12") || !strings.Contains(got, "For example: /recoveryweek every 4") {
			t.Errorf("%s = %q; want the valid range and an example", in, got)
		}
	}
	if after := clubState(t, h); after != before {
		t.Errorf("a refused rhythm changed the club:\n%s\n%s", before, after)
	}
	if got := h.sayCoach("tom", "/recoveryweek every off"); !strings.Contains(got, "No more recovery-week reminders") {
		t.Errorf("every off = %q", got)
	}
}

func TestRecoveryWeekCancelPicksTheWeek(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t))) // a Monday
	h.sayCoach("tom", "/recoveryweek 2026-06-15 taper")
	h.sayCoach("tom", "/recoveryweek 2026-07-06")
	before := clubState(t, h)
	got := h.sayCoach("tom", "/recoveryweek cancel")
	for _, w := range []string{"2 recovery weeks coming up", "Monday 15 June to Sunday 21 June (taper)", "Monday 6 July to Sunday 12 July", "For example: /recoveryweek cancel 2026-06-15"} {
		if !strings.Contains(got, w) {
			t.Errorf("ambiguous cancel lacks %q:\n%s", w, got)
		}
	}
	if after := clubState(t, h); after != before {
		t.Fatal("an ambiguous cancel changed something")
	}
	if got := h.sayCoach("tom", "/recoveryweek cancel 2026-06-22"); !strings.Contains(got, "No recovery week") {
		t.Errorf("cancel of a day in no week = %q", got)
	}
	if got := h.sayCoach("tom", "/recoveryweek cancel 2026-07-08"); !strings.Contains(got, "Cancelled the recovery week of Monday 6 July") {
		t.Fatalf("cancel by a day inside the week = %q", got)
	}
	show := h.sayCoach("tom", "/club")
	if !strings.Contains(show, "Recovery weeks: 2026-06-15 to 2026-06-21 (taper)\n") {
		t.Errorf("/club after cancelling July:\n%s", show)
	}
	if got := h.sayCoach("tom", "/recoveryweek cancel"); !strings.Contains(got, "Cancelled the recovery week of Monday 15 June") {
		t.Errorf("cancel of the only week left = %q", got)
	}
}

func TestClubShowsNoStraySemicolonAndAPossessive(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t)))
	first := h.msg("tom", "/recoveryweek 2026-06-15")
	first.ClubName, first.PlatformAdmin = "harriers", true // the club is named by its first message
	h.bot.Handle(t.Context(), first)
	h.sayCoach("tom", "/recoveryweek 2026-07-06 before the club race")
	show := h.sayCoach("tom", "/club")
	if !strings.Contains(show, "Recovery weeks: 2026-06-15 to 2026-06-21; 2026-07-06 to 2026-07-12 (before the club race)\n") {
		t.Errorf("recovery weeks line:\n%s", show)
	}
	if strings.Contains(show, ";\n") || strings.Contains(show, "s's") {
		t.Errorf("stray semicolon or possessive in:\n%s", show)
	}
	h.say("maya", "/start")
	got := h.sayCoach("tom", "/coach remove @maya")
	if !strings.Contains(got, "harriers' coach list") || strings.Contains(got, "harriers's") {
		t.Errorf("/coach remove = %q; want \"harriers' coach list\"", got)
	}
}

// coachSay sends text as coach tom and returns the replies.
func coachSay(t *testing.T, h *harness, text string) []chat.Reply {
	t.Helper()
	m := h.msg("tom", text)
	m.PlatformAdmin = true
	if text == "" {
		m.Args = ""
	}
	return h.bot.Handle(t.Context(), m)
}

func coachPress(t *testing.T, h *harness, data string) string {
	t.Helper()
	m := h.msg("tom", "")
	m.Args, m.Button, m.PlatformAdmin = "", data, true
	return joinReplies(h.bot.Handle(t.Context(), m))
}

func TestBroadcastScheduledForLater(t *testing.T) {
	loc := berlin(t)
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, loc))
	rig := newSchedRig(h)
	rs := coachSay(t, h, "/broadcast at 2026-06-10 07:00 Track session moved to the park today.")
	preview := joinReplies(rs)
	if !strings.Contains(preview, "Announcement from the coaches:\nTrack session moved to the park today.") ||
		!strings.Contains(preview, "on Wednesday 10 June at 07:00 (Europe/Berlin)") || !strings.Contains(preview, "15 minutes") {
		t.Fatalf("preview of a scheduled broadcast: %q", preview)
	}
	if got := coachPress(t, h, buttonData(t, rs, "Send")); !strings.Contains(got, "Scheduled: it goes to the club on Wednesday 10 June at 07:00") {
		t.Fatalf("Send of a scheduled broadcast: %q", got)
	}
	if sent := rig.at(h.Now().Add(time.Minute)); len(sent) != 0 {
		t.Fatalf("a scheduled broadcast went out early: %+v", sent)
	}
	pv := joinReplies(coachSay(t, h, "/preview 3"))
	if !strings.Contains(pv, "Scheduled announcements (1):") || !strings.Contains(pv, "2026-06-10 07:00 Europe/Berlin —\nAnnouncement from the coaches:\nTrack session moved") {
		t.Errorf("/preview lacks the scheduled broadcast:\n%s", pv)
	}
	if sent := rig.at(time.Date(2026, 6, 10, 6, 59, 0, 0, loc)); len(sent) != 1 || strings.Contains(sent[0].Reply.Text, "Track") {
		t.Fatalf("before 07:00 only the morning post may go: %+v", sent)
	}
	sent := rig.at(time.Date(2026, 6, 10, 7, 0, 0, 0, loc))
	if len(sent) != 1 || !strings.Contains(sent[0].Reply.Text, "Track session moved") || sent[0].To.ChatID != "harriers" {
		t.Fatalf("at 07:00: %+v", sent)
	}
	if pv := joinReplies(coachSay(t, h, "/preview 3")); strings.Contains(pv, "Scheduled announcements") {
		t.Errorf("/preview still lists a sent broadcast:\n%s", pv)
	}
}

func TestBroadcastScheduleBadInput(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t)))
	h.sayCoach("tom", "/club")
	before := clubState(t, h)
	for _, c := range []struct{ in, want string }{
		{"/broadcast at 2026-06-07 07:00 too late", "already passed"},
		{"/broadcast at 2026-06-08 08:59 too late", "already passed"},
		{"/broadcast at 2026-09-30 07:00 too far", "more than 60 days"},
		{"/broadcast at 2026-06-10 25:00 bad time", "not a time of day"},
		{"/broadcast at 2026-06-31 07:00 bad day", "not a real day"},
		{"/broadcast at tomorrow 07:00", "Write the announcement"},
		{"/broadcast at", "give the day and time"},
	} {
		got := h.sayCoach("tom", c.in)
		if !strings.Contains(got, c.want) || !strings.Contains(got, "For example: /broadcast at") {
			t.Errorf("%s = %q; want %q and an example", c.in, got, c.want)
		}
	}
	if after := clubState(t, h); after != before {
		t.Errorf("a refused broadcast changed something:\n%s\n%s", before, after)
	}
	// A bare time is its next occurrence: 07:00 at 09:00 is tomorrow.
	if got := h.sayCoach("tom", "/broadcast at 07:00 Early one"); !strings.Contains(got, "on Tuesday 9 June at 07:00") {
		t.Errorf("bare time: %q", got)
	}
}

func TestBroadcastPreviewExpires(t *testing.T) {
	loc := berlin(t)
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, loc))
	rig := newSchedRig(h)
	rs := coachSay(t, h, "/broadcast Hill reps tonight.")
	h.set(h.Now().Add(16 * time.Minute))
	if got := coachPress(t, h, buttonData(t, rs, "Send")); !strings.Contains(got, "This preview expired") || !strings.Contains(got, "Send /broadcast again") {
		t.Fatalf("Send after 16 minutes: %q", got)
	}
	if sent := rig.at(h.Now()); len(sent) != 0 {
		t.Fatalf("an expired preview was sent: %+v", sent)
	}
	rs = coachSay(t, h, "/broadcast Hill reps tonight.")
	h.set(h.Now().Add(14 * time.Minute))
	if got := coachPress(t, h, buttonData(t, rs, "Send")); !strings.Contains(got, "goes out") {
		t.Fatalf("Send within 15 minutes: %q", got)
	}
}

func TestClubShowsWhoGetsMorningMessages(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t)))
	for _, who := range []string{"maya", "ben", "ann"} {
		h.say(who, "/settings nudge 06:45")
	}
	h.say("zoe", "/stop")
	h.say("maya", "/settings listed yes")
	if got := h.say("ann", "/settings"); !strings.Contains(got, "named to the club's coaches as getting the morning message: no") {
		t.Errorf("the default is not listed: %q", got)
	}
	show := h.sayCoach("tom", "/club")
	// tom, the coach, has not turned his on; zoe stopped hers.
	if !strings.Contains(show, "Morning messages: 3 of 5 members get them (maya, and 2 not named)") {
		t.Errorf("/club roster:\n%s", show)
	}
	for _, name := range []string{"ben", "ann", "zoe"} {
		if strings.Contains(show, name) {
			t.Errorf("/club names %s, who did not choose to be listed:\n%s", name, show)
		}
	}
	h.say("maya", "/settings listed no")
	if show := h.sayCoach("tom", "/club"); strings.Contains(show, "maya") || !strings.Contains(show, "none chose to be named") {
		t.Errorf("/club after maya unlisted:\n%s", show)
	}
	h.rejects("maya", "/settings listed maybe", "listed is yes or no")
}

func TestBroadcastScheduledCanBeCancelled(t *testing.T) {
	loc := berlin(t)
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, loc))
	rig := newSchedRig(h)
	if got := h.sayCoach("tom", "/broadcast cancel"); !strings.Contains(got, "no scheduled announcement") {
		t.Errorf("cancel with nothing scheduled: %q", got)
	}
	for _, in := range []string{"/broadcast at 2026-06-10 07:00 Track moved.", "/broadcast at 2026-06-11 18:00 Social run."} {
		coachPress(t, h, buttonData(t, coachSay(t, h, in), "Send"))
	}
	got := h.sayCoach("tom", "/broadcast cancel")
	for _, w := range []string{"There are 2 announcements scheduled", "1. Wednesday 10 June at 07:00: Track moved.", "2. Thursday 11 June at 18:00: Social run.", "For example: /broadcast cancel 1"} {
		if !strings.Contains(got, w) {
			t.Errorf("ambiguous cancel lacks %q:\n%s", w, got)
		}
	}
	if got := h.sayCoach("tom", "/broadcast cancel 2"); !strings.Contains(got, "Cancelled the announcement for Thursday 11 June at 18:00") {
		t.Fatalf("cancel 2 = %q", got)
	}
	if pv := h.sayCoach("tom", "/preview 7"); !strings.Contains(pv, "Scheduled announcements (1)") || strings.Contains(pv, "Social run") {
		t.Errorf("/preview after cancelling:\n%s", pv)
	}
	var all []string
	for _, at := range []time.Time{time.Date(2026, 6, 10, 7, 0, 0, 0, loc), time.Date(2026, 6, 11, 18, 0, 0, 0, loc)} {
		for _, o := range rig.at(at) {
			all = append(all, o.Reply.Text)
		}
	}
	if joined := strings.Join(all, "\n"); !strings.Contains(joined, "Track moved.") || strings.Contains(joined, "Social run.") {
		t.Errorf("delivered:\n%s", joined)
	}
	// An announcement that starts with the word is still an announcement.
	if got := h.sayCoach("tom", "/broadcast Cancel the track session, it's flooded."); !strings.Contains(got, "This is how it will look") {
		t.Errorf("an announcement starting with cancel: %q", got)
	}
}
