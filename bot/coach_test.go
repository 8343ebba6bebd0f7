package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// clubState is everything a coach command could change in the club.
func clubState(t *testing.T, h *harness) string {
	t.Helper()
	ctx := t.Context()
	c, err := h.store.EnsureClub(ctx, chat.PlatformConsole, h.club, "", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	weeks, err := h.store.RecoveryWeeksFrom(ctx, c.ID, coach.Date{Year: 2000, Month: 1, Day: 1})
	if err != nil {
		t.Fatal(err)
	}
	coaches, err := h.store.ClubAdmins(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := h.store.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range coaches {
		names = append(names, m.UserID)
	}
	return strings.Join([]string{
		c.PostTime.String(), c.TZ, c.Pattern.String(), strings.Repeat("on", boolN(c.PostOn)),
		strings.Repeat("w", len(weeks)), strings.Join(names, ","), strings.Repeat("o", counts[outbox.Pending]+counts[outbox.Sent]),
		string(rune('0' + c.RecoveryEvery)),
	}, "|")
}

func boolN(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestCoachCommandsRefusedToMembers(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t)))
	h.sayCoach("tom", "/club")
	h.say("maya", "/start")
	before := clubState(t, h)
	for _, cmd := range []string{"/club", "/club plan mon=hard", "/club post 05:00", "/club post off", "/recoveryweek tomorrow",
		"/recoveryweek every 4", "/recoveryweek cancel", "/broadcast hello", "/preview", "/coach add @maya", "/coach remove @tom"} {
		got := h.say("maya", cmd)
		if !strings.HasPrefix(got, "Not allowed:") {
			t.Errorf("%s as a member: %q; want a refusal", cmd, got)
		}
	}
	if after := clubState(t, h); after != before {
		t.Errorf("club changed by refused commands:\n%s\n%s", before, after)
	}
}

func TestCoachCommandsBadInput(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t)))
	h.sayCoach("tom", "/club")
	before := clubState(t, h)
	cases := []struct{ cmd, want string }{
		{"/club frobnicate", "For example: /club plan"},
		{"/club plan", "For example: /club plan"},
		{"/club plan monday", "day=kind"},
		{"/club plan xyz=easy", "not a day of the week"},
		{"/club plan mon=fast", "not a kind of day"},
		{"/club plan mon=easy mon=hard", "set twice"},
		{"/club plan tue=rest mon=fast", "not a kind of day"}, // nothing of a rejected plan is kept
		{"/club post", "For example: /club post 06:30"},
		{"/club post 25:00", "not a time of day"},
		{"/club post 6.30", "not a time of day"},
		{"/club post 06:30 Mars/Olympus", "not a timezone"},
		{"/club post 06:30 Europe/Berlin extra", "For example"},
		{"/recoveryweek", "For example: /recoveryweek"},
		{"/recoveryweek 2026-02-30", "not a real day"},
		{"/recoveryweek 2026-06-01", "already begun or passed"},
		{"/recoveryweek 2027-06-01", "more than 180 days"},
		{"/recoveryweek someday", "can't read"},
		{"/recoveryweek every 1", "from 2 to 12"},
		{"/recoveryweek every lots", "from 2 to 12"},
		{"/recoveryweek tomorrow " + strings.Repeat("x", 301), "under 300"},
		{"/recoveryweek cancel", "no recovery week coming up"},
		{"/broadcast", "For example: /broadcast"},
		{"/preview 0", "For example: /preview 14"},
		{"/preview 29", "from 1 to 28"},
		{"/preview soon", "from 1 to 28"},
		{"/coach", "For example: /coach add @maya"},
		{"/coach promote @maya", "isn't add or remove"},
		{"/coach add @ghost", "don't know @ghost"},
	}
	for _, c := range cases {
		got := h.sayCoach("tom", c.cmd)
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: %q; want it to say %q", c.cmd, got, c.want)
		}
		if strings.Contains(c.want, "For example") || strings.Contains(got, "For example:") {
			continue
		}
		if !strings.Contains(got, "/") {
			t.Errorf("%s: %q has no example of a correct command", c.cmd, got)
		}
	}
	if after := clubState(t, h); after != before {
		t.Errorf("club changed by rejected commands:\n%s\n%s", before, after)
	}
}

func TestClubPlanAndPost(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t)))
	got := h.sayCoach("tom", "/club plan mon=easy tue=hard sat=long")
	if !strings.Contains(got, "mon=easy tue=hard wed=easy thu=hard fri=easy sat=long sun=easy") {
		t.Errorf("plan reply: %q", got)
	}
	h.sayCoach("tom", "/club plan Friday=rest")
	if got := h.sayCoach("tom", "/club post 06:00 america/new_york"); !strings.Contains(got, "06:00 America/New_York") {
		t.Errorf("post reply: %q", got)
	}
	show := h.sayCoach("tom", "/club")
	for _, want := range []string{"Weekly pattern: mon=easy tue=hard wed=easy thu=hard fri=rest sat=long sun=easy",
		"Morning post: 06:00 America/New_York", "Recovery weeks: none", "Coaches:"} {
		if !strings.Contains(show, want) {
			t.Errorf("/club lacks %q:\n%s", want, show)
		}
	}
	h.sayCoach("tom", "/club post off")
	if show := h.sayCoach("tom", "/club"); !strings.Contains(show, "Morning post: off") {
		t.Errorf("after /club post off:\n%s", show)
	}
	h.sayCoach("tom", "/club post on")
	if show := h.sayCoach("tom", "/club"); !strings.Contains(show, "Morning post: 06:00 America/New_York") {
		t.Errorf("after /club post on:\n%s", show)
	}
}

func TestClubSettingsStayInTheirClub(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t)))
	h.sayCoach("tom", "/club plan wed=hard")
	h.sayCoach("tom", "/recoveryweek 2026-06-15 secret note")
	h.say("maya", "/start")
	h.sayCoach("tom", "/coach add @maya")
	h.club = "otters"
	other := h.sayCoach("ann", "/club")
	for _, leak := range []string{"wed=hard", "2026-06-15", "secret", "maya"} {
		if strings.Contains(other, leak) {
			t.Errorf("another club's /club shows %q:\n%s", leak, other)
		}
	}
	if p := h.sayCoach("ann", "/preview 14"); strings.Contains(p, "It's a recovery week") {
		t.Errorf("another club's preview has this club's recovery week:\n%s", p)
	}
	// maya is a coach of harriers only.
	if got := h.say("maya", "/club"); !strings.HasPrefix(got, "Not allowed:") {
		t.Errorf("a harriers coach in otters: %q; want a refusal", got)
	}
	h.club = "harriers"
	bcData := buttonData(t, h.bot.Handle(t.Context(), func() chat.Message {
		m := h.msg("tom", "/broadcast only for harriers")
		m.PlatformAdmin = true
		return m
	}()), "Send")
	h.club = "otters"
	m := h.msg("ann", "")
	m.Button, m.PlatformAdmin = bcData, true
	if got := joinReplies(h.bot.Handle(t.Context(), m)); !strings.Contains(got, "already sent or cancelled") {
		t.Errorf("pressing another club's broadcast: %q; want it not found", got)
	}
	counts, _ := h.store.OutboxCounts(t.Context())
	if counts[outbox.Pending] != 1 { // the recovery-week announcement only
		t.Errorf("outbox = %v; want only the announcement", counts)
	}
}

func TestCoachAddAndRemove(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, berlin(t)))
	h.say("maya", "/start")
	h.say("ben", "/start")
	if got := h.sayCoach("tom", "/coach add @Maya"); !strings.Contains(got, "maya is now a coach") {
		t.Errorf("add: %q", got)
	}
	if got := h.sayCoach("tom", "/coach add <@maya>"); !strings.Contains(got, "already a coach") {
		t.Errorf("add twice: %q", got)
	}
	if got := h.say("maya", "/club"); !strings.HasPrefix(got, "Club: the club") || !strings.Contains(got, "Coaches: maya") {
		t.Errorf("new coach's /club: %q", got)
	}
	if got := h.say("maya", "/coach add ben"); !strings.Contains(got, "ben is now a coach") {
		t.Errorf("a listed coach adds another: %q", got)
	}
	if got := h.sayCoach("tom", "/coach remove <@!maya>"); !strings.Contains(got, "no longer") {
		t.Errorf("remove: %q", got)
	}
	if got := h.say("maya", "/club"); !strings.HasPrefix(got, "Not allowed:") {
		t.Errorf("removed coach: %q; want a refusal on the next call", got)
	}
}

// previewSections splits a /preview reply into posts by date.
func previewSections(t *testing.T, text string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, part := range strings.Split(text, "\n\n— ")[1:] {
		date, body, ok := strings.Cut(part, " —\n")
		if !ok {
			t.Fatalf("bad preview section %q", part)
		}
		out[date] = body
	}
	return out
}

func TestPreviewIsExactlyWhatIsPosted(t *testing.T) {
	loc := berlin(t)
	h := newHarness(t, time.Date(2026, 6, 7, 12, 0, 0, 0, loc))
	h.sayCoach("tom", "/club")
	rig := newSchedRig(h)
	rig.at(time.Date(2026, 6, 8, 9, 0, 0, 0, loc))
	h.sayCoach("tom", "/recoveryweek 2026-06-15")
	rig.at(h.Now()) // the announcement
	preview := h.sayCoach("tom", "/preview 14")
	posts := previewSections(t, preview)
	if len(posts) != 14 || !strings.Contains(preview, "The next 14 morning posts to the club, each at 06:30 Europe/Berlin") {
		t.Fatalf("preview has %d posts:\n%s", len(posts), preview)
	}
	tips := map[string]string{}
	for day := 9; day <= 22; day++ {
		d := time.Date(2026, 6, day, 6, 30, 0, 0, loc)
		sent := rig.at(d)
		if len(sent) != 1 {
			t.Fatalf("%s: %d messages; want the club post", d, len(sent))
		}
		key := d.Format("2006-01-02")
		if sent[0].Reply.Text != posts[key] {
			t.Errorf("%s posted:\n%s\npreview said:\n%s", key, sent[0].Reply.Text, posts[key])
		}
		if sent[0].Key != "club_post:c1:"+key || sent[0].To.ChatID != "harriers" || sent[0].To.Private {
			t.Errorf("%s went out as %+v", key, sent[0])
		}
		text := sent[0].Reply.Text
		inWeek := day >= 15 && day <= 21
		if inWeek && strings.Contains(text, "HARD") {
			t.Errorf("%s is in the recovery week but says HARD:\n%s", key, text)
		}
		if wd := d.Weekday(); !inWeek && (wd == time.Tuesday || wd == time.Thursday || wd == time.Saturday) && !strings.Contains(text, ": HARD\n") {
			t.Errorf("%s is a hard day of the club's week:\n%s", key, text)
		}
		if d.Weekday() == time.Saturday && !inWeek && !strings.Contains(text, "long run") {
			t.Errorf("the long day's session should be the long run:\n%s", text)
		}
		tip := ""
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "Tip: ") {
				tip = line
			}
		}
		if tip == "" {
			t.Errorf("%s has no tip:\n%s", key, text)
		}
		if prev, ok := tips[tip]; ok {
			t.Errorf("tip of %s repeats the one of %s within two weeks: %s", key, prev, tip)
		}
		tips[tip] = key
		// Nothing more on the same day, however often it ticks.
		if again := rig.at(d.Add(time.Minute)); len(again) != 0 {
			t.Errorf("%s: a second tick sent %d more", key, len(again))
		}
	}
}

func TestRecoveryWeekInPostsAndNudges(t *testing.T) {
	loc := berlin(t)
	h := newHarness(t, time.Date(2026, 6, 7, 12, 0, 0, 0, loc))
	h.sayCoach("tom", "/club")
	h.say("maya", "/settings nudges on")
	rig := newSchedRig(h)
	rig.at(time.Date(2026, 6, 8, 9, 0, 0, 0, loc))

	got := h.sayCoach("tom", "/recoveryweek monday Club race on Sunday the 14th")
	if !strings.Contains(got, "Monday 15 June to Sunday 21 June") {
		t.Fatalf("declare: %q", got)
	}
	sent := rig.at(h.Now())
	if len(sent) != 1 || !strings.HasPrefix(sent[0].Reply.Text, "Recovery week ahead: from Monday 15 June") ||
		!strings.Contains(sent[0].Reply.Text, "Club race on Sunday the 14th") || sent[0].To.Private {
		t.Fatalf("announcement: %+v", sent)
	}

	tuesday := func(day int) (club, nudge string) {
		club = textOf(t, rig.at(time.Date(2026, 6, day, 6, 30, 0, 0, loc)), false)
		nudge = textOf(t, rig.at(time.Date(2026, 6, day, 7, 0, 0, 0, loc)), true)
		return
	}
	club, nudge := tuesday(9)
	if !strings.Contains(club, "Tuesday 9 June: HARD") || !strings.HasPrefix(nudge, "HARD") {
		t.Errorf("an ordinary Tuesday: club %q, nudge %q; want HARD in both", club, nudge)
	}
	eve := rig.at(time.Date(2026, 6, 14, 18, 0, 0, 0, loc))
	if len(eve) != 1 || !strings.HasPrefix(eve[0].Reply.Text, "Reminder: the club's recovery week starts tomorrow, Monday 15 June") {
		t.Errorf("the evening before: %+v", eve)
	}
	club, nudge = tuesday(16)
	if !strings.Contains(club, "Tuesday 16 June: EASY") || !strings.Contains(club, "recovery week") || !strings.HasPrefix(nudge, "EASY") {
		t.Errorf("a Tuesday of the recovery week: club %q, nudge %q; want EASY in both", club, nudge)
	}
	club, nudge = tuesday(23)
	if !strings.Contains(club, "Tuesday 23 June: HARD") || !strings.HasPrefix(nudge, "HARD") {
		t.Errorf("the Tuesday after: club %q, nudge %q; want HARD again", club, nudge)
	}

	// Cancelling tells the club.
	h.sayCoach("tom", "/recoveryweek 2026-07-06")
	rig.at(h.Now())
	if got := h.sayCoach("tom", "/recoveryweek cancel"); !strings.Contains(got, "Cancelled the recovery week of Monday 6 July") {
		t.Errorf("cancel: %q", got)
	}
	if sent := rig.at(h.Now()); len(sent) != 1 || !strings.Contains(sent[0].Reply.Text, "is off") {
		t.Errorf("cancel notice: %+v", sent)
	}
}

// textOf returns the one message of the wanted kind (personal or club).
func textOf(t *testing.T, sent []outbox.Outgoing, private bool) string {
	t.Helper()
	var got []string
	for _, o := range sent {
		if o.To.Private == private {
			got = append(got, o.Reply.Text)
		}
	}
	if len(got) != 1 {
		t.Fatalf("want one message (private %v), got %d: %+v", private, len(got), sent)
	}
	return got[0]
}

func TestRecoveryRhythmRemindsTheCoach(t *testing.T) {
	loc := berlin(t)
	h := newHarness(t, time.Date(2026, 6, 8, 8, 0, 0, 0, loc)) // a Monday
	got := h.sayCoach("tom", "/recoveryweek every 4")
	if !strings.Contains(got, "first reminder comes on Monday 29 June") {
		t.Fatalf("every 4: %q", got)
	}
	rig := newSchedRig(h)
	var reminders []outbox.Outgoing
	for day := 8; day <= 36; day++ {
		d := time.Date(2026, 6, 1, 9, 0, 0, 0, loc).AddDate(0, 0, day-1)
		for _, o := range rig.at(d) {
			if strings.HasPrefix(o.Key, "recovery_rhythm:") {
				reminders = append(reminders, o)
			}
		}
	}
	if len(reminders) != 1 {
		t.Fatalf("reminders in June/early July: %d; want 1: %+v", len(reminders), reminders)
	}
	r := reminders[0]
	if r.Key != "recovery_rhythm:c1:2026-06-29" || !r.To.Private || r.To.UserID != "tom" ||
		!strings.Contains(r.Reply.Text, "/recoveryweek 2026-07-06") {
		t.Errorf("reminder: %+v", r)
	}
	if got := h.sayCoach("tom", "/club"); !strings.Contains(got, "every 4 weeks") {
		t.Errorf("/club lacks the rhythm: %q", got)
	}
	h.sayCoach("tom", "/recoveryweek every off")
	if got := h.sayCoach("tom", "/club"); strings.Contains(got, "every 4 weeks") {
		t.Errorf("rhythm still shown after off: %q", got)
	}
}

func TestBroadcastPreviewThenConfirm(t *testing.T) {
	loc := berlin(t)
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, loc))
	rig := newSchedRig(h)
	rs := h.bot.Handle(t.Context(), func() chat.Message {
		m := h.msg("tom", "/broadcast Track closed Thursday; meet at the park gate.")
		m.PlatformAdmin = true
		return m
	}())
	preview := joinReplies(rs)
	if !strings.Contains(preview, "Announcement from the coaches:\nTrack closed Thursday; meet at the park gate.") {
		t.Fatalf("preview: %q", preview)
	}
	send, cancel := buttonData(t, rs, "Send"), buttonData(t, rs, "Cancel")
	if len(send) > chat.MaxButtonData || strings.Contains(send, "Track") {
		t.Errorf("button data %q must carry only an id", send)
	}
	if sent := rig.at(h.Now()); len(sent) != 0 {
		t.Fatalf("sent before confirmation: %+v", sent)
	}
	if got := h.press("maya", send); !strings.HasPrefix(got, "Not allowed:") {
		t.Errorf("a member pressing Send: %q", got)
	}
	adminPress := func(data string) string {
		m := h.msg("tom", "")
		m.Button, m.PlatformAdmin = data, true
		return joinReplies(h.bot.Handle(t.Context(), m))
	}
	if got := adminPress(send); !strings.Contains(got, "goes out") {
		t.Errorf("Send: %q", got)
	}
	sent := rig.at(h.Now())
	if len(sent) != 1 || sent[0].To.ChatID != "harriers" || !strings.HasSuffix(sent[0].Reply.Text, "meet at the park gate.") {
		t.Fatalf("delivered: %+v", sent)
	}
	if got := adminPress(send); !strings.Contains(got, "already sent or cancelled") {
		t.Errorf("second Send: %q", got)
	}
	if got := adminPress(cancel); !strings.Contains(got, "already sent or cancelled") {
		t.Errorf("Cancel after Send: %q", got)
	}
	if sent := rig.at(h.Now().Add(time.Minute)); len(sent) != 0 {
		t.Errorf("more deliveries: %+v", sent)
	}
}
