package bot_test

import (
	"strings"
	"testing"
)

func TestSettingsShowAndChange(t *testing.T) {
	h := newHarness(t, tuesday)
	got := h.say("maya", "/settings")
	for _, w := range []string{"timezone: UTC (the club's)", "morning message: off at 07:00", "units: km", "level: intermediate", "health data: not asked yet"} {
		if !strings.Contains(got, w) {
			t.Errorf("/settings lacks %q:\n%s", w, got)
		}
	}
	got = h.say("maya", "/settings tz america/new_york nudge 6:45 units mi level advanced age 40")
	for _, w := range []string{"Saved: timezone America/New_York, morning message at 06:45, morning messages on, units mi, level advanced, age 40",
		"timezone: America/New_York", "morning message: on at 06:45"} {
		if !strings.Contains(got, w) {
			t.Errorf("reply lacks %q:\n%s", w, got)
		}
	}
	m := h.member("maya")
	if m.TZ != "America/New_York" || m.NudgeTime.String() != "06:45" || !m.Nudges || m.Units != "mi" || m.Level != "advanced" || m.Age != 40 {
		t.Fatalf("stored member = %+v", m)
	}
	h.say("maya", "/settings tz club nudges off")
	if m := h.member("maya"); m.TZ != "" || m.Nudges {
		t.Fatalf("after tz club nudges off: %+v", m)
	}
	h.say("maya", "/settings nudges on")
	if got := h.say("maya", "/stop"); !strings.Contains(got, "won't send you morning messages") || h.member("maya").Nudges {
		t.Fatalf("/stop = %q, nudges %v", got, h.member("maya").Nudges)
	}
	if got := h.say("maya", "/stop"); !strings.Contains(got, "already off") {
		t.Fatalf("second /stop = %q", got)
	}
}

func TestSettingsInvalidChangesNothing(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"unknown timezone", "/settings tz Mars/Olympus", "not a timezone I know"},
		{"bad time", "/settings nudge 7am", "HH:MM"},
		{"hour 25", "/settings nudge 25:00", "HH:MM"},
		{"nudges maybe", "/settings nudges maybe", "nudges is on or off"},
		{"units furlongs", "/settings units furlongs", "units are km or mi"},
		{"level pro", "/settings level superhuman", "beginner, intermediate or advanced"},
		{"consent maybe", "/settings consent maybe", "consent is yes or no"},
		{"age too low", "/settings age 9", "Age should be from 10 to 100"},
		{"age too high", "/settings age 101", "from 10 to 100"},
		{"max hr too high", "/settings consent yes maxhr 300", "from 100 to 230"},
		{"missing value", "/settings units", "units needs a value"},
		{"unknown setting", "/settings colour blue", `"colour" is not a setting`},
		{"one bad among good", "/settings units mi level pro tz Europe/Berlin", "level is beginner"},
		{"twice", "/settings units mi units km", "units is there twice"},
		{"max hr after saying no", "/settings maxhr 188", "you said no"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			if c.name == "max hr after saying no" {
				h.say("maya", "/settings consent no")
			} else {
				h.say("maya", "/start")
			}
			if got := h.rejects("maya", c.in, c.want); !strings.Contains(got, "Nothing changed") {
				t.Fatalf("reply = %q; want it to say nothing changed", got)
			}
		})
	}
}

func TestMaxHRAsksForConsentFirst(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/start")
	before := h.stored("maya")
	rs := h.replies("maya", "/settings maxhr 188")
	if !strings.Contains(joinReplies(rs), "Nothing changed yet") || !strings.Contains(joinReplies(rs), "May I keep health data") {
		t.Fatalf("maxhr without consent = %q", joinReplies(rs))
	}
	if h.stored("maya") != before {
		t.Fatal("stored something before consent")
	}
	if got := h.press("maya", buttonData(t, rs, "Yes, keep it")); !strings.Contains(got, "/settings maxhr 188") {
		t.Fatalf("after yes = %q", got)
	}
	h.say("maya", "/settings maxhr 188")
	if m := h.member("maya"); m.MaxHR != 188 || m.Consent != "yes" {
		t.Fatalf("member = %+v", m)
	}
	if got := h.say("maya", "/hr 40 50"); !strings.Contains(got, "Measured maximum 188") {
		t.Fatalf("/hr with a measured maximum = %q", got)
	}
}

func TestConsentNoDeletesHealthData(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes maxhr 190 age 35")
	h.say("maya", "/checkin sleep 2 soreness 4 rhr 55")
	h.say("maya", "/log easy 30min")
	if s := h.stored("maya"); !strings.Contains(s, `"checkins"`) {
		t.Fatalf("check-in not stored: %s", s)
	}
	got := h.say("maya", "/settings consent no")
	if !strings.Contains(got, "deleted the health data") {
		t.Fatalf("reply = %q; want it to say health data was deleted", got)
	}
	s := h.stored("maya")
	if strings.Contains(s, `"checkins"`) || !strings.Contains(s, `"max_hr":0`) || !strings.Contains(s, `"sessions"`) || !strings.Contains(s, `"age":35`) {
		t.Fatalf("after consent no: %s; want no check-ins and no max HR, but the log and age kept", s)
	}
	if got := h.say("maya", "/today"); !strings.HasPrefix(got, "HARD") {
		t.Fatalf("verdict after consent no:\n%s", got)
	}
}

func TestConsentNoButton(t *testing.T) {
	h := newHarness(t, tuesday)
	rs := h.replies("maya", "/checkin")
	if got := h.press("maya", buttonData(t, rs, "No, thanks")); !strings.Contains(got, "won't keep any health data") {
		t.Fatalf("no = %q", got)
	}
	if m := h.member("maya"); m.Consent != "no" {
		t.Fatalf("consent = %q", m.Consent)
	}
}

// A line with a maximum heart rate and other settings, waiting on the
// consent question, saves the other settings and says so; the maximum is
// kept nowhere until the member says yes and sends it again.
func TestMaxHRWaitingOnConsentKeepsTheRestOfTheLine(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/start")
	rs := h.replies("maya", "/settings maxhr 190 age 35")
	got := joinReplies(rs)
	for _, w := range []string{"Saved: age 35.", "maximum heart rate (190) is health data", "send /settings maxhr 190 again", "May I keep health data"} {
		if !strings.Contains(got, w) {
			t.Errorf("reply lacks %q:\n%s", w, got)
		}
	}
	if m := h.member("maya"); m.Age != 35 || m.MaxHR != 0 || m.Consent != "" {
		t.Fatalf("member = %+v; want age 35 saved, no maximum, consent unasked", m)
	}
	if strings.Contains(h.stored("maya"), "190") {
		t.Fatal("the maximum heart rate was stored before consent")
	}
	h.press("maya", buttonData(t, rs, "Yes, keep it"))
	h.say("maya", "/settings maxhr 190")
	if m := h.member("maya"); m.Age != 35 || m.MaxHR != 190 {
		t.Fatalf("after yes: member = %+v", m)
	}
}

func TestHROneNumberUsesTheSavedAge(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings age 23")
	got := h.say("maya", "/hr 50")
	for _, w := range []string{"146 bpm", "220 − 23 = 197", "saved in /settings"} {
		if !strings.Contains(got, w) {
			t.Errorf("/hr 50 with age 23 saved lacks %q:\n%s", w, got)
		}
	}
	h.rejects("maya", "/hr 200", "Resting heart rate should be from 25 to 120")
	h2 := newHarness(t, tuesday)
	h2.say("tom", "/start")
	h2.rejects("tom", "/hr 52", "/settings age")
}
