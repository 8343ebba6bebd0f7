package coach

import "time"

// What a recorded session with heart rate is logged as: its effort on the
// 1–10 scale the load uses (RPE × minutes, Foster 1998), and for a hard run
// whether it was one long stretch at threshold (tempo) or repeats
// (intervals). The load stays on the session-RPE scale, so sessions from
// files and sessions typed with /log add up in the same acute:chronic
// ratio; the TRIMP itself (trimp.go) is kept beside the session and shown.
const (
	// HRRPEStepPct: the effort read from the session's average heart rate
	// is one RPE point per this many percent of the heart-rate reserve,
	// starting from HRRPEBasePct = RPE 1. Own choice, after the intensity
	// bands of the ACSM guidelines (40–59% of the reserve "moderate", Borg
	// 12–13 ≈ CR-10 RPE 3–4; 60–89% "vigorous", Borg 14–17 ≈ RPE 5–7), so
	// an easy run at 60–70% reads RPE 3–4 and a steady tempo at 80–85%
	// reads 6.
	HRRPEStepPct = 8
	HRRPEBasePct = 35
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
	rpe := 1 + int((pct-HRRPEBasePct)/HRRPEStepPct)
	rpe = min(max(rpe, 1), 10)
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
	return []Threshold{
		{"effort from average HR: % of HR reserve per RPE point", HRRPEStepPct, "own choice, after ACSM intensity bands"},
		{"effort from average HR: % of HR reserve at RPE 1", HRRPEBasePct, "own choice, after ACSM intensity bands"},
		{"stays in the band that make a hard run intervals", IntervalBouts, "own choice"},
		{"shortest stay in the band that counts (s)", BoutSeconds, "own choice"},
	}
}
