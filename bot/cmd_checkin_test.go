package bot_test

import (
	"strings"
	"testing"
	"time"
)

func TestCheckInButtonFlowAfterConsent(t *testing.T) {
	h := newHarness(t, tuesday)
	rs := h.replies("maya", "/checkin")
	if len(rs) != 1 || !strings.Contains(rs[0].Text, "May I keep health data") || !rs[0].Private {
		t.Fatalf("first /checkin = %+v; want the consent question, privately", rs)
	}
	if s := h.stored("maya"); strings.Contains(s, "checkins") || strings.Contains(s, "flows") {
		t.Fatalf("stored before consent: %s", s)
	}
	rs = h.pressReplies("maya", buttonData(t, rs, "Yes, keep it"))
	if !strings.Contains(joinReplies(rs), "How did you sleep") {
		t.Fatalf("after yes = %q", joinReplies(rs))
	}
	for _, b := range rs[0].Buttons[0] {
		if len(b.Data) > 64 {
			t.Fatalf("button data %q longer than 64 bytes", b.Data)
		}
	}
	sleep2 := buttonData(t, rs, "2")
	rs = h.pressReplies("maya", sleep2)
	if !strings.Contains(joinReplies(rs), "How sore") {
		t.Fatalf("after sleep = %q", joinReplies(rs))
	}
	if got := h.press("maya", sleep2); !strings.Contains(got, "already have that answer") || !strings.Contains(got, "How sore") {
		t.Fatalf("pressing an answered question again = %q", got)
	}
	rs = h.pressReplies("maya", buttonData(t, rs, "4"))
	rs = h.pressReplies("maya", buttonData(t, rs, "3"))
	if !strings.Contains(joinReplies(rs), "Anything of these") {
		t.Fatalf("flag question = %q", joinReplies(rs))
	}
	got := h.press("maya", buttonData(t, rs, "None of these"))
	if !strings.Contains(got, "Check-in saved: sleep 2, soreness 4, energy 3") || !strings.Contains(got, "REST — Two warning signs") {
		t.Fatalf("after the last answer = %q", got)
	}
	if got := h.press("maya", sleep2); !strings.Contains(got, "expired or was already finished") {
		t.Fatalf("press on a finished check-in = %q", got)
	}
}

func TestCheckInExpires(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes")
	rs := h.replies("maya", "/checkin")
	h.set(tuesday.Add(31 * time.Minute))
	if got := h.press("maya", buttonData(t, rs, "3")); !strings.Contains(got, "expired") || !strings.Contains(got, "/checkin") {
		t.Fatalf("late press = %q", got)
	}
	if s := h.stored("maya"); strings.Contains(s, `"checkins"`) {
		t.Fatalf("an expired check-in stored answers: %s", s)
	}
}

func TestCheckInButtonsAreTheMembersOwn(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes")
	h.say("tom", "/settings consent yes")
	rs := h.replies("maya", "/checkin")
	if got := h.press("tom", buttonData(t, rs, "3")); !strings.Contains(got, "expired") {
		t.Fatalf("tom pressing maya's check-in = %q", got)
	}
}

func TestCheckInTypedWithConsent(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes")
	got := h.say("maya", "/checkin sleep 2 soreness 4 energy 3 rhr 58")
	if !strings.Contains(got, "Check-in saved: sleep 2, soreness 4, energy 3, resting heart rate 58") || !strings.Contains(got, "REST") {
		t.Fatalf("typed check-in = %q", got)
	}
	if s := h.stored("maya"); !strings.Contains(s, `"resting_hr":58`) {
		t.Fatalf("check-in not stored: %s", s)
	}
}

func TestCheckInWithoutConsentStoresNothing(t *testing.T) {
	cases := []struct {
		name    string
		consent string
		in      string
		want    []string
	}{
		{"typed, never asked", "", "/checkin pain", []string{"haven't kept", "REST", "physiotherapist", "May I keep health data"}},
		{"typed, said no", "/settings consent no", "/checkin sleep 1 soreness 5", []string{"haven't kept", "REST"}},
		{"buttons, said no", "/settings consent no", "/checkin", []string{"chose not to let me keep health data"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			h.say("maya", "/start")
			if c.consent != "" {
				h.say("maya", c.consent)
			}
			before := h.stored("maya")
			got := h.say("maya", c.in)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("reply lacks %q:\n%s", w, got)
				}
			}
			if after := h.stored("maya"); after != before {
				t.Fatalf("stored without consent:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestCheckInInvalidStoresNothing(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"sleep too high", "/checkin sleep 6", "Sleep should be from 1 to 5"},
		{"soreness zero", "/checkin soreness 0", "Soreness should be from 1 to 5"},
		{"energy not a number", "/checkin energy lots", "Energy should be a whole number"},
		{"resting HR too low", "/checkin rhr 20", "Resting heart rate should be from 25 to 120"},
		{"resting HR too high", "/checkin rhr 130", "from 25 to 120"},
		{"missing number", "/checkin sleep", "needs a number"},
		{"unknown word", "/checkin mood 3", `I don't understand "mood"`},
		{"twice", "/checkin sleep 3 sleep 4", "twice"},
		{"two flags", "/checkin pain ill", "one flag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			h.say("maya", "/settings consent yes")
			h.rejects("maya", c.in, c.want)
		})
	}
}
