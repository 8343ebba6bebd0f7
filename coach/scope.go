package coach

import (
	"regexp"
	"strings"
)

// ReplyKind says what sort of reply an Answer is.
type ReplyKind string

// The kinds of reply.
const (
	KindAnswer     ReplyKind = "answer"       // an entry of the knowledge base
	KindComputed   ReplyKind = "computed"     // a heart-rate sum worked out
	KindTriage     ReplyKind = "triage"       // a red flag: professional advice only
	KindGreeting   ReplyKind = "greeting"     // hello
	KindThanks     ReplyKind = "thanks"       // thank you
	KindAbout      ReplyKind = "about"        // what can you do
	KindMedication ReplyKind = "medication"   // medicine or a health condition: a doctor's or pharmacist's question
	KindOutOfScope ReplyKind = "out_of_scope" // not about recovering from running
	KindUnknown    ReplyKind = "unknown"      // about running, but nothing we know
)

// canDo is what the bot offers when it cannot answer.
const canDo = "What I can do: answer questions about recovering from running (rest days, recovery runs, easy pace, " +
	"recovery weeks, soreness, sleep, food after a hard run, getting over a race), tell you whether today should be " +
	"easy, rest or hard (/today), walk you through recovery after a race (/raced) and work out your recovery heart " +
	"rate (/hr). /help lists everything."

// Unknown is the honest reply to a question the knowledge base cannot answer.
const Unknown = "That's outside what I do, sorry: I don't know that one. I only know about recovering from running. " + canDo

// Greeting, Farewell, Thanks and About are the small-talk replies.
const (
	Greeting = "Hi! I'm Shakeout, your club's recovery coach. Ask me anything about recovering from running, " +
		"like \"how slow should my recovery run be?\", or send /today for today's verdict."
	Farewell = "Talk soon! Sleep well: it is the best recovery there is. /today in the morning tells you how to train."
	Thanks   = "You're welcome, glad it helped. Ask again any time; /today tells you how to train today."
	About    = "I'm Shakeout, a recovery coach for running clubs. I answer questions about recovering from running " +
		"and say which article the answer comes from; /today tells you whether today should be easy, rest or hard; " +
		"/raced walks you through recovery after a race day by day; /hr works out your recovery heart rate; " +
		"/log and /checkin record your training and how you feel. /help lists everything."
	Condition = "How to run with a health condition, during or after pregnancy, or after an illness such as covid " +
		"is a question for your doctor: they know your history, and I can't judge it. Once they have cleared you, " +
		"I can help with the recovery side: rest days, easy running, sleep and food."
	Medication = "Whether to take a painkiller or any other medicine is a question for a doctor or pharmacist, " +
		"not for me: they know your health and what else you take. Painkillers can also hide pain that is telling " +
		"you to stop. What I can help with is the recovery side: rest, easy days, sleep and food."
)

var (
	greetWords = toSet(`hey hi hello hiya heya yo howdy sup hallo morning good evening afternoon there all everyone folks
		team bot shakeout coach gday greetings whats up`)
	thankWords = toSet(`thanks thank thx ty cheers ta tysm thankyou`)
	thankFill  = toSet(`you so much very a lot mate that helped helps great awesome brilliant perfect nice ok cool
		really for the help info answer again loads lots many super legend x`)
	howAreYouRe = regexp.MustCompile(`^(hey |hi |hello |yo )?(how are you|how are you doing|hows it going|how is it going|whats up|what is up|how are things|you ok|are you there|anyone there)( today| mate| coach| bot)?$`)
	farewellRe  = regexp.MustCompile(`^(good ?night|night night|nite|bye|goodbye|bye bye|see ya|see you|cya|later|laters|catch you later|talk soon|ttyl)( for now| then| mate| coach| all)?$`)
	aboutRe     = regexp.MustCompile(`^what(s| is) your name$|^who are you$|^(what|who) (can|do|are) you( do| know| help with| for)?$|^what can i ask( you)?$|` +
		`^how do(es)? (this|you|it) work$|^help( me)?$|^what (is|are) (this|you|shakeout)$|^what do you know( about)?$|^who is this$|^what can you help( me)? with$`)

	medicationRe = regexp.MustCompile(`\b(ibuprofen|paracetamol|acetaminophen|painkillers?|pain killers?|pain relief|aspirin|nsaids?|` +
		`advil|nurofen|motrin|tylenol|naproxen|aleve|voltaren|diclofenac|codeine|medication|medicines?|meds|pills?|tablets?|antibiotics?|inhaler|anti inflammator\w*)\b`)

	// conditionRe names a health condition whose effect on running only
	// the member's doctor can judge.
	conditionRe = regexp.MustCompile(`\b(asthma\w*|diabet\w*|pregnan\w*|covid|long covid|coronavirus|blood pressure|hypertension|epilep\w*|` +
		`heart (condition|disease|problem|problems|murmur)|arthritis|anaemi\w*|anemi\w*|thyroid|cancer|chemo\w*|surgery|operation|postpartum|after (giving )?birth)\b`)

	// offTopic are requests that are not about recovering from running,
	// each with why the bot does not do it.
	offTopic = []struct {
		re  *regexp.Regexp
		why string
	}{
		{regexp.MustCompile(`\b(weather|forecast)\b|\b(going to|gonna|will it|is it|it will) (rain|snow|be (hot|cold|windy|sunny))\b|\b(rain|snow)\w* (tomorrow|today|tonight|on)\b`),
			"I can't see the weather."},
		{regexp.MustCompile(`\b(make|give|write|build|create|design|send)\b(\s+\w+){0,8}?\s+(plan|programme|program)\b|\b\d+\s?(week|wk)s?\s+(\w+\s+){0,3}?(plan|program|programme|block)\b|` +
			`\bplan for (a |my |the )?(sub|\d)|\bsub ?\d|\b(pb|pr|personal best|goal time|target time|race pace|target pace)\b|\b(get|become|getting)\s+(\w+\s+)?faster\b|\bfaster (at|over|in) the\b|\bqualif\w*|\bimprove my (time|pace|speed)\b`),
			"I don't write training plans or set race paces."},
		{regexp.MustCompile(`\b(which|best|good|recommend\w*|buy|new|choose|pick|cheap\w*|decent)\b(\s+\w+){0,3}?\s+(shoes?|trainers|sneakers|watch|watches|gps|garmin|headphones|earbuds|gels?|app|apps|kit|gear|socks|vest|powders?|supplements?|brands?)\b|\bprotein powder|` +
			`\b(where|how) (can|do|to|should) (i )?(buy|order)\b|\bwhere (can|do|to|should) (i )?get\b|\bwhere to buy\b|\b(cost|costs|price|prices|membership)\b`),
			"I don't recommend gear or shops."},
		{regexp.MustCompile(`\b(lose|losing|lost) (some )?(weight|fat|kilos|pounds)\b|\bweight loss\b|\bdiet plan\b|\bcalorie deficit\b`),
			"I don't give weight-loss advice."},
		{regexp.MustCompile(`\bwho (won|wins|is winning|holds)\b|\bresults? of\b|\bworld record\b|\b(football|soccer|rugby|cricket|tennis|basketball|nba|nfl) (score|scores|result|match|game)\b|\bthe score\b`),
			"I don't follow race results or sport."},
		{regexp.MustCompile(`\bwhat time (does|is|do)\b|\bwhen does the (club|group|session|run)\b|\bwhere (is|does|do) (the )?(club|meet|group)\b|\bnear (me|here|the)\b|\b(pizza|restaurant|cafe|pub|bar)\b`),
			"I don't know your club's timetable or places nearby; your coach does."},
		{regexp.MustCompile(`\b(puncture|tyres?|tires|flat (tire|tyre)|bike shop|chain|gears?)\b|\bfix (my|a|the)\b`),
			"I don't fix kit."},
		{regexp.MustCompile(`\b(joke|poem|song|story|riddle|haiku|limerick|podcast|podcasts|movie|film|recipe|translate|capital of|python|javascript|code|homework|math|maths|bitcoin|stock|stocks|news|horoscope)\b`),
			"That's not something I can help with."},
	}
)

// conditionFilter skips the health-condition rule for questions that cannot match.
var conditionFilter = newPrefilter(conditionRe)

// medicationFilter skips the medicine rule for questions that cannot match.
var medicationFilter = newPrefilter(medicationRe)

// offTopicFilters skip the off-topic rules a question cannot match.
var offTopicFilters = func() []prefilter {
	out := make([]prefilter, len(offTopic))
	for i, o := range offTopic {
		out[i] = newPrefilter(o.re)
	}
	return out
}()

// smallTalk answers greetings, thanks, "what can you do", medicine and
// requests outside recovery, before any search. It is tried after triage.
func (q Question) smallTalk() (Answer, bool) {
	words := q.Words
	if len(words) == 0 {
		return Answer{Text: Greeting, Known: true, Kind: KindGreeting}, true
	}
	onlyGreeting, thanks, onlyThanks := true, false, true
	for _, w := range words {
		if !greetWords[w] {
			onlyGreeting = false
		}
		if thankWords[w] {
			thanks = true
		} else if !thankFill[w] && !greetWords[w] {
			onlyThanks = false
		}
	}
	s := strings.Join(words, " ")
	// Scope is judged on the member's own words as well as the normalised
	// ones, so a typo fix can never turn a request into a running question.
	raw := strings.TrimSpace(triageText(q.Text))
	switch {
	case onlyGreeting && len(words) <= 4:
		return Answer{Text: Greeting, Known: true, Kind: KindGreeting}, true
	case farewellRe.MatchString(s):
		return Answer{Text: Farewell, Known: true, Kind: KindGreeting}, true
	case howAreYouRe.MatchString(s):
		return Answer{Text: Greeting, Known: true, Kind: KindGreeting}, true
	case thanks && onlyThanks:
		return Answer{Text: Thanks, Known: true, Kind: KindThanks}, true
	case aboutRe.MatchString(strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "hey "), "hi "))):
		return Answer{Text: About, Known: true, Kind: KindAbout}, true
	case conditionFilter.MatchString(s) || conditionFilter.MatchString(raw):
		return Answer{Text: Condition + "\n\n" + "Source: Shakeout's safety rules (not one of the articles)", Known: true, Kind: KindMedication}, true
	case medicationFilter.MatchString(s) || medicationFilter.MatchString(raw):
		return Answer{Text: Medication + "\n\n" + "Source: Shakeout's safety rules (not one of the articles)", Known: true, Kind: KindMedication}, true
	}
	for i, o := range offTopic {
		if offTopicFilters[i].MatchString(" "+s+" ") || offTopicFilters[i].MatchString(" "+raw+" ") {
			return Answer{Text: "That's outside what I do: " + o.why + " " + canDo, Kind: KindOutOfScope}, true
		}
	}
	return Answer{}, false
}
