package bot_test

import (
	"strings"
	"testing"
	"time"
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
