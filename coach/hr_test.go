package coach

import (
	"strings"
	"testing"
)

func TestRecoveryHR(t *testing.T) {
	tests := []struct {
		name                   string
		age, resting, measured int
		ceiling, max, reserve  int
		working                []string
	}{
		{"article example", 23, 50, 0, 146, 197, 147, []string{"220 − 23 = 197", "197 − 50 = 147", "147 × 0.65 + 50 = 145.55", "146 bpm"}},
		{"forty", 40, 60, 0, 138, 180, 120, []string{"120 × 0.65 + 60 = 138.00", "138 bpm"}},
		{"thirty", 30, 50, 0, 141, 190, 140, []string{"141 bpm"}},
		{"measured max wins", 30, 50, 200, 148, 200, 150, []string{"Measured maximum 200", "150 × 0.65 + 50 = 147.50", "148 bpm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := RecoveryHR(tt.age, tt.resting, tt.measured)
			if h.Ceiling != tt.ceiling || h.Max != tt.max || h.Reserve != tt.reserve {
				t.Errorf("got ceiling %d max %d reserve %d; want %d %d %d", h.Ceiling, h.Max, h.Reserve, tt.ceiling, tt.max, tt.reserve)
			}
			if h.MaxMeasured != (tt.measured > 0) {
				t.Errorf("MaxMeasured = %v", h.MaxMeasured)
			}
			// /today says easy running stays under the ceiling, so the easy
			// band tops out at it.
			if !(h.EasyLow < h.EasyHigh && h.EasyHigh <= h.Ceiling) {
				t.Errorf("easy range %d–%d goes over the ceiling %d", h.EasyLow, h.EasyHigh, h.Ceiling)
			}
			for _, w := range tt.working {
				if !strings.Contains(h.Working, w) {
					t.Errorf("Working %q lacks %q", h.Working, w)
				}
			}
		})
	}
}

func TestRecoveryHRCannotCompute(t *testing.T) {
	for name, h := range map[string]HR{
		"no age":              RecoveryHR(0, 50, 0),
		"no resting":          RecoveryHR(30, 0, 0),
		"resting above max":   RecoveryHR(100, 130, 0),
		"measured below rest": RecoveryHR(30, 60, 55),
	} {
		if h.Ceiling != 0 || h.Working == "" {
			t.Errorf("%s: ceiling %d, working %q", name, h.Ceiling, h.Working)
		}
	}
}

func TestBaseline(t *testing.T) {
	today := day(t, "2026-06-20")
	ci := func(daysAgo, rhr int) CheckIn { return CheckIn{Date: today.AddDays(-daysAgo), RestingHR: rhr} }
	tests := []struct {
		name string
		in   []CheckIn
		want int
		ok   bool
	}{
		{"none", nil, 0, false},
		{"two readings are not enough", []CheckIn{ci(1, 50), ci(2, 52)}, 0, false},
		{"odd count median", []CheckIn{ci(3, 60), ci(1, 50), ci(2, 52)}, 52, true},
		{"even count median rounds", []CheckIn{ci(1, 50), ci(2, 51), ci(3, 52), ci(4, 55)}, 52, true},
		{"today and later do not count", []CheckIn{ci(0, 90), ci(-1, 90), ci(1, 50), ci(2, 50), ci(3, 50)}, 50, true},
		{"missing readings skipped", []CheckIn{ci(1, 0), ci(2, 0), ci(3, 0), ci(4, 48), ci(5, 49), ci(6, 50)}, 49, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Baseline(tt.in, today)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Baseline = %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	t.Run("only the last 14", func(t *testing.T) {
		var in []CheckIn
		for i := 1; i <= 14; i++ {
			in = append(in, ci(i, 50))
		}
		for i := 15; i <= 40; i++ {
			in = append(in, ci(i, 70)) // an old, higher era
		}
		if got, _ := Baseline(in, today); got != 50 {
			t.Errorf("Baseline = %d, want 50", got)
		}
	})
}
