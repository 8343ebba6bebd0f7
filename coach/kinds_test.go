package coach

import (
	"math"
	"testing"
	"time"
)

func TestParseKind(t *testing.T) {
	tests := []struct {
		in   string
		want Kind
		ok   bool
	}{
		{"easy", KindEasy, true},
		{"EASY", KindEasy, true},
		{" Tempo ", KindTempo, true},
		{"interval", KindIntervals, true},
		{"intervals", KindIntervals, true},
		{"xt", KindCross, true},
		{"cross-training", KindCross, true},
		{"long run", KindLong, true},
		{"hill", KindHills, true},
		{"recovery", KindRecovery, true},
		{"race", KindRace, true},
		{"rest", KindRest, true},
		{"off", KindRest, true},
		{"sprint", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseKind(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseKind(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	for _, k := range Kinds() {
		if got, ok := ParseKind(string(k)); !ok || got != k {
			t.Errorf("ParseKind(%q) does not round-trip", k)
		}
	}
}

func TestKindHardAndDefaultRPE(t *testing.T) {
	want := map[Kind]struct {
		hard bool
		rpe  int
	}{
		KindEasy: {false, 3}, KindRecovery: {false, 2}, KindLong: {true, 6}, KindTempo: {true, 7},
		KindIntervals: {true, 8}, KindHills: {true, 8}, KindRace: {true, 9}, KindCross: {false, 3}, KindRest: {false, 0},
	}
	if len(want) != len(Kinds()) {
		t.Fatalf("test covers %d kinds, package has %d", len(want), len(Kinds()))
	}
	for _, k := range Kinds() {
		if k.Hard() != want[k].hard {
			t.Errorf("%s.Hard() = %v", k, k.Hard())
		}
		if k.DefaultRPE() != want[k].rpe {
			t.Errorf("%s.DefaultRPE() = %d, want %d", k, k.DefaultRPE(), want[k].rpe)
		}
	}
}

func TestParseLevelUnitsDayPlanFlag(t *testing.T) {
	if l, ok := ParseLevel("Beginner"); !ok || l != LevelBeginner {
		t.Error("ParseLevel(Beginner)")
	}
	if l, ok := ParseLevel("advanced"); !ok || l != LevelAdvanced {
		t.Error("ParseLevel(advanced)")
	}
	if _, ok := ParseLevel("pro-ish"); ok {
		t.Error("ParseLevel accepted nonsense")
	}
	if Level("").Effective() != LevelIntermediate || LevelBeginner.Effective() != LevelBeginner {
		t.Error("Effective")
	}
	if u, ok := ParseUnits("miles"); !ok || u != UnitsMi {
		t.Error("ParseUnits(miles)")
	}
	if u, ok := ParseUnits("KM"); !ok || u != UnitsKm {
		t.Error("ParseUnits(KM)")
	}
	for in, want := range map[string]DayPlan{"easy": DayEasy, "HARD": DayHard, "long": DayLong, "rest": DayRest, "off": DayRest} {
		if got, ok := ParseDayPlan(in); !ok || got != want {
			t.Errorf("ParseDayPlan(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseDayPlan("maybe"); ok {
		t.Error("ParseDayPlan accepted nonsense")
	}
	for in, want := range map[string]Flag{"none": FlagNone, "pain": FlagPain, "ill": FlagIllness, "chest": FlagChest} {
		if got, ok := ParseFlag(in); !ok || got != want {
			t.Errorf("ParseFlag(%q) = %q, %v", in, got, ok)
		}
	}
}

func TestPattern(t *testing.T) {
	p := DefaultPattern()
	if p[time.Monday] != DayRest || p[time.Saturday] != DayLong || p[time.Tuesday] != DayHard || p[time.Sunday] != DayEasy {
		t.Errorf("DefaultPattern = %v", p)
	}
	if got, want := p.String(), "mon=rest tue=hard wed=easy thu=hard fri=easy sat=long sun=easy"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	var partial WeekPattern
	partial[time.Tuesday] = DayHard
	if partial.On(day(t, "2026-06-10")) != DayEasy || partial.On(day(t, "2026-06-09")) != DayHard {
		t.Error("On: an unset day should be easy")
	}
	if !(WeekPattern{}).IsZero() || p.IsZero() {
		t.Error("IsZero")
	}
	for in, want := range map[string]time.Weekday{"mon": time.Monday, "Tuesday": time.Tuesday, "thur": time.Thursday, "SUN": time.Sunday} {
		if got, ok := ParseWeekday(in); !ok || got != want {
			t.Errorf("ParseWeekday(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := ParseWeekday("mo"); ok {
		t.Error("ParseWeekday accepted a two-letter prefix")
	}
}

func TestSessionLoad(t *testing.T) {
	tests := []struct {
		name string
		s    Session
		want float64
	}{
		{"rpe times minutes", Session{Kind: KindTempo, Minutes: 40, RPE: 7}, 280},
		{"default rpe", Session{Kind: KindIntervals, Minutes: 30}, 240},
		{"distance only", Session{Kind: KindEasy, DistanceKm: 10, RPE: 3}, 3 * 10 * EasyPaceMinPerKm},
		{"rest carries nothing", Session{Kind: KindRest}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Load(); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Load = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUnitsDistance(t *testing.T) {
	if got := UnitsKm.Distance(8); got != "8.0 km" {
		t.Errorf("km: %q", got)
	}
	if got := UnitsMi.Distance(KmMarathon); got != "26.2 mi" {
		t.Errorf("mi: %q", got)
	}
	if got := Units("").Distance(5); got != "5.0 km" {
		t.Errorf("default: %q", got)
	}
}

func TestThresholdsAreSourced(t *testing.T) {
	seen := map[string]bool{}
	for _, th := range Thresholds() {
		if th.Name == "" || th.Source == "" || th.Value <= 0 {
			t.Errorf("threshold %+v lacks a name, source or value", th)
		}
		if seen[th.Name] {
			t.Errorf("threshold %q listed twice", th.Name)
		}
		seen[th.Name] = true
	}
	for lvl, v := range volumes {
		if v.EasyLow <= 0 || v.EasyHigh < v.EasyLow || v.Hard <= 0 || v.Long <= v.EasyHigh {
			t.Errorf("volume for %s is odd: %+v", lvl, v)
		}
	}
}
