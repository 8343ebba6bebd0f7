package coach

import (
	"testing"
)

func TestNormalizeSlots(t *testing.T) {
	cases := []struct {
		text     string
		distance Distance
		days     int
		qtype    QType
	}{
		{"how long to recover after the Chicago marathon", DistMarathon, -1, QHowLong},
		{"my parkrun was this morning, run tomorrow?", Dist5K, 1, QHow}, // tomorrow is the day after the race
		{"post-HM what do i do tmrw", DistHalf, 1, QHow},
		{"ran 21.1km on sunday", DistHalf, -1, QHow},
		{"what should i eat after a 42.2 km race", DistMarathon, -1, QHow},
		{"after a 26.2 can I jog", DistMarathon, -1, QYesNo},
		{"5000m race yesterday, legs ok?", Dist5K, 1, QYesNo},
		{"is a 10 km race hard on the legs", Dist10K, -1, QYesNo},
		{"ran a 50 mile trail race 3 days ago", DistUltra, 3, QHow},
		{"first 100 miler done, what now", DistUltra, -1, QHow},
		{"after my 60km race can i run", DistUltra, -1, QYesNo},
		{"ultramarathon recovery", DistUltra, -1, QWhatIs},
		{"I only run 15 miles a week", "", -1, QHow},
		{"easy run of half an hour?", "", -1, QHow},
		{"two weeks after my half marathon", DistHalf, 14, QHow},
		{"why do my legs hurt a week after the race", "", 7, QWhy},
		{"whats the difference between rest and recovery", "", -1, QCompare},
		{"what is doms", "", -1, QWhatIs},
		{"how many rest days a week", "", -1, QHowMuch},
		{"should I run two hard days in a row", "", -1, QYesNo},
		// the race recovered from is the one after "after"
		{"can i race a 5k a week after my marathon", DistMarathon, 7, QYesNo},
		{"after my 10k can I do a 5k next week", Dist10K, -1, QYesNo},
	}
	for _, c := range cases {
		q := ParseQuestion(c.text)
		if q.Slots.Distance != c.distance || q.Slots.DaysSince != c.days || q.Slots.Type != c.qtype {
			t.Errorf("%q: got %+v, want distance %q, days %d, type %q", c.text, q.Slots, c.distance, c.days, c.qtype)
		}
	}
}

func TestNormalizeWords(t *testing.T) {
	cases := []struct{ text, want string }{
		{"legs r dead shud i run", "legs are dead should i run"},
		{"how slow shoud my recovry run be", "how slow should my recovery run be"},
		{"how to mesure resting hart rate", "how to measure resting heart rate"},
		{"signs of overtrainning", "signs of overtraining"},
		{"wat is supercompensasion", "what is supercompensation"},
		{"my shins ache", "my shins ache"}, // body parts are words, not typos
		// place names are never "corrected"
		{"after the Boston marathon", "after the boston marathon"},
	}
	for _, c := range cases {
		if got := normalize(c.text).text; got != c.want {
			t.Errorf("normalize(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestSlotsBodyActivitySymptom(t *testing.T) {
	q := ParseQuestion("can I swim with sore calves")
	if q.Slots.Activity != "swim" || q.Slots.BodyPart != "calves" || q.Slots.Symptom != "sore" {
		t.Errorf("got %+v", q.Slots)
	}
	q = ParseQuestion("should I run intervals with a swollen ankle")
	if q.Slots.Activity != "intervals" || q.Slots.Symptom != "swelling" || q.Tier != TierInjury {
		t.Errorf("got %+v, tier %v", q.Slots, q.Tier)
	}
}

// TestOpeningFitsTheQuestion: no answer opens with a bare "Yes." or "No.",
// which would answer the entry's title rather than the member's question.
func TestOpeningFitsTheQuestion(t *testing.T) {
	for _, e := range Entries() {
		if yesNoOpening.MatchString(e.Answer) {
			t.Errorf("%s opens with yes or no: %.40s…", e.ID, e.Answer)
		}
	}
	e := Entry{Answer: "Yes. Plenty of runners do."}
	if got := fitOpening(e); got != "Plenty of runners do." {
		t.Errorf("got %q", got)
	}
	e.Answer = "No, never in a row."
	if got := fitOpening(e); got != "Never in a row." {
		t.Errorf("got %q", got)
	}
}

func TestDistanceFilter(t *testing.T) {
	tenK := ParseQuestion("when can I do intervals after my 10k")
	for _, e := range Entries() {
		if !e.fitsDistance(tenK.Slots.Distance) {
			for _, d := range e.Distances {
				if d == Dist10K {
					t.Errorf("%s is for the 10K but filtered out", e.ID)
				}
			}
			continue
		}
		for _, d := range e.Distances {
			if d == DistMarathon && len(e.Distances) == 1 {
				t.Errorf("marathon-only %s passes a 10K question", e.ID)
			}
		}
	}
}

// The age and the resting heart rate are told apart wherever they stand.
func TestHeartRateNumbersInAQuestion(t *testing.T) {
	for _, c := range []struct {
		q            string
		age, resting int
	}{
		{"what should my heart rate be on a recovery run im 45 resting 58", 45, 58},
		{"recovery hr? 58 resting, I'm 45", 45, 58},
		{"I am 30 with a resting heart rate of 48, what's my recovery heart rate", 30, 48},
		{"age 52 rhr 61 recovery heart rate?", 52, 61},
		{"recovery heart rate for a 40 year old with 55 bpm resting", 40, 55},
	} {
		q := ParseQuestion(c.q)
		if q.Age != c.age || q.RestingHR != c.resting {
			t.Errorf("%q: age %d, resting %d; want %d and %d", c.q, q.Age, q.RestingHR, c.age, c.resting)
		}
	}
}
