package bot_test

import (
	"strings"
	"testing"
	"time"
)

func TestRacedStartsPlanWithTodaysStep(t *testing.T) {
	h := newHarness(t, tuesday)
	rs := h.replies("maya", "/raced marathon sunday")
	got := joinReplies(rs)
	for _, w := range []string{"marathon recovery plan has started", "race day Sun 7 Jun", "day 2 of 21", "Light cross-training", "How do you feel today?"} {
		if !strings.Contains(got, w) {
			t.Errorf("/raced lacks %q:\n%s", w, got)
		}
	}
	buttonData(t, rs, "Fresh")
	buttonData(t, rs, "Hurting")
	for _, r := range rs {
		if !r.Private {
			t.Errorf("reply %q is not private", r.Text)
		}
	}
	got = h.say("maya", "/raced 10k")
	if !strings.Contains(got, "replaces your marathon plan from Sun 7 Jun") || !strings.Contains(got, "day 0 of 2 of your 10K") {
		t.Fatalf("second race = %q", got)
	}
	if got := h.press("maya", buttonData(t, rs, "Sore")); !strings.Contains(got, "ended or been replaced") {
		t.Fatalf("button of a replaced plan = %q", got)
	}
}

func TestRacedDistancesAndDays(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"5k today", "/raced 5k", "5K recovery plan"},
		{"half yesterday", "/raced half yesterday", "race day Mon 8 Jun (yesterday)"},
		{"miles to the half plan", "/raced 13.1mi", "half marathon recovery plan"},
		{"15 km takes the half plan", "/raced 15 km", "half marathon recovery plan"},
		{"ultra lengthens the marathon plan", "/raced 100km", "extra days"},
		{"half marathon in two words", "/raced half marathon", "half marathon recovery plan"},
		{"half-marathon", "/raced half-marathon yesterday", "half marathon recovery plan"},
		{"full marathon", "/raced full marathon sunday", "marathon recovery plan has started: race day Sun 7 Jun"},
		{"50 km apart", "/raced 50 km", "ultra recovery plan"},
		{"ultra marathon", "/raced ultra marathon", "ultra recovery plan"},
		{"3000m is metres", "/raced 3000m", "5K recovery plan"},
		{"metres word", "/raced 1500 metres", "5K recovery plan"},
		{"date", "/raced marathon 2026-05-20", "race day Wed 20 May"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			if got := h.say("maya", c.in); !strings.Contains(got, c.want) {
				t.Fatalf("%s = %q; want %q", c.in, got, c.want)
			}
		})
	}
}

func TestRacedInvalidStoresNothing(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"nothing", "/raced", "Which race?"},
		{"unknown race", "/raced parkrunish", "isn't a race I know"},
		{"no unit", "/raced 12", "needs a unit"},
		{"too long", "/raced 500km", "between 0.1 km and 400 km"},
		{"future", "/raced 10k 2026-06-10", "future"},
		{"too far back", "/raced marathon 2026-03-01", "more than 60 days ago"},
		{"plan already over", "/raced 5k 2026-05-20", "already have finished"},
		{"extra words", "/raced 10k fast yesterday", `don't understand "fast"`},
		{"negative", "/raced -5k", "positive number"},
		{"tomorrow", "/raced 10k tomorrow", "can't be in the future"},
		{"m could be miles", "/raced 26m", "miles or metres"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			h.say("maya", "/start")
			h.rejects("maya", c.in, c.want)
		})
	}
}

func TestRecoveryShowsAndStops(t *testing.T) {
	h := newHarness(t, tuesday)
	if got := h.say("maya", "/recovery"); !strings.Contains(got, "no recovery plan running") {
		t.Fatalf("/recovery without a plan = %q", got)
	}
	h.say("maya", "/raced half 2026-06-06")
	got := h.say("maya", "/recovery")
	if !strings.Contains(got, "day 3 of 14 of your half marathon") || !strings.Contains(got, "Tomorrow: Recovery run") {
		t.Fatalf("/recovery = %q", got)
	}
	if got := h.say("maya", "/recovery later"); !strings.Contains(got, "For example: /recovery sore") {
		t.Fatalf("/recovery later = %q", got)
	}
	if got := h.say("maya", "/recovery stop"); !strings.Contains(got, "half marathon recovery plan is stopped") {
		t.Fatalf("/recovery stop = %q", got)
	}
	if got := h.say("maya", "/today"); strings.Contains(got, "recovery plan") {
		t.Fatalf("/today after stopping names the plan:\n%s", got)
	}
}

func TestPlanFeedbackButtons(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes")
	rs := h.replies("maya", "/raced marathon 2026-06-06") // day 3: cross-train and massage
	sore := buttonData(t, rs, "Sore")
	// Day 4 is a rest day, so the day Sore holds is rest too.
	if got := h.press("maya", sore); !strings.Contains(got, "waits a day") || !strings.Contains(got, "REST") {
		t.Fatalf("sore = %q", got)
	}
	if got := h.press("maya", sore); !strings.Contains(got, "already have your answer") {
		t.Fatalf("sore twice in a day = %q", got)
	}
	if got := h.say("maya", "/today"); !strings.Contains(got, "Day 3 of 22") {
		t.Fatalf("plan a day longer after sore:\n%s", got)
	}
	h.set(tuesday.AddDate(0, 0, 1))
	if got := h.press("maya", buttonData(t, rs, "Hurting")); !strings.Contains(got, "doctor or physiotherapist") {
		t.Fatalf("hurting = %q", got)
	}
	got := h.say("maya", "/today")
	if !strings.HasPrefix(got, "REST") || !strings.Contains(got, "on hold") {
		t.Fatalf("/today while hurting:\n%s", got)
	}
	h.set(tuesday.AddDate(0, 0, 2))
	if got := h.press("maya", buttonData(t, rs, "Fresh")); !strings.Contains(got, "Glad it has eased") {
		t.Fatalf("fresh after hurting = %q", got)
	}
}

func TestPlanSoreWithoutConsentKeepsNothing(t *testing.T) {
	h := newHarness(t, tuesday)
	rs := h.replies("maya", "/raced marathon 2026-06-06")
	before := h.stored("maya")
	got := h.press("maya", buttonData(t, rs, "Hurting"))
	if !strings.Contains(got, "doctor or physiotherapist") || !strings.Contains(got, "haven't changed your plan") || !strings.Contains(got, "May I keep health data") {
		t.Fatalf("hurting without consent = %q", got)
	}
	if h.stored("maya") != before {
		t.Fatal("kept a hurting answer without consent")
	}
	if got := h.press("maya", buttonData(t, rs, "Fresh")); !strings.Contains(got, "Good to hear") {
		t.Fatalf("fresh without consent = %q", got)
	}
}

func TestPlanStepReplyForScheduler(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/raced 5k yesterday") // days 0–2: race day Mon 8 Jun, last day Wed 10 Jun
	m := h.member("maya")
	club, err := h.store.ClubByID(t.Context(), m.ClubID)
	if err != nil {
		t.Fatal(err)
	}
	rep, ok, err := h.bot.PlanStepReply(t.Context(), m, club, tuesday)
	if err != nil || !ok || !rep.Private || !strings.Contains(rep.Text, "day 1 of 2") || len(rep.Buttons) == 0 {
		t.Fatalf("PlanStepReply day 1 = %+v, %v, %v", rep, ok, err)
	}
	// A press on the scheduled message's buttons works like one on /recovery's.
	h.set(tuesday.AddDate(0, 0, 1))
	if got := h.press("maya", rep.Buttons[0][0].Data); !strings.Contains(got, "Good to hear") {
		t.Fatalf("press on the scheduled step = %q", got)
	}
	last := tuesday.AddDate(0, 0, 1)
	if rep, ok, _ := h.bot.PlanStepReply(t.Context(), m, club, last); !ok || !strings.Contains(rep.Text, "day 2 of 2") {
		t.Fatalf("last day = %+v %v", rep, ok)
	}
	after := tuesday.AddDate(0, 0, 2)
	rep, ok, err = h.bot.PlanStepReply(t.Context(), m, club, after)
	if err != nil || !ok || !strings.Contains(rep.Text, "end of your 5K recovery plan") || len(rep.Buttons) != 0 {
		t.Fatalf("day after the plan = %+v, %v, %v; want the summary", rep, ok, err)
	}
	if _, ok, err := h.bot.PlanStepReply(t.Context(), m, club, after); ok || err != nil {
		t.Fatalf("summary sent twice (%v, %v)", ok, err)
	}
	if _, ok, err := h.bot.PlanStepReply(t.Context(), h.member("tom"), club, after); ok || err != nil {
		t.Fatalf("a member without a plan got a step (%v, %v)", ok, err)
	}
}

func TestPlanUsesMemberTimezone(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 9, 20, 0, 0, 0, time.UTC))
	h.say("maya", "/settings tz Asia/Tokyo") // already Wed 10 Jun in Tokyo
	if got := h.say("maya", "/raced 10k yesterday"); !strings.Contains(got, "race day Tue 9 Jun") {
		t.Fatalf("/raced yesterday in Tokyo = %q", got)
	}
}

func TestRacedNamesTheUltraPlanOnce(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"/raced 70km", "the ultra plan is the marathon plan with 7 extra days"},
		{"/raced 50km", "with 7 extra days."},
	} {
		h := newHarness(t, tuesday)
		got := h.say("maya", c.in)
		if !strings.Contains(got, c.want) || strings.Contains(got, "marathon recovery plan") || !strings.Contains(got, "ultra recovery plan") {
			t.Errorf("%s = %q; want the ultra plan named throughout and %q", c.in, got, c.want)
		}
		if strings.Contains(got, "1 extra days") {
			t.Errorf("%s: %q", c.in, got)
		}
		if rec := h.say("maya", "/recovery"); !strings.Contains(rec, "ultra") || strings.Contains(rec, "your marathon") {
			t.Errorf("/recovery after %s = %q; want it called the ultra plan", c.in, rec)
		}
	}
}
