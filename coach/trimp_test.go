package coach

import (
	"math"
	"testing"
	"time"
)

// steady returns one sample a second for d at bpm, starting at from.
func steady(from, d time.Duration, bpm int) []HRSample {
	var out []HRSample
	for s := time.Duration(0); s <= d; s += time.Second {
		out = append(out, HRSample{Offset: from + s, BPM: bpm})
	}
	return out
}

func join(parts ...[]HRSample) []HRSample {
	var out []HRSample
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestTRIMP(t *testing.T) {
	// Member: resting 50, maximum 190, reserve 140. 120 bpm is half the
	// reserve (x = 0.5); 190 is all of it.
	const rest, maxHR = 50, 190
	tests := []struct {
		name    string
		samples []HRSample
		sex     TRIMPSex
		want    float64
	}{
		// 30 × 0.5 × 0.64 × e^0.96
		{"30 min at half the reserve, men", steady(0, 30*time.Minute, 120), TRIMPMale, 25.1},
		// 30 × 0.5 × 0.86 × e^0.835
		{"30 min at half the reserve, women", steady(0, 30*time.Minute, 120), TRIMPFemale, 29.7},
		// mean of the two
		{"30 min at half the reserve, neutral", steady(0, 30*time.Minute, 120), TRIMPNeutral, 27.4},
		// 10 × 1 × 0.64 × e^1.92
		{"10 min flat out, men", steady(0, 10*time.Minute, 190), TRIMPMale, 43.7},
		{"above the maximum counts as the maximum", steady(0, 10*time.Minute, 200), TRIMPMale, 43.7},
		{"below resting counts nothing", steady(0, 10*time.Minute, 45), TRIMPNeutral, 0},
		{"a 5-minute pause adds nothing", join(steady(0, 15*time.Minute, 120), steady(20*time.Minute, 15*time.Minute, 120)), TRIMPFemale, 29.7},
		{"two-second samples weigh the same as one-second ones", everyOther(steady(0, 30*time.Minute, 120)), TRIMPMale, 25.1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, ok := HeartRateLoad(tc.samples, rest, maxHR, 0, tc.sex)
			if !ok {
				t.Fatal("not ok")
			}
			if math.Abs(l.TRIMP-tc.want) > 0.051 {
				t.Errorf("TRIMP = %.2f, want %.1f", l.TRIMP, tc.want)
			}
		})
	}
}

func everyOther(s []HRSample) []HRSample {
	var out []HRSample
	for i := 0; i < len(s); i += 2 {
		out = append(out, s[i])
	}
	return out
}

func TestHeartRateLoadHard(t *testing.T) {
	const rest, maxHR = 50, 190 // band from 50 + 0.8 × 140 = 162
	tests := []struct {
		name     string
		samples  []HRSample
		session  time.Duration
		band     float64
		coverage float64
		hard     bool
	}{
		{"easy hour", steady(0, time.Hour, 140), time.Hour, 0, 1, false},
		{"twenty-minute tempo", join(steady(0, 10*time.Minute, 135), steady(10*time.Minute+time.Second, 20*time.Minute, 165), steady(30*time.Minute+2*time.Second, 10*time.Minute, 135)), 40 * time.Minute, 20, 1, true},
		{"exactly at the band edge for ten minutes", join(steady(0, 10*time.Minute, 162), steady(10*time.Minute+time.Second, 20*time.Minute, 130)), 30 * time.Minute, 10, 1, true},
		{"nine minutes in the band", join(steady(0, 9*time.Minute, 170), steady(9*time.Minute+time.Second, 20*time.Minute, 130)), 29 * time.Minute, 9, 1, false},
		{"one beat under the band", steady(0, 30*time.Minute, 161), 30 * time.Minute, 0, 1, false},
		{"strap on for a third of the hour", steady(0, 20*time.Minute, 170), time.Hour, 20, 1.0 / 3, false},
		{"session length unknown", steady(0, 20*time.Minute, 170), 0, 20, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, ok := HeartRateLoad(tc.samples, rest, maxHR, tc.session, TRIMPNeutral)
			if !ok {
				t.Fatal("not ok")
			}
			if l.BandBPM != 162 {
				t.Errorf("BandBPM = %d, want 162", l.BandBPM)
			}
			if math.Abs(l.BandMinutes-tc.band) > 0.05 {
				t.Errorf("BandMinutes = %.2f, want %.0f", l.BandMinutes, tc.band)
			}
			if math.Abs(l.Coverage-tc.coverage) > 0.01 {
				t.Errorf("Coverage = %.3f, want %.3f", l.Coverage, tc.coverage)
			}
			if l.Hard != tc.hard {
				t.Errorf("Hard = %v, want %v", l.Hard, tc.hard)
			}
		})
	}
}

func TestHeartRateLoadRefuses(t *testing.T) {
	tests := []struct {
		name          string
		samples       []HRSample
		resting, maxH int
	}{
		{"no resting rate", steady(0, time.Minute, 150), 0, 190},
		{"maximum not above resting", steady(0, time.Minute, 150), 60, 60},
		{"no samples", nil, 50, 190},
		{"one sample", steady(0, 0, 150), 50, 190},
		{"only pauses", []HRSample{{0, 150}, {5 * time.Minute, 150}, {10 * time.Minute, 150}}, 50, 190},
		{"time running backwards", []HRSample{{time.Minute, 150}, {0, 150}}, 50, 190},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if l, ok := HeartRateLoad(tc.samples, tc.resting, tc.maxH, time.Hour, TRIMPNeutral); ok {
				t.Errorf("got %+v, want not ok", l)
			}
		})
	}
}

func TestThresholdBPM(t *testing.T) {
	tests := []struct{ rest, max, want int }{
		{50, 190, 162},
		{60, 185, 160},
		{55, 183, 157}, // 55 + 102.4
		{48, 172, 147}, // 48 + 99.2
		{0, 190, 0},
		{70, 70, 0},
	}
	for _, tc := range tests {
		if got := ThresholdBPM(tc.rest, tc.max); got != tc.want {
			t.Errorf("ThresholdBPM(%d, %d) = %d, want %d", tc.rest, tc.max, got, tc.want)
		}
	}
}

// The neutral weighting sits between the published curves, within the
// gaps its comment states.
func TestTRIMPNeutralBetweenCurves(t *testing.T) {
	for _, tc := range []struct{ x, maxGap float64 }{{1, 0.025}, {0.5, 0.10}} {
		m, f, n := TRIMPWeight(tc.x, TRIMPMale), TRIMPWeight(tc.x, TRIMPFemale), TRIMPWeight(tc.x, TRIMPNeutral)
		if n <= math.Min(m, f) || n >= math.Max(m, f) {
			t.Errorf("x=%.1f: neutral %.3f not between %.3f and %.3f", tc.x, n, m, f)
		}
		if math.Abs(n-m)/m > tc.maxGap || math.Abs(n-f)/f > tc.maxGap {
			t.Errorf("x=%.1f: neutral %.3f more than %.0f%% off %.3f or %.3f", tc.x, n, tc.maxGap*100, m, f)
		}
	}
	if TRIMPWeight(-0.2, TRIMPMale) != 0 || TRIMPWeight(1.5, TRIMPMale) != TRIMPWeight(1, TRIMPMale) {
		t.Error("x is not clamped to 0…1")
	}
}

func TestActivityThresholdsListed(t *testing.T) {
	for _, th := range ActivityThresholds() {
		if th.Name == "" || th.Source == "" || th.Value == 0 {
			t.Errorf("threshold %+v lacks a name, value or source", th)
		}
	}
}
