package coach

import (
	"regexp"
	"strings"
	"unicode"
)

// Tier is how urgent a red-flag symptom is. The zero value means no red
// flag was found. Higher tiers are more urgent, so tiers compare with <.
type Tier int

// The triage tiers of PRODUCT.md "Red flags".
const (
	TierNone Tier = iota
	// TierInjury: sharp or localised pain, a limp or changed stride,
	// swelling, numbness → stop running on it, see a physiotherapist or doctor.
	TierInjury
	// TierUrgent: blood in the urine or stool, dark cola-coloured urine, an
	// irregular or racing heartbeat, dizziness that does not pass, fever →
	// no running, see a doctor.
	TierUrgent
	// TierEmergency: chest pain or pressure, fainting or collapse, severe
	// breathlessness, confusion → stop; emergency services if it is
	// happening now or severe; a doctor today.
	TierEmergency
)

// String is the tier's stored and reported name.
func (t Tier) String() string {
	switch t {
	case TierInjury:
		return "injury"
	case TierUrgent:
		return "urgent"
	case TierEmergency:
		return "emergency"
	}
	return "none"
}

type symptomRule struct {
	tier    Tier
	symptom string
	re      *regexp.Regexp
}

// symptomRules are worded as runners write, on text already lower-cased
// with apostrophes dropped and punctuation turned into spaces (see
// triageText). They err towards recall: a false alarm costs a member one
// cautious reply, a miss can cost much more.
var symptomRules = []symptomRule{
	{TierEmergency, "chest pain or pressure", regexp.MustCompile(
		`\bchest\b(\s+\w+){0,3}?\s+(pains?|hurts?|hurting|tight\w*|pressure|ach\w*|squeez\w*|heavy|heaviness|crush\w*|sore)\b|` +
			`\b(pains?|pressure|tight\w*|ach\w*|squeez\w*|heaviness|crush\w*|hurts?)\s+(\w+\s+){0,3}?(my |the |in )?chest\b|\bangina\b|\bheart attack\b`)},
	{TierEmergency, "fainting or collapse", regexp.MustCompile(
		`\bfaint\w*|\bpass(ed|ing)? out\b|\bblack(ed|ing)? out\b|\bcollaps\w*|\blost consciousness\b|\bkeeled over\b|\bwent down and\b`)},
	{TierEmergency, "severe breathlessness", regexp.MustCompile(
		`\b(cant|cannot|couldnt|could not|struggl\w* to|hard to|unable to|trouble|difficulty|problems?)\s+(catch(ing)? (my |a )?breath|breath\w*)\b|` +
			`\bshort(ness)? of breath\b|\bbreathless\w*|\bgasping\b|\bwheez\w*|\bcant get (enough )?air\b`)},
	{TierEmergency, "confusion", regexp.MustCompile(
		`\bconfus\w*|\bdisorient\w*|\b(cant|couldnt|could not|cannot) think( straight| clearly)?\b|\bnot thinking (straight|clearly)\b|\b(didnt|did not|couldnt) recogni[sz]e\b|\b(didnt|dont|did not|do not) know where\b|\btalking nonsense\b|\bslurr\w*|\bnot making sense\b|\bdelirious\b`)},
	{TierUrgent, "blood in the urine or stool", regexp.MustCompile(
		`\bblood\w*\s+(\w+\s+){0,2}?(in|on|with)\s+(my |the )?(urine|pee|wee|stool|stools|poo|poop|feces|faeces|toilet|loo|bowel)|` +
			`\b(pee|piss|wee|poo|poop|urinat|pass)\w*\s+(\w+\s+)?blood|\bbloody\s+(urine|stool|pee|poo|poop)|` +
			`\b(urine|pee|wee|stool|poo|poop)\b(\s+\w+){0,4}?\s+(blood\w*|red|pink)\b|\bred (urine|pee)\b|\bblood when i (pee|poo|go)\b|` +
			`\b(pink|red|blood\w*)\b(\s+\w+){0,5}?\s+(peeing|pee|urine|wee|weeing|toilet|loo|bowl)\b|\b(peeing|urinating|weeing)\b(\s+\w+){0,3}?\s+(pink|red)\b`)},
	{TierUrgent, "coughing or vomiting blood", regexp.MustCompile(
		`\b(cough|spit|spat|vomit|puk|throw|threw|sick)\w*\s+(up\s+)?(some\s+)?blood\b|\bblood\w*\s+(\w+\s+){0,2}?(in|on)\s+(my\s+)?(vomit|sick|spit|phlegm|mucus|tissue)\b`)},
	{TierUrgent, "dark cola-coloured urine", regexp.MustCompile(
		`\b(dark|brown\w*|cola|coke|tea)([ -]colou?red)?\s+(urine|pee|wee)\b|\b(urine|pee|wee)\b(\s+\w+){0,4}?\s+(dark\w*|brown\w*|cola|coke|coca|tea)\b`)},
	{TierUrgent, "irregular or racing heartbeat", regexp.MustCompile(
		`\bpalpitat\w*|\birregular\s+(heart\w*|pulse|beat\w*|rhythm)|\b(heart\w*|pulse)\b(\s+\w+){0,3}?\s+(irregular|racing|races|pounding|pounds|flutter\w*|skipp\w*|skips|jumping|out of rhythm|all over the place|wont slow|wont settle|going crazy|going wild|hammering|thumping|wont come down|wont drop)\b|` +
			`\b(racing|pounding|fluttering|skipping|irregular)\s+(heart\w*|pulse)\b|\bskipp?ed beats?\b|\bmissing beats\b|\bextra beats\b|\barrhythm\w*|\bafib\b`)},
	{TierUrgent, "dizziness that does not pass", regexp.MustCompile(
		`\bdizz\w*|\blight ?headed\w*|\bwoozy\b|\bvertigo\b|\b(room|head|world)\b(\s+\w+){0,2}?\s+spinning\b|\bspinning\b`)},
	{TierUrgent, "fever", regexp.MustCompile(
		`\bfever\w*|\b(a|high|have a|running a|got a) temp(erature)?\b|\btemp(erature)? of\b|\bchills\b|\bshivery\b|\b3[89](\.\d)?\s?(c|degrees|°)`)},
	{TierInjury, "pain that makes you limp or changes your stride", regexp.MustCompile(
		`\blimp\w*|\bhobbl\w*|\bstride\b(\s+\w+){0,2}?\s+(changed|changes|off|different|altered|shorter|weird|funny)\b|\b(chang\w*|alter\w*|affect\w*|messing)\s+(\w+\s+){0,2}?(stride|gait|running form)\b|` +
			`\bgait\b(\s+\w+){0,2}?\s+(changed|off|different)\b|\bfavou?r\w*\s+(my |one |the )?(left |right |good |other )?(leg|foot|side|knee|ankle)\b|` +
			`\b(cant|cannot|can not|unable to)\s+(bear|put|take)\s+(any )?weight\b|\b(cant|cannot|can not)\s+(run|walk)\s+(normally|properly|straight|without pain)\b`)},
	{TierInjury, "sharp or localised pain", regexp.MustCompile(
		`\bsharp\b|\bstabb\w*|\bshooting\b|\bpinpoint\b|\bone (spot|place|point)\b|\bsingle spot\b|\bhurts? (when|if) (i )?(press|touch|push|poke)\w*|\btender to (the )?touch\b|\bbone pain\b|\bstress fracture\b|` +
			`\b(knee|knees|shin|shins|ankle|ankles|foot|feet|heel|heels|hip|hips|achilles|toe|toes|arch|groin|tendon|bone|it band|itb|kneecap|lower back)\b(\s+\w+){0,3}?\s+(pain|pains|hurts?|hurting|painful|agony|killing me)\b|` +
			`\b(pain|pains|hurts?|hurting|painful)\s+(\w+\s+){0,5}?(knee|knees|shin|shins|ankle|ankles|foot|feet|heel|heels|hip|hips|achilles|toe|toes|arch|groin|tendon|bone|kneecap)\b|\bpain (gets|getting|is getting) worse\b`)},
	{TierInjury, "swelling", regexp.MustCompile(`\bswell\w*|\bswollen\b|\bpuff(ed|y)\b|\bballooned\b`)},
	{TierInjury, "numbness", regexp.MustCompile(`\bnumb(ness|ed|ing)?\b|\bpins and needles\b|\btingl\w*|\bno feeling\b|\blost (the )?feeling\b|\bcant feel my\b`)},
}

// symptomFilters skip the rules a text cannot match, in symptomRules order.
var symptomFilters = func() []prefilter {
	out := make([]prefilter, len(symptomRules))
	for i, r := range symptomRules {
		out[i] = newPrefilter(r.re)
	}
	return out
}()

// negated is a word just before a symptom that says the member does not
// have it ("no chest pain", "not dizzy").
var negated = regexp.MustCompile(`\b(no|not|never|zero|isnt|wasnt|arent|dont have|didnt have|havent had|hasnt been)\s+(\w+\s+)?$`)

// triageText lower-cases text, drops apostrophes and turns punctuation into
// spaces, keeping decimal points in numbers, so the rules see plain words.
func triageText(text string) string {
	var b strings.Builder
	b.Grow(len(text) + 2)
	b.WriteByte(' ')
	prev := ' '
	rs := []rune(strings.ToLower(text))
	for i, r := range rs {
		switch {
		case r == '\'' || r == '’' || r == '‘':
			continue
		case r == '.' && i > 0 && i+1 < len(rs) && isDigit(rs[i-1]) && isDigit(rs[i+1]):
		case isLetterOrDigit(r):
		default:
			r = ' '
		}
		if r == ' ' && prev == ' ' {
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	b.WriteByte(' ')
	return b.String()
}

// Triage reports the most urgent red-flag symptom described in text, by the
// tiers of PRODUCT.md "Red flags", and the symptom in plain words ("" with
// TierNone). It is pure and cheap, meant to run before anything else on a
// question or a check-in note; a symptom the writer says they do not have
// ("no chest pain") does not count. It never diagnoses: the tier only says
// how soon a professional should see the member (TriageAdvice).
func Triage(text string) (Tier, string) {
	return triageNormalized(triageText(text))
}

func triageNormalized(low string) (Tier, string) {
	best, symptom := TierNone, ""
	for i, r := range symptomRules {
		if r.tier <= best || !symptomFilters[i].mayMatch(low) {
			continue
		}
		for _, loc := range r.re.FindAllStringIndex(low, -1) {
			if !negated.MatchString(low[:loc[0]]) {
				best, symptom = r.tier, r.symptom
				break
			}
		}
	}
	return best, symptom
}

// TriageAdvice is what the member is told for a tier: the action first, no
// diagnosis, and nothing that reassures or prescribes training. It is ""
// for TierNone.
func TriageAdvice(t Tier, symptom string) string {
	switch t {
	case TierEmergency:
		return "Stop now: " + symptom + " needs a doctor, not training advice. " +
			"If it is happening now or it is severe, call emergency services straight away (112, 999 or 911). " +
			"Otherwise see a doctor today, and don't run or train until a doctor has checked you."
	case TierUrgent:
		return "Stop: no running until you have seen a doctor. " + capitalize(symptom) +
			" needs a doctor's look, so book an appointment soon, today if it gets worse. " +
			"If it comes with chest pain, fainting or trouble breathing, call emergency services."
	case TierInjury:
		return "Stop running on it and see a physiotherapist or doctor. " + capitalize(symptom) +
			" can mean an injury, and running through it can make it worse. " +
			"I can't tell you what it is; rest it until you have been seen and cleared."
	}
	return ""
}

// TriageSource is how a triage answer names what it rests on: article 003
// for pain that changes the stride; the tiers for the other symptoms are the
// product's safety rules, not any article's.
func TriageSource(t Tier) string {
	if t == TierInjury {
		return SourceLine(hrSource) + "; the tiers are Shakeout's safety rules"
	}
	return "Source: Shakeout's safety rules (common medical caution, not one of the articles)"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
