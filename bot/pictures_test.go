package bot_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/chart"
	"github.com/shakeoutbot/shakeout/chat"
)

// pictureOf returns the one picture among the replies, checking it decodes
// as a PNG of the given width.
func pictureOf(t *testing.T, rs []chat.Reply) *bot.Image {
	t.Helper()
	var img *bot.Image
	for _, r := range rs {
		if r.Image != nil {
			if img != nil {
				t.Fatal("two replies carry a picture")
			}
			img = r.Image
		}
	}
	if img == nil {
		t.Fatalf("no picture among %d replies: %q", len(rs), joinReplies(rs))
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img.PNG))
	if err != nil {
		t.Fatalf("picture %s: %v", img.Name, err)
	}
	if cfg.Width != chart.Width || cfg.Height < chart.Height {
		t.Fatalf("picture %s is %d×%d", img.Name, cfg.Width, cfg.Height)
	}
	if img.Caption == "" {
		t.Fatalf("picture %s has no caption", img.Name)
	}
	return img
}

func TestWeekPicture(t *testing.T) {
	h := newHarness(t, tuesday)
	for _, l := range []string{
		"/log intervals 8km 45min rpe 8 2026-06-03",
		"/log tempo 8km 40min rpe 7 2026-06-05",
		"/log hills 6km 40min rpe 8 2026-06-07",
		"/log easy 5km 30min 2026-06-08",
		"/log rest 2026-06-04",
		"/log long 1h30 2026-05-20", // weeks ago: a bar, not in this week's counts
	} {
		h.say("maya", l)
	}
	t.Run("asked in the group: private, no name, text as before", func(t *testing.T) {
		rs := h.replies("maya", "/week")
		img := pictureOf(t, rs)
		for _, r := range rs {
			if !r.Private {
				t.Errorf("a /week reply asked in a group is not private: %q", r.Text)
			}
		}
		if img.Name != "week.png" {
			t.Errorf("name %q", img.Name)
		}
		if !strings.HasPrefix(rs[0].Text, "Your last 7 days (Wed 3 Jun to Tue 9 Jun)") {
			t.Errorf("the text answer changed:\n%s", rs[0].Text)
		}
		if !strings.Contains(img.Caption, "This week: 3 hard, 1 easy, 1 rest, 2 not logged.") {
			t.Errorf("caption %q", img.Caption)
		}
		if strings.Contains(strings.ToLower(img.Caption), "maya") {
			t.Errorf("caption of a picture asked in a group names the member: %q", img.Caption)
		}
	})
	t.Run("in a direct message the title names the member", func(t *testing.T) {
		m := h.msg("maya", "/week")
		m.ClubChatID, m.ChatID, m.Private = "", "dm-maya", true
		img := pictureOf(t, h.bot.Handle(t.Context(), m))
		if !strings.Contains(img.Caption, "maya's training load") {
			t.Errorf("caption %q", img.Caption)
		}
	})
	t.Run("no sessions still draws 28 unlogged days", func(t *testing.T) {
		img := pictureOf(t, h.replies("newcomer", "/week"))
		if !strings.Contains(img.Caption, "0 hard, 0 easy, 0 rest, 7 not logged") {
			t.Errorf("caption %q", img.Caption)
		}
	})
}

func TestRecoveryPicture(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/raced marathon 2026-06-06")
	rs := h.replies("maya", "/recovery")
	img := pictureOf(t, rs)
	if img.Name != "recovery.png" || !rs[0].Private {
		t.Errorf("picture %q, private %v", img.Name, rs[0].Private)
	}
	if !strings.Contains(img.Caption, "Today is day 3 after the race") {
		t.Errorf("caption %q", img.Caption)
	}
	if got := h.replies("maya", "/recovery sore"); len(got) > 0 && got[0].Image != nil {
		t.Error("an answer to today's step carries the picture")
	}
}

// TestRecoveryPictureShowsEachAnswer: the answers that counted are kept
// day by day and shown on the strip's caption; an answer that changed
// nothing is not kept, and the answers go when the plan ends.
func TestRecoveryPictureShowsEachAnswer(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes")
	h.say("maya", "/raced marathon 2026-06-06")
	answer := func(day int, words ...string) {
		h.set(tuesday.AddDate(0, 0, day-3))
		for _, w := range words {
			h.say("maya", "/recovery "+w)
		}
	}
	answer(3, "sore", "fresh") // the second answer that day changes nothing
	answer(5, "hurting")
	answer(6, "fresh") // the hold ends
	answer(7, "sore")
	h.set(tuesday.AddDate(0, 0, 5))
	img := pictureOf(t, h.replies("maya", "/recovery"))
	if want := "Your answers: day 3 Sore, day 5 Hurting, day 6 Fresh, day 7 Sore."; !strings.Contains(img.Caption, want) {
		t.Errorf("caption %q\nlacks %q", img.Caption, want)
	}
	ps := h.store
	p, err := h.store.ActivePlan(t.Context(), h.member("maya").ID)
	if err != nil {
		t.Fatalf("active plan: %v", err)
	}
	h.say("maya", "/recovery stop")
	if got, err := ps.PlanAnswers(t.Context(), p.ID); err != nil || len(got) != 0 {
		t.Errorf("answers after the plan stopped: %v, %v", got, err)
	}
}

// TestPlanAnswersGoWithConsent: withdrawing consent to health data erases
// the answers kept.
func TestPlanAnswersGoWithConsent(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes")
	h.say("maya", "/raced marathon 2026-06-06")
	h.say("maya", "/recovery sore")
	p, err := h.store.ActivePlan(t.Context(), h.member("maya").ID)
	if err != nil {
		t.Fatalf("active plan: %v", err)
	}
	ps := h.store
	if got, _ := ps.PlanAnswers(t.Context(), p.ID); len(got) != 1 {
		t.Fatalf("answers kept: %v, want today's Sore", got)
	}
	h.say("maya", "/settings consent no")
	if got, err := ps.PlanAnswers(t.Context(), p.ID); err != nil || len(got) != 0 {
		t.Errorf("answers after consent was withdrawn: %v, %v", got, err)
	}
}

// TestClubPicture: the club picture goes to the coach privately, refuses
// below five contributing members without saying how many there are, and
// names no one.
func TestClubPicture(t *testing.T) {
	h := newHarness(t, tuesday)
	names := []string{"alice", "bruno", "chidi", "dmitri", "esther", "farah"}
	consent := func(n string) {
		h.say(n, "/settings consent yes")
	}
	for _, n := range names[:4] {
		consent(n)
	}
	h.say("farah", "/settings consent no")
	rs := h.bot.Handle(t.Context(), func() chat.Message { m := h.msg("coach", "/club today"); m.PlatformAdmin = true; return m }())
	if len(rs) != 1 || rs[0].Image != nil {
		t.Fatalf("/club today with 4 contributors = %+v", rs)
	}
	if !strings.Contains(rs[0].Text, "at least 5 members") {
		t.Errorf("refusal %q", rs[0].Text)
	}
	for _, n := range []string{"4", "four", "1", "2", "3"} {
		if strings.Contains(strings.ReplaceAll(rs[0].Text, "at least 5", ""), n) {
			t.Errorf("refusal gives a count %q: %q", n, rs[0].Text)
		}
	}
	if got := h.say("alice", "/club today"); !strings.Contains(got, "only the club's coaches") {
		t.Errorf("a member's /club today = %q", got)
	}

	consent("esther")
	h.say("esther", "/log intervals 8km 45min rpe 8 2026-06-08")
	h.say("alice", "/raced marathon 2026-06-07")
	m := h.msg("coach", "/club today")
	m.PlatformAdmin = true
	rs = h.bot.Handle(t.Context(), m)
	img := pictureOf(t, rs)
	if !rs[0].Private || img.Name != "club.png" {
		t.Errorf("private %v, name %q", rs[0].Private, img.Name)
	}
	all := strings.ToLower(img.Caption + " " + rs[0].Text)
	for _, n := range append(names, "coach", "harriers") {
		if strings.Contains(all, n) {
			t.Errorf("the club picture's words name %q: %q", n, all)
		}
	}
	if !strings.Contains(img.Caption, "5–9") {
		t.Errorf("caption does not give the contributors as a band: %q", img.Caption)
	}
	for _, bad := range []string{"/club today now", "/club picture maybe"} {
		if got := h.sayCoach("coach", bad); !strings.Contains(got, "For example:") {
			t.Errorf("%s = %q", bad, got)
		}
	}
	if got := h.sayCoach("coach", "/club picture on"); !strings.Contains(got, "carries the club picture") {
		t.Errorf("/club picture on = %q", got)
	}
	if got := h.sayCoach("coach", "/club picture off"); !strings.Contains(got, "text only") {
		t.Errorf("/club picture off = %q", got)
	}
}
