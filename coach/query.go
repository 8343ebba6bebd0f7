package coach

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Question is a member's question prepared for searching: runners' words
// expanded, filler removed, and the special cases (a heart-rate sum to work
// out, a red-flag symptom) recognised.
type Question struct {
	Text string
	// Terms are the searchable words, expanded with synonyms.
	Terms []string
	// Content are the question's own words without filler and without the
	// words every running question shares; they decide whether the question
	// is about something we know.
	Content []string
	// Phrases are the content words that stand for a phrase of two or more
	// words the slang table recognised ("day after my long run").
	Phrases map[string]bool
	// Own maps a content word standing for a one-word synonym ("~hydration"
	// for "drink") to the member's own words it stands for, which count
	// too: an entry that says "drink" answers a question that says "drink".
	Own map[string][]string
	// Normalized is the question with slang phrases replaced by their
	// meaning, for matching phrases.
	Normalized string
	// Explained maps a content word that stands for a slang phrase
	// ("~soreness sore muscles" for "doms") to the words it means.
	Explained map[string][]string
	// RedFlag is set when the text describes a symptom that needs a
	// professional, not a training answer; Tier says how urgently and
	// Symptom which one (see Triage).
	RedFlag bool
	Tier    Tier
	Symptom string
	// Slots are what the question is about: distance, days since the
	// race, body part, symptom, activity and the kind of question.
	Slots Slots
	// Skip are entry ids this question must not be answered with: the
	// topics earlier parts of a two-part question already answered.
	Skip map[string]bool
	// everyday is set when Content holds only running's everyday words;
	// then an entry must name every one of them in its title, phrasings or
	// tags to answer.
	everyday bool
	// stems caches Stem of the words covers looks up, which it does for
	// every search hit.
	stems map[string]string
	// talk is the reply to small talk or a request outside recovery, when
	// talked; worked out once, as it needs no search.
	talk   Answer
	talked bool
	// Words are the normalised question's words (typos corrected,
	// text-speak spelled out).
	Words []string
	// Age and RestingHR are set (non-zero) when a heart-rate question gives
	// them, so the answer can be computed.
	Age, RestingHR, MaxHR int
	HRQuestion            bool
}

// slang maps runners' words and abbreviations to the words the knowledge
// base uses. The expansion is added to the question, never replacing it.
var slang = []struct {
	re  *regexp.Regexp
	add string
	// context marks a phrase that says when rather than what ("after a
	// race"): it never weighs as much as a runner's phrase for the subject.
	context bool
}{
	{re: regexp.MustCompile(`\b(rhr|resting (hr|heart rate|pulse)|morning (hr|heart rate|pulse)|pulse|hr|heart rate) (is |was |has been |went |gone )?(up|higher|high|raised|elevated|above)\b|\b(high|higher|raised|elevated) (resting|morning) (hr|heart rate|pulse)\b`), add: "elevated resting heart rate"},
	{re: regexp.MustCompile(`\brhr\b`), add: "resting heart rate"},
	{re: regexp.MustCompile(`\b(hr|bpm|pulse|karvonen|hrr)\b`), add: "heart rate"},
	{re: regexp.MustCompile(`\bdoms\b|\bachy\b|\baching\b|\baches?\b|\bsore(ness)?\b|\bstiff(ness)?\b|\b(are|is) killing me\b`), add: "soreness sore muscles"},
	{re: regexp.MustCompile(`\b(examples?|ideas?|options?|activities|things to do)\b`), add: "ideas activities"},
	{re: regexp.MustCompile(`\b(point|purpose|benefits?|why bother|worth it)\b`), add: "why benefits"},
	{re: regexp.MustCompile(`\b(7|seven) days a week\b|\bno days? off\b|\bwithout (a )?(day|rest) off\b`), add: "every day"},
	{re: regexp.MustCompile(`\b(down|cutback|cut back|deload|easy|lighter|light|recovery)[ -]?weeks?\b`), add: "recovery week"},
	{re: regexp.MustCompile(`\blegs? (are|is|feel|feels|feeling) (dead|heavy|trashed|shot|toast|wrecked|jelly)|\bdead legs\b|\bheavy legs\b|\bexhausted\b|\bknackered\b|\bwiped\b`), add: "fatigue tired heavy legs"},
	{re: regexp.MustCompile(`\b26\.2\b|\b42\.2 ?k(m)?\b|\bmarathons?\b`), add: "marathon"},
	{re: regexp.MustCompile(`\b13\.1\b|\b21\.1 ?k(m)?\b|\bhalf\b|\bhm\b`), add: "half marathon"},
	{re: regexp.MustCompile(`\b5 ?k\b|\bparkrun\b`), add: "5k race"},
	{re: regexp.MustCompile(`\b10 ?k\b`), add: "10k race"},
	{re: regexp.MustCompile(`\bxt\b|\bcross[ -]?train(ing)?\b|\bbike\b|\bcycling\b|\bswim(ming)?\b|\belliptical\b|\b(to|or|and|i|she|he|we|they) cycle\b`), add: "cross training"},
	{re: regexp.MustCompile(`\b(gym|weights|lifting|squats?|deadlifts?|lunges|leg day|weight training|pilates)\b`), add: "strength"},
	{re: regexp.MustCompile(`\bdays? off\b|\bzero days?\b|\bfull rest\b`), add: "rest day"},
	{re: regexp.MustCompile(`\bshake ?out\b|\bjog\b`), add: "easy recovery run"},
	{re: regexp.MustCompile(`\b(eat|eating|food|fuel|fueling|fuelling|meal|snack)\b`), add: "nutrition carbs protein"},
	{re: regexp.MustCompile(`\b(drink|drinking|water|fluids?|electrolytes?|dehydrated)\b`), add: "hydration"},
	{re: regexp.MustCompile(`\b(overreach\w*|burn ?out|burnt out|burned out|overdoing|overdo|too much)\b`), add: "overtraining"},
	{re: regexp.MustCompile(`\b(taper\w*)\b`), add: "taper"},
	{re: regexp.MustCompile(`\bperiods?\b|\bmenstrua\w*|\btime of the month\b`), add: "menstrual cycle"},
	{re: regexp.MustCompile(`\b(sleep\w*|nap\w*|insomnia|tired|awake|bedtime)\b`), add: "sleep"},
	{re: regexp.MustCompile(`\b(length|duration|lasts?)\b`), add: "how long"},
	{re: regexp.MustCompile(`\bfoam roll\w*|\broller\b`), add: "foam rolling"},
	{re: regexp.MustCompile(`\bice bath\w*|\bepsom\b`), add: "epsom bath"},
	{re: regexp.MustCompile(`\b(grumpy|cranky|moody|irritable|snappy|short[ -]tempered|on edge)\b`), add: "irritability mood"},
	{re: regexp.MustCompile(`\bmotivation\b|\bmentally\b|\bmental\b|\bstress\w*`), add: "mental recovery"},
	{re: regexp.MustCompile(`\b(speed ?work|workouts?|intervals?|tempo|hills?|track)\b`), add: "hard workout"},
	{re: regexp.MustCompile(`\b(day|morning) after (my |the |a )?long run|\bafter (my |the |a )?long runs?\b`), add: "day after long run"},
	{re: regexp.MustCompile(`\b(long run|long runs|lsd)\b`), add: "long run"},
	{re: regexp.MustCompile(`\beasy (runs?|days?|pace|jogs?)\b`), add: "easy pace"},
	{re: regexp.MustCompile(`\bslow\w*|\bpace\b|\bspeed\b`), add: "pace easy"},
	{re: regexp.MustCompile(`\bafter (a |the |my )?race|\bpost[ -]?race\b|\braced\b`), add: "race recovery", context: true},
	{re: regexp.MustCompile(`\b(experienced|seasoned|veteran|years of (running|training|mileage))\b`), add: "advanced"},
	{re: regexp.MustCompile(`\bnewbie|\bnew runner|\bstarting out|\bjust started|\bnovice\b`), add: "beginner"},
	{re: regexp.MustCompile(`\bdaily\b|\bstreak\b|\bevery ?day\b`), add: "every day"},
}

var stop = toSet(`a an the and or but if of to in on at for with by from as is are was were be been am do does did
doing have has had i i'm im me my mine we our you your it its this that these those them they their us what whats what's which who how
when where why can could should would will shall may might must about after before any some so too very just
really much many more most there here than then also into over out up down off only own same again further
once does don't dont not no yes get got go going want need know tell please thanks thank hi hello hey okay ok
like lot lots bit kind sort thing things way still even ever anything everything nothing literally
basically honestly probably definitely maybe kinda sorta stuff anyway though guess wondering wonder people`)

// generic words appear in nearly every running question: they help ranking
// but do not make a question one we can answer.
var generic = toSet(`run runs running runner runners ran recovery recover recovering recovered training train
trained trainer race races racing day days week weeks time times good bad best better normal ok okay long`)

// bodyPartWords are held by the body-part slot; a knee or a calf named
// in a question never makes it unanswerable.
var bodyPartWords = toSet(`knee knees shin shins ankle ankles foot feet heel heels hip hips achilles calf calves hamstring
hamstrings quad quads glute glutes toe toes arch groin back`)

// slangFilters skip the slang rules a question cannot match.
var slangFilters = func() []prefilter {
	out := make([]prefilter, len(slang))
	for i, s := range slang {
		out[i] = newPrefilter(s.re)
	}
	return out
}()

// ubiquitous are the words nearly every knowledge entry contains.
var ubiquitous = toSet(`run runs running runner runners recovery recover recovering recovered training train`)

// timeWords say when, not what: they never make a question unanswerable.
var timeWords = toSet(`today tomorrow tonight yesterday morning evening afternoon night weekend monday tuesday
wednesday thursday friday saturday sunday last next ago later soon now week weeks month months year years this`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var (
	ageRe = regexp.MustCompile(`\b(?:i'?m|i am|aged?|age of|age:?)\s*(\d{1,3})\b|\b(\d{1,3})\s*(?:years?|yrs?|yo|y/o|-year-old|year old)\b`)
	// A number after "resting" is the resting heart rate; one before it
	// only when none follows ("58 resting"), since in "I'm 45 resting 58"
	// the number before is the age.
	restingRe       = regexp.MustCompile(`\b(?:resting(?: heart rate| hr| pulse)?|rhr)\D{0,12}?(\d{2,3})\b`)
	restingBeforeRe = regexp.MustCompile(`\b(\d{2,3})\s*(?:bpm\s*)?(?:resting|rhr)\b`)
	maxRe           = regexp.MustCompile(`\bmax(?:imum)?(?: heart rate| hr)?\D{0,12}?(\d{3})\b`)
	hrWordsRe       = regexp.MustCompile(`\b(heart ?rate|hr|bpm|pulse|karvonen|zone)\b`)
)

// ParseQuestion prepares a question for search.
func ParseQuestion(text string) Question {
	q := Question{Text: text}
	raw := triageText(text)
	n := normalize(text)
	low := n.text
	q.Slots, q.Words = n.slots, n.words
	// Triage reads both the member's own words and the normalised ones,
	// so a typo can neither hide a symptom nor invent one the other misses.
	q.Tier, q.Symptom = triageNormalized(raw)
	if t, sym := triageNormalized(" " + low + " "); t > q.Tier {
		q.Tier, q.Symptom = t, sym
	}
	q.RedFlag = q.Tier != TierNone
	if q.Symptom != "" {
		q.Slots.Symptom = q.Symptom
	}
	q.talk, q.talked = q.smallTalk()

	if hrWordsRe.MatchString(low) {
		q.HRQuestion = true
		agePos := -1
		if m := ageRe.FindStringSubmatchIndex(low); m != nil {
			for _, g := range []int{2, 4} {
				if m[g] >= 0 {
					agePos = m[g]
					q.Age, _ = strconv.Atoi(low[m[g]:m[g+1]])
				}
			}
		}
		q.RestingHR = restingNumber(low, agePos)
		if m := maxRe.FindStringSubmatch(low); m != nil {
			q.MaxHR = atoiFirst(m[1])
		}
	}

	seen := map[string]bool{}
	add := func(w string) {
		if !stop[w] && !seen[w] {
			seen[w] = true
			q.Terms = append(q.Terms, w)
		}
	}
	for _, w := range Words(low) {
		add(w)
	}
	// Each slang phrase becomes one content word standing for its
	// expansion, so "26.2" counts once, as marathon, not as 26 and 2.
	q.Explained = map[string][]string{}
	q.Phrases = map[string]bool{}
	residual := low
	var slangWords []string
	for i, s := range slang {
		// Most rules match nothing; testing first is much cheaper than a
		// replacing pass, which tracks submatches.
		if !slangFilters[i].MatchString(residual) {
			continue
		}
		found, phrase := false, false
		var own []string
		residual = s.re.ReplaceAllStringFunc(residual, func(m string) string {
			found = true
			phrase = phrase || len(Words(m)) > 1
			if len(Words(m)) == 1 {
				own = append(own, Words(m)[0])
			}
			return " \x01" + strconv.Itoa(i) + "\x01 "
		})
		if !found {
			continue
		}
		extra := Words(s.add)
		for _, w := range extra {
			add(w)
		}
		token := "~" + s.add
		if _, dup := q.Explained[token]; !dup {
			q.Explained[token] = extra
			slangWords = append(slangWords, token)
		}
		if phrase && !s.context {
			q.Phrases[token] = true
		} else {
			if q.Own == nil {
				q.Own = map[string][]string{}
			}
			q.Own[token] = append(q.Own[token], own...)
		}
	}
	for _, w := range Words(placeholder.ReplaceAllString(residual, " ")) {
		// Place and race names and words for when ("Chicago",
		// "tomorrow") never count against a match.
		if n.proper[w] || timeWords[w] || bodyPartWords[w] {
			continue
		}
		if !stop[w] && !generic[w] && !isNumber(w) && !contains(q.Content, w) {
			q.Content = append(q.Content, w)
		}
	}
	q.Content = append(q.Content, slangWords...)
	if len(q.Content) == 0 {
		// A question made only of running's everyday words ("what is a
		// recovery run") is about those words.
		for _, w := range Words(placeholder.ReplaceAllString(residual, " ")) {
			if generic[w] && !timeWords[w] && !contains(q.Content, w) {
				q.Content = append(q.Content, w)
				q.everyday = true
			}
		}
	}
	q.stems = map[string]string{}
	for _, w := range q.Content {
		q.stems[w] = Stem(w)
	}
	for _, ws := range q.Explained {
		for _, w := range ws {
			q.stems[w] = Stem(w)
		}
	}
	for _, ws := range q.Own {
		for _, w := range ws {
			q.stems[w] = Stem(w)
		}
	}
	q.Normalized = placeholder.ReplaceAllStringFunc(residual, func(m string) string {
		i, _ := strconv.Atoi(strings.Trim(m, "\x01"))
		return slang[i].add
	})
	return q
}

// placeholder marks where a slang phrase stood while the others are matched.
var placeholder = regexp.MustCompile("\x01[0-9]+\x01")

// HasContent reports whether text has a word of its own beyond filler and
// the words every running question shares: a cheap test of whether a piece
// of a question asks something.
func HasContent(text string) bool {
	for _, w := range Words(text) {
		if !stop[w] && !generic[w] && !isNumber(w) {
			return true
		}
	}
	return false
}

func isNumber(w string) bool {
	_, err := strconv.Atoi(w)
	return err == nil
}

func contains(list []string, w string) bool {
	for _, v := range list {
		if v == w {
			return true
		}
	}
	return false
}

func atoiFirst(vals ...string) int {
	for _, v := range vals {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return 0
}

// Words splits text into lower-case words of letters and digits; an
// apostrophe inside a word is dropped ("can't" → "cant").
func Words(text string) []string {
	text = strings.ReplaceAll(strings.ToLower(text), "'", "")
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Stem reduces an English word to a rough stem so that "runs", "running"
// and "run" compare equal. It is deliberately simple: it is used to decide
// whether a question's words are ones the knowledge base uses, while the
// ranking itself is SQLite's porter stemmer.
func Stem(w string) string {
	for _, suf := range []string{"ational", "ization", "iveness", "fulness", "ousness", "ations", "ation",
		"ments", "ment", "ness", "ings", "ing", "ies", "ied", "edly", "ed", "ers", "er", "ly", "es", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			w = strings.TrimSuffix(w, suf)
			break
		}
	}
	// running → run, stopped → stop
	if n := len(w); n >= 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		w = w[:n-1]
	}
	return w
}

// MatchExpr renders the terms as an FTS5 query: any of the words, each
// quoted so that no word is read as an FTS5 operator.
//
// The words nearly every entry contains ("run", "recovery") are left out
// when the question has others: they barely move the ranking but make the
// search score every entry.
func (q Question) MatchExpr() string {
	parts := make([]string, 0, len(q.Terms))
	for _, t := range q.Terms {
		if !ubiquitous[t] {
			parts = append(parts, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
		}
	}
	if len(parts) == 0 {
		for _, t := range q.Terms {
			parts = append(parts, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
		}
	}
	// A runner's phrase ("recovery week") is searched as a phrase too, so
	// the entries that use it rank above those that only share its words
	// ("recovery run" and "week").
	for _, t := range q.Content {
		if ws := q.Explained[t]; q.Phrases[t] && len(ws) > 1 {
			parts = append(parts, `"`+strings.ReplaceAll(strings.Join(ws, " "), `"`, `""`)+`"`)
		}
	}
	return strings.Join(parts, " OR ")
}

// Computed reports whether the question gives the numbers for a heart-rate
// sum, which is answered by arithmetic rather than an entry.
func (q Question) Computed() bool {
	_, ok := composeHR(q)
	return ok
}

// NeedsSearch reports whether answering q needs the knowledge base's
// search: red flags, small talk, requests outside recovery and heart-rate
// sums are answered without it.
func (q Question) NeedsSearch() bool {
	if q.Tier != TierNone || q.Computed() {
		return false
	}
	return !q.talked
}

// Within fills what a part of a two-part question leaves out from the
// whole question: the race distance and the day.
func (q Question) Within(whole Question) Question {
	if q.Slots.Distance == "" {
		q.Slots.Distance = whole.Slots.Distance
	}
	if q.Slots.DaysSince < 0 {
		q.Slots.DaysSince = whole.Slots.DaysSince
	}
	return q
}

// topicSkip are the words of a question that ask rather than name a subject.
var topicSkip = toSet(`long much many often slow fast soon quickly far hard easy best good should need needed important`)

// Topic is the subject of a question, its words without the question
// words: "how long should a recovery run be" → "recovery run".
func Topic(text string) string {
	var out []string
	for _, w := range normalize(text).words {
		if !stop[w] && !topicSkip[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

func (q Question) stem(w string) string {
	if s, ok := q.stems[w]; ok {
		return s
	}
	return Stem(w)
}

// restingNumber finds the resting heart rate in a question: a number
// after "resting" first, else one before it, never the number that is the
// age (at agePos).
func restingNumber(low string, agePos int) int {
	for _, re := range []*regexp.Regexp{restingRe, restingBeforeRe} {
		for _, m := range re.FindAllStringSubmatchIndex(low, -1) {
			if m[2] >= 0 && m[2] != agePos {
				n, _ := strconv.Atoi(low[m[2]:m[3]])
				return n
			}
		}
	}
	return 0
}
