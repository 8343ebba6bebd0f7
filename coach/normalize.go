package coach

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Distance is the race distance a question is about.
type Distance string

// The race distances the knowledge base tells apart.
const (
	Dist5K       Distance = "5k"
	Dist10K      Distance = "10k"
	DistHalf     Distance = "half"
	DistMarathon Distance = "marathon"
	DistUltra    Distance = "ultra"
)

// QType is the kind of question, which decides how an answer opens.
type QType string

// The question types.
const (
	QYesNo   QType = "yes_no"   // can I, should I, is it, do I
	QHowLong QType = "how_long" // how long, how soon, when
	QHowMuch QType = "how_much" // how much, how many, how far, how often, how slow
	QWhatIs  QType = "what_is"  // what is, what does it mean, explain
	QWhy     QType = "why"
	QCompare QType = "compare" // X or Y, X vs Y, the difference
	QHow     QType = "how"     // any other how / what should I do
)

// Slots are what a question is about, found before any search: they filter
// and steer retrieval, and `shakeout ask --json` reports them.
type Slots struct {
	Distance Distance `json:"distance,omitempty"`
	// DaysSince is the days between the race or session and the day asked
	// about (0 race day, 1 the day after); -1 when the question gives none.
	DaysSince int    `json:"days_since"`
	BodyPart  string `json:"body_part,omitempty"`
	Symptom   string `json:"symptom,omitempty"`
	Activity  string `json:"activity,omitempty"`
	Type      QType  `json:"type"`
	// Intent is what the question wants when its words could mislead
	// (run again, race again, back after illness); empty when none.
	Intent Intent `json:"intent,omitempty"`
	// Subject is the everyday subject named besides running (sleep,
	// hydration, nutrition, strength, taper); empty when none.
	Subject string `json:"subject,omitempty"`
}

// textSpeak maps text-speak, runners' slang and common shorthand, word by
// word, to plain words. An empty value drops the word.
var textSpeak = map[string]string{
	"r": "are", "u": "you", "ur": "your", "y": "why", "shud": "should", "shld": "should", "sud": "should",
	"cud": "could", "cld": "could", "wud": "would", "wld": "would", "wat": "what", "wot": "what", "wht": "what",
	"whats": "what is", "hw": "how", "wen": "when", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow",
	"tomoz": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow", "2day": "today", "tonite": "tonight", "nite": "night", "2nite": "tonight",
	"pls": "please", "plz": "please", "wk": "week", "wks": "weeks", "hrs": "hours", "mins": "minutes",
	"min": "minutes", "b4": "before", "thru": "through", "abt": "about", "bc": "because", "cuz": "because",
	"coz": "because", "cos": "because", "ppl": "people", "n": "and", "gonna": "going to", "wanna": "want to",
	"gotta": "have to", "rn": "now", "tbh": "", "lol": "", "lmao": "", "haha": "", "ngl": "", "imo": "",
	"pls explain": "explain", "im": "i am", "ive": "i have", "yday": "yesterday", "yest": "yesterday",
	"nxt": "next", "legit": "ok", "cooked": "exhausted", "fried": "exhausted", "toast": "exhausted",
	"wrecked": "exhausted", "trashed": "exhausted", "smashed": "exhausted", "shattered": "exhausted",
	"knackered": "exhausted", "chill": "", "rec": "recovery", "recov": "recovery", "supercomp": "supercompensation",
	"hm": "half marathon", "mara": "marathon", "halfmarathon": "half marathon", "ultramarathon": "ultra",
	"ultramarathons": "ultra", "ultras": "ultra", "parkrun": "5k parkrun", "parkruns": "5k parkrun",
	"b2b": "in a row", "ok": "ok", "okay": "ok", "hiit": "intervals", "reps": "intervals", "sesh": "session",
	"mileage": "volume", "kms": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
	"hrmax": "max heart rate", "bday": "birthday", "w": "with", "wo": "without", "gd": "good", "prob": "probably",
	"def": "definitely", "v": "very", "abit": "a bit", "alot": "a lot", "ya": "you", "yr": "your",
}

// phraseSpeak is slang longer than one word, replaced before the words.
var phraseSpeak = strings.NewReplacer(
	" back2back ", " in a row ", " back to back ", " in a row ", " this am ", " this morning ",
	" leg day ", " strength session ", " am i cooked ", " am i exhausted ",
)

// raceNumber reads a distance with its unit: "5km", "21.1 k", "26.2",
// "100 miler", "5000m".
var raceNumber = regexp.MustCompile(`\b(\d+(?:\.\d+)?)\s?(k|km|mi|mile|miles|miler|milers|m)?\b(\s+(?:a|per|each|every|this|last)\s+(?:week|wk)|\s+weekly)?`)

// distanceWords are race names said in words.
var distanceWords = regexp.MustCompile(`\b(half(?:\s+marathon)?|marathon|ultra|5k|10k|ironman)\b`)

// raceWord says a bare number is about a race ("my 60km race").
var raceWord = regexp.MustCompile(`\b(race|raced|racing|ultra|event|trail|finish\w*|pb|pr|recover\w*|after|since|post)\b`)

// afterRaceRe ends the words just before a race named as the one the
// member is recovering from.
var afterRaceRe = regexp.MustCompile(`\b(after|since|post|from)\s+(\w+\s+){0,2}$`)

// halfNotRace is "half" that is not the half marathon ("half an hour").
var halfNotRace = regexp.MustCompile(`^\s+(an?|the|of|my|your|hour|hours|way|as|that|this|speed|effort|pace|distance|mile|miles|km|volume)\b`)

// normalized is a question after normalising, with the slots found on the way.
type normalized struct {
	text  string // lower case, plain words, slang replaced, typos corrected
	words []string
	slots Slots
	// proper are words the member capitalised mid-sentence (place and
	// race names): they never count against a match.
	proper map[string]bool
}

// normalize prepares text for everything after triage: case, punctuation,
// text-speak, numbers with units, typos against the knowledge base's own
// vocabulary; and fills the distance slot on the way.
func normalize(text string) normalized {
	n := normalized{slots: Slots{DaysSince: -1}, proper: properNouns(text)}
	base := triageText(text)
	// Words first: text-speak and slang, so "2morrow" and "hm" are plain.
	var out []string
	for _, w := range strings.Fields(base) {
		if r, ok := textSpeak[w]; ok {
			if r != "" {
				out = append(out, r)
			}
			continue
		}
		out = append(out, w)
	}
	// Typos: a word the knowledge base does not know is replaced by the
	// closest one it does, preferring one that pairs with its neighbour
	// ("hart rate" → "heart rate", not "hard rate").
	v := typoVocab()
	for i, w := range out {
		if n.proper[w] || strings.Contains(w, " ") {
			continue
		}
		next := ""
		if i+1 < len(out) {
			next = out[i+1]
		}
		prev := ""
		if i > 0 {
			prev = out[i-1]
		}
		if c, ok := v.correct(w, prev, next); ok {
			out[i] = c
		}
	}
	s := phraseSpeak.Replace(" " + strings.Join(out, " ") + " ")
	s = normalizeDistances(s, &n.slots)
	if n.slots.Distance == "" {
		n.slots.Distance = namedRace(s)
	}
	n.words = strings.Fields(s)
	n.text = strings.Join(n.words, " ")
	fillSlots(&n)
	return n
}

// properNouns are words capitalised in the middle of a sentence.
func properNouns(text string) map[string]bool {
	var out map[string]bool
	fields := strings.Fields(text)
	for i, f := range fields {
		if i == 0 || len(f) < 3 || f[0] < 'A' || f[0] > 'Z' {
			continue
		}
		if prev := fields[i-1]; strings.HasSuffix(prev, ".") || strings.HasSuffix(prev, "?") || strings.HasSuffix(prev, "!") {
			continue
		}
		upper := 0
		for _, r := range f {
			if r >= 'A' && r <= 'Z' {
				upper++
			}
		}
		if upper > 1 { // an abbreviation such as HR, DOMS or XT
			continue
		}
		w := strings.ToLower(strings.Trim(f, ".,!?;:'\"()"))
		w = strings.ReplaceAll(w, "'", "")
		if out == nil {
			out = map[string]bool{}
		}
		out[w] = true
	}
	return out
}

// normalizeDistances rewrites race distances with units to the knowledge
// base's words and records the first in the slots. Weekly mileage ("15
// miles a week") is not a race and stays as it is.
func normalizeDistances(s string, slots *Slots) string {
	hasRace := raceWord.MatchString(s)
	s = raceNumber.ReplaceAllStringFunc(s, func(m string) string {
		sub := raceNumber.FindStringSubmatch(m)
		if sub[3] != "" {
			return m
		}
		num, err := strconv.ParseFloat(sub[1], 64)
		if err != nil {
			return m
		}
		unit := sub[2]
		km := num
		switch unit {
		case "mi", "mile", "miles", "miler", "milers":
			km = num * 1.609
		case "m":
			if num < 800 {
				return m
			}
			km = num / 1000
		case "k", "km":
		default:
			// A bare number is a race only as 13.1, 26.2, 21.1 or 42.2.
			switch sub[1] {
			case "13.1", "21.1":
				return " half marathon "
			case "26.2", "42.2":
				return " marathon "
			}
			return m
		}
		d, standard := raceDistance(km)
		if d == "" || (!standard && !hasRace) {
			return m
		}
		return " " + distanceText(d) + " "
	})
	// The race recovered from is the one named after "after", "since",
	// "post" or "from" ("a 5K a week after my marathon"); otherwise the
	// first named.
	recovered := false
	for _, loc := range distanceWords.FindAllStringIndex(s, -1) {
		w := s[loc[0]:loc[1]]
		var d Distance
		switch {
		case strings.HasPrefix(w, "half"):
			if w == "half" && halfNotRace.MatchString(s[loc[1]:]) {
				continue
			}
			d = DistHalf
		case w == "marathon":
			d = DistMarathon
		case w == "ultra" || w == "ironman":
			d = DistUltra
		case w == "5k":
			d = Dist5K
		case w == "10k":
			d = Dist10K
		}
		if after := afterRaceRe.MatchString(s[max(0, loc[0]-24):loc[0]]); slots.Distance == "" || after && !recovered {
			slots.Distance = d
			recovered = after
		}
		if d == DistHalf && w == "half" {
			s = s[:loc[0]] + "half marathon" + s[loc[1]:]
			break
		}
	}
	return s
}

// raceDistance maps kilometres to a race distance, and says whether the
// number is a standard race distance (5K, 10K, half, marathon, 50K, 100K,
// 50 or 100 miles), which counts as a race even without the word "race".
func raceDistance(km float64) (Distance, bool) {
	near := func(x float64) bool { return km > x-0.6 && km < x+0.6 }
	switch {
	case km < 2.5:
		return "", false
	case km <= 7.5:
		return Dist5K, near(5)
	case km <= 15:
		return Dist10K, near(10)
	case km <= 30:
		return DistHalf, near(21.1) || near(21)
	case km <= 43:
		return DistMarathon, near(42.2) || near(42)
	}
	return DistUltra, near(50) || near(100) || near(80.5) || near(160.9) || near(161)
}

// DistanceName is how a race distance is written in a question.
func DistanceName(d Distance) string { return distanceText(d) }

func distanceText(d Distance) string {
	switch d {
	case DistHalf:
		return "half marathon"
	case DistUltra:
		return "ultra marathon"
	}
	return string(d)
}

var (
	daysAgoRe  = regexp.MustCompile(`\b(\d{1,2}|one|two|three|four|five|six|seven|a|couple of|few)\s+(day|days|week|weeks|wk|wks)\s+(?:ago|later|post|out|on from|(?:after|since|past)\s+(?:my|the|a|an|it|that|this|race|racing|marathon|half|5k|10k|ultra|intervals|tempo|hills|long|hard|parkrun))\b|\b(day|week)\s+(\d{1,2})\b`)
	dayAfterRe = regexp.MustCompile(`\b(yesterday|day after|next day|following day|tomorrow|last night)\b`)
	pastDayRe  = regexp.MustCompile(`\b(on|last|since) (monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|week)\b|\bago\b`)
	raceDayRe  = regexp.MustCompile(`\b(this morning|today|just finished|just ran|just done|right after|straight after|after the finish|at the finish|post race|finish line)\b`)
	wordNums   = map[string]int{"one": 1, "a": 1, "two": 2, "couple of": 2, "three": 3, "few": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

	bodyParts = regexp.MustCompile(`\b(knees?|shins?|ankles?|feet|foot|heels?|hips?|achilles|calf|calves|hamstrings?|quads?|glutes?|lower back|back|chest|toes?|arch|groin|it band|legs?|muscles?)\b`)
	symptoms  = regexp.MustCompile(`\b(doms|sore\w*|stiff\w*|ach\w*|tired\w*|fatigue\w*|exhausted|heavy legs|dead legs|cramp\w*|blisters?|pain\w*|hurts?|hurting)\b`)
	activity  = regexp.MustCompile(`\b(walk\w*|swim\w*|cycl\w*|bike|biking|yoga|pilates|strength|weights|gym|lifting|squats?|deadlifts?|lunges|leg day|elliptical|cross training|massage|foam roll\w*|stretch\w*|strides|intervals|speed ?work|tempo|hills|workout|long run|race|racing|jog\w*|run|running)\b`)
)

// fillSlots finds days since the race or session, body part, symptom,
// activity and the question type in the normalised text.
func fillSlots(n *normalized) {
	s := " " + n.text + " "
	if m := daysAgoRe.FindStringSubmatch(s); m != nil {
		num, unit := m[1], m[2]
		if m[3] != "" {
			num, unit = m[4], m[3]
		}
		k, err := strconv.Atoi(num)
		if err != nil {
			k = wordNums[num]
		}
		if strings.HasPrefix(unit, "w") {
			k *= 7
		}
		n.slots.DaysSince = k
	} else if dayAfterRe.MatchString(s) {
		n.slots.DaysSince = 1
	} else if raceDayRe.MatchString(s) && !pastDayRe.MatchString(s) {
		// "today" is race day only when the race was not on another day.
		n.slots.DaysSince = 0
	}
	if m := bodyParts.FindString(s); m != "" {
		n.slots.BodyPart = m
	}
	if m := symptoms.FindString(s); m != "" {
		n.slots.Symptom = m
	}
	// The most specific activity named: "run intervals" is about intervals.
	for _, m := range activity.FindAllString(s, -1) {
		generic := strings.HasPrefix(m, "jog") || strings.HasPrefix(m, "run") || strings.HasPrefix(m, "rac")
		if n.slots.Activity == "" || !generic {
			n.slots.Activity = m
			if !generic {
				break
			}
		}
	}
	n.slots.Type = questionType(n.words)
	n.slots.Intent = questionIntent(s, n.slots)
	n.slots.Subject = questionSubject(s)
}

var (
	fillerLead = map[string]bool{"so": true, "ok": true, "hey": true, "hi": true, "please": true, "quick": true, "question": true,
		"coach": true, "um": true, "hmm": true, "well": true, "basically": true, "honestly": true, "also": true, "and": true, "but": true,
		"weird": true, "maybe": true, "right": true, "serious": true, "genuine": true, "just": true, "wondering": true, "explain": false}
	yesNoLead = map[string]bool{"can": true, "could": true, "should": true, "shall": true, "is": true, "are": true, "do": true,
		"does": true, "did": true, "will": true, "would": true, "am": true, "may": true, "must": true, "isnt": true, "arent": true,
		"dont": true, "doesnt": true, "shouldnt": true, "cant": true, "ok": true, "any": false}
)

// questionType reads the kind of question from its words.
func questionType(words []string) QType {
	has := func(w string) bool {
		for _, x := range words {
			if x == w {
				return true
			}
		}
		return false
	}
	s := " " + strings.Join(words, " ") + " "
	switch {
	case has("why") || strings.Contains(s, " point of ") || strings.Contains(s, " purpose of ") || strings.Contains(s, " reason for ") ||
		strings.Contains(s, " benefit of ") || strings.Contains(s, " benefits of "):
		return QWhy
	case has("vs") || has("versus") || has("difference") || strings.Contains(s, " same as ") ||
		strings.Contains(s, " better than ") || strings.Contains(s, " compared ") ||
		(strings.Contains(s, " or ") && (strings.Contains(s, " better ") || strings.Contains(s, " prefer"))):
		return QCompare
	case strings.Contains(s, " how long ") || strings.Contains(s, " how soon ") || strings.Contains(s, " how quickly ") ||
		strings.Contains(s, " when ") || strings.Contains(s, " how many days ") || strings.Contains(s, " how many weeks ") ||
		strings.Contains(s, " which day "):
		return QHowLong
	case strings.Contains(s, " how much ") || strings.Contains(s, " how many ") || strings.Contains(s, " how far ") ||
		strings.Contains(s, " how often ") || strings.Contains(s, " how slow ") || strings.Contains(s, " how fast ") ||
		strings.Contains(s, " how easy ") || strings.Contains(s, " how hard ") || strings.Contains(s, " what pace ") ||
		strings.Contains(s, " what heart rate "):
		return QHowMuch
	}
	lead := ""
	for _, w := range words {
		if !fillerLead[w] {
			lead = w
			break
		}
	}
	switch lead {
	case "what", "whats", "which", "where", "who", "how":
		if strings.Contains(s, " what is ") || strings.Contains(s, " what are ") || has("meaning") || has("means") ||
			strings.Contains(s, " what does ") && strings.Contains(s, " mean ") || len(words) <= 4 && lead == "what" {
			return QWhatIs
		}
		return QHow
	}
	switch {
	case yesNoLead[lead] || strings.Contains(s, " should i ") || strings.Contains(s, " can i ") || strings.Contains(s, " is it ok") ||
		strings.Contains(s, " is that ok") || strings.HasSuffix(strings.TrimSpace(s), " ok") || strings.HasSuffix(strings.TrimSpace(s), " normal"):
		return QYesNo
	case has("meaning") || has("means") || has("explain") || has("define"):
		return QWhatIs
	}
	if len(words) <= 2 {
		return QWhatIs
	}
	return QHow
}

// typoVocabulary is every word the knowledge base uses (titles, phrasings,
// tags, answers) and every word the slang tables produce, bucketed by first
// letter for the edit-distance search.
type typoVocabulary struct {
	known   map[string]bool
	byFirst map[byte][]string
	freq    map[string]int
	pairs   map[string]bool // adjacent words in the knowledge base
}

var (
	typoOnce sync.Once
	typoV    typoVocabulary
)

func typoVocab() *typoVocabulary {
	typoOnce.Do(func() {
		typoV = typoVocabulary{known: map[string]bool{}, byFirst: map[byte][]string{}, freq: map[string]int{}, pairs: map[string]bool{}}
		add := func(text string) {
			ws := Words(text)
			for i := 1; i < len(ws); i++ {
				typoV.pairs[ws[i-1]+" "+ws[i]] = true
			}
			for _, w := range ws {
				typoV.freq[w]++
				if typoV.known[w] {
					continue
				}
				typoV.known[w] = true
				if len(w) >= 4 && !isNumber(w) {
					typoV.byFirst[w[0]] = append(typoV.byFirst[w[0]], w)
				}
			}
		}
		for _, e := range Entries() {
			add(e.Title + " " + strings.Join(e.Phrasings, " ") + " " + strings.Join(e.Tags, " ") + " " + e.Answer)
		}
		for _, s := range slang {
			add(s.add + " " + s.re.String())
		}
		for _, v := range textSpeak {
			add(v)
		}
		for w := range stop {
			typoV.known[w] = true
		}
		for w := range generic {
			typoV.known[w] = true
		}
		for _, w := range strings.Fields(commonWords) {
			typoV.known[w] = true
		}
		for w := range bodyPartWords {
			typoV.known[w] = true
		}
	})
	return &typoV
}

// commonWords are everyday words outside the knowledge base that sit one
// letter from one of its words; they are words, not typos.
const commonWords = `place plate price pizza weather whether rain snow score joke poem watch shoe shoes buy cheap cost
won win winner football soccer capital membership gym gels podcast translate hello spanish qualify boston faster
mile weight lose diet plan plans coffee beer wine alcohol drunk hangover party work job sick flu cold covid
tomorrow today tonight yesterday weekend monday tuesday wednesday thursday friday saturday sunday morning evening
afternoon night minute minutes hour hours second seconds friend mate coach wife husband kids dog
tire tires tyre fix chain gear gears bike car drive flight trip travel holiday beach house garden wall floor
world record records entry enter book booking appointment spring summer autumn winter
ideal idea name`

// correct returns the knowledge-base word closest to w when w is not a
// word it knows: one edit for words of 4 to 7 letters, two from 8. Among
// equally close words it prefers one the knowledge base uses next to the
// neighbouring word, then the most frequent.
func (v *typoVocabulary) correct(w, prev, next string) (string, bool) {
	if len(w) < 4 || v.known[w] || isNumber(w) || w[0] >= 0x80 {
		return "", false
	}
	limit := 1
	if len(w) >= 8 {
		limit = 2
	}
	best, bestD, bestF := "", limit+1, -1
	for _, c := range v.byFirst[w[0]] {
		if d := len(c) - len(w); d > limit || -d > limit {
			continue
		}
		d := editDistance(w, c, limit)
		if d > limit || d > bestD {
			continue
		}
		f := v.freq[c]
		if v.pairs[prev+" "+c] || v.pairs[c+" "+next] {
			f += 1 << 20
		}
		if d < bestD || f > bestF {
			best, bestD, bestF = c, d, f
		}
	}
	return best, best != ""
}

// editDistance is the Damerau-Levenshtein distance (adjacent swaps count
// one) between a and b, or limit+1 once it is certain to exceed limit.
func editDistance(a, b string, limit int) int {
	la, lb := len(a), len(b)
	prev2 := make([]int, lb+1)
	prev := make([]int, lb+1)
	cur := make([]int, lb+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}
