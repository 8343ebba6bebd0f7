package bot_test

import (
	"strings"
	"testing"
)

func TestHR(t *testing.T) {
	h := newHarness(t, tuesday)
	got := h.say("maya", "/hr 23 50")
	for _, w := range []string{"146 bpm", "220 − 23 = 197", "197 − 50 = 147", "147 × 0.65 + 50 = 145.55"} {
		if !strings.Contains(got, w) {
			t.Errorf("/hr 23 50 lacks %q:\n%s", w, got)
		}
	}
	if rs := h.replies("maya", "/hr 23 50"); !rs[0].Private {
		t.Error("/hr reply is not private")
	}
}

func TestHRFromStoredData(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/settings consent yes age 23")
	h.say("maya", "/checkin rhr 50")
	if got := h.say("maya", "/hr"); !strings.Contains(got, "146 bpm") {
		t.Fatalf("/hr from settings and check-in = %q", got)
	}
}

func TestHRInvalidStoresNothing(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"nothing known", "/hr", "I need your age and resting heart rate"},
		{"one number without a saved age", "/hr 23", "two numbers"},
		{"three numbers", "/hr 23 50 60", "two numbers"},
		{"age too low", "/hr 9 50", "Age should be from 10 to 100"},
		{"age too high", "/hr 101 50", "Age should be from 10 to 100"},
		{"resting too low", "/hr 30 24", "Resting heart rate should be from 25 to 120"},
		{"resting too high", "/hr 30 121", "Resting heart rate should be from 25 to 120"},
		{"words", "/hr thirty fifty", "whole number"},
		{"resting above max", "/hr 100 120", "not below the maximum"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			h.say("maya", "/start")
			h.rejects("maya", c.in, c.want)
		})
	}
}
