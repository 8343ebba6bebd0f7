package coach

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Hit is one knowledge entry found by the full-text search, with its
// relevance (SQLite's bm25 negated, so higher is better).
type Hit struct {
	ID        string
	Relevance float64
}

// Answer is what the bot says to a question.
type Answer struct {
	Text string
	// Topic is the main entry's id, empty when the question was not answered.
	Topic string
	// Source is the seed article the answer rests on.
	Source string
	// Score is the ranking score of the chosen entry (0 when unanswered).
	Score    float64
	Known    bool
	RedFlag  bool
	Computed bool
	// Kind says what sort of reply this is; Tier is the red-flag triage
	// tier (TierNone unless Kind is KindTriage).
	Kind ReplyKind
	Tier Tier
	// Slots are what the question was understood to be about.
	Slots Slots
}

// Sources names the seed articles for members.
var Sources = map[string]string{
	"000_2242cc9ea7e022de.txt": "Rest days vs recovery days",
	"001_b3a6c32412e164c7.txt": "Active vs passive recovery",
	"002_d9a3a9c305c36521.txt": "What recovery in running is",
	"003_9901ff2f15758bec.txt": "What a recovery run is",
	"004_e403516b1793c68c.txt": "Balancing effort and recovery",
}

// hrSource is the article with the heart-rate-reserve method.
const hrSource = "003_9901ff2f15758bec.txt"

// SourceLine is how an answer names its article.
func SourceLine(source string) string {
	title := Sources[source]
	if title == "" {
		return "Source: " + source
	}
	return fmt.Sprintf("Source: %q (article %s)", title, source[:3])
}

// answerDepth is how many of the best-ranked entries are tried in turn.
const answerDepth = 3

// minCoverage is the share of a question's own words the best entry must
// know for an answer; below it the question is about something else.
const minCoverage = 0.5

type vocab struct {
	all     map[string]bool            // every stem in titles, phrasings and tags
	byEntry map[string]map[string]bool // the same per entry
	answers map[string]map[string]bool // the stems of each entry's answer text
	said    map[string]bool            // every stem of every answer
	pairs   map[string]map[string]bool // adjacent stem pairs of each entry's title and phrasings
}

// pairsOf returns the adjacent pairs of stems of text's non-filler words, so
// "recovery heart rate" gives "recoveri heart" and "heart rate".
func pairsOf(text string) map[string]bool {
	var ws []string
	for _, w := range Words(text) {
		if !stop[w] {
			ws = append(ws, Stem(w))
		}
	}
	out := map[string]bool{}
	for i := 1; i < len(ws); i++ {
		out[ws[i-1]+" "+ws[i]] = true
	}
	return out
}

var (
	vocabOnce sync.Once
	kbVocab   vocab
)

func knowledgeVocab() vocab {
	vocabOnce.Do(func() {
		kbVocab = vocab{all: map[string]bool{}, byEntry: map[string]map[string]bool{}, pairs: map[string]map[string]bool{},
			answers: map[string]map[string]bool{}, said: map[string]bool{}}
		for _, e := range Entries() {
			pairs := pairsOf(e.Title)
			for _, p := range e.Phrasings {
				for k := range pairsOf(p) {
					pairs[k] = true
				}
			}
			kbVocab.pairs[e.ID] = pairs
			set := map[string]bool{}
			text := e.Title + " " + strings.Join(e.Phrasings, " ") + " " + strings.Join(e.Tags, " ")
			// The expansions of the entry's own words count as its words too.
			text = ParseQuestion(text).joinTerms()
			for _, w := range Words(text) {
				if stop[w] {
					continue
				}
				set[Stem(w)] = true
				kbVocab.all[Stem(w)] = true
			}
			kbVocab.byEntry[e.ID] = set
			ans := map[string]bool{}
			for _, w := range Words(e.Answer) {
				if !stop[w] {
					ans[Stem(w)] = true
					kbVocab.said[Stem(w)] = true
				}
			}
			kbVocab.answers[e.ID] = ans
		}
	})
	return kbVocab
}

func (q Question) joinTerms() string { return strings.Join(q.Terms, " ") }

// covers reports whether an entry's vocabulary (nil: the whole knowledge
// base) knows the question word w, directly or through a slang expansion.
func (q Question) covers(set map[string]bool, w string) bool {
	words, ok := q.Explained[w]
	if !ok {
		return set[q.stem(w)]
	}
	// A phrase needs every word of its meaning; a synonym needs half.
	need, have := 0, 0
	for _, x := range words {
		if stop[x] {
			continue
		}
		need++
		if set[q.stem(x)] {
			have++
		}
	}
	if q.Phrases[w] {
		return have == need
	}
	for _, x := range q.Own[w] {
		if set[q.stem(x)] {
			return true
		}
	}
	return have > 0 && 2*have >= need
}

// Coverage is the share of the question's own words that the knowledge base
// uses anywhere in its titles, phrasings and tags.
func (q Question) Coverage() float64 {
	words := q.Content
	if len(words) == 0 {
		words = q.Terms
	}
	if len(words) == 0 {
		return 0
	}
	v := knowledgeVocab()
	n := 0
	for _, w := range words {
		if q.covers(v.all, w) {
			n++
		}
	}
	return float64(n) / float64(len(words))
}

// coverage is one question word an entry knows: credit 1 from its title,
// phrasings or tags, 0.5 from its answer only.
type coverage struct {
	w      string
	credit float64
}

// credit is what the entry knows of word w (0: nothing).
func (s scored) credit(w string) float64 {
	for _, c := range s.covered {
		if c.w == w {
			return c.credit
		}
	}
	return 0
}

type scored struct {
	entry   Entry
	score   float64
	covered []coverage // the question's content words the entry knows
}

// Compose picks the answer to q from the search hits. Search ranks by words;
// Compose re-ranks by how many of the question's own words an entry's title,
// phrasings and tags share, refuses questions outside the knowledge base, works
// out heart-rate sums, and puts professional advice first for red flags.
func Compose(q Question, hits []Hit) Answer {
	a := compose(q, hits)
	a.Slots = q.Slots
	return a
}

func compose(q Question, hits []Hit) Answer {
	// Red flags first, and nothing after them: no entry, no reassurance,
	// no training.
	if q.Tier != TierNone {
		a := Answer{Text: TriageAdvice(q.Tier, q.Symptom) + "\n\n" + TriageSource(q.Tier), Known: true,
			RedFlag: true, Kind: KindTriage, Tier: q.Tier}
		if q.Tier == TierInjury {
			a.Source = hrSource
		}
		return a
	}
	if q.talked {
		return q.talk
	}
	if a, ok := composeHR(q); ok {
		return a
	}
	// The best-ranked entry that really answers the question: ranking
	// can put first an entry that only shares the race or the day.
	var top scored
	found := false
	for i, c := range rank(q, hits) {
		if i == answerDepth {
			break
		}
		if q.answerable(c) {
			top, found = c, true
			break
		}
	}
	if !found {
		return Answer{Text: Unknown, Kind: KindUnknown}
	}
	parts := []string{fitOpening(top.entry)}
	if q.HRQuestion && q.Age == 0 && top.entry.Source == hrSource {
		parts = append(parts, "Tell me your age and resting heart rate, like /hr 35 55, and I'll work out your own number.")
	}
	text := strings.Join(parts, "\n\n") + "\n\n" + SourceLine(top.entry.Source)
	return Answer{Text: text, Topic: top.entry.ID, Source: top.entry.Source, Score: top.score, Known: true, Kind: KindAnswer}
}

// yesNoOpening is an answer's leading "Yes." or "No," and what follows.
var yesNoOpening = regexp.MustCompile(`^(Yes|No)(?:[.,!;:]\s*|\s+)(.*)$`)

// fitOpening makes an entry's answer open to fit any question. A bare
// "Yes." or "No." answers the entry's title, not necessarily the member's
// question ("Yes." to "what's DOMS", "Yes, you still need to recover" to
// "can I go for a run"), so it never opens an answer; entries are written so
// their first sentence stands without it, and this is the safety net.
func fitOpening(e Entry) string {
	m := yesNoOpening.FindStringSubmatch(e.Answer)
	if m == nil {
		return e.Answer
	}
	return capitalize(m[2])
}

// answerable decides whether the best entry really answers the question:
// it must know at least half of the question's own words, or two of them
// (a known phrase counts as two).
//
// A word the entry only uses in its answer, not in its title, phrasings or
// tags, counts half. So does, in the question's length, a word the
// knowledge base never uses at all: one unknown word ("Chicago", "needed")
// must not sink a question the rest of it supports.
func (q Question) answerable(top scored) bool {
	if q.Slots.Intent != "" && top.entry.hasIntent(q.Slots.Intent) {
		// The intent is the understanding: the question's other words
		// (a race's name, how the legs feel) only set the scene.
		return true
	}
	if q.everyday {
		for _, w := range q.Content {
			if top.credit(w) < 1 {
				return false
			}
		}
		return len(q.Content) > 0
	}
	n := 0.0
	for _, c := range top.covered {
		w, credit := c.w, c.credit
		if q.Phrases[w] {
			credit *= 2 // a runner's phrase counts double, as in rank
		}
		n += credit
	}
	if n == 0 {
		return false
	}
	v := knowledgeVocab()
	length := 0.0
	for _, w := range q.Content {
		if q.covers(v.all, w) || q.covers(v.said, w) {
			length++
		} else {
			length += 0.5
		}
	}
	return n >= 2 || n >= minCoverage*length
}

// distanceTokens are the content words a race distance becomes.
var distanceTokens = map[string]bool{"~marathon": true, "~half marathon": true, "~5k race": true, "~10k race": true, "ultra": true}

func rank(q Question, hits []Hit) []scored {
	// The entries that answer the question's intent take part even when
	// the search missed them among words that only set the scene.
	for _, e := range intentEntries(q.Slots.Intent, q.Slots.Distance) {
		found := false
		for _, h := range hits {
			found = found || h.ID == e.ID
		}
		if !found {
			hits = append(hits[:len(hits):len(hits)], Hit{ID: e.ID})
		}
	}
	if len(hits) == 0 {
		return nil
	}
	v := knowledgeVocab()
	// The question's own words, with the shared running words weighing half.
	type word struct {
		w      string
		weight float64
	}
	var words []word
	total := 0.0
	for _, w := range q.Content {
		// A runner's phrase the slang table knows ("day after long run") is a
		// stronger signal than any single word.
		weight := 1.0
		if q.Phrases[w] {
			weight = 2
		}
		if distanceTokens[w] && (q.Slots.Subject != "" || q.Slots.Symptom != "") {
			// A question with an everyday subject or symptom ("how much
			// sleep after a marathon", "still sore five days after my
			// half") is about that; the race, a slot that filters and
			// steers already, only sets the scene.
			weight = 0.5
		}
		words = append(words, word{w, weight})
		total += weight
	}
	qPairs := pairsOf(q.Normalized)
	for _, w := range Words(strings.ToLower(q.Text)) {
		if generic[w] && !contains(q.Content, w) {
			// A repeated word counts in the total but scores once.
			total += 0.5
			dup := false
			for _, x := range words {
				dup = dup || x.w == w
			}
			if !dup {
				words = append(words, word{w, 0.5})
			}
		}
	}
	buf := make([]coverage, 0, len(words)*len(hits))
	maxRel := 0.0
	for _, h := range hits {
		maxRel = max(maxRel, h.Relevance)
	}
	var out []scored
	for _, h := range hits {
		e, ok := EntryByID(h.ID)
		if !ok || !e.fitsDistance(q.Slots.Distance) || q.Skip[e.ID] {
			continue
		}
		set, said := v.byEntry[e.ID], v.answers[e.ID]
		start := len(buf)
		got := 0.0
		for _, w := range words {
			credit := 1.0
			if !q.covers(set, w.w) {
				if !q.covers(said, w.w) {
					continue
				}
				credit = 0.5
			}
			// Words from the answer alone help decide whether the entry
			// answers at all, not which entry ranks first.
			if credit == 1 {
				got += w.weight
			}
			if w.weight >= 1 || distanceTokens[w.w] {
				buf = append(buf, coverage{w.w, credit})
			}
		}
		rel := 0.0
		if maxRel > 0 {
			rel = h.Relevance / maxRel
		}
		overlap := 0.0
		if total > 0 {
			overlap = got / total
		}
		shared := 0
		for p := range qPairs {
			if v.pairs[e.ID][p] {
				shared++
			}
		}
		phrase := 0.0
		if len(qPairs) > 0 {
			phrase = float64(shared) / float64(len(qPairs))
		}
		out = append(out, scored{entry: e, score: rel + 1.5*overlap + phrase + e.slotBonus(q.Slots), covered: buf[start:len(buf):len(buf)]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// composeHR answers a heart-rate question that gives age and resting heart
// rate with the member's own number, working shown.
func composeHR(q Question) (Answer, bool) {
	// A measured maximum stands in for the age.
	ageOK := q.Age >= 10 && q.Age <= 100 || q.Age == 0 && q.MaxHR >= 120 && q.MaxHR <= 230
	if !q.HRQuestion || !ageOK || q.RestingHR < 25 || q.RestingHR > 120 {
		return Answer{}, false
	}
	hr := RecoveryHR(q.Age, q.RestingHR, q.MaxHR)
	text := fmt.Sprintf("Keep recovery runs at or below %d bpm.\n%s\nIf you can chat in full sentences you're in the right zone; on a hot or tired day, go by feel and slow down further.",
		hr.Ceiling, hr.Working)
	text += "\n\n" + SourceLine(hrSource)
	return Answer{Text: text, Topic: "recovery-run-heart-rate", Source: hrSource, Score: 1, Known: true, Computed: true, Kind: KindComputed}, true
}
