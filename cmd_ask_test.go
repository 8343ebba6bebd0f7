package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestAskJSONReportsSlots checks that `shakeout ask --json` says what it
// understood: the race distance, the day, the question type and, for a red
// flag, the triage tier.
func TestAskJSONReportsSlots(t *testing.T) {
	cases := []struct {
		name, question       string
		distance, qtype      string
		days                 int
		tier, kind, activity string
	}{
		{"race name and text-speak", "after the Chicago marathon yesterday shud i walk", "marathon", "yes_no", 1, "none", "answer", "walk"},
		{"parkrun two days on", "2 days after my parkrun how long should an easy run be", "5k", "how_long", 2, "none", "answer", ""},
		{"red flag", "peeing blood after my 50k", "ultra", "how", -1, "urgent", "triage", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if err := run(t.Context(), []string{"ask", "--json", c.question}, env(nil), nil, &out, &errOut); err != nil {
				t.Fatalf("ask: %v (%s)", err, errOut.String())
			}
			var got struct {
				Tier, Kind string
				Slots      struct {
					Distance  string `json:"distance"`
					DaysSince int    `json:"days_since"`
					Activity  string `json:"activity"`
					Type      string `json:"type"`
				}
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out.String())
			}
			s := got.Slots
			if s.Distance != c.distance || s.DaysSince != c.days || s.Type != c.qtype || got.Tier != c.tier || got.Kind != c.kind ||
				(c.activity != "" && s.Activity != c.activity) {
				t.Errorf("understood %+v, tier %q, kind %q\n%s", s, got.Tier, got.Kind, out.String())
			}
		})
	}
}
