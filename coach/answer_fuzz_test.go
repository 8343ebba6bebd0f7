package coach

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseQuestion checks that any text, however odd, parses without a
// panic into a valid FTS5 expression of quoted words, that composing an
// answer from any hits stays within one Discord message, and that no
// literal prefilter ever skips a rule that matches.
func FuzzParseQuestion(f *testing.F) {
	for _, s := range []string{"how slow should my recovery run be?", "I'm 40 with resting HR 60", `"OR" NEAR( * ^`, "26.2 dead legs DOMS", "\x01 0 \x01", "rhr 300 age 999", "peeing blood after my 50k", "legs r dead shud i run tmrw", "no chest pain", "5000m 13.1 half an hour"} {
		f.Add(s)
	}
	ids := []string{}
	for _, e := range Entries() {
		ids = append(ids, e.ID)
	}
	f.Fuzz(func(t *testing.T, text string) {
		low := triageText(text)
		for _, group := range [][]prefilter{symptomFilters, slangFilters, offTopicFilters} {
			for i, p := range group {
				if p.re.MatchString(low) && !p.mayMatch(low) {
					t.Fatalf("rule %d (%s) matches %q but its prefilter skips it", i, p.re, low)
				}
			}
		}
		q := ParseQuestion(text)
		for _, term := range q.Terms {
			if strings.ContainsAny(term, `"*^():`) {
				t.Fatalf("term %q could be read as FTS5 syntax", term)
			}
		}
		hits := make([]Hit, 0, 3)
		for i := 0; i < 3; i++ {
			hits = append(hits, Hit{ID: ids[(len(text)+i)%len(ids)], Relevance: float64(3 - i)})
		}
		a := Compose(q, hits)
		if utf8.RuneCountInString(a.Text) > 2000 || a.Text == "" {
			t.Fatalf("answer of %d characters for %q", utf8.RuneCountInString(a.Text), text)
		}
	})
}
