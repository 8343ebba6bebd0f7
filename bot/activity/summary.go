package activity

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/coach"
)

// The rules that turn samples into figures. Own choices, documented here
// and in Activity's field comments.
const (
	// MaxStep: a step between two consecutive samples longer than this is a
	// pause (auto-pause, the timer stopped, or the watch lost the
	// recording) and counts toward neither moving nor timer time. Watches
	// write a sample every 1 s, or every 1–10 s in "smart recording".
	MaxStep = 30 * time.Second
	// MovingSpeed: a step whose distance is known counts as moving only at
	// this average speed or faster (0.5 m/s = 1.8 km/h, well below a slow
	// walk), so standing at a crossing with the timer running is not moving
	// time. A step without distance (a treadmill run without a foot pod)
	// counts when it is not a pause.
	MovingSpeed = 0.5 // m/s
	// MovingWindow is the span over which that speed is measured (see
	// movingTime).
	MovingWindow = 10 * time.Second
	// MinHR and MaxHRValid bound a believable heart-rate sample (bpm);
	// readings outside are dropped as sensor noise.
	MinHR      = 25
	MaxHRValid = 250
	// FitSlack: how far a file's stated start may lie before its first
	// sample, and its stated elapsed time past its last, and still be
	// believed. Watches write the start a moment before the first record.
	FitSlack = 10 * time.Minute
	// earliestYear is the year of the earliest believable start: no watch wrote an activity
	// file before it, and a FIT timestamp of zero (1989-12-31) lands before
	// it.
	earliestYear = 2000
)

// point is one sample while parsing. dist is cumulative metres or NaN; lat
// and lon are degrees, valid when hasPos; hr is 0 when absent.
type point struct {
	t        time.Time
	dist     float64
	lat, lon float64
	hasPos   bool
	hr       int
	segStart bool // first point of a new GPX track segment: the step into it is a pause
}

// totals are the figures a file states for itself; zero values mean "not
// stated".
type totals struct {
	start     time.Time
	elapsed   time.Duration
	timer     time.Duration
	distanceM float64
	distSet   bool
	avgHR     int
	maxHR     int
	sportName string
	sport     Sport
}

// collector gathers points under the sample limit.
// A point earlier than the one before it is dropped (a clock jump or a
// bad record), as is a position of exactly 0°, 0°, which devices write
// before they have a fix.
type collector struct {
	max int
	pts []point
}

func (c *collector) add(p point) error {
	if p.t.IsZero() {
		return nil // an untimed point (a planned route) measures nothing
	}
	if p.hr < MinHR || p.hr > MaxHRValid {
		p.hr = 0
	}
	if p.hasPos && p.lat == 0 && p.lon == 0 {
		p.hasPos = false
	}
	if n := len(c.pts); n > 0 && p.t.Before(c.pts[n-1].t) {
		return nil
	}
	if len(c.pts) >= c.max {
		return errCapped
	}
	c.pts = append(c.pts, p)
	return nil
}

// summarize builds the Activity from the points and the file's own
// totals, preferring the totals.
func summarize(f Format, pts []point, tot totals) (Activity, error) {
	if len(pts) < 2 {
		return Activity{}, newErr(ErrNoSamples, f, fmt.Sprintf("%d timed sample(s)", len(pts)), nil)
	}
	a := Activity{Format: f, Sport: tot.sport, SportName: tot.sportName}
	if a.Sport == "" {
		a.Sport = SportOther
	}
	first, last := pts[0].t, pts[len(pts)-1].t
	// Stated start and elapsed time win only where they fit the samples: a
	// start at most FitSlack before the first sample, an elapsed time at
	// most FitSlack past the last. A file whose totals say otherwise is
	// measured by its samples.
	a.Start = first
	if !tot.start.IsZero() && tot.start.Before(first) && first.Sub(tot.start) <= FitSlack {
		a.Start = tot.start
	}
	a.Start = a.Start.UTC()
	if a.Start.Year() < earliestYear {
		return Activity{}, newErr(ErrCorrupt, f, "start time "+a.Start.Format(time.RFC3339)+" is before any watch recorded", nil)
	}
	a.Elapsed = last.Sub(a.Start)
	if tot.elapsed > a.Elapsed && tot.elapsed-a.Elapsed <= FitSlack {
		a.Elapsed = tot.elapsed
	}

	// Distance: stated total, else cumulative, else positions.
	cum, geo, hasCum := 0.0, 0.0, false
	for i, p := range pts {
		if !math.IsNaN(p.dist) {
			hasCum = true
			cum = math.Max(cum, p.dist)
		}
		if i > 0 && p.hasPos && pts[i-1].hasPos && !p.segStart {
			geo += haversine(pts[i-1].lat, pts[i-1].lon, p.lat, p.lon)
		}
	}
	var npos int
	for _, p := range pts {
		if p.hasPos {
			npos++
		}
	}
	a.HasGPS = npos >= 2
	switch {
	case tot.distSet:
		a.DistanceM = tot.distanceM
	case hasCum:
		a.DistanceM = cum
	default:
		a.DistanceM = geo
	}

	timer, moving := movingTime(pts)
	a.Timer, a.Moving = timer, moving
	if tot.timer > 0 {
		a.Timer = tot.timer
	}
	a.Timer = min(a.Timer, a.Elapsed) // no timer runs longer than the clock
	a.Moving = min(a.Moving, a.Timer)

	// Heart rate: samples, then the stated figures win.
	var sum, weight float64
	for i, p := range pts {
		if p.hr == 0 {
			continue
		}
		a.HR = append(a.HR, coach.HRSample{Offset: p.t.Sub(a.Start), BPM: p.hr})
		a.MaxHR = max(a.MaxHR, p.hr)
		w := 1.0 // the last sample, or one before a pause, stands for one second
		if i+1 < len(pts) {
			if step := pts[i+1].t.Sub(p.t); step <= MaxStep && !pts[i+1].segStart {
				w = step.Seconds()
			}
		}
		sum += w * float64(p.hr)
		weight += w
	}
	a.HasHR = len(a.HR) > 0
	if weight > 0 {
		a.AvgHR = int(math.Round(sum / weight))
	}
	if tot.avgHR >= MinHR && tot.avgHR <= MaxHRValid {
		a.AvgHR = tot.avgHR
	}
	if tot.maxHR >= MinHR && tot.maxHR <= MaxHRValid {
		a.MaxHR = tot.maxHR
	}
	return a, nil
}

// movingTime applies the moving-time rule. Every step between consecutive
// samples that is not a pause (longer than MaxStep, or into a new GPX
// segment) adds to timer time. It adds to moving time too unless the
// average speed around it is known and below MovingSpeed. "Around it" is
// the window from MovingWindow/2 before the step to MovingWindow/2 after
// it, kept inside the stretch between pauses: wheel sensors and some
// watches update distance only every second or third sample, so one step
// alone often shows no progress while the rider is moving. Distance comes
// from the samples' cumulative distance, else from their positions; with
// neither, every step that is not a pause counts as moving.
func movingTime(pts []point) (timer, moving time.Duration) {
	n := len(pts)
	if n < 2 {
		return 0, 0
	}
	along := make([]float64, n) // metres from the first sample
	known := make([]bool, n)
	for i, p := range pts {
		switch {
		case !math.IsNaN(p.dist):
			along[i], known[i] = p.dist, true
		case i > 0 && p.hasPos && pts[i-1].hasPos && !p.segStart:
			along[i], known[i] = along[i-1]+haversine(pts[i-1].lat, pts[i-1].lon, p.lat, p.lon), known[i-1]
		case i > 0:
			along[i], known[i] = along[i-1], false
		default:
			known[i] = p.hasPos
		}
	}
	pause := func(i int) bool { // the step into sample i is a pause
		step := pts[i].t.Sub(pts[i-1].t)
		return step <= 0 || step > MaxStep || pts[i].segStart
	}
	half := MovingWindow / 2
	blockStart, j, k := 0, 0, 0
	for i := 1; i < n; i++ {
		if pause(i) {
			blockStart, j, k = i, i, i
			continue
		}
		step := pts[i].t.Sub(pts[i-1].t)
		timer += step
		// Window [j, k]: j the first sample of the block at or after
		// pts[i-1].t − half, k the last before the next pause at or before
		// pts[i].t + half.
		if j < blockStart {
			j = blockStart
		}
		for j < i-1 && pts[j].t.Before(pts[i-1].t.Add(-half)) {
			j++
		}
		if k < i {
			k = i
		}
		for k+1 < n && !pause(k+1) && !pts[k+1].t.After(pts[i].t.Add(half)) {
			k++
		}
		span := pts[k].t.Sub(pts[j].t).Seconds()
		if !known[j] || !known[k] || span <= 0 || (along[k]-along[j])/span >= MovingSpeed {
			moving += step
		}
	}
	return timer, moving
}

// earthRadiusM is the mean Earth radius (IUGG), in metres.
const earthRadiusM = 6371008.8

// haversine is the great-circle distance in metres between two positions
// in degrees.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	s := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(s)))
}

// sportFromWord maps a file's sport word to a Sport. It matches the words
// FIT's sport names, TCX's Sport attribute and GPX exporters' <type> use.
func sportFromWord(w string) Sport {
	w = strings.ToLower(strings.TrimSpace(w))
	switch {
	case w == "":
		return ""
	case strings.Contains(w, "run"), w == "jogging":
		return SportRun
	case strings.Contains(w, "cycl"), strings.Contains(w, "bik"), strings.Contains(w, "ride"), w == "e_biking":
		return SportRide
	case strings.Contains(w, "swim"):
		return SportSwim
	}
	return SportOther
}

// lowerWord lower-cases a file's sport word and bounds its length.
func lowerWord(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 40 {
		s = strings.ToValidUTF8(s[:40], "")
	}
	return s
}
