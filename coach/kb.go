package coach

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

// Entry is one knowledge-base article: a question runners ask and our answer.
type Entry struct {
	ID     string
	Title  string
	Source string // the seed article the facts come from
	Tags   []string
	// Distances are the race distances the entry is for; empty means any.
	// A question about another distance never gets this entry.
	Distances []Distance
	// Phase is the stretch after a race or session the entry is about,
	// in days: From..To (both -1 when it is not tied to a day).
	PhaseFrom, PhaseTo int
	// Types are the kinds of question the entry answers best.
	Types []QType
	// Intents are what a question may want that this entry answers
	// ("run-again"): an entry listing the question's intent ranks higher.
	Intents   []Intent
	Phrasings []string
	Answer    string
}

// phases name the stretches after a race or session, in days.
var phases = map[string][2]int{
	"race-day": {0, 0}, "day-1": {1, 1}, "days-2-3": {2, 3}, "week-1": {4, 10}, "weeks-1-2": {4, 17},
	"weeks-2-3": {11, 30}, "weeks-3-plus": {18, 60},
}

// fitsDistance reports whether the entry may answer a question about d.
func (e Entry) fitsDistance(d Distance) bool {
	if d == "" || len(e.Distances) == 0 {
		return true
	}
	for _, x := range e.Distances {
		if x == d {
			return true
		}
	}
	return false
}

func (e Entry) hasType(t QType) bool {
	for _, x := range e.Types {
		if x == t {
			return true
		}
	}
	return false
}

// slotBonus steers ranking by what the question is about: an entry for the
// day asked about, for the race distance named, or for this kind of
// question ranks higher; one for another day lower.
func (e Entry) slotBonus(s Slots) float64 {
	b := 0.0
	if e.PhaseFrom >= 0 && s.DaysSince >= 0 {
		if s.DaysSince >= e.PhaseFrom && s.DaysSince <= e.PhaseTo {
			b += 0.6
		} else {
			b -= 0.4
		}
	}
	switch {
	case s.Distance != "" && len(e.Distances) > 0:
		b += 0.2
	case s.Distance == "" && len(e.Distances) > 0:
		// A question that names no race is seldom about one distance.
		b -= 0.4
	}
	if stems := symptomStems(s.Symptom); len(stems) > 0 {
		own := knowledgeVocab().byEntry[e.ID]
		for _, st := range stems {
			if own[st] {
				b += 0.3
				break
			}
		}
	}
	if stems := activityStems(s.Activity); len(stems) > 0 {
		ans := knowledgeVocab().answers[e.ID]
		for _, st := range stems {
			if ans[st] {
				b += 0.3
				break
			}
		}
	}
	// "How" and yes/no questions come in every topic; the other kinds
	// (why, what is, how long, how much, compare) say what is wanted.
	if s.Type != QHow && s.Type != QYesNo && e.hasType(s.Type) {
		b += 0.3
	}
	return b + e.intentBonus(s) + e.subjectBonus(s)
}

// MaxAnswerLen keeps every answer inside one Discord message with room for
// the source line and a red-flag lead.
const MaxAnswerLen = 1500

//go:embed knowledge/*.md
var knowledgeFS embed.FS

var (
	kbOnce    sync.Once
	kbEntries []Entry
	kbByID    map[string]int
	kbErr     error
)

// Entries returns the embedded knowledge base, sorted by id. The files are
// checked by tests, so a malformed one is a build-time mistake and panics.
func Entries() []Entry {
	kbOnce.Do(func() {
		kbEntries, kbErr = ParseEntries(knowledgeFS, "knowledge")
		kbByID = map[string]int{}
		for i, e := range kbEntries {
			kbByID[e.ID] = i
		}
	})
	if kbErr != nil {
		panic(kbErr)
	}
	return kbEntries
}

// EntryByID returns the entry with the given id.
func EntryByID(id string) (Entry, bool) {
	Entries()
	i, ok := kbByID[id]
	if !ok {
		return Entry{}, false
	}
	return kbEntries[i], true
}

// ParseEntries reads every *.md file in dir except README.md.
func ParseEntries(fsys fs.FS, dir string) ([]Entry, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	var out []Entry
	seen := map[string]bool{}
	for _, n := range names {
		if strings.EqualFold(path.Base(n), "README.md") {
			continue
		}
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		e, err := ParseEntry(path.Base(n), data)
		if err != nil {
			return nil, err
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("knowledge %s: duplicate id %q", n, e.ID)
		}
		seen[e.ID] = true
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ParseEntry parses one entry file: front matter between "---" lines with
// the keys id, title, source, tags (comma separated), optionally distances
// (comma separated: 5k, 10k, half, marathon, ultra), phase (race-day, day-1,
// days-2-3, week-1, weeks-1-2, weeks-2-3, weeks-3-plus), types (comma separated question types)
// and intents (comma separated: run-again, race-again, illness, soreness),
// and phrasings (a list of "- " lines), then the answer.
func ParseEntry(name string, data []byte) (Entry, error) {
	fail := func(format string, args ...any) (Entry, error) {
		return Entry{}, fmt.Errorf("knowledge %s: %s", name, fmt.Sprintf(format, args...))
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return fail("must start with a --- line")
	}
	front, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return fail("front matter is not closed by a --- line")
	}
	e := Entry{PhaseFrom: -1, PhaseTo: -1}
	inPhrasings := false
	for i, line := range strings.Split(front, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if item, ok := strings.CutPrefix(strings.TrimSpace(line), "- "); ok && inPhrasings {
			if item = strings.TrimSpace(item); item != "" {
				e.Phrasings = append(e.Phrasings, item)
			}
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return fail("line %d: want key: value", i+2)
		}
		value = strings.TrimSpace(value)
		inPhrasings = false
		switch strings.TrimSpace(key) {
		case "id":
			e.ID = value
		case "title":
			e.Title = value
		case "source":
			e.Source = value
		case "tags":
			for _, t := range strings.Split(value, ",") {
				if t = strings.TrimSpace(t); t != "" {
					e.Tags = append(e.Tags, t)
				}
			}
		case "distances":
			for _, d := range strings.Split(value, ",") {
				switch d := Distance(strings.TrimSpace(d)); d {
				case Dist5K, Dist10K, DistHalf, DistMarathon, DistUltra:
					e.Distances = append(e.Distances, d)
				default:
					return fail("line %d: unknown distance %q (want 5k, 10k, half, marathon, ultra)", i+2, d)
				}
			}
		case "phase":
			p, ok := phases[value]
			if !ok {
				return fail("line %d: unknown phase %q (want race-day, day-1, days-2-3, week-1, weeks-1-2, weeks-2-3, weeks-3-plus)", i+2, value)
			}
			e.PhaseFrom, e.PhaseTo = p[0], p[1]
		case "types":
			for _, t := range strings.Split(value, ",") {
				switch t := QType(strings.TrimSpace(t)); t {
				case QYesNo, QHowLong, QHowMuch, QWhatIs, QWhy, QCompare, QHow:
					e.Types = append(e.Types, t)
				default:
					return fail("line %d: unknown question type %q", i+2, t)
				}
			}
		case "intents":
			for _, t := range strings.Split(value, ",") {
				switch t := Intent(strings.TrimSpace(t)); t {
				case IntentRunAgain, IntentRaceAgain, IntentIllness, IntentSoreness:
					e.Intents = append(e.Intents, t)
				default:
					return fail("line %d: unknown intent %q (want run-again, race-again, illness, soreness)", i+2, t)
				}
			}
		case "phrasings":
			inPhrasings = true
		default:
			return fail("line %d: unknown key %q", i+2, key)
		}
	}
	e.Answer = strings.Join(strings.Fields(body), " ")
	switch {
	case e.ID == "" || e.Title == "" || e.Source == "":
		return fail("id, title and source are required")
	case e.ID+".md" != name:
		return fail("id %q does not match the file name", e.ID)
	case len(e.Phrasings) == 0:
		return fail("at least one phrasing is required")
	case e.Answer == "":
		return fail("the answer is empty")
	case len(e.Answer) > MaxAnswerLen:
		return fail("the answer has %d characters, more than %d", len(e.Answer), MaxAnswerLen)
	}
	return e, nil
}

// activityStems are the stems an answer uses for the activity a question
// names ("speedwork" → workout, interval), so an answer that talks about
// that activity ranks higher. Plain running says nothing.
func activityStems(activity string) []string {
	switch a := activity; {
	case a == "":
		return nil
	case strings.HasPrefix(a, "walk"):
		return []string{"walk"}
	case strings.HasPrefix(a, "swim"):
		return []string{"swim"}
	case strings.HasPrefix(a, "cycl") || strings.HasPrefix(a, "bik") || a == "bike":
		// Not "cycl": answers use "cycle" for a training cycle.
		return []string{"bike"}
	case a == "yoga" || a == "pilates":
		return []string{"yoga"}
	case a == "strength" || a == "weights" || a == "gym" || a == "lifting" || strings.HasPrefix(a, "squat") ||
		strings.HasPrefix(a, "deadlift") || a == "lunges" || a == "leg day":
		return []string{"strength"}
	case strings.HasPrefix(a, "speed") || a == "intervals" || a == "tempo" || a == "hills" || a == "workout":
		return []string{"workout", "interval"}
	case a == "massage":
		return []string{"massage"}
	case strings.HasPrefix(a, "foam"):
		return []string{"foam"}
	case strings.HasPrefix(a, "stretch"):
		return []string{"stretch"}
	case a == "strides":
		return []string{"strid"}
	}
	return nil
}

// symptomStems are the stems an entry's title, phrasings or tags use for the
// everyday symptom a question names, so the entry about it ranks higher.
func symptomStems(symptom string) []string {
	switch a := symptom; {
	case a == "":
		return nil
	case a == "doms" || strings.HasPrefix(a, "sore") || strings.HasPrefix(a, "ach") || strings.HasPrefix(a, "stiff"):
		return []string{"sore", "doms"}
	case strings.HasPrefix(a, "tired") || strings.HasPrefix(a, "fatigue") || a == "exhausted" || strings.HasSuffix(a, "legs"):
		return []string{"fatigu", "tired", "overtrain"}
	}
	return nil
}
