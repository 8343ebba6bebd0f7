package coach

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestParseRace(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{"5k", 5, false},
		{"5K", 5, false},
		{"10k", 10, false},
		{"half", KmHalf, false},
		{"half-marathon", KmHalf, false},
		{"Half Marathon", KmHalf, false},
		{"marathon", KmMarathon, false},
		{"26.2mi", 26.2 * KmPerMile, false},
		{"42.2km", 42.2, false},
		{"50k", 50, false},
		{"13.1 mi", 13.1 * KmPerMile, false},
		{"100 miles", 100 * KmPerMile, false},
		{"21,1km", 21.1, false},
		{"ultra", KmUltra, false},
		{"10", 0, true},
		{"10m", 0, true},
		{"10 furlongs", 0, true},
		{"fast", 0, true},
		{"", 0, true},
		{"0km", 0, true},
		{"500km", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRace(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseRace(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if !near(got, tt.want) {
				t.Errorf("ParseRace(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "strconv") {
				t.Errorf("error is not plain words: %v", err)
			}
		})
	}
}

func TestRaceFor(t *testing.T) {
	tests := []struct {
		km    float64
		race  Race
		extra int
	}{
		{3, Race5K, 0},
		{5, Race5K, 0},
		{8, Race10K, 0},
		{10, Race10K, 0},
		{15, RaceHalf, 0},
		{KmHalf, RaceHalf, 0},
		{30, RaceMarathon, 0},
		{KmMarathon, RaceMarathon, 0},
		{45, RaceMarathon, 0},
		{50, RaceMarathon, 7},
		{80, RaceMarathon, 7},
		{100, RaceMarathon, 14},
		{100 * KmPerMile, RaceMarathon, 14},
		{400, RaceMarathon, 7 * UltraExtraWeeksCap},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.km), func(t *testing.T) {
			r, extra := RaceFor(tt.km)
			if r != tt.race || extra != tt.extra {
				t.Errorf("RaceFor(%v) = %s +%d, want %s +%d", tt.km, r, extra, tt.race, tt.extra)
			}
		})
	}
}

func TestPlanLengths(t *testing.T) {
	raced := day(t, "2026-06-06")
	tests := []struct {
		race   Race
		extra  int
		length int
	}{
		{Race5K, 0, 3}, {Race10K, 0, 3}, {RaceHalf, 0, 15}, {RaceMarathon, 0, 22}, {RaceMarathon, 7, 29}, {RaceMarathon, 14, 36},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s+%d", tt.race, tt.extra), func(t *testing.T) {
			p := PlanState{Race: tt.race, ExtraDays: tt.extra, RaceDate: raced}
			if p.Length() != tt.length {
				t.Fatalf("Length = %d, want %d", p.Length(), tt.length)
			}
			if _, ok := p.StepOn(raced.AddDays(-1)); ok {
				t.Error("a step before race day")
			}
			if _, ok := p.StepOn(raced.AddDays(tt.length)); ok {
				t.Error("a step after the last day")
			}
			steps := p.Steps()
			seen := map[string]bool{}
			for i, s := range steps {
				if s.Day != i || s.Total != tt.length-1 || s.Last != (i == tt.length-1) {
					t.Errorf("step %d: day %d total %d last %v", i, s.Day, s.Total, s.Last)
				}
				// HARD only for the one light workout (003: half at a week,
				// marathon at three weeks), always on a whole week.
				if s.Verdict == VerdictHard && (!strings.Contains(s.Title, "workout") || i%7 != 0) {
					t.Errorf("day %d: verdict %s for %q; a plan's only HARD day is its light workout, on a whole week", i, s.Verdict, s.Title)
				}
				if s.Title == "" || s.Text == "" || s.Phase == "" {
					t.Errorf("day %d is missing words: %+v", i, s)
				}
				if (s.Verdict == VerdictRest) != (s.Minutes == 0) {
					t.Errorf("day %d: %s with %d minutes", i, s.Verdict, s.Minutes)
				}
				seen[s.Title+s.Text] = true
			}
			if tt.extra == 0 && len(seen) != len(steps) {
				t.Errorf("%d steps but only %d distinct ones: each day should be its own step", len(steps), len(seen))
			}
		})
	}
}

func TestPlanMilestones(t *testing.T) {
	raced := day(t, "2026-06-06")
	text := func(r Race, d int) string {
		s, ok := PlanState{Race: r, RaceDate: raced}.StepOn(raced.AddDays(d))
		if !ok {
			t.Fatalf("%s day %d: no step", r, d)
		}
		return strings.ToLower(s.Title + " " + s.Text)
	}
	tests := []struct {
		race Race
		day  int
		want []string
	}{
		{Race5K, 0, []string{"recovery drink", "10–20 minutes"}},
		{Race10K, 1, []string{"30 minutes", "foam roll", "stretch"}},
		{Race10K, 2, []string{"30–40 minutes", "usual training"}},
		{RaceHalf, 0, []string{"first hour", "10 minutes"}},
		{RaceHalf, 1, []string{"cross-train", "20–30 minutes"}},
		{RaceHalf, 2, []string{"base run", "strides"}},
		{RaceHalf, 7, []string{"workout"}},
		{RaceHalf, 14, []string{"normal"}},
		{RaceMarathon, 0, []string{"3 to 1", "electrolyte"}},
		{RaceMarathon, 1, []string{"no running", "yoga", "foam roll"}},
		{RaceMarathon, 2, []string{"cross-training", "compression"}},
		{RaceMarathon, 3, []string{"massage"}},
		{RaceMarathon, 7, []string{"20–30 minutes", "jog"}},
		{RaceMarathon, 14, []string{"base run", "strides"}},
		{RaceMarathon, 21, []string{"light workout", "blood test", "iron"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s day %d", tt.race, tt.day), func(t *testing.T) {
			got := text(tt.race, tt.day)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("step lacks %q: %s", w, got)
				}
			}
		})
	}
	// Before the marathon's first jog there is no running at all.
	for d := 1; d < marathonFirstRun; d++ {
		if got := text(RaceMarathon, d); strings.Contains(got, "jog") {
			t.Errorf("marathon day %d mentions running: %s", d, got)
		}
	}
}

// TestPlanGolden renders each plan day by day into testdata/; run with
// -update after a deliberate change to the wording.
func TestPlanGolden(t *testing.T) {
	raced := day(t, "2026-06-06")
	tests := []struct {
		file string
		plan PlanState
	}{
		{"plan_5k.golden", PlanState{Race: Race5K, RaceDate: raced}},
		{"plan_10k.golden", PlanState{Race: Race10K, RaceDate: raced}},
		{"plan_half.golden", PlanState{Race: RaceHalf, RaceDate: raced}},
		{"plan_marathon.golden", PlanState{Race: RaceMarathon, RaceDate: raced}},
		{"plan_100k.golden", NewPlan(100, raced)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b strings.Builder
			fmt.Fprintf(&b, "%s recovery plan, %d days (race day %s)\n\n", tt.plan.Name(), tt.plan.Length(), tt.plan.RaceDate)
			for _, s := range tt.plan.Steps() {
				b.WriteString(s.String())
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "Summary: %s\n", tt.plan.Summary())
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./coach/ -run TestPlanGolden -update)", err)
			}
			if b.String() != string(want) {
				t.Errorf("%s differs from the rendering; run with -update if the change is meant\n--- got ---\n%s", path, b.String())
			}
		})
	}
}

func TestPlanFeedback(t *testing.T) {
	raced := day(t, "2026-06-06")
	on := func(n int) Date { return raced.AddDays(n) }
	half := PlanState{Race: RaceHalf, RaceDate: raced}
	stepTitle := func(p PlanState, d Date) string {
		s, ok := p.StepOn(d)
		if !ok {
			t.Fatalf("no step on %s", d)
		}
		return s.Title
	}
	base := half.Steps()

	t.Run("fresh confirms and never skips", func(t *testing.T) {
		p, reply := half.Apply(FeedbackFresh, on(1))
		if p.Delay != 0 || p.Hurting || p.Length() != half.Length() || reply == "" {
			t.Errorf("after Fresh: %+v %q", p, reply)
		}
		if stepTitle(p, on(2)) != base[2].Title {
			t.Error("Fresh moved the plan")
		}
	})
	t.Run("sore holds tomorrow at an easy level and lengthens the plan", func(t *testing.T) {
		// Day 2 is the first base run with strides, day 3 a rest day.
		p, reply := half.Apply(FeedbackSore, on(2))
		if len(p.Holds) != 1 || p.Length() != half.Length()+1 || p.LastFeedback != on(2) {
			t.Fatalf("after Sore: %+v", p)
		}
		if stepTitle(p, on(2)) != base[2].Title {
			t.Error("Sore changed today's step")
		}
		hold, _ := p.StepOn(on(3))
		if !hold.Hold || hold.Verdict != VerdictRest || !strings.Contains(reply, "REST") {
			t.Errorf("the day after Sore, before a rest day, should be a rest hold: %+v %q", hold, reply)
		}
		if stepTitle(p, on(4)) != base[3].Title || stepTitle(p, on(5)) != base[4].Title {
			t.Error("after the hold the plan should carry on where it was")
		}
		last, ok := p.StepOn(on(15))
		if !ok || !last.Last || last.Title != base[14].Title || last.Total != 15 {
			t.Errorf("the plan's last day moved wrongly: %+v %v", last, ok)
		}
	})
	t.Run("sore never makes a day harder", func(t *testing.T) {
		for _, race := range []Race{Race5K, RaceHalf, RaceMarathon} {
			plan := PlanState{Race: race, RaceDate: raced}
			orig := plan.Steps()
			for d := 0; d < len(orig)-1; d++ {
				p, _ := plan.Apply(FeedbackSore, on(d))
				s, ok := p.StepOn(on(d + 1))
				if !ok || !s.Hold {
					t.Fatalf("%s day %d: no hold after Sore: %+v", race, d+1, s)
				}
				was := orig[d+1]
				harder := s.Verdict == VerdictHard || (was.Verdict == VerdictRest && s.Verdict != VerdictRest) || s.Minutes > max(orig[d].Minutes, was.Minutes)
				low := strings.ToLower(s.Title + " " + s.Text)
				if harder || strings.Contains(low, "race day") || strings.Contains(low, "workout") || strings.Contains(low, "no strides") != (s.Verdict == VerdictEasy && !strings.Contains(low, "no running")) {
					t.Errorf("%s Sore on day %d made day %d %s %q (%d min), was %s %q: %q", race, d, d+1, s.Verdict, s.Title, s.Minutes, was.Verdict, was.Title, s.Text)
				}
				if race == RaceMarathon && d+1 < marathonFirstRun && !strings.Contains(low, "no running") && s.Verdict != VerdictRest {
					t.Errorf("marathon day %d hold allows running: %q", d+1, s.Text)
				}
			}
		}
	})
	t.Run("sore counts once a day", func(t *testing.T) {
		p, _ := half.Apply(FeedbackSore, on(3))
		p2, reply := p.Apply(FeedbackSore, on(3))
		if !p2.Equal(p) || !strings.Contains(reply, "already") {
			t.Errorf("a second Sore the same day changed the plan: %+v %q", p2, reply)
		}
		p3, _ := p.Apply(FeedbackFresh, on(3))
		if !p3.Equal(p) {
			t.Errorf("Fresh after Sore the same day changed the plan: %+v", p3)
		}
		p4, _ := p.Apply(FeedbackSore, on(4))
		if len(p4.Holds) != 2 {
			t.Errorf("Sore on the next day: %d holds, want 2", len(p4.Holds))
		}
	})
	t.Run("sore on race day does not repeat race day", func(t *testing.T) {
		p, _ := half.Apply(FeedbackSore, on(0))
		s, _ := p.StepOn(on(1))
		if s.Title == base[0].Title || !s.Hold || s.Verdict != VerdictEasy || stepTitle(p, on(2)) != base[1].Title {
			t.Errorf("day 1 after Sore on race day: %+v", s)
		}
	})
	t.Run("sore has a ceiling", func(t *testing.T) {
		p := half
		for i := range MaxSoreDelay + 3 {
			p, _ = p.Apply(FeedbackSore, on(i))
		}
		if len(p.Holds) != MaxSoreDelay {
			t.Errorf("%d holds, want the cap %d", len(p.Holds), MaxSoreDelay)
		}
		_, reply := p.Apply(FeedbackSore, on(MaxSoreDelay+3))
		if !strings.Contains(reply, "physio") {
			t.Errorf("reply at the cap should point to a professional: %q", reply)
		}
	})
	t.Run("hurting holds with rest and professional advice", func(t *testing.T) {
		// Day 4 is a recovery run; the plan would carry on with strides,
		// a rest day and then the workout.
		p, reply := half.Apply(FeedbackHurting, on(4))
		if !p.Hurting || p.LastFeedback != on(4) || !strings.Contains(reply, "physiotherapist") {
			t.Fatalf("after Hurting: %+v %q", p, reply)
		}
		for d := 4; d <= 8; d++ {
			s, ok := p.StepOn(on(d))
			if !ok || s.Verdict != VerdictRest || !s.SeeProfessional {
				t.Errorf("day %d while hurting: %+v %v", d, s, ok)
			}
		}
		again, _ := p.Apply(FeedbackHurting, on(6))
		if !again.Equal(p) {
			t.Errorf("Hurting again restarted the hold: %+v", again)
		}
		// Fresh three days later: an easy restart, then the step where it stopped.
		back, reply := p.Apply(FeedbackFresh, on(7))
		first, _ := back.StepOn(on(7))
		if back.Hurting || back.Delay != 3 || !first.Hold || first.Verdict != VerdictEasy || !strings.Contains(reply, "easy") {
			t.Errorf("after Fresh: %+v %+v %q", back, first, reply)
		}
		if stepTitle(back, on(8)) != base[4].Title || back.Length() != half.Length()+4 {
			t.Errorf("resumed at %q, length %d", stepTitle(back, on(8)), back.Length())
		}
		// Hurting before the workout: the restart is easy, not the workout.
		w, _ := half.Apply(FeedbackHurting, on(7))
		w, _ = w.Apply(FeedbackSore, on(9))
		if s, _ := w.StepOn(on(9)); s.Verdict != VerdictEasy || strings.Contains(strings.ToLower(s.Text), "workout") {
			t.Errorf("restart before the workout: %+v", s)
		}
	})
	t.Run("a hurting hold ends", func(t *testing.T) {
		p, _ := half.Apply(FeedbackHurting, on(2))
		if _, ok := p.StepOn(on(2 + HurtingHoldDays)); !ok {
			t.Error("the hold ended early")
		}
		if _, ok := p.StepOn(on(3 + HurtingHoldDays)); ok {
			t.Error("the hold never ends")
		}
		if s := p.Summary(); !strings.Contains(s, "physiotherapist") {
			t.Errorf("summary of a hurting plan: %q", s)
		}
	})
	t.Run("no feedback outside the plan", func(t *testing.T) {
		for _, d := range []Date{on(-1), on(15)} {
			p, reply := half.Apply(FeedbackSore, d)
			if !p.Equal(half) || reply == "" {
				t.Errorf("Apply on %s changed the plan: %+v", d, p)
			}
		}
	})
	t.Run("summary", func(t *testing.T) {
		p, _ := half.Apply(FeedbackSore, on(3))
		if s := p.Summary(); !strings.Contains(s, "half marathon") || !strings.Contains(s, "1 day") {
			t.Errorf("Summary = %q", s)
		}
		m := PlanState{Race: RaceMarathon, RaceDate: raced}
		if s := m.Summary(); !strings.Contains(s, "iron") {
			t.Errorf("marathon summary = %q", s)
		}
	})
}

func TestParseFeedback(t *testing.T) {
	for in, want := range map[string]Feedback{"fresh": FeedbackFresh, "Sore": FeedbackSore, "HURTING": FeedbackHurting} {
		if got, ok := ParseFeedback(in); !ok || got != want {
			t.Errorf("ParseFeedback(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseFeedback("meh"); ok {
		t.Error("ParseFeedback accepted nonsense")
	}
}
