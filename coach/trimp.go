package coach

import (
	"math"
	"time"
)

// Heart-rate load of one session (Banister TRIMP) and the "hard from heart
// rate" decision. The numbers follow thresholds.go's rule: each with where it
// comes from, "own choice" marking a judgement call of this project.
//
// Banister's training impulse (TRIMP) adds up, over the session, the minutes
// spent at each heart rate weighted by how hard that heart rate is:
//
//	TRIMP = Σ Δt [min] × x × k × e^(b × x),   x = (HR − HRrest) ÷ (HRmax − HRrest)
//
// where x is the fraction of the heart-rate reserve in use (clamped to 0…1)
// and k, b are fitted to how blood lactate rises with heart rate: k = 0.64,
// b = 1.92 for men and k = 0.86, b = 1.67 for women. Sources: Banister E.W.
// (1991), "Modeling elite athletic performance", in MacDougall, Wenger &
// Green (eds.), Physiological Testing of the High-Performance Athlete; Morton
// R.H., Fitz-Clarke J.R. & Banister E.W. (1990), "Modeling human performance
// in running", J Appl Physiol 69(3):1171–1177.
const (
	// TRIMPMaleK and TRIMPMaleB are the men's weighting constants.
	// Banister 1991; Morton et al. 1990.
	TRIMPMaleK = 0.64
	TRIMPMaleB = 1.92
	// TRIMPFemaleK and TRIMPFemaleB are the women's. Same sources.
	TRIMPFemaleK = 0.86
	TRIMPFemaleB = 1.67

	// TRIMPMaxStepSeconds: a gap between two heart-rate samples longer than
	// this is a pause (the watch stopped recording, or the strap dropped
	// out) and adds nothing; shorter steps count in full at the earlier
	// sample's heart rate. Own choice: watches in "smart recording" write a
	// sample every 1–10 s while running, so a minute without one is no
	// longer the same effort.
	TRIMPMaxStepSeconds = 60

	// ThresholdReservePct: heart rate at or above this percentage of the
	// heart-rate reserve (added to the resting rate, as in hr.go) is in the
	// threshold band. Own choice: the lower edge of the usual Karvonen
	// threshold zone (80–90% of the reserve), above the easy range of hr.go
	// (60–70%) with a gap for steady running between.
	ThresholdReservePct = 80
	// HardBandMinutes: a session with at least this many minutes in the
	// threshold band counts as hard, whatever its sport. Own choice: a
	// tempo run holds 20 minutes or more there and an interval session with
	// 3–5 minute reps gathers 10 or more, while strides or a hill at the
	// end of an easy run stay well below.
	HardBandMinutes = 10
	// HRCoverageMin: heart-rate samples must cover at least this fraction
	// of the session (by time) for the heart rate to decide hardness; with
	// less the strap was mostly off and the figure would understate. Own
	// choice.
	HRCoverageMin = 0.5
)

// TRIMPSex selects the TRIMP weighting. The bot does not store a member's
// sex, so TRIMPNeutral is the default.
type TRIMPSex int

// The weightings.
const (
	// TRIMPNeutral weighs each minute by the mean of the men's and women's
	// curves. Own choice: with no sex stored, this misses either published
	// curve by at most half their gap (about 2% at maximum effort, 9% at
	// half the reserve).
	TRIMPNeutral TRIMPSex = iota
	TRIMPMale
	TRIMPFemale
)

// TRIMPWeight is the weighting y(x) for a fraction x (0…1) of the
// heart-rate reserve: x × k × e^(b × x) for the chosen curve.
func TRIMPWeight(x float64, sex TRIMPSex) float64 {
	x = math.Max(0, math.Min(1, x))
	male := x * TRIMPMaleK * math.Exp(TRIMPMaleB*x)
	female := x * TRIMPFemaleK * math.Exp(TRIMPFemaleB*x)
	switch sex {
	case TRIMPMale:
		return male
	case TRIMPFemale:
		return female
	}
	return (male + female) / 2
}

// HRSample is one heart-rate reading of a session: its offset from the
// session's start and the rate in beats per minute.
type HRSample struct {
	Offset time.Duration
	BPM    int
}

// HRLoad is the heart-rate load of one session.
type HRLoad struct {
	TRIMP       float64 // Banister TRIMP, rounded to one decimal
	Minutes     float64 // minutes of the session the samples cover (pauses excluded)
	BandMinutes float64 // minutes at or above BandBPM
	BandBPM     int     // lower edge of the threshold band for this member
	Coverage    float64 // Minutes ÷ the session's minutes (0…1); 1 when the session length is not given
	// Hard: BandMinutes ≥ HardBandMinutes and the samples cover at least
	// HRCoverageMin of the session.
	Hard bool
}

// ThresholdBPM is the lower edge of the threshold band: resting +
// ThresholdReservePct% of the reserve, rounded half up as in hr.go. It is 0
// when resting and maximum leave no reserve.
func ThresholdBPM(resting, maxHR int) int {
	if resting <= 0 || maxHR <= resting {
		return 0
	}
	return pctOfReserve(maxHR-resting, resting, ThresholdReservePct)
}

// HeartRateLoad computes TRIMP and time in the threshold band from samples
// in time order, for a member with the given resting and maximum heart rate (maxHR:
// measured, or 220 − age). session is the session's moving time, for the
// coverage test; 0 skips that test. It reports false when resting and maxHR
// leave no reserve or no step between samples counts (fewer than two
// samples, or only pauses).
//
// Each step between consecutive samples counts at the earlier sample's
// rate, unless it is longer than TRIMPMaxStepSeconds (a pause) or goes
// backwards in time (a bad sample), in which case it adds nothing.
func HeartRateLoad(samples []HRSample, resting, maxHR int, session time.Duration, sex TRIMPSex) (HRLoad, bool) {
	if resting <= 0 || maxHR <= resting {
		return HRLoad{}, false
	}
	band := ThresholdBPM(resting, maxHR)
	reserve := float64(maxHR - resting)
	maxStep := time.Duration(TRIMPMaxStepSeconds) * time.Second
	var l HRLoad
	l.BandBPM = band
	var trimp float64
	for i := 0; i+1 < len(samples); i++ {
		step := samples[i+1].Offset - samples[i].Offset
		if step <= 0 || step > maxStep {
			continue
		}
		minutes := step.Minutes()
		hr := samples[i].BPM
		l.Minutes += minutes
		trimp += minutes * TRIMPWeight(float64(hr-resting)/reserve, sex)
		if hr >= band {
			l.BandMinutes += minutes
		}
	}
	if l.Minutes == 0 {
		return HRLoad{}, false
	}
	l.TRIMP = math.Round(trimp*10) / 10
	l.Coverage = 1
	if session > 0 {
		l.Coverage = math.Min(1, l.Minutes/session.Minutes())
	}
	l.Hard = l.BandMinutes >= HardBandMinutes && l.Coverage >= HRCoverageMin
	return l, true
}

// ActivityThresholds lists the numbers of trimp.go and racefile.go with
// their sources, in the form of Thresholds, for help texts and the README.
func ActivityThresholds() []Threshold {
	return []Threshold{
		{"TRIMP k, men", TRIMPMaleK, "Banister 1991; Morton et al. 1990"},
		{"TRIMP b, men", TRIMPMaleB, "Banister 1991; Morton et al. 1990"},
		{"TRIMP k, women", TRIMPFemaleK, "Banister 1991; Morton et al. 1990"},
		{"TRIMP b, women", TRIMPFemaleB, "Banister 1991; Morton et al. 1990"},
		{"TRIMP: longest step between HR samples (s)", TRIMPMaxStepSeconds, "own choice"},
		{"threshold band, % of HR reserve", ThresholdReservePct, "own choice (Karvonen threshold zone)"},
		{"minutes in the band for a hard session", HardBandMinutes, "own choice"},
		{"HR coverage needed to decide hardness", HRCoverageMin, "own choice"},
		{"race window, share of the distance (low)", RaceKmLow, "own choice (GPS measures courses long)"},
		{"race window, share of the distance (high)", RaceKmHigh, "own choice (GPS measures courses long)"},
		{"race-like share of minutes in the band, 5K–half", RaceBandShare, "own choice"},
		{"race-like share of minutes in the band, marathon", RaceBandShareMarathon, "own choice"},
		{"race-like RPE without heart rate", RaceRPE, "own choice"},
		{"ultra distance, asked whatever the effort (km)", RaceUltraKm, "own choice"},
	}
}
