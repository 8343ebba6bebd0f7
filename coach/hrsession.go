package coach

import (
	"fmt"
	"time"
)

// What a recorded session with heart rate is logged as: its effort on the
// 1–10 scale the load uses (RPE × minutes, Foster 1998), and for a hard run
// whether it was one long stretch at threshold (tempo) or repeats
// (intervals). The load stays on the session-RPE scale, so sessions from
// files and sessions typed with /log add up in the same acute:chronic
// ratio; the TRIMP itself (trimp.go) is kept beside the session and shown.

// HRRPEBands: the effort read from a session's average heart rate is 1
// plus the number of these percentages of the heart-rate reserve it
// reaches: under 50% RPE 1, 60–70% RPE 3, 83–88% RPE 6, 98% and over RPE 10.
// Own choice: it puts the usual efforts of kinds.go (recovery 2, easy 3,
// tempo 7) on the Karvonen ranges of hr.go (recovery under 65%, easy
// 60–70%) and the threshold band of trimp.go (80% and up), in the spirit of
// Foster's CR-10 scale, where 3 is moderate and 10 maximal.
var HRRPEBands = [9]int{50, 60, 70, 77, 83, 88, 92, 95, 98}

const (
	// IntervalBouts: a hard run that entered the threshold band this many
	// separate times or more, each stay at least BoutSeconds long, is
	// logged as intervals; fewer as tempo. Own choice: a rep session has
	// one stay per rep (4–10 of them), a tempo one or two.
	IntervalBouts = 3
	BoutSeconds   = 60
)

// HRSessionRPE is the effort (1–10) read from a session's average heart
// rate for a member with the given resting and maximum heart rate; a
// session the threshold band calls hard (l.Hard) is at least HardRPE, and
// one it does not is below HardRPE, so hardness is decided by the time in
// the band and not by the average alone. 0 when there is no reserve.
func HRSessionRPE(avgHR, resting, maxHR int, l HRLoad) int {
	if resting <= 0 || maxHR <= resting || avgHR <= 0 {
		return 0
	}
	pct := float64(avgHR-resting) * 100 / float64(maxHR-resting)
	rpe := 1
	for _, p := range HRRPEBands {
		if pct >= float64(p) {
			rpe++
		}
	}
	if l.Hard {
		return max(rpe, HardRPE)
	}
	return min(rpe, HardRPE-1)
}

// BandBouts counts the separate stays in the threshold band (at or above
// band bpm) lasting at least BoutSeconds, in samples in time order. A gap
// longer than TRIMPMaxStepSeconds ends a stay.
func BandBouts(samples []HRSample, band int) int {
	if band <= 0 {
		return 0
	}
	bouts := 0
	var in bool
	var start, last time.Duration
	end := func() {
		if in && last-start >= BoutSeconds*time.Second {
			bouts++
		}
		in = false
	}
	for i, s := range samples {
		if i > 0 && s.Offset-samples[i-1].Offset > TRIMPMaxStepSeconds*time.Second {
			end()
		}
		if s.BPM >= band {
			if !in {
				in, start = true, s.Offset
			}
			last = s.Offset
			continue
		}
		if in {
			last = s.Offset
		}
		end()
	}
	end()
	return bouts
}

// HardRunKind is the kind a hard run is logged as: intervals when its heart
// rate entered the band IntervalBouts times or more, tempo otherwise.
func HardRunKind(samples []HRSample, band int) Kind {
	if BandBouts(samples, band) >= IntervalBouts {
		return KindIntervals
	}
	return KindTempo
}

// HRSessionThresholds lists the numbers of hrsession.go in the form of
// Thresholds.
func HRSessionThresholds() []Threshold {
	var list []Threshold
	for i, p := range HRRPEBands {
		list = append(list, Threshold{fmt.Sprintf("average HR for RPE %d, %% of HR reserve", i+2), float64(p), "own choice (Karvonen ranges, Foster CR-10)"})
	}
	return append(list, []Threshold{
		{"stays in the band that make a hard run intervals", IntervalBouts, "own choice"},
		{"shortest stay in the band that counts (s)", BoutSeconds, "own choice"},
	}...)
}
