package coach

import (
	"regexp"
	"strings"
	"testing"
)

// TestKnowledgeFaithful holds the knowledge base to the articles on the
// points where it once drifted from them (issue "Faithfulness").
func TestKnowledgeFaithful(t *testing.T) {
	answer := func(id string) string {
		e, ok := EntryByID(id)
		if !ok {
			t.Fatalf("no entry %s", id)
		}
		return e.Answer
	}
	all := ""
	for _, e := range Entries() {
		all += e.ID + ": " + e.Answer + "\n"
	}
	rules := []struct {
		what string
		bad  *regexp.Regexp
	}{
		// 003: the day after a 5K or 10K, a recovery run of at least 30 minutes.
		{"about 30 minutes where 003 says at least", regexp.MustCompile(`(?i)recovery run of about 30`)},
		// one recovery-pace statement, as the plans give it: at least
		// 1 min/mile, which is about 37 s/km (60 ÷ 1.609)
		{"a second recovery pace", regexp.MustCompile(`(?i)(40|45|30) (seconds|s) (per|a|/) ?k`)},
		// 003: soreness can last up to a week after a race
		{"soreness gone within three days", regexp.MustCompile(`(?i)(sore|ache)[^.]*(within|in) (about )?(one to )?three days`)},
		// PRODUCT: a recovery week is easy running or rest only
		{"a quality session kept in a recovery week", regexp.MustCompile(`(?i)keep one short|lighter quality session`)},
	}
	for _, r := range rules {
		if m := r.bad.FindString(all); m != "" {
			t.Errorf("%s: %q", r.what, m)
		}
	}
	for _, id := range []string{"recovery-run-pace", "recovery-run-what-is", "easy-pace"} {
		a := answer(id)
		if !strings.Contains(a, "at least a minute per mile") || !strings.Contains(a, "37 seconds per kilometre") || !strings.Contains(a, "our conversion") && !strings.Contains(a, "is our conversion") {
			t.Errorf("%s: recovery pace must be at least a minute per mile, about 37 s/km marked as our conversion: %s", id, a)
		}
	}
	if a := answer("compression-and-epsom-baths"); !regexp.MustCompile(`Epsom[^.]*half marathon`).MatchString(a) ||
		!regexp.MustCompile(`compression socks again on days 2 and 3 after a full marathon`).MatchString(a) {
		t.Errorf("Epsom bath is for the half (003), compression days 2-3 for the marathon: %s", a)
	}
	for _, id := range []string{"post-marathon-day-after", "post-marathon-days-2-3", "post-marathon-race-day", "marathon-recovery-time"} {
		if strings.Contains(strings.ToLower(answer(id)), "epsom") {
			t.Errorf("%s: 003 gives the Epsom bath for the half, not the marathon", id)
		}
	}
	for _, id := range []string{"recovery-week-running", "recovery-week-what-changes"} {
		a := strings.ToLower(answer(id))
		if strings.Contains(a, "strides") || strings.Contains(a, "quality session") && !strings.Contains(a, "no hard") && !strings.Contains(a, "leave out the hard") {
			t.Errorf("%s: a recovery week is easy running or rest only: %s", id, a)
		}
	}
}

// TestKnowledgeMetadata: every entry says which kinds of question it
// answers, and the distance-specific ones are tagged.
func TestKnowledgeMetadata(t *testing.T) {
	for _, e := range Entries() {
		if len(e.Types) == 0 {
			t.Errorf("%s: no question types", e.ID)
		}
		if n := len(e.Phrasings); n < 4 || n > 8 {
			t.Errorf("%s: %d phrasings, want 4 to 8", e.ID, n)
		}
		switch {
		case strings.Contains(e.ID, "half") && !e.fitsDistance(DistHalf),
			strings.Contains(e.ID, "marathon") && !strings.Contains(e.ID, "half") && !e.fitsDistance(DistMarathon),
			strings.Contains(e.ID, "ultra") && !e.fitsDistance(DistUltra):
			t.Errorf("%s: named for a distance it does not answer (%v)", e.ID, e.Distances)
		}
	}
	if _, err := ParseEntry("x.md", []byte("---\nid: x\ntitle: X\nsource: 003_9901ff2f15758bec.txt\ntags: a\ndistances: 15k\nphrasings:\n- x\n---\nAn answer.\n")); err == nil {
		t.Error("an unknown distance must be refused")
	}
}
