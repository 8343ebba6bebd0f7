package bot_test

import (
	"strings"
	"testing"
)

func TestLogStoresWhatItSays(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{"tempo with everything", "/log tempo 8km 40min rpe 7", []string{"tempo on Tue 9 Jun (today)", "8.0 km", "40 min", "RPE 7", "load 280"}},
		{"long in miles", "/log long 18mi", []string{"long on", "29.0 km", "RPE 6", "usual effort for long"}},
		{"spaces between number and unit", "/log easy 8 km 45 min", []string{"8.0 km", "45 min", "RPE 3"}},
		{"hours and minutes", "/log long 1h10", []string{"1 h 10 min"}},
		{"clock form", "/log race 5k 21:30 rpe 9", []string{"5.0 km", "time 21:30", "pace 4:18 /km", "RPE 9"}},
		{"h:mm:ss", "/log long 1:10:00", []string{"1 h 10 min"}},
		{"weekday", "/log hills 45m sunday", []string{"hills on Sun 7 Jun", "RPE 8"}},
		{"date", "/log cross 30min 2026-06-01", []string{"cross on Mon 1 Jun"}},
		{"rest", "/log rest yesterday", []string{"rest day on Mon 8 Jun (yesterday)"}},
		{"synonym kind", "/log xt 30min", []string{"cross on"}},
		{"half", "/log race half 1:45:00", []string{"21.1 km", "time 1:45:00", "pace 4:59 /km"}},
		{"half in two words", "/log race half marathon 1:45:00", []string{"21.1 km", "time 1:45:00"}},
		{"race time mm:ss", "/log race 10k 48:30", []string{"10.0 km", "time 48:30", "pace 4:51 /km"}},
		{"race time 1h05m", "/log race 15km 1h05m", []string{"15.0 km", "time 1:05:00", "pace 4:20 /km"}},
		{"metres", "/log easy 5000m 30min", []string{"5.0 km", "30 min", "pace 6:00 /km"}},
		{"metres word", "/log tempo 3000 metres 15min", []string{"3.0 km"}},
		{"repeats", "/log intervals 6x800", []string{"4.8 km"}},
		{"repeats with unit", "/log intervals 6x800m 45min", []string{"4.8 km", "45 min"}},
		{"repeats spaced", "/log intervals 8 x 400 m", []string{"3.2 km"}},
		{"repeats of km", "/log intervals 5x1km", []string{"5.0 km"}},
		{"short repeats with long rests", "/log intervals 12x100m 45min", []string{"1.2 km", "45 min"}},
		{"tab between words", "/log easy\t8km\t45min", []string{"8.0 km", "45 min"}},
		{"non-breaking space", "/log easy\u00a08\u00a0km 45min", []string{"8.0 km", "45 min"}},
		{"zero-width space after the command", "/log\u200b easy 8km", []string{"easy on", "8.0 km"}},
		{"zero-width space inside", "/log easy 8km\u200b 45min", []string{"8.0 km", "45 min"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			got := h.say("maya", c.in)
			if !strings.HasPrefix(got, "Logged: ") {
				t.Fatalf("reply = %q", got)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("reply lacks %q:\n%s", w, got)
				}
			}
			if week := h.say("maya", "/week"); strings.Count(week, "nothing logged") == 7 && !strings.Contains(c.in, "2026-06-01") {
				t.Errorf("/week shows nothing after %s:\n%s", c.in, week)
			}
		})
	}
}

func TestLogInvalidStoresNothing(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want string // part of the explanation
	}{
		{"nothing", "/log", "What did you do?"},
		{"unknown kind", "/log jogging 5km", `"jogging" isn't a kind`},
		{"no distance or duration", "/log tempo", "How far or how long?"},
		{"rpe too high", "/log tempo 40min rpe 11", "from 1 to 10"},
		{"rpe zero", "/log tempo 40min rpe 0", "from 1 to 10"},
		{"rpe without number", "/log tempo 40min rpe", "needs a number from 1"},
		{"rpe twice", "/log tempo 40min rpe 7 rpe 8", "twice"},
		{"distance too long", "/log long 500km 60h", "between 0.1 km and 400 km"},
		{"distance too short", "/log easy 0.01km", "between 0.1 km and 400 km"},
		{"duration too long", "/log long 49h", "between 1 minute and 48 hours"},
		{"duration too short", "/log easy 0min", "between 1 minute and 48 hours"},
		{"ambiguous clock", "/log easy 1:10", "1h10"},
		{"metres or minutes", "/log intervals 200m", "metres or minutes"},
		{"negative distance", "/log easy -5k", "can't be negative"},
		{"repeats without unit", "/log intervals 5x1", "needs a unit"},
		{"5 km in 48 hours", "/log easy 5km 48h", "slower than walking"},
		{"impossible fast", "/log tempo 20km 20min", "faster than any runner"},
		{"400 km with no duration", "/log long 400km", "very long way"},
		{"the example for a long distance is itself valid", "/log long 400km", "/log long 400.0km 46h40"},
		{"cross at car speed", "/log cross 100km 30min", "km/h"},
		{"tomorrow", "/log easy 30min tomorrow", "can't be in the future"},
		{"bare number", "/log easy 45", "with a unit"},
		{"two distances", "/log easy 5km 6km", "two distances"},
		{"two durations", "/log easy 30min 40min", "two durations"},
		{"future day", "/log easy 30min 2026-06-10", "future"},
		{"too far back", "/log easy 30min 2026-03-01", "more than 60 days ago"},
		{"impossible date", "/log easy 30min 2026-02-30", "not a real day"},
		{"rest with distance", "/log rest 5km", "A rest day has no distance"},
		{"stray word", "/log easy 30min nicely", `I don't understand "nicely"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			h.say("maya", "/start")
			h.rejects("maya", c.in, c.want)
		})
	}
}

func TestLogUndo(t *testing.T) {
	h := newHarness(t, tuesday)
	if got := h.say("maya", "/log undo"); !strings.Contains(got, "nothing in your log to undo") {
		t.Fatalf("undo on an empty log = %q", got)
	}
	h.say("maya", "/log intervals 50min yesterday")
	h.say("maya", "/log easy 30min 2026-06-01") // logged last, dated first
	if got := h.say("maya", "/log undo"); !strings.Contains(got, "Removed from your log: easy on Mon 1 Jun") {
		t.Fatalf("undo = %q; want the last entry logged", got)
	}
	if got := h.say("maya", "/today"); !strings.HasPrefix(got, "EASY") {
		t.Fatalf("intervals yesterday should remain:\n%s", got)
	}
	h.say("maya", "/log undo")
	if got := h.say("maya", "/today"); !strings.HasPrefix(got, "HARD") {
		t.Fatalf("after undoing everything:\n%s", got)
	}
}

func TestLogListEditDeleteAnyEntry(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/log tempo 8km 40min rpe 7 2026-06-03")
	h.say("maya", "/log long 16km 2026-06-06")
	h.say("maya", "/log easy 30min yesterday")
	list := h.say("maya", "/log list")
	for _, w := range []string{"1. easy on Mon 8 Jun (yesterday)", "2. long on Sat 6 Jun", "3. tempo on Wed 3 Jun: 8.0 km, 40 min, pace 5:00 /km, RPE 7"} {
		if !strings.Contains(list, w) {
			t.Errorf("/log list lacks %q:\n%s", w, list)
		}
	}
	got := h.say("maya", "/log edit 3 rpe 6")
	if !strings.Contains(got, "Changed: tempo on Wed 3 Jun: 8.0 km, 40 min, pace 5:00 /km, RPE 6") || !strings.Contains(got, "It was: tempo on Wed 3 Jun: 8.0 km, 40 min, pace 5:00 /km, RPE 7") {
		t.Fatalf("/log edit 3 rpe 6 = %q", got)
	}
	if got := h.say("maya", "/log edit 2 hills 1h20 sunday"); !strings.Contains(got, "Changed: hills on Sun 7 Jun: 16.0 km, 1 h 20 min") {
		t.Fatalf("/log edit 2 with kind, duration and day = %q", got)
	}
	got = h.say("maya", "/log delete 2")
	if !strings.Contains(got, "Removed from your log: hills on Sun 7 Jun") {
		t.Fatalf("/log delete 2 = %q", got)
	}
	list = h.say("maya", "/log list")
	if strings.Contains(list, "hills") || !strings.Contains(list, "2. tempo on Wed 3 Jun") || strings.Contains(list, "3.") {
		t.Errorf("/log list after delete:\n%s", list)
	}
	if got := h.say("maya", "/log undo"); !strings.Contains(got, "Removed from your log: easy on Mon 8 Jun") {
		t.Errorf("/log undo still removes the last logged: %q", got)
	}
}

func TestLogEditDeleteBadInputStoresNothing(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"delete without number", "/log delete", "entry's number"},
		{"delete beyond the list", "/log delete 5", "no entry 5"},
		{"delete zero", "/log delete 0", "entry's number"},
		{"edit with nothing to change", "/log edit 1", "what to change"},
		{"edit makes an impossible pace", "/log edit 1 12km", "faster than any runner"},
		{"edit to rest keeps no distance", "/log edit 1 rest 5km", "A rest day has no distance"},
		{"edit same", "/log edit 1 rpe 3", "already says"},
		{"edit bad rpe", "/log edit 1 rpe 12", "from 1 to 10"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			h.say("maya", "/log easy 20min rpe 3")
			h.say("maya", "/log easy 8min yesterday")
			if c.name == "delete beyond the list" {
				got := h.say("maya", c.in)
				if !strings.Contains(got, c.want) {
					t.Fatalf("%s = %q", c.in, got)
				}
				return
			}
			h.rejects("maya", c.in, c.want)
		})
	}
}

func TestLogSameDayNotes(t *testing.T) {
	cases := []struct{ name, first, second, want string }{
		{"the same session twice", "/log tempo 8km 40min", "/log tempo 8 km 40 min", "same as a session you had already logged"},
		{"intervals on a rest day", "/log rest", "/log intervals 6x800 45min", "logged Tue 9 Jun as a rest day"},
		{"rest after a session", "/log intervals 45min", "/log rest", "it wasn't a rest day"},
		{"two rest days", "/log rest", "/log rest", "second one"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			h.say("maya", c.first)
			got := h.say("maya", c.second)
			if !strings.HasPrefix(got, "Logged: ") || !strings.Contains(got, "Note: ") || !strings.Contains(got, c.want) {
				t.Fatalf("%s after %s = %q; want it logged with a note saying %q", c.second, c.first, got, c.want)
			}
		})
	}
	h := newHarness(t, tuesday)
	h.say("maya", "/log easy 30min")
	if got := h.say("maya", "/log tempo 8km 40min"); strings.Contains(got, "Note:") {
		t.Errorf("two different sessions on a day got a note: %q", got)
	}
}

// The example shown with a refused distance or pace is itself accepted.
func TestLogSanityExamplesAreValid(t *testing.T) {
	for _, in := range []string{"/log easy 5km 48h", "/log long 400km", "/log tempo 20km 20min", "/log race 100km", "/log cross 100km 30min", "/log long 42km 50h"} {
		h := newHarness(t, tuesday)
		got := h.say("maya", in)
		_, ex, ok := strings.Cut(got, "For example: ")
		if !ok {
			t.Errorf("%s = %q; want a refusal with an example", in, got)
			continue
		}
		ex, _, _ = strings.Cut(ex, "\n")
		if res := h.say("maya", ex); !strings.HasPrefix(res, "Logged: ") {
			t.Errorf("the example %q given for %s is refused: %q", ex, in, res)
		}
	}
}
