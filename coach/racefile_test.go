package coach

import "testing"

func TestRaceLike(t *testing.T) {
	hard := func(minutes, band float64) HRLoad {
		return HRLoad{Minutes: minutes, BandMinutes: band, Coverage: 1}
	}
	tests := []struct {
		name   string
		km     float64
		hr     HRLoad
		hrOK   bool
		rpe    int
		wantKm float64
		want   bool
	}{
		{"parkrun flat out", 5.08, hard(21, 19), true, 0, Km5K, true},
		{"easy 5K", 5.0, hard(30, 0), true, 0, Km5K, false},
		{"10K race, GPS 2% long", 10.2, hard(45, 38), true, 0, Km10K, true},
		{"half marathon at race effort", 21.3, hard(95, 70), true, 0, KmHalf, true},
		{"half-marathon-length long run", 21.1, hard(120, 5), true, 0, KmHalf, false},
		{"marathon just under threshold", 42.6, hard(215, 60), true, 0, KmMarathon, true},
		{"marathon-length training run", 42.4, hard(260, 10), true, 0, KmMarathon, false},
		{"8 km tempo is no race distance", 8, hard(40, 30), true, 0, 0, false},
		{"GPS 3% short is outside the window", 4.85, hard(20, 19), true, 0, 0, false},
		{"6% long is outside the window", 10.6, hard(48, 40), true, 0, 0, false},
		{"50 km ultra at low heart rate", 50.3, hard(400, 0), true, 0, 50.3, true},
		{"no heart rate, rated 9", 10.1, HRLoad{}, false, 9, Km10K, true},
		{"no heart rate, rated 6", 10.1, HRLoad{}, false, 6, Km10K, false},
		{"no heart rate, no rating", 5.0, HRLoad{}, false, 0, Km5K, false},
		{"strap mostly off: the rating decides", 5.0, HRLoad{Minutes: 5, BandMinutes: 5, Coverage: 0.2}, true, 9, Km5K, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			km, ok := RaceLike(tc.km, tc.hr, tc.hrOK, tc.rpe)
			if ok != tc.want || (tc.wantKm != 0 && km != tc.wantKm) {
				t.Errorf("RaceLike(%.2f) = %.3f, %v; want %.3f, %v", tc.km, km, ok, tc.wantKm, tc.want)
			}
		})
	}
}
