package coach

import (
	"fmt"
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

// Unknown is the honest reply to a question the knowledge base cannot answer.
const Unknown = "I don't know that one, sorry: I only know about recovering from running. " +
	"Ask me about rest days, recovery runs, easy pace, recovery weeks, sleep, food after a hard run, " +
	"soreness or getting over a race. I can also tell you whether today should be easy, rest or hard (/today), " +
	"walk you through recovery after a race (/raced) or work out your recovery heart rate (/hr). /help lists everything."

// RedFlagLead opens every answer to a question that mentions a red-flag symptom.
const RedFlagLead = "Stop running for now and get this checked by a doctor or physiotherapist. " +
	"Sharp pain, pain that changes how you run, chest symptoms, dizziness or fainting are not things to train through, " +
	"and I can't tell you what is wrong."

// minCoverage is the share of a question's own words the knowledge base must
// use for an answer; below it the question is about something else.
const minCoverage = 0.5

type vocab struct {
	all     map[string]bool            // every stem in titles, phrasings and tags
	byEntry map[string]map[string]bool // the same per entry
}

var (
	vocabOnce sync.Once
	kbVocab   vocab
)

func knowledgeVocab() vocab {
	vocabOnce.Do(func() {
		kbVocab = vocab{all: map[string]bool{}, byEntry: map[string]map[string]bool{}}
		for _, e := range Entries() {
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
		}
	})
	return kbVocab
}

func (q Question) joinTerms() string { return strings.Join(q.Terms, " ") }

func stems(words []string) []string {
	out := make([]string, 0, len(words))
	seen := map[string]bool{}
	for _, w := range words {
		s := Stem(w)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Coverage is the share of the question's own words that the knowledge base
// uses anywhere in its titles, phrasings and tags.
func (q Question) Coverage() float64 {
	words := q.Content
	if len(words) == 0 {
		words = q.Terms
	}
	ss := stems(words)
	if len(ss) == 0 {
		return 0
	}
	v := knowledgeVocab()
	n := 0
	for _, s := range ss {
		if v.all[s] {
			n++
		}
	}
	return float64(n) / float64(len(ss))
}

type scored struct {
	entry   Entry
	score   float64
	covered map[string]bool
}

// Compose picks the answer to q from the search hits. Search ranks by words;
// Compose re-ranks by how many of the question's own words an entry's title,
// phrasings and tags share, refuses questions outside the knowledge base, works
// out heart-rate sums, and puts professional advice first for red flags.
func Compose(q Question, hits []Hit) Answer {
	if a, ok := composeHR(q); ok {
		return a
	}
	best := rank(q, hits)
	known := len(best) > 0 && q.Coverage() >= minCoverage && len(best[0].covered) > 0
	if !known {
		if q.RedFlag {
			return Answer{Text: RedFlagLead, Known: true, RedFlag: true}
		}
		return Answer{Text: Unknown}
	}
	top := best[0]
	parts := []string{top.entry.Answer}
	if second, ok := secondTopic(q, best); ok {
		parts = append(parts, second.entry.Answer)
	}
	if q.HRQuestion && q.Age == 0 && top.entry.Source == hrSource {
		parts = append(parts, "Tell me your age and resting heart rate, like /hr 35 55, and I'll work out your own number.")
	}
	if q.RedFlag {
		parts = append([]string{RedFlagLead}, parts...)
	}
	text := strings.Join(parts, "\n\n") + "\n\n" + SourceLine(top.entry.Source)
	return Answer{Text: text, Topic: top.entry.ID, Source: top.entry.Source, Score: top.score, Known: true, RedFlag: q.RedFlag}
}

func rank(q Question, hits []Hit) []scored {
	if len(hits) == 0 {
		return nil
	}
	v := knowledgeVocab()
	words := q.Content
	if len(words) == 0 {
		words = q.Terms
	}
	qs := stems(words)
	maxRel := 0.0
	for _, h := range hits {
		maxRel = max(maxRel, h.Relevance)
	}
	var out []scored
	for _, h := range hits {
		e, ok := EntryByID(h.ID)
		if !ok {
			continue
		}
		covered := map[string]bool{}
		for _, s := range qs {
			if v.byEntry[e.ID][s] {
				covered[s] = true
			}
		}
		rel := 0.0
		if maxRel > 0 {
			rel = h.Relevance / maxRel
		}
		overlap := 0.0
		if len(qs) > 0 {
			overlap = float64(len(covered)) / float64(len(qs))
		}
		out = append(out, scored{entry: e, score: rel + 1.5*overlap, covered: covered})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// secondTopic finds an entry that answers the part of a two-part question the
// best entry leaves out.
func secondTopic(q Question, best []scored) (scored, bool) {
	if len(best) < 2 {
		return scored{}, false
	}
	qs := stems(q.Content)
	var missing []string
	for _, s := range qs {
		if !best[0].covered[s] {
			missing = append(missing, s)
		}
	}
	if len(missing) < 2 || len(missing)*3 < len(qs) {
		return scored{}, false
	}
	for _, c := range best[1:4:min(4, len(best))] {
		n := 0
		for _, s := range missing {
			if c.covered[s] {
				n++
			}
		}
		if n >= 2 && len(best[0].entry.Answer)+len(c.entry.Answer) < 1700 {
			return c, true
		}
	}
	return scored{}, false
}

// composeHR answers a heart-rate question that gives age and resting heart
// rate with the member's own number, working shown.
func composeHR(q Question) (Answer, bool) {
	if !q.HRQuestion || q.Age < 10 || q.Age > 100 || q.RestingHR < 25 || q.RestingHR > 120 {
		return Answer{}, false
	}
	hr := RecoveryHR(q.Age, q.RestingHR, q.MaxHR)
	text := fmt.Sprintf("Keep recovery runs at or below %d bpm.\n%s\nIf you can chat in full sentences you're in the right zone; on a hot or tired day, go by feel and slow down further.",
		hr.Ceiling, hr.Working)
	if q.RedFlag {
		text = RedFlagLead + "\n\n" + text
	}
	text += "\n\n" + SourceLine(hrSource)
	return Answer{Text: text, Topic: "heart-rate-ceiling", Source: hrSource, Score: 1, Known: true, Computed: true, RedFlag: q.RedFlag}, true
}
