package coach

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestLoads(t *testing.T) {
	today := day(t, "2026-06-28")
	s := func(daysAgo int, k Kind, min float64, rpe int) Session {
		return Session{Date: today.AddDays(-daysAgo), Kind: k, Minutes: min, RPE: rpe}
	}
	t.Run("empty", func(t *testing.T) {
		l := Loads(nil, today)
		if l.Last7 != 0 || l.Monotony != 0 || l.WeekOverWeek != 0 || l.ACWR != 0 || l.RestDays7 != 7 || l.HistoryDays != -1 {
			t.Errorf("Loads(nil) = %+v", l)
		}
	})
	t.Run("windows", func(t *testing.T) {
		in := []Session{
			s(0, KindEasy, 30, 3),     // 90, today counts
			s(6, KindTempo, 40, 7),    // 280, last day of the 7
			s(7, KindEasy, 50, 4),     // 200, first day of the previous 7
			s(13, KindLong, 100, 6),   // 600
			s(20, KindEasy, 40, 3),    // 120
			s(27, KindEasy, 40, 3),    // 120, last of the 28
			s(28, KindLong, 200, 9),   // outside every window
			s(-1, KindRace, 100, 10),  // tomorrow: ignored
			s(3, KindRest, 0, 0),      // rest log
			s(2, KindIntervals, 0, 8), // no minutes, no distance: no load
		}
		l := Loads(in, today)
		if !near(l.Last7, 370) || !near(l.Prev7, 800) || !near(l.AvgWeek28, (370+800+240)/4.0) {
			t.Errorf("Last7 %v Prev7 %v AvgWeek28 %v", l.Last7, l.Prev7, l.AvgWeek28)
		}
		if !near(l.WeekOverWeek, (370-800)/800.0) {
			t.Errorf("WeekOverWeek = %v", l.WeekOverWeek)
		}
		if !near(l.ACWR, 370/l.AvgWeek28) {
			t.Errorf("ACWR = %v", l.ACWR)
		}
		if l.Sessions7 != 3 || l.HardDays7 != 2 || l.EasyDays7 != 1 || l.RestDays7 != 4 {
			t.Errorf("days: sessions %d hard %d easy %d rest %d", l.Sessions7, l.HardDays7, l.EasyDays7, l.RestDays7)
		}
		if l.HistoryDays != 28 {
			t.Errorf("HistoryDays = %d", l.HistoryDays)
		}
	})
	t.Run("zero deviation monotony is capped", func(t *testing.T) {
		var in []Session
		for i := range 7 {
			in = append(in, s(i, KindEasy, 30, 3))
		}
		l := Loads(in, today)
		if l.Monotony != MonotonyCap || !near(l.Strain, l.Last7*MonotonyCap) {
			t.Errorf("Monotony = %v, Strain = %v", l.Monotony, l.Strain)
		}
		if l.WeekOverWeek != 0 {
			t.Errorf("WeekOverWeek without a previous week = %v", l.WeekOverWeek)
		}
	})
	t.Run("monotony of a varied week", func(t *testing.T) {
		// Loads 100, 0, 100, 0, 100, 0, 300: mean 600/7.
		in := []Session{s(0, KindEasy, 100, 1), s(2, KindEasy, 100, 1), s(4, KindEasy, 100, 1), s(6, KindEasy, 100, 3)}
		daily := []float64{100, 0, 100, 0, 100, 0, 300}
		mean := 600.0 / 7
		var ss float64
		for _, d := range daily {
			ss += (d - mean) * (d - mean)
		}
		want := mean / math.Sqrt(ss/7)
		if l := Loads(in, today); !near(l.Monotony, want) {
			t.Errorf("Monotony = %v, want %v", l.Monotony, want)
		}
	})
	t.Run("week over week", func(t *testing.T) {
		in := []Session{s(1, KindEasy, 52, 5), s(8, KindEasy, 40, 5)}
		if l := Loads(in, today); !near(l.WeekOverWeek, 0.3) {
			t.Errorf("WeekOverWeek = %v, want 0.3", l.WeekOverWeek)
		}
	})
}
