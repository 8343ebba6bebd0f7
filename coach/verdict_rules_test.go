package coach

import (
	"strings"
	"testing"
	"time"
)

func TestSessionHardByEffort(t *testing.T) {
	d := Date{Year: 2026, Month: time.June, Day: 8}
	tests := []struct {
		s    Session
		want bool
	}{
		{Session{Date: d, Kind: KindCross, Minutes: 60, RPE: 9}, true},
		{Session{Date: d, Kind: KindEasy, Minutes: 45, RPE: 9}, true},
		{Session{Date: d, Kind: KindEasy, Minutes: 45}, false},
		{Session{Date: d, Kind: KindTempo, Minutes: 40, RPE: 5}, false},
		{Session{Date: d, Kind: KindTempo, Minutes: 40}, true},
		{Session{Date: d, Kind: KindLong, Minutes: 90, RPE: 5}, true},
		{Session{Date: d, Kind: KindRace, DistanceKm: 10}, true},
		{Session{Date: d, Kind: KindRest}, false},
	}
	for _, tt := range tests {
		if got := tt.s.Hard(); got != tt.want {
			t.Errorf("%s at RPE %d: Hard = %v, want %v", tt.s.Kind, tt.s.RPE, got, tt.want)
		}
	}
}

func TestRaceNoHardDaysByDistance(t *testing.T) {
	for _, tt := range []struct {
		km   float64
		want int
	}{{5, RaceNoHard5K}, {10, RaceNoHard10K}, {21.1, RaceNoHardHalf}, {42.2, RaceNoHardMarathon}, {50, RaceNoHardMarathon + 7}, {0, RaceNoHardUnknown}} {
		if got := RaceNoHardDays(tt.km); got != tt.want {
			t.Errorf("RaceNoHardDays(%v) = %d, want %d", tt.km, got, tt.want)
		}
	}
	if !(RaceNoHard5K < RaceNoHard10K && RaceNoHard10K < RaceNoHardHalf && RaceNoHardHalf < RaceNoHardMarathon) {
		t.Error("longer races must keep HARD away longer")
	}
}

func TestBeginnerWeek(t *testing.T) {
	p := DefaultPattern().ForLevel(LevelBeginner)
	want := map[time.Weekday]DayPlan{time.Monday: DayRest, time.Tuesday: DayHard, time.Thursday: DayEasy,
		time.Saturday: DayLong, time.Sunday: DayRest, time.Wednesday: DayEasy, time.Friday: DayEasy}
	for wd, w := range want {
		if p.dayOf(wd) != w {
			t.Errorf("beginner %s = %s, want %s", wd, p.dayOf(wd), w)
		}
	}
	if DefaultPattern().ForLevel(LevelIntermediate) != DefaultPattern() || DefaultPattern().ForLevel(LevelAdvanced) != DefaultPattern() {
		t.Error("intermediate and advanced runners take the club's week as it is")
	}
	// A week that already has two rest days gets no third.
	two := DefaultPattern()
	two[time.Friday] = DayRest
	if got := two.ForLevel(LevelBeginner); got.dayOf(time.Sunday) != DayEasy {
		t.Errorf("a week with two rest days got a third: %s", got)
	}
}

func TestPatternWarnings(t *testing.T) {
	if w := DefaultPattern().Warnings(); len(w) != 0 {
		t.Errorf("the default week is sound, got %q", w)
	}
	noRest := DefaultPattern()
	noRest[time.Monday] = DayEasy
	if w := noRest.Warnings(); len(w) != 1 || !strings.Contains(w[0], "no rest day") {
		t.Errorf("no rest day: %q", w)
	}
	// Sat long, Sun hard, Mon hard wraps round the week.
	wrap := DefaultPattern()
	wrap[time.Sunday], wrap[time.Monday] = DayHard, DayHard
	if w := wrap.Warnings(); len(w) == 0 || !strings.Contains(strings.Join(w, " "), "Sat–Mon") {
		t.Errorf("three hard days across the weekend: %q", w)
	}
}

func TestCapsNeverLiftARestDay(t *testing.T) {
	mon := Date{Year: 2026, Month: time.June, Day: 8} // the club's rest day
	inputs := map[string]Input{
		"hard yesterday":  {Today: mon, Sessions: []Session{{Date: mon.AddDays(-1), Kind: KindIntervals, Minutes: 50, RPE: 8}}},
		"long yesterday":  {Today: mon, Sessions: []Session{{Date: mon.AddDays(-1), Kind: KindLong, Minutes: 100}}},
		"race yesterday":  {Today: mon, Sessions: []Session{{Date: mon.AddDays(-1), Kind: KindRace, DistanceKm: 10, Minutes: 45}}},
		"one sign":        {Today: mon, CheckIns: []CheckIn{{Date: mon, Sleep: 2, Soreness: 2, Energy: 4}}},
		"recovery week":   {Today: mon, RecoveryWeek: true},
		"after pain":      {Today: mon, CheckIns: []CheckIn{{Date: mon.AddDays(-2), Flag: FlagPain}, {Date: mon.AddDays(-1), Sleep: 4, Soreness: 2, Energy: 4}}},
		"two hard before": {Today: mon, Sessions: []Session{{Date: mon.AddDays(-2), Kind: KindTempo, Minutes: 40}, {Date: mon.AddDays(-3), Kind: KindHills, Minutes: 40}}},
	}
	for name, in := range inputs {
		if r := Decide(in); r.Verdict != VerdictRest {
			t.Errorf("%s on the club's rest day: %s (%s) %q", name, r.Verdict, r.Rule, r.Reason)
		}
	}
}
