package coach

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// Fixed days of one week in June 2026 (default pattern: Mon rest, Tue hard,
// Wed easy, Sat long).
const (
	monday    = "2026-06-08"
	tuesday   = "2026-06-09"
	wednesday = "2026-06-10"
	saturday  = "2026-06-13"
)

// logs builds sessions relative to today: each spec is days-ago, kind,
// minutes and RPE.
type logSpec struct {
	ago int
	k   Kind
	min float64
	rpe int
}

func logs(today Date, specs ...logSpec) []Session {
	out := make([]Session, 0, len(specs))
	for _, s := range specs {
		out = append(out, Session{Date: today.AddDays(-s.ago), Kind: s.k, Minutes: s.min, RPE: s.rpe})
	}
	return out
}

// everyDay logs the same session on each of the days from..to ago.
func everyDay(from, to int, k Kind) []logSpec {
	var out []logSpec
	for ago := from; ago <= to; ago++ {
		out = append(out, logSpec{ago, k, 30, 3})
	}
	return out
}

func TestDecide(t *testing.T) {
	wed, tue, mon, sat := day(t, wednesday), day(t, tuesday), day(t, monday), day(t, saturday)
	plan10K := func(raced Date) *PlanState { return &PlanState{Race: Race10K, RaceDate: raced} }
	hurting := &PlanState{Race: RaceHalf, RaceDate: wed.AddDays(-3), Hurting: true, LastFeedback: wed.AddDays(-1)}
	baseline := []CheckIn{{Date: wed.AddDays(-1), RestingHR: 50}, {Date: wed.AddDays(-2), RestingHR: 51}, {Date: wed.AddDays(-3), RestingHR: 52}}
	withToday := func(earlier []CheckIn, c CheckIn) []CheckIn {
		return append(append([]CheckIn{}, earlier...), c)
	}
	customWedHard := DefaultPattern()
	customWedHard[time.Wednesday] = DayHard

	// Load histories, all easy sessions on alternate days so rules 4–6 stay quiet.
	wowSpike := []logSpec{{2, KindEasy, 60, 4}, {4, KindEasy, 60, 4}, {6, KindEasy, 60, 4}, {8, KindEasy, 40, 3}, {10, KindEasy, 40, 3}, {12, KindEasy, 40, 3}, {22, KindEasy, 20, 3}}
	wow25 := []logSpec{{2, KindEasy, 50, 3}, {4, KindEasy, 50, 3}, {6, KindEasy, 50, 3}, {8, KindEasy, 40, 3}, {10, KindEasy, 40, 3}, {12, KindEasy, 40, 3}}
	shortHistory := []logSpec{{2, KindEasy, 50, 4}, {4, KindEasy, 50, 4}, {6, KindEasy, 50, 4}, {8, KindEasy, 40, 4}, {10, KindEasy, 40, 4}, {12, KindEasy, 40, 4}}
	acwrSpike := append(append([]logSpec{}, shortHistory...), logSpec{15, KindEasy, 40, 3}, logSpec{18, KindEasy, 40, 3}, logSpec{22, KindEasy, 40, 3}, logSpec{25, KindEasy, 40, 3})
	underFloor := []logSpec{{3, KindEasy, 40, 5}, {9, KindEasy, 20, 3}}

	tests := []struct {
		name    string
		in      Input
		verdict Verdict
		rule    RuleID
		check   func(t *testing.T, r Result)
	}{
		// 1. Red flag.
		{name: "red flag: pain today rests and sends to a professional",
			in:      Input{Today: wed, CheckIns: []CheckIn{{Date: wed, Flag: FlagPain}}},
			verdict: VerdictRest, rule: RuleRedFlag,
			check: func(t *testing.T, r Result) {
				if !r.SeeProfessional || !strings.Contains(r.Session.Text, "physiotherapist") {
					t.Errorf("no professional advice: %+v", r)
				}
			}},
		{name: "red flag: chest symptoms beat an active plan",
			in:      Input{Today: wed, Plan: plan10K(wed.AddDays(-1)), CheckIns: []CheckIn{{Date: wed, Sleep: 4, Flag: FlagChest}}},
			verdict: VerdictRest, rule: RuleRedFlag},
		{name: "red flag: a flag raised earlier today stays raised",
			in:      Input{Today: wed, CheckIns: []CheckIn{{Date: wed, Flag: FlagIllness}, {Date: wed, Sleep: 5}}},
			verdict: VerdictRest, rule: RuleRedFlag},
		{name: "red flag: yesterday's flag with no check-in since still rests, plan or not",
			in:      Input{Today: wed, Plan: plan10K(wed.AddDays(-1)), CheckIns: []CheckIn{{Date: wed.AddDays(-1), Flag: FlagPain}}},
			verdict: VerdictRest, rule: RuleRedFlag},
		{name: "red flag: yesterday's flag, better today, so the plan decides",
			in: Input{Today: wed, Plan: plan10K(wed.AddDays(-1)), CheckIns: []CheckIn{{Date: wed.AddDays(-1), Flag: FlagPain},
				{Date: wed, Sleep: 4, Soreness: 2, Energy: 4}}},
			verdict: VerdictEasy, rule: RuleRacePlan},

		// 2. Post-race plan.
		{name: "race plan: the day after a 10K",
			in:      Input{Today: wed, Plan: plan10K(wed.AddDays(-1)), Pattern: customWedHard},
			verdict: VerdictEasy, rule: RuleRacePlan,
			check: func(t *testing.T, r Result) {
				if r.Step == nil || r.Step.Day != 1 || !strings.Contains(r.Reason, "10K") {
					t.Errorf("step %+v, reason %q", r.Step, r.Reason)
				}
			}},
		{name: "race plan: a hurting plan rests with professional advice",
			in:      Input{Today: wed, Plan: hurting},
			verdict: VerdictRest, rule: RuleRacePlan,
			check: func(t *testing.T, r Result) {
				if !r.SeeProfessional || r.Step == nil || !r.Step.SeeProfessional {
					t.Errorf("hurting plan without professional advice: %+v", r)
				}
			}},
		{name: "race plan: over, so readiness decides",
			in:      Input{Today: wed, Plan: plan10K(wed.AddDays(-5)), CheckIns: []CheckIn{{Date: wed, Sleep: 2, Energy: 2}}},
			verdict: VerdictRest, rule: RuleReadiness},
		{name: "race plan: not started yet, so the club's day decides",
			in:      Input{Today: tue, Plan: plan10K(tue.AddDays(3))},
			verdict: VerdictHard, rule: RuleClubPattern},

		// 3. Readiness.
		{name: "readiness: two signs rest",
			in:      Input{Today: wed, CheckIns: []CheckIn{{Date: wed, Sleep: 2, Soreness: 4, Energy: 4}}},
			verdict: VerdictRest, rule: RuleReadiness,
			check: func(t *testing.T, r Result) {
				if len(r.Signs) != 2 || !strings.Contains(r.Reason, "poor sleep") || !strings.Contains(r.Reason, "high soreness") {
					t.Errorf("signs %v, reason %q", r.Signs, r.Reason)
				}
			}},
		{name: "readiness: one sign is easy",
			in:      Input{Today: tue, CheckIns: []CheckIn{{Date: tue, Sleep: 4, Soreness: 4, Energy: 3}}},
			verdict: VerdictEasy, rule: RuleReadiness},
		{name: "readiness: resting HR 5 over the baseline is a sign",
			in:      Input{Today: wed, CheckIns: withToday(baseline, CheckIn{Date: wed, RestingHR: 56, Energy: 2})},
			verdict: VerdictRest, rule: RuleReadiness,
			check: func(t *testing.T, r Result) {
				if !strings.Contains(r.Reason, "5 bpm above your usual 51") {
					t.Errorf("reason %q", r.Reason)
				}
			}},
		{name: "readiness: resting HR 4 over is no sign, so no-rest decides",
			in:      Input{Today: wed, CheckIns: withToday(baseline, CheckIn{Date: wed, RestingHR: 55}), Sessions: logs(wed, everyDay(1, 6, KindEasy)...)},
			verdict: VerdictRest, rule: RuleNoRest},
		{name: "readiness: a high resting HR without a baseline is no sign",
			in:      Input{Today: wed, CheckIns: []CheckIn{{Date: wed.AddDays(-1), RestingHR: 50}, {Date: wed.AddDays(-2), RestingHR: 50}, {Date: wed, RestingHR: 70}}},
			verdict: VerdictEasy, rule: RuleDefault},
		{name: "readiness: yesterday's poor check-in does not count today",
			in:      Input{Today: tue, CheckIns: []CheckIn{{Date: tue.AddDays(-1), Sleep: 1, Energy: 1, Soreness: 5}}},
			verdict: VerdictHard, rule: RuleClubPattern},
		{name: "readiness: scores of 3 are no signs",
			in:      Input{Today: tue, CheckIns: []CheckIn{{Date: tue, Sleep: 3, Soreness: 3, Energy: 3}}},
			verdict: VerdictHard, rule: RuleClubPattern},

		// 4. No rest for too long.
		{name: "no rest: intermediate after 6 training days",
			in:      Input{Today: wed, Sessions: logs(wed, everyDay(1, 6, KindEasy)...)},
			verdict: VerdictRest, rule: RuleNoRest},
		{name: "no rest: beginner after 3 training days",
			in:      Input{Today: tue, Profile: Profile{Level: LevelBeginner}, Sessions: logs(tue, everyDay(1, 3, KindCross)...)},
			verdict: VerdictRest, rule: RuleNoRest},
		{name: "no rest: advanced after 9 training days",
			in:      Input{Today: tue, Profile: Profile{Level: LevelAdvanced}, Sessions: logs(tue, everyDay(1, 9, KindRecovery)...)},
			verdict: VerdictRest, rule: RuleNoRest},
		{name: "no rest: advanced after 8 is fine, and a short history is no load spike",
			in:      Input{Today: tue, Profile: Profile{Level: LevelAdvanced}, Sessions: logs(tue, everyDay(1, 8, KindEasy)...)},
			verdict: VerdictHard, rule: RuleClubPattern},
		{name: "no rest: an unlogged day counts as rest, so after-hard decides",
			in:      Input{Today: wed, Sessions: logs(wed, append(everyDay(2, 5, KindEasy), logSpec{1, KindTempo, 40, 7})...)},
			verdict: VerdictEasy, rule: RuleAfterHard},
		{name: "no rest: a logged rest day breaks the run",
			in:      Input{Today: wed, Sessions: logs(wed, append(everyDay(1, 6, KindEasy), logSpec{4, KindRest, 0, 0})...)},
			verdict: VerdictEasy, rule: RuleDefault},
		{name: "no rest: today's session does not count",
			in:      Input{Today: wed, Sessions: logs(wed, everyDay(0, 5, KindEasy)...)},
			verdict: VerdictEasy, rule: RuleDefault},

		// 5. Hard or long yesterday, race in the last two days.
		{name: "after hard: tempo yesterday",
			in:      Input{Today: tue, Sessions: logs(tue, logSpec{1, KindTempo, 40, 7})},
			verdict: VerdictEasy, rule: RuleAfterHard,
			check: func(t *testing.T, r Result) {
				if r.Session.Effort != "very easy" || !strings.Contains(r.Reason, "tempo") {
					t.Errorf("session %+v, reason %q", r.Session, r.Reason)
				}
			}},
		{name: "after hard: long run yesterday offers rest or cross-training",
			in:      Input{Today: tue, Sessions: logs(tue, logSpec{1, KindLong, 100, 6})},
			verdict: VerdictEasy, rule: RuleAfterHard,
			check: func(t *testing.T, r Result) {
				if r.Session.Effort != "rest or cross-train" || !strings.Contains(r.Session.Text, "cross-training") {
					t.Errorf("session %+v", r.Session)
				}
			}},
		{name: "race logged: a race of unknown distance two days ago",
			in:      Input{Today: tue, Sessions: logs(tue, logSpec{2, KindRace, 25, 9})},
			verdict: VerdictEasy, rule: RuleRaceLogged,
			check: func(t *testing.T, r Result) {
				if !strings.Contains(r.Reason, "2 days ago") {
					t.Errorf("reason %q", r.Reason)
				}
			}},
		{name: "after hard: an easy day yesterday and a race 3 days ago, so two-hard decides",
			in:      Input{Today: tue, Sessions: logs(tue, logSpec{3, KindRace, 25, 9}, logSpec{2, KindHills, 40, 8}, logSpec{1, KindEasy, 30, 3})},
			verdict: VerdictEasy, rule: RuleTwoHard},

		// 6. Two hard sessions in the last three days.
		{name: "two hard: hills and intervals before an easy yesterday",
			in:      Input{Today: tue, Sessions: logs(tue, logSpec{3, KindHills, 40, 8}, logSpec{2, KindIntervals, 45, 8})},
			verdict: VerdictEasy, rule: RuleTwoHard},
		{name: "two hard: one in the window is not two, so the recovery week decides",
			in:      Input{Today: tue, RecoveryWeek: true, Sessions: logs(tue, logSpec{4, KindHills, 40, 8}, logSpec{2, KindIntervals, 45, 8})},
			verdict: VerdictEasy, rule: RuleRecoveryWeek},

		// 7. Club recovery week.
		{name: "recovery week: the club's hard day is easy and shorter",
			in:      Input{Today: tue, RecoveryWeek: true},
			verdict: VerdictEasy, rule: RuleRecoveryWeek,
			check: func(t *testing.T, r Result) {
				if r.Session.Minutes >= volumes[LevelIntermediate].EasyLow {
					t.Errorf("recovery-week session not shorter: %+v", r.Session)
				}
			}},
		{name: "recovery week: the club's rest day stays rest",
			in:      Input{Today: mon, RecoveryWeek: true},
			verdict: VerdictRest, rule: RuleClubPattern},
		{name: "recovery week: not one, so the load spike decides",
			in:      Input{Today: tue, Sessions: logs(tue, wowSpike...)},
			verdict: VerdictEasy, rule: RuleLoadSpike},

		// 8. Load spike.
		{name: "load spike: 100% over the previous week",
			in:      Input{Today: tue, Sessions: logs(tue, wowSpike...)},
			verdict: VerdictEasy, rule: RuleLoadSpike,
			check: func(t *testing.T, r Result) {
				if !strings.Contains(r.Reason, "100%") {
					t.Errorf("reason %q", r.Reason)
				}
			}},
		{name: "load spike: acute:chronic over 1.3",
			in:      Input{Today: tue, Sessions: logs(tue, acwrSpike...)},
			verdict: VerdictEasy, rule: RuleLoadSpike,
			check: func(t *testing.T, r Result) {
				if !strings.Contains(r.Reason, "1.5 times") {
					t.Errorf("reason %q", r.Reason)
				}
			}},
		{name: "load spike: 25% up is no spike, so the club's hard day decides",
			in:      Input{Today: tue, Sessions: logs(tue, wow25...)},
			verdict: VerdictHard, rule: RuleClubPattern},
		{name: "load spike: a short history is not judged against 4 weeks",
			in:      Input{Today: tue, Sessions: logs(tue, shortHistory...)},
			verdict: VerdictHard, rule: RuleClubPattern},
		{name: "load spike: a small load never spikes",
			in:      Input{Today: tue, Sessions: logs(tue, underFloor...)},
			verdict: VerdictHard, rule: RuleClubPattern},

		// 9. Club pattern.
		{name: "club pattern: hard day",
			in:      Input{Today: tue},
			verdict: VerdictHard, rule: RuleClubPattern,
			check: func(t *testing.T, r Result) {
				if r.Session.Effort != "hard" {
					t.Errorf("session %+v", r.Session)
				}
			}},
		{name: "club pattern: long day is HARD with the long run",
			in:      Input{Today: sat},
			verdict: VerdictHard, rule: RuleClubPattern,
			check: func(t *testing.T, r Result) {
				if r.Session.Effort != "long" || !strings.Contains(r.Session.Text, "long run") || r.Session.Minutes != volumes[LevelIntermediate].Long {
					t.Errorf("session %+v", r.Session)
				}
			}},
		{name: "club pattern: rest day",
			in:      Input{Today: mon},
			verdict: VerdictRest, rule: RuleClubPattern},
		{name: "club pattern: a club's own hard Wednesday",
			in:      Input{Today: wed, Pattern: customWedHard},
			verdict: VerdictHard, rule: RuleClubPattern},
		{name: "club pattern: an easy day, so the default decides",
			in:      Input{Today: wed},
			verdict: VerdictEasy, rule: RuleDefault},

		// 10. Default.
		{name: "default: an easy day after an easy day",
			in:      Input{Today: wed, Sessions: logs(wed, logSpec{1, KindEasy, 30, 3})},
			verdict: VerdictEasy, rule: RuleDefault,
			check: func(t *testing.T, r Result) {
				if r.Session.Effort != "easy" || r.Session.Minutes == 0 {
					t.Errorf("session %+v", r.Session)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Decide(tt.in)
			if r.Verdict != tt.verdict || r.Rule != tt.rule {
				t.Fatalf("Decide = %s (%s): %q; want %s (%s)", r.Verdict, r.Rule, r.Reason, tt.verdict, tt.rule)
			}
			if r.Reason == "" || strings.Contains(r.Reason, "\n") {
				t.Errorf("reason must be one line: %q", r.Reason)
			}
			if r.Session.Text == "" || r.Session.Effort == "" {
				t.Errorf("no suggested session: %+v", r.Session)
			}
			if (r.Verdict == VerdictRest) != (r.Session.Minutes == 0) && r.Rule != RuleRacePlan {
				t.Errorf("%s with %d minutes", r.Verdict, r.Session.Minutes)
			}
			if r.Rule != RuleRacePlan && r.Step != nil {
				t.Error("a step without the plan deciding")
			}
			if tt.check != nil {
				tt.check(t, r)
			}
			if again := Decide(tt.in); !reflect.DeepEqual(again, r) {
				t.Error("Decide is not repeatable")
			}
		})
	}
}

func TestDecideWithNoDataFollowsTheClub(t *testing.T) {
	var p WeekPattern
	p[time.Sunday], p[time.Monday], p[time.Tuesday] = DayLong, DayHard, DayRest
	p[time.Wednesday], p[time.Thursday], p[time.Friday], p[time.Saturday] = DayEasy, DayRest, DayHard, DayEasy
	want := map[DayPlan]Verdict{DayEasy: VerdictEasy, DayHard: VerdictHard, DayLong: VerdictHard, DayRest: VerdictRest}
	start := day(t, monday)
	for i := range 7 {
		d := start.AddDays(i)
		r := Decide(Input{Today: d, Pattern: p})
		if r.Verdict != want[p.On(d)] {
			t.Errorf("%s (%s): %s by %s", d, p.On(d), r.Verdict, r.Rule)
		}
		if r.Rule != RuleClubPattern && r.Rule != RuleDefault {
			t.Errorf("%s: rule %s fired with no data", d, r.Rule)
		}
	}
	// A zero pattern means the default week.
	if r := Decide(Input{Today: day(t, tuesday)}); r.Verdict != VerdictHard {
		t.Errorf("zero pattern on a Tuesday: %s", r.Verdict)
	}
}

func TestDecideRecoveryWeekCapsAtEasy(t *testing.T) {
	allHard := WeekPattern{DayHard, DayLong, DayHard, DayLong, DayHard, DayLong, DayHard}
	start := day(t, monday)
	for i := range 7 {
		d := start.AddDays(i)
		inputs := map[string]Input{
			"no data":    {Today: d, Pattern: allHard, RecoveryWeek: true},
			"fresh logs": {Today: d, Pattern: allHard, RecoveryWeek: true, Sessions: logs(d, logSpec{2, KindEasy, 30, 3})},
			"a plan":     {Today: d, Pattern: allHard, RecoveryWeek: true, Plan: &PlanState{Race: RaceMarathon, RaceDate: d.AddDays(-20)}},
		}
		for name, in := range inputs {
			if r := Decide(in); r.Verdict == VerdictHard {
				t.Errorf("%s, %s: HARD in a recovery week (%s)", d, name, r.Rule)
			}
		}
	}
	// Easy sessions from other rules are shorter in a recovery week too.
	tue := day(t, tuesday)
	in := Input{Today: tue, Sessions: logs(tue, logSpec{1, KindTempo, 40, 7})}
	normal := Decide(in)
	in.RecoveryWeek = true
	light := Decide(in)
	if light.Rule != RuleRecoveryWeek || light.Session.Minutes >= normal.Session.Minutes || light.Session.Effort != "very easy" {
		t.Errorf("recovery week: %+v vs %+v", light.Session, normal.Session)
	}
}

func TestDecideHRCeiling(t *testing.T) {
	wed := day(t, wednesday)
	base := []CheckIn{{Date: wed.AddDays(-1), RestingHR: 50}, {Date: wed.AddDays(-2), RestingHR: 50}, {Date: wed.AddDays(-3), RestingHR: 50}}
	tests := []struct {
		name    string
		profile Profile
		checks  []CheckIn
		want    int
	}{
		{"age and baseline", Profile{Age: 30}, base, 141},
		{"the baseline wins over a raised reading today", Profile{Age: 30}, append(append([]CheckIn{}, base...), CheckIn{Date: wed, RestingHR: 60}), 141},
		{"today's reading without a baseline", Profile{Age: 23}, []CheckIn{{Date: wed, RestingHR: 50}}, 146},
		{"a measured maximum", Profile{Age: 30, MaxHR: 200}, base, 148},
		{"no age", Profile{}, base, 0},
		{"no resting HR", Profile{Age: 30}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decide(Input{Today: wed, Profile: tt.profile, CheckIns: tt.checks}).HRCeiling; got != tt.want {
				t.Errorf("HRCeiling = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestDecideSuggestionUnits(t *testing.T) {
	tue := day(t, tuesday)
	in := Input{Today: tue, Sessions: logs(tue, logSpec{1, KindTempo, 40, 7})}
	km := Decide(in).Session.Text
	in.Profile.Units = UnitsMi
	mi := Decide(in).Session.Text
	if !strings.Contains(km, " km") || !strings.Contains(km, "s/km") {
		t.Errorf("km text: %q", km)
	}
	if !strings.Contains(mi, " mi") || !strings.Contains(mi, "mile") || strings.Contains(mi, "km") {
		t.Errorf("mi text: %q", mi)
	}
	for lvl, v := range volumes {
		r := Decide(Input{Today: day(t, wednesday), Profile: Profile{Level: lvl}})
		if r.Session.Minutes < v.EasyLow || r.Session.Minutes > v.EasyHigh {
			t.Errorf("%s: easy day of %d min, want %d–%d", lvl, r.Session.Minutes, v.EasyLow, v.EasyHigh)
		}
	}
}

func TestDecideDoesNotTouchItsInput(t *testing.T) {
	wed := day(t, wednesday)
	checks := []CheckIn{{Date: wed, RestingHR: 60}, {Date: wed.AddDays(-3), RestingHR: 50}, {Date: wed.AddDays(-1), RestingHR: 52}, {Date: wed.AddDays(-2), RestingHR: 51}}
	sessions := logs(wed, logSpec{3, KindEasy, 30, 3}, logSpec{1, KindTempo, 40, 7})
	c0 := append([]CheckIn{}, checks...)
	s0 := append([]Session{}, sessions...)
	Decide(Input{Today: wed, CheckIns: checks, Sessions: sessions})
	if !reflect.DeepEqual(c0, checks) || !reflect.DeepEqual(s0, sessions) {
		t.Error("Decide reordered or changed its input")
	}
}

// BenchmarkDecide runs the verdict on a busy member's 35 days of logs and
// two weeks of check-ins, the most the bot passes.
func BenchmarkDecide(b *testing.B) {
	today := day(b, wednesday)
	var specs []logSpec
	for ago := range 35 {
		specs = append(specs, logSpec{ago, Kinds()[ago%len(Kinds())], 45, 5})
	}
	var checks []CheckIn
	for ago := range 15 {
		checks = append(checks, CheckIn{Date: today.AddDays(-ago), Sleep: 3, Soreness: 2, Energy: 4, RestingHR: 50 + ago%3})
	}
	in := Input{Today: today, Profile: Profile{Age: 35}, Sessions: logs(today, specs...), CheckIns: checks}
	for b.Loop() {
		Decide(in)
	}
}
