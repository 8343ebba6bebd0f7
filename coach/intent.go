package coach

import (
	"regexp"
	"strings"
	"sync"
)

// Intent is what a question wants to know when its words alone could
// mislead: "legs are dead after parkrun, should I run tomorrow" is about
// when to run again after a 5K, not about dead legs.
type Intent string

// The intents a question can have; entries list the ones they answer in
// their `intents` front-matter key.
const (
	// IntentRunAgain: when can I run, jog or train again after a race.
	IntentRunAgain Intent = "run-again"
	// IntentRaceAgain: when can I race or do a hard workout again after a race.
	IntentRaceAgain Intent = "race-again"
	// IntentSoreness: is this soreness normal, how long will it last.
	IntentSoreness Intent = "soreness"
	// IntentIllness: coming back to running after a cold, flu or other
	// illness. A fever today is triaged before any intent counts.
	IntentIllness Intent = "illness"
)

var (
	// illnessRe names an illness the member has or has had. "Cold" counts
	// only as something one has ("a cold", "head cold"), and coldAfter
	// rules out the weather and the bath.
	illnessRe    = regexp.MustCompile(`\b(flu|man flu|(a|my|bad|nasty|heavy|head|chest|streaming|the same) cold|chest infection|sinus infection|sniffles|runny nose|stuffy nose|blocked nose|sore throat|stomach bug|tummy bug|(a|the) bug|virus|viral|covid|illness|sickness|sick|unwell|poorly|(was|been|being|feeling|felt|fell|got|am|were|getting|after being|from being) ill)\b`)
	vaccineAfter = regexp.MustCompile(`^ (jab|jabs|shot|shots|vaccine|vaccines|vaccination|booster)\b`)
	coldAfter    = regexp.MustCompile(`^ (bath|baths|shower|showers|water|plunge|tub|day|days|morning|mornings|night|nights|weather|run|runs|air|snap|spell|start|drink|drinks)\b`)

	// sorenessNormalRe asks whether soreness is normal or how long it lasts.
	sorenessNormalRe = regexp.MustCompile(`\b(normal|still|how long|when will|go away|goes away|wear off|last|lasts|common|expected|usual|is (that|this|it) ok|is (that|this|it) okay)\b`)
	// noSorenessRe denies the soreness ("no soreness, still rest?").
	noSorenessRe = regexp.MustCompile(`\b(no|not|without|zero|never|barely|hardly) (\w+ )?(sore|soreness|doms|aches?|aching|achy|stiff|stiffness)\b`)
	// raceAgainRe asks about racing again ("race again", "another half",
	// "race a 5K again").
	raceAgainRe = regexp.MustCompile(`\b(rac(e|ing)|compete|competing) again\b|\banother (race|5k|10k|half|marathon|ultra)\b|\brace (a |an |another )?(5k|10k|half|half marathon|marathon|ultra) again\b|\b(5k|10k|half|marathon|ultra) again\b|\bbefore (racing|i race|the next race|my next race)\b|\bnext race\b|\brace another\b|\bback to back races\b|\braces? (in a row|back to back)\b`)
	// raceNextRe plans a race a while after another one ("run a 10K the
	// weekend after my half"): the first race is a future one, the second
	// the one recovered from.
	raceNextRe = regexp.MustCompile(`\b(run|race|do|enter|try) (a|an|another) (5k|10k|half marathon|half|marathon|ultra)\b.{0,40}\b(after|since) (my|a|an|the|that) (5k|10k|half|marathon|ultra)\b`)
	// hardAgainRe asks about the first hard session after a race.
	hardAgainRe = regexp.MustCompile(`\b(hard (session|sessions|workout|workouts|training|run|runs)|workouts?|intervals|speed ?work|tempo|track|hills|quality (session|sessions))\b`)
	// runAgainRe asks about running again at all.
	runAgainRe = regexp.MustCompile(`\b(run|running|jog|jogging|train|training) again\b|\bstart(ing)? (to )?(run|running|jog|jogging|training|train)\b|\b(get|getting|go|going|head|heading) back (out|to running|to training|into running|into training|running)\b|\bback (to|into) (running|training|normal|my usual|usual)\b|\bfirst (easy |short |recovery )?(run|jog)\b|\bgo again\b|\bback out\b|\bresume (running|training)\b|\b(start|starting|come|coming) back\b|\breturn(ing)? to (running|training)\b|\bhow (do|can|should) i return\b|\btoo (early|soon) (for|to) (a )?(run|jog)\b`)
	// runWordRe names plain running in a question that asks when or
	// whether: with a race named, that is a question about running again.
	runWordRe = regexp.MustCompile(`\b(run|running|jog|jogging|go for a run|train|training)\b`)
	// runWhenRe asks about running on a given day, however the question is
	// put ("legs are dead after my 10K, run today?").
	runWhenRe = regexp.MustCompile(`\b(run|running|jog|jogging|train|training)( again)? (today|tomorrow|tonight|now|this (week|weekend)|next (week|weekend)|(on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b`)
	// repeatIllness is catching one bug after another: a sign of
	// overtraining, not a return from illness.
	repeatIllness = regexp.MustCompile(`\b(keep|keeps|kept|always|constantly|often|getting|get) (getting |catching )?(sick|ill|colds|every cold|every bug)\b|\bone (cold|bug) after another\b|\bsick all the time\b`)

	// namedRaceRe recognises the big city marathons and a few named halves
	// by name when the question gives no distance: "ran London on Sunday".
	namedMarathonRe = regexp.MustCompile(`\b(ran|did|done|finished|running|run|after|doing|completed|raced) (the |my )?(london|berlin|chicago|boston|new york|nyc|tokyo|valencia|paris|amsterdam|dublin|sydney)\b`)
	namedHalfRe     = regexp.MustCompile(`\bgreat (north|south|scottish|birmingham|bristol) run\b|\bbig half\b`)
)

// Prefilters keep the intent and subject rules cheap: most questions
// contain none of their literal fragments.
var (
	illnessPF, raceAgainPF, hardAgainPF    = newPrefilter(illnessRe), newPrefilter(raceAgainRe), newPrefilter(hardAgainRe)
	runAgainPF, runWhenPF, repeatIllnessPF = newPrefilter(runAgainRe), newPrefilter(runWhenRe), newPrefilter(repeatIllness)
	namedMarathonPF, namedHalfPF           = newPrefilter(namedMarathonRe), newPrefilter(namedHalfRe)
	runWordPF                              = newPrefilter(runWordRe)
	sorenessNormalPF, noSorenessPF         = newPrefilter(sorenessNormalRe), newPrefilter(noSorenessRe)
	raceNextPF                             = newPrefilter(raceNextRe)
	subjectPFs                             = func() []prefilter {
		out := make([]prefilter, len(subjects))
		for i, sub := range subjects {
			out[i] = newPrefilter(sub.re)
		}
		return out
	}()
)

// hasIllness reports whether s (normalised, space padded) names an illness.
func hasIllness(s string) bool {
	if !illnessPF.mayMatch(s) {
		return false
	}
	for _, loc := range illnessRe.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		if strings.HasSuffix(m, "cold") && coldAfter.MatchString(s[loc[1]:]) {
			continue
		}
		if (m == "flu" || m == "covid") && vaccineAfter.MatchString(s[loc[1]:]) {
			// A flu jab is not a flu.
			continue
		}
		return true
	}
	return false
}

// sorenessSymptom reports whether the symptom slot is everyday muscle
// soreness (sharp pain and the like are triaged before this).
func sorenessSymptom(sym string) bool {
	return sym == "doms" || strings.HasPrefix(sym, "sore") || strings.HasPrefix(sym, "ach") || strings.HasPrefix(sym, "stiff")
}

// namedRace is the distance of a race named only by its city or name.
func namedRace(s string) Distance {
	switch {
	case namedHalfPF.MatchString(s):
		return DistHalf
	case namedMarathonPF.MatchString(s):
		return DistMarathon
	}
	return ""
}

// questionIntent reads the intent of a normalised, space-padded question
// whose other slots are filled. Illness comes first: "had flu, can I race
// Sunday" is about the illness. Racing or a hard session again, and running
// again, need a race named or a phrase that says "again".
func questionIntent(s string, slots Slots) Intent {
	if hasIllness(s) && !repeatIllnessPF.MatchString(s) {
		return IntentIllness
	}
	if sorenessSymptom(slots.Symptom) && sorenessNormalPF.MatchString(s) && !runAgainPF.MatchString(s) && !noSorenessPF.MatchString(s) {
		return IntentSoreness
	}
	asks := slots.Type == QYesNo || slots.Type == QHowLong || slots.Type == QHowMuch
	if raceAgainPF.MatchString(s) || raceNextPF.MatchString(s) {
		return IntentRaceAgain
	}
	if slots.Distance != "" && asks && slots.DaysSince != 0 && hardAgainPF.MatchString(s) {
		return IntentRaceAgain
	}
	if runAgainPF.MatchString(s) {
		return IntentRunAgain
	}
	if slots.Distance != "" && slots.DaysSince != 0 && (asks && runWordPF.MatchString(s) || runWhenPF.MatchString(s)) {
		return IntentRunAgain
	}
	return ""
}

func (e Entry) hasIntent(i Intent) bool {
	for _, x := range e.Intents {
		if x == i {
			return true
		}
	}
	return false
}

// intentBonus is how much an entry that answers the question's intent
// gains in ranking: enough to beat incidental words ("dead legs", "eat"),
// half when the entry is tied to a later stretch and the question names
// no day, nothing when the question names another day.
func (e Entry) intentBonus(s Slots) float64 {
	if s.Intent == "" || !e.hasIntent(s.Intent) {
		return 0
	}
	switch {
	case e.PhaseFrom < 0:
	case s.DaysSince < 0 && e.PhaseTo < 4:
		// With no day named, "when can I run again" asks for the return
		// itself, which the entries for the first days after a race
		// (what to do on them) do not give.
		return 0
	case s.DaysSince < 0:
		return 1
	case s.DaysSince < e.PhaseFrom || s.DaysSince > e.PhaseTo:
		// "The day after my marathon, should I run?" is for the day-after
		// entry, not for the first run a week later.
		return 0
	}
	return 2
}

// intentEntries are the entries that answer intent i and fit distance d,
// offered to ranking even when the search did not find them.
func intentEntries(i Intent, d Distance) []Entry {
	if i == "" {
		return nil
	}
	var out []Entry
	for _, e := range Entries() {
		if e.hasIntent(i) && e.fitsDistance(d) && (d != "" || len(e.Distances) == 0) {
			out = append(out, e)
		}
	}
	return out
}

// subjects name the everyday subjects a question can be about besides
// running itself; the stems are looked for in an entry's title and tags.
var subjects = []struct {
	name  string
	re    *regexp.Regexp
	heads []string
}{
	{"sleep", regexp.MustCompile(`\b(sleep\w*|nap\w*|insomnia|bedtime)\b`), []string{"sleep"}},
	{"hydration", regexp.MustCompile(`\b(drink|drinks|drinking|water|fluids?|electrolytes?|dehydrated|hydration|hydrate|beer|alcohol|sports drink)\b`),
		[]string{"hydration", "fluids", "electrolytes", "drink"}},
	{"nutrition", regexp.MustCompile(`\b(eat|eating|food|fuel|fuelling|fueling|meal|meals|snack|snacks|carbs?|protein|breakfast|dinner|lunch)\b`),
		[]string{"nutrition", "carbs", "protein", "eat", "food"}},
	{"strength", regexp.MustCompile(`\b(strength|gym|weights|lifting|lift|squats?|deadlifts?|lunges|core|pilates|leg day)\b`), []string{"strength"}},
	{"taper", regexp.MustCompile(`\btaper\w*\b`), []string{"taper"}},
}

// questionSubject is the first everyday subject s names, in the order the
// question names them ("eat and drink" is about eating).
func questionSubject(s string) string {
	best, at := "", len(s)
	for i, sub := range subjects {
		if !subjectPFs[i].mayMatch(s) {
			continue
		}
		if loc := sub.re.FindStringIndex(s); loc != nil && loc[0] < at {
			best, at = sub.name, loc[0]
		}
	}
	return best
}

var (
	headsOnce sync.Once
	heads     map[string]map[string]bool // the stems of each entry's title and tags
)

// subjectBonus: an entry whose title or tags name the question's subject
// ranks higher than one that only shares the race ("what should I drink
// after a hot 10K" is about drinking).
func (e Entry) subjectBonus(s Slots) float64 {
	if s.Subject == "" {
		return 0
	}
	headsOnce.Do(func() {
		heads = map[string]map[string]bool{}
		for _, x := range Entries() {
			set := map[string]bool{}
			for _, w := range Words(x.Title + " " + strings.Join(x.Tags, " ")) {
				set[Stem(w)] = true
			}
			heads[x.ID] = set
		}
	})
	for _, sub := range subjects {
		if sub.name != s.Subject {
			continue
		}
		for _, h := range sub.heads {
			if heads[e.ID][Stem(h)] {
				return 0.6
			}
		}
	}
	return 0
}
