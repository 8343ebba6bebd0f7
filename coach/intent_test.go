package coach

import (
	"strconv"
	"strings"
	"testing"
)

// The intent is read from how a question asks, whatever else it mentions.
func TestQuestionIntent(t *testing.T) {
	for _, c := range []struct {
		text   string
		intent Intent
		dist   Distance
	}{
		{"my calves feel awful after saturday's parkrun, is a jog on monday ok?", IntentRunAgain, Dist5K},
		{"finished the Berlin marathon, when is it ok to start jogging", IntentRunAgain, DistMarathon},
		{"ran boston two weeks ago, getting back out this week?", IntentRunAgain, DistMarathon},
		{"did the great north run, how soon can I train again", IntentRunAgain, DistHalf},
		{"10k done yesterday, can I go for a run today", IntentRunAgain, Dist10K},
		{"how soon could I do another 10k", IntentRaceAgain, Dist10K},
		{"is racing again next weekend after my 5k too soon", IntentRaceAgain, Dist5K},
		{"after my half how many days until intervals", IntentRaceAgain, DistHalf},
		{"getting over a nasty cold, is a tempo run ok", IntentIllness, ""},
		{"I was ill most of the week, long run sunday?", IntentIllness, ""},
		{"stomach bug on wednesday, ok to run now", IntentIllness, ""},
		{"sniffles but no temperature, run or not", IntentIllness, ""},
		{"my athlete finished Chicago, when can she come back", IntentRunAgain, DistMarathon},
		{"three weeks after the half, time to race another?", IntentRaceAgain, DistHalf},
		{"how do I return to running after a week with a virus", IntentIllness, ""},
		// No intent: the words a question is about stand on their own.
		{"is a cold bath good after a long run", "", ""},
		{"tips for running on cold mornings", "", ""},
		{"got my flu jab this morning, easy run later?", "", ""},
		{"can I do a 5k three weeks after my marathon", IntentRaceAgain, DistMarathon},
		{"no soreness at all after the race, still take it easy?", "", ""},
		{"hamstrings still stiff three days on, is that normal", IntentSoreness, ""},
		{"what should I eat after my marathon", "", DistMarathon},
		{"how slow should a recovery run be", "", ""},
		{"how long does it take to recover from a half", "", DistHalf},
	} {
		q := ParseQuestion(c.text)
		if q.Slots.Intent != c.intent || q.Slots.Distance != c.dist {
			t.Errorf("%q: intent %q, distance %q; want %q and %q", c.text, q.Slots.Intent, q.Slots.Distance, c.intent, c.dist)
		}
	}
}

// A fever today is still triaged as urgent, however the question asks
// about getting back to training.
func TestIllnessIntentNeverHidesAFever(t *testing.T) {
	for _, text := range []string{
		"had flu last week and still have a fever, can I run?",
		"back after a cold but running a temperature of 38.5",
	} {
		q := ParseQuestion(text)
		if q.Tier != TierUrgent {
			t.Errorf("%q: tier %s, want urgent", text, q.Tier)
		}
	}
}

// Entries that answer a question's intent take part in ranking even when the
// search did not return them, and rank above entries that only share words.
func TestIntentEntriesRankFirst(t *testing.T) {
	for _, c := range []struct {
		text string
		hits []string
		want string
	}{
		{"legs feel dead after my 10k yesterday, run today?", []string{"signs-of-poor-recovery", "post-5k-10k-recovery"}, "post-5k-10k-recovery"},
		{"marathon sunday, when may I begin running again", []string{"post-marathon-nutrition"}, "post-marathon-first-run"},
		{"had the flu, can I still do my long run this weekend", []string{"balanced-training-week", "day-after-long-run"}, "training-after-illness"},
		{"how long after a 5k before I race again", []string{"post-5k-10k-recovery", "race-again-after-5k-10k"}, "race-again-after-5k-10k"},
	} {
		q := ParseQuestion(c.text)
		var hits []Hit
		for i, id := range c.hits {
			hits = append(hits, Hit{ID: id, Relevance: float64(len(c.hits) - i)})
		}
		if a := Compose(q, hits); a.Topic != c.want {
			t.Errorf("%q (intent %q): answered by %q, want %q", c.text, q.Slots.Intent, a.Topic, c.want)
		}
	}
}

// Every entry's intents are ones a question can have, and each intent has
// at least one entry for every race distance it applies to.
func TestIntentsCovered(t *testing.T) {
	for _, c := range []struct {
		intent Intent
		dists  []Distance
	}{
		{IntentRunAgain, []Distance{Dist5K, Dist10K, DistHalf, DistMarathon, DistUltra}},
		{IntentRaceAgain, []Distance{Dist5K, Dist10K, DistHalf, DistMarathon, DistUltra}},
		{IntentIllness, []Distance{""}},
		{IntentSoreness, []Distance{""}},
	} {
		for _, d := range c.dists {
			if len(intentEntries(c.intent, d)) == 0 {
				t.Errorf("no entry answers %s for distance %q", c.intent, d)
			}
		}
	}
}

// The everyday subject a question names steers it to the entry about that
// subject rather than one that only shares the race.
func TestSubjectSteers(t *testing.T) {
	for _, c := range []struct {
		text, subject, want string
	}{
		{"how many hours should I sleep after my marathon", "sleep", "sleep-and-recovery"},
		{"electrolytes after a sweaty 10k?", "hydration", "hydration-electrolytes"},
		{"is a gym session fine the day after my 5k", "strength", "strength-on-recovery-day"},
	} {
		q := ParseQuestion(c.text)
		hits := []Hit{{ID: "post-5k-10k-recovery", Relevance: 3}, {ID: "marathon-recovery-time", Relevance: 2}, {ID: c.want, Relevance: 1}}
		if q.Slots.Subject != c.subject {
			t.Errorf("%q: subject %q, want %q", c.text, q.Slots.Subject, c.subject)
		}
		if a := Compose(q, hits); a.Topic != c.want {
			t.Errorf("%q: answered by %q, want %q", c.text, a.Topic, c.want)
		}
	}
}

// Catching one bug after another is a sign of overtraining, not a return
// from illness.
func TestRepeatedIllnessIsNotAReturn(t *testing.T) {
	for _, text := range []string{"I keep getting sick and my runs feel awful", "one cold after another this winter, too much training?"} {
		if q := ParseQuestion(text); q.Slots.Intent == IntentIllness {
			t.Errorf("%q: read as a return from illness", text)
		}
	}
}

// A resting pulse that is up is about the elevated resting heart rate, not
// about how to measure it.
func TestRaisedRestingPulse(t *testing.T) {
	for _, text := range []string{"resting hr up 7 beats, still do intervals?", "high morning pulse today, what now"} {
		q := ParseQuestion(text)
		hits := []Hit{{ID: "resting-heart-rate-measure", Relevance: 2}, {ID: "elevated-resting-heart-rate", Relevance: 1}}
		if a := Compose(q, hits); a.Topic != "elevated-resting-heart-rate" {
			t.Errorf("%q: answered by %q", text, a.Topic)
		}
	}
}

// Soreness days after a race is about soreness: the race sets the scene.
func TestSorenessAfterARace(t *testing.T) {
	for _, text := range []string{"calves still sore four days after my half, ok?", "achy quads 6 days post marathon, normal?"} {
		q := ParseQuestion(text)
		hits := []Hit{{ID: "massage-foam-rolling", Relevance: 3}, {ID: "half-marathon-recovery-time", Relevance: 2}, {ID: "doms-soreness", Relevance: 1}}
		if a := Compose(q, hits); a.Topic != "doms-soreness" {
			t.Errorf("%q: answered by %q", text, a.Topic)
		}
	}
}

// A measured maximum and a resting heart rate are enough to work out the
// recovery ceiling; the age is not needed.
func TestHeartRateFromMeasuredMax(t *testing.T) {
	q := ParseQuestion("max hr 188, resting 52, how high on recovery runs?")
	a, ok := composeHR(q)
	if !ok || !a.Computed {
		t.Fatalf("not computed: max %d resting %d", q.MaxHR, q.RestingHR)
	}
	if want := RecoveryHR(0, 52, 188).Ceiling; !strings.Contains(a.Text, strconv.Itoa(want)+" bpm") {
		t.Errorf("answer %q lacks %d bpm", a.Text, want)
	}
}
