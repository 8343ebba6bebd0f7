package coach

// Spotting a race in a recorded run, so the bot can ask "Was this a race?"
// and offer the post-race walkthrough instead of guessing. The member's
// answer decides; this only chooses when to ask. Numbers follow
// thresholds.go's rule.
const (
	// RaceKmLow and RaceKmHigh bound a recorded distance, as fractions of
	// an official race distance, that counts as that race. Own choice: a
	// watch's GPS usually measures a road race 1–3% long, because courses
	// are measured along the shortest possible line and runners do not
	// hold it; 2% short allows for GPS cutting corners.
	RaceKmLow  = 0.98
	RaceKmHigh = 1.05
	// RaceBandShare: at 5K to half-marathon distance, at least this share
	// of the heart-rate minutes in the threshold band (ThresholdReservePct
	// and up) is race-like effort. Own choice: races at these distances
	// are run at or above threshold, easy and long runs well below it.
	RaceBandShare = 0.5
	// RaceBandShareMarathon: the same at marathon distance, which is run
	// just under threshold by most, so a lower share. Own choice.
	RaceBandShareMarathon = 0.25
	// RaceRPE: without heart rate, an effort the member rates at least this
	// (1–10) is race-like. Own choice: DefaultRPE puts intervals at 8 and a
	// race at 9.
	RaceRPE = 8
	// RaceUltraKm: a run at least this long (the marathon's upper bound
	// rounded up) is ultra distance, and asking is worth it whatever the
	// effort: ultras are run at low heart rates. Own choice.
	RaceUltraKm = 45.0
)

// RaceLike reports whether a recorded run looks like a race, and at which
// distance in km (an official one, or the run's own beyond the marathon).
// km is the recorded distance; hr is the session's heart-rate load and
// hrOK whether there was one (HeartRateLoad's results); rpe is the
// member's rating (0 when not given), used only without heart rate.
func RaceLike(km float64, hr HRLoad, hrOK bool, rpe int) (float64, bool) {
	if km >= RaceUltraKm {
		return km, true
	}
	for _, race := range []float64{Km5K, Km10K, KmHalf, KmMarathon} {
		if km < race*RaceKmLow || km > race*RaceKmHigh {
			continue
		}
		if !hrOK || hr.Minutes <= 0 || hr.Coverage < HRCoverageMin {
			return race, rpe >= RaceRPE
		}
		share := RaceBandShare
		if race == KmMarathon {
			share = RaceBandShareMarathon
		}
		return race, hr.BandMinutes/hr.Minutes >= share
	}
	return 0, false
}
