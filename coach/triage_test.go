package coach

import (
	"strings"
	"testing"
)

func TestTriageTiers(t *testing.T) {
	cases := []struct {
		text string
		want Tier
	}{
		// emergency: chest, fainting or collapse, severe breathlessness, confusion
		{"sudden chest pain halfway up the hill", TierEmergency},
		{"there's a crushing feeling in my chest", TierEmergency},
		{"chest feels tight and heavy since the race", TierEmergency},
		{"I fainted in the shower after my run", TierEmergency},
		{"my training partner collapsed at the finish", TierEmergency},
		{"blacked out for a moment on the track", TierEmergency},
		{"I can't catch my breath even sitting down", TierEmergency},
		{"really short of breath and wheezing after the run", TierEmergency},
		{"struggling to breathe since this morning's race", TierEmergency},
		{"felt confused and couldn't remember my way home", TierEmergency},
		{"she seemed disoriented after the marathon", TierEmergency},
		{"he was slurring his words at the finish", TierEmergency},
		// urgent: blood, dark urine, heart rhythm, lasting dizziness, fever
		{"noticed blood in my pee after the ultra", TierUrgent},
		{"my stool had blood in it after the long run", TierUrgent},
		{"bloody urine since the race", TierUrgent},
		{"urine is the colour of cola", TierUrgent},
		{"dark brown pee after a hot marathon", TierUrgent},
		{"my wee looks like tea", TierUrgent},
		{"heart keeps skipping beats when I rest", TierUrgent},
		{"pulse racing and irregular at night", TierUrgent},
		{"palpitations after my tempo", TierUrgent},
		{"I'm still dizzy hours later", TierUrgent},
		{"feel lightheaded every time I stand up", TierUrgent},
		{"the room was spinning after my run", TierUrgent},
		{"got a fever, run or skip", TierUrgent},
		{"temperature of 38 today", TierUrgent},
		{"chills and aching all over", TierUrgent},
		// injury: sharp or localised pain, limp or changed stride, swelling, numbness
		{"sharp pain on the inside of my ankle", TierInjury},
		{"my shin hurts when I press on it", TierInjury},
		{"stabbing feeling under my kneecap", TierInjury},
		{"I've been limping since Sunday", TierInjury},
		{"the pain is changing my stride", TierInjury},
		{"can't put weight on my foot", TierInjury},
		{"swollen knee after the trail race", TierInjury},
		{"my ankle has puffed up", TierInjury},
		{"swelling on top of my foot", TierInjury},
		{"numb toes on long runs", TierInjury},
		{"pins and needles in my foot", TierInjury},
		{"tingling down my leg when I run", TierInjury},
		{"I couldn't think straight after the marathon", TierEmergency},
		{"pooped blood after my long run", TierUrgent},
		{"my urine is brownish", TierUrgent},
		{"heart going crazy at rest", TierUrgent},
		{"pain on the outside of my foot when i walk", TierInjury},
		{"cant walk without limping", TierInjury},
		{"coughing up blood after intervals", TierUrgent},
		{"threw up blood at the finish", TierUrgent},
		{"there was blood in my spit after the race", TierUrgent},
		// none: everyday soreness and fatigue, negated symptoms, lookalikes
		{"my heart rate stays high on easy runs", TierNone},
		{"dark chocolate after a run?", TierNone},
		{"my pee is pale yellow, good?", TierNone},
		{"passing the 10k mark my legs felt heavy", TierNone},
		{"my legs are sore after the marathon", TierNone},
		{"quads ache two days after the race", TierNone},
		{"legs are dead this week", TierNone},
		{"no chest pain, just tired legs", TierNone},
		{"I'm not dizzy, only a bit stiff", TierNone},
		{"how slow is slow enough, is there a number", TierNone},
		{"my resting heart rate is up 8 beats this morning", TierNone},
		{"what heart rate should a recovery run be", TierNone},
		{"how long should I cool down after a race", TierNone},
	}
	for _, c := range cases {
		got, symptom := Triage(c.text)
		if got != c.want {
			t.Errorf("Triage(%q) = %v (%q), want %v", c.text, got, symptom, c.want)
		}
		if (got == TierNone) != (symptom == "") {
			t.Errorf("Triage(%q): tier %v with symptom %q", c.text, got, symptom)
		}
	}
}

func TestTriageTakesTheMostUrgent(t *testing.T) {
	if got, _ := Triage("swollen ankle and now chest pain"); got != TierEmergency {
		t.Errorf("got %v, want emergency", got)
	}
	if got, _ := Triage("limping and a fever"); got != TierUrgent {
		t.Errorf("got %v, want urgent", got)
	}
}

func TestTriageAdviceWording(t *testing.T) {
	cases := []struct {
		tier Tier
		want []string
	}{
		{TierEmergency, []string{"Stop", "emergency services", "if it is happening now or it is severe", "doctor today"}},
		{TierUrgent, []string{"no running", "doctor"}},
		{TierInjury, []string{"Stop running on it", "physiotherapist or doctor"}},
	}
	for _, c := range cases {
		text := TriageAdvice(c.tier, "a symptom")
		for _, w := range c.want {
			if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
				t.Errorf("%v advice lacks %q: %s", c.tier, w, text)
			}
		}
		for _, bad := range []string{"normal", "jog", "easy run", "fine"} {
			if strings.Contains(strings.ToLower(text), bad) {
				t.Errorf("%v advice reassures or prescribes (%q): %s", c.tier, bad, text)
			}
		}
	}
	if TriageAdvice(TierNone, "") != "" {
		t.Error("no advice without a red flag")
	}
}

// TestPrefiltersNeverHideAMatch checks the literal prefilters on a corpus of
// questions: when a rule's expression matches, its prefilter must let it.
func TestPrefiltersNeverHideAMatch(t *testing.T) {
	texts := []string{"sharp pain", "my pee is red", "room keeps spinning", "temperature of 39 c", "cant catch my breath",
		"the urine had blood in it", "after a race", "26.2 dead legs doms", "xt on an easy day", "weather tomorrow",
		"give me a 12 week plan", "best running shoes", "fix my bike", "a temp", "heart is racing"}
	for _, e := range Entries() {
		texts = append(texts, e.Phrasings...)
		texts = append(texts, strings.ToLower(e.Answer))
	}
	check := func(kind string, ps []prefilter) {
		for i, p := range ps {
			for _, s := range texts {
				low := triageText(s)
				if p.re.MatchString(low) && !p.mayMatch(low) {
					t.Errorf("%s rule %d matches %q but its prefilter skips it", kind, i, s)
				}
			}
		}
	}
	check("symptom", symptomFilters)
	check("slang", slangFilters)
	check("off-topic", offTopicFilters)
}
