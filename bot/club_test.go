package bot

import "testing"

func TestTipsAreForAnyMorning(t *testing.T) {
	entries := tipEntries()
	if len(entries) < 30 {
		t.Fatalf("only %d entries fit as tips; the two-week no-repeat needs plenty", len(entries))
	}
	for _, e := range entries {
		if situational.MatchString(e.ID) {
			t.Errorf("%s is about one runner's situation, not a tip for the club", e.ID)
		}
	}
}
