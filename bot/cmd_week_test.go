package bot_test

import (
	"strings"
	"testing"
)

func TestWeek(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes")
	for _, l := range []string{
		"/log easy 40min 2026-06-01", // the week before
		"/log tempo 8km 40min rpe 7 2026-06-03",
		"/log rest 2026-06-04",
		"/log long 1h30 2026-06-06",
		"/log easy 5km sunday",
		"/checkin pain",
	} {
		h.say("maya", l)
	}
	got := h.say("maya", "/week")
	for _, w := range []string{
		"Your last 7 days (Wed 3 Jun to Tue 9 Jun)",
		"Wed 3 Jun: tempo 8.0 km, 40 min, RPE 7, load 280",
		"Thu 4 Jun: rest",
		"Sat 6 Jun: long 1 h 30 min, RPE 6, load 540",
		"Mon 8 Jun: nothing logged",
		"Sessions: 3 · hard days 2 · easy days 1 · rest days 1 · not logged 3",
		"the 7 days before: 120",
		"sharp pain reported on Tue 9 Jun",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("/week lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "2026-06-01") || strings.Contains(got, "Mon 1 Jun") {
		t.Errorf("/week shows a day outside the week:\n%s", got)
	}
	if got := h.say("maya", "/week all"); !strings.Contains(got, "For example: /week") {
		t.Errorf("/week all = %q", got)
	}
}

func TestWeekHidesHealthDataWithoutConsent(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/checkin pain") // not kept
	if got := h.say("maya", "/week"); strings.Contains(got, "pain") || strings.Contains(got, "Check-ins") {
		t.Fatalf("/week without consent:\n%s", got)
	}
}

func TestWeekDistanceTotalsInTheMembersUnits(t *testing.T) {
	h := newHarness(t, tuesday)
	for _, l := range []string{
		"/log easy 6km 2026-06-01", // the week before
		"/log tempo 8km 40min 2026-06-03",
		"/log long 16km 2026-06-06",
		"/log cross 30km 1h sunday", // a bike ride is not running
		"/log intervals 6x800 yesterday",
	} {
		h.say("maya", l)
	}
	got := h.say("maya", "/week")
	if !strings.Contains(got, "Distance run: 28.8 km; the 7 days before: 6.0 km; cross-training: 30.0 km") {
		t.Errorf("/week distance in km:\n%s", got)
	}
	h.say("maya", "/settings units mi")
	got = h.say("maya", "/week")
	if !strings.Contains(got, "Distance run: 17.9 mi; the 7 days before: 3.7 mi") {
		t.Errorf("/week distance in miles:\n%s", got)
	}
}
