package coach

import "math"

// LoadSummary holds the load figures for the windows ending today
// (inclusive). Load is session RPE × minutes (Foster 1998).
type LoadSummary struct {
	Last7        float64 // load of the last 7 days, today included
	Prev7        float64 // load of the 7 days before those
	AvgWeek28    float64 // load of the last 28 days ÷ 4
	WeekOverWeek float64 // (Last7 − Prev7) ÷ Prev7 as a fraction, 0.3 = +30%; 0 when Prev7 is 0
	ACWR         float64 // Last7 ÷ AvgWeek28 (acute:chronic, Gabbett 2016); 0 when AvgWeek28 is 0
	Monotony     float64 // mean ÷ standard deviation of the last 7 daily loads (Foster 1998); see Loads
	Strain       float64 // Last7 × Monotony (Foster 1998)
	Sessions7    int     // sessions logged in the last 7 days, rest logs excluded
	HardDays7    int     // days with a hard session (Session.Hard)
	EasyDays7    int     // days with training but nothing hard
	RestDays7    int     // days with a rest log or nothing logged; the three day counts add to 7
	HistoryDays  int     // days from the earliest logged session to today; −1 with no sessions
}

// Loads computes the load figures for the windows ending with today.
// Sessions after today are ignored. Monotony is 0 for a week without load
// and MonotonyCap when every day carries the same load (zero deviation).
func Loads(sessions []Session, today Date) LoadSummary {
	var s LoadSummary
	var daily [28]float64 // daily[0] is today, daily[i] is i days ago
	var hard, trained [7]bool
	s.HistoryDays = -1
	for _, x := range sessions {
		ago := today.Sub(x.Date)
		if ago < 0 {
			continue
		}
		if ago > s.HistoryDays {
			s.HistoryDays = ago
		}
		if ago >= 28 {
			continue
		}
		daily[ago] += x.Load()
		if ago < 7 && x.Kind != KindRest {
			s.Sessions7++
			trained[ago] = true
			if x.Hard() {
				hard[ago] = true
			}
		}
	}
	var sum28 float64
	for i, l := range daily {
		sum28 += l
		switch {
		case i < 7:
			s.Last7 += l
		case i < 14:
			s.Prev7 += l
		}
	}
	s.AvgWeek28 = sum28 / 4
	if s.Prev7 > 0 {
		s.WeekOverWeek = (s.Last7 - s.Prev7) / s.Prev7
	}
	if s.AvgWeek28 > 0 {
		s.ACWR = s.Last7 / s.AvgWeek28
	}
	s.Monotony = monotony(daily[:7])
	s.Strain = s.Last7 * s.Monotony
	for i := range 7 {
		switch {
		case hard[i]:
			s.HardDays7++
		case trained[i]:
			s.EasyDays7++
		default:
			s.RestDays7++
		}
	}
	return s
}

// monotony is mean ÷ population standard deviation of the daily loads.
func monotony(days []float64) float64 {
	var sum float64
	for _, d := range days {
		sum += d
	}
	mean := sum / float64(len(days))
	if mean == 0 {
		return 0
	}
	var ss float64
	for _, d := range days {
		ss += (d - mean) * (d - mean)
	}
	sd := math.Sqrt(ss / float64(len(days)))
	if sd < 1e-9 || mean/sd > MonotonyCap {
		return MonotonyCap
	}
	return mean / sd
}

// EffectiveRPE is the session's effort: the RPE logged, or the kind's usual
// one when none was.
func (s Session) EffectiveRPE() int {
	if s.RPE > 0 {
		return s.RPE
	}
	return s.Kind.DefaultRPE()
}

// Hard reports whether the session counts as hard for the rules: by its
// effort, RPE HardRPE or more whatever its kind (a spin class at RPE 9 is
// hard, a tempo logged at RPE 5 is not), and every long run (003 and 004
// treat it as a stress the next day must absorb; the club's long day is a
// HARD day). A rest log is never hard.
func (s Session) Hard() bool {
	if s.Kind == KindRest {
		return false
	}
	return s.Kind == KindLong || s.EffectiveRPE() >= HardRPE
}
