package coach

import (
	"testing"
	"time"
)

func TestHRSessionRPE(t *testing.T) {
	// resting 50, maximum 180: reserve 130.
	cases := []struct {
		avg  int
		hard bool
		want int
	}{
		{50 + 130*45/100, false, 1}, // 45%: very easy
		{50 + 130*65/100, false, 3}, // 65%: easy run
		{50 + 130*80/100, false, 5}, // 80% but not long in the band: below hard
		{50 + 130*95/100, false, 6}, // a high average without band minutes stays below hard
		{50 + 130*72/100, true, 7},  // intervals: low average, hard by the band
		{50 + 130*99/100, true, 10}, // all out
		{40, false, 1},              // under resting
	}
	for _, c := range cases {
		if got := HRSessionRPE(c.avg, 50, 180, HRLoad{Hard: c.hard}); got != c.want {
			t.Errorf("avg %d hard %v: RPE %d, want %d", c.avg, c.hard, got, c.want)
		}
	}
	if HRSessionRPE(150, 0, 180, HRLoad{}) != 0 || HRSessionRPE(150, 60, 60, HRLoad{}) != 0 {
		t.Error("no reserve gave an effort")
	}
}

func TestBandBouts(t *testing.T) {
	var s []HRSample
	at := time.Duration(0)
	add := func(d time.Duration, bpm int) {
		for end := at + d; at < end; at += 5 * time.Second {
			s = append(s, HRSample{Offset: at, BPM: bpm})
		}
	}
	add(10*time.Minute, 130)
	for range 5 {
		add(3*time.Minute, 165)
		add(2*time.Minute, 140)
	}
	add(30*time.Second, 165) // a stride: too short to count
	add(5*time.Minute, 130)
	if got := BandBouts(s, 154); got != 5 {
		t.Errorf("bouts = %d, want 5", got)
	}
	if HardRunKind(s, 154) != KindIntervals {
		t.Error("5 reps is not intervals")
	}
	s = s[:0]
	at = 0
	add(10*time.Minute, 130)
	add(25*time.Minute, 160)
	add(10*time.Minute, 130)
	if got := BandBouts(s, 154); got != 1 || HardRunKind(s, 154) != KindTempo {
		t.Errorf("tempo: bouts %d, kind %s", got, HardRunKind(s, 154))
	}
	// A pause in the middle of a stay splits it.
	s = []HRSample{{0, 160}, {30 * time.Second, 160}, {60 * time.Second, 160}, {150 * time.Second, 160}, {180 * time.Second, 160}, {185 * time.Second, 120}}
	if got := BandBouts(s, 154); got != 1 {
		t.Errorf("bouts across a pause = %d, want 1 (the stay after the pause is too short)", got)
	}
	if BandBouts(s, 0) != 0 {
		t.Error("no band, but bouts")
	}
}
