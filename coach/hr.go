package coach

import (
	"fmt"
	"sort"
)

// HR is a recovery heart-rate calculation by the heart-rate-reserve
// (Karvonen) method, with the working shown. A zero Ceiling means the inputs
// were not enough to compute one; Working then says why.
type HR struct {
	Age         int
	Resting     int
	Max         int
	MaxMeasured bool // Max is the member's measured maximum, not 220 − age
	Reserve     int  // Max − Resting
	Ceiling     int  // recovery runs stay at or below this (65% of reserve + resting)
	EasyLow     int  // easy runs between EasyLow and EasyHigh
	EasyHigh    int
	Working     string // the arithmetic in one plain line
}

// RecoveryHR computes the recovery-run ceiling:
// (HRmax − HRrest) × 0.65 + HRrest, rounded to the nearest beat, with
// HRmax = 220 − age unless measuredMax > 0. 003's worked example is the
// method (its prose multiplies the maximum, which is a slip).
func RecoveryHR(age, resting, measuredMax int) HR {
	h := HR{Age: age, Resting: resting}
	switch {
	case measuredMax > 0:
		h.Max, h.MaxMeasured = measuredMax, true
	case age > 0:
		h.Max = HRMaxAgeBase - age
	default:
		h.Working = "I need your age (or a measured maximum heart rate) to work this out."
		return h
	}
	if resting <= 0 {
		h.Working = "I need your resting heart rate to work this out."
		return h
	}
	if resting >= h.Max {
		h.Working = fmt.Sprintf("A resting heart rate of %d is not below the maximum of %d, so there is no reserve to work with.", resting, h.Max)
		return h
	}
	h.Reserve = h.Max - resting
	h.Ceiling = pctOfReserve(h.Reserve, resting, RecoveryReservePct)
	h.EasyLow = pctOfReserve(h.Reserve, resting, EasyReserveLowPct)
	h.EasyHigh = pctOfReserve(h.Reserve, resting, EasyReserveHighPct)

	maxPart := fmt.Sprintf("maximum %d − %d = %d", HRMaxAgeBase, age, h.Max)
	if h.MaxMeasured {
		maxPart = fmt.Sprintf("measured maximum %d", h.Max)
	}
	// Hundredths keep the shown product exact (147 × 0.65 + 50 = 145.55).
	hundredths := h.Reserve*RecoveryReservePct + resting*100
	h.Working = fmt.Sprintf("%s; reserve %d − %d = %d; %d × 0.%02d + %d = %d.%02d, so %d bpm.",
		maxPart, h.Max, resting, h.Reserve, h.Reserve, RecoveryReservePct, resting,
		hundredths/100, hundredths%100, h.Ceiling)
	h.Working = upperFirst(h.Working)
	return h
}

// pctOfReserve is reserve × pct% + resting, rounded half up, in integers so
// no float edge decides a beat.
func pctOfReserve(reserve, resting, pct int) int {
	return (reserve*pct + resting*100 + 50) / 100
}

// Baseline is the median resting heart rate of up to the last
// BaselineCheckIns check-ins that have one, strictly before `before`. It
// needs at least BaselineMinimum readings; a median shrugs off one odd
// morning where a mean would not.
func Baseline(checkins []CheckIn, before Date) (int, bool) {
	var with []CheckIn
	for _, c := range checkins {
		if c.RestingHR > 0 && c.Date.Before(before) {
			with = append(with, c)
		}
	}
	if len(with) < BaselineMinimum {
		return 0, false
	}
	sort.SliceStable(with, func(i, j int) bool { return with[j].Date.Before(with[i].Date) })
	if len(with) > BaselineCheckIns {
		with = with[:BaselineCheckIns]
	}
	vals := make([]int, len(with))
	for i, c := range with {
		vals[i] = c.RestingHR
	}
	sort.Ints(vals)
	n := len(vals)
	if n%2 == 1 {
		return vals[n/2], true
	}
	return (vals[n/2-1] + vals[n/2] + 1) / 2, true
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
