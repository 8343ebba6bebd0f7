package activity

import (
	"errors"
	"io"
	"math"
	"strconv"
	"time"
)

// parseTCX reads a Garmin Training Center (TCX) document after its root
// element: the first <Activity> only. Its Sport attribute names the sport;
// each <Lap> states its timer time (TotalTimeSeconds), distance and
// heart-rate figures, summed over the laps; each <Trackpoint> gives time,
// position, cumulative distance and heart rate.
func (p *parser) parseTCX(w *xmlWalker) (Activity, error) {
	c := collector{max: p.limits.MaxSamples}
	var tot totals
	var cur point
	var lapTimer time.Duration
	var hrWeighted, hrWeight float64
	var lapAvgHR int
	activities, courses := 0, 0
	inActivity, inPoint, timerSet := false, false, false
	var lat, lon float64
	var hasLat, hasLon bool
loop:
	for {
		ev, err := w.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Activity{}, p.xmlError(err)
		}
		if ev.start {
			switch ev.name {
			case "Activity":
				if w.within("Activities") {
					activities++
					inActivity = true
					tot.sportName = lowerWord(attr(ev.el, "Sport"))
					tot.sport = sportFromWord(tot.sportName)
				}
			case "Course":
				courses++
			case "Lap":
				if inActivity {
					lapTimer, lapAvgHR = 0, 0
					if t, ok := parseXMLTime(attr(ev.el, "StartTime")); ok && (tot.start.IsZero() || t.Before(tot.start)) {
						tot.start = t
					}
				}
			case "Trackpoint":
				if inActivity {
					inPoint = true
					cur = point{dist: math.NaN()}
					hasLat, hasLon = false, false
				}
			}
			continue
		}
		if !inActivity {
			continue
		}
		text := w.textString()
		switch {
		case ev.name == "Activity":
			break loop // only the first activity counts
		case ev.name == "Trackpoint":
			inPoint = false
			if hasLat && hasLon && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
				cur.lat, cur.lon, cur.hasPos = lat, lon, true
			}
			if err := c.add(cur); err != nil {
				return Activity{}, p.classify(err)
			}
		case inPoint && w.in("Trackpoint", "Time"):
			if t, ok := parseXMLTime(text); ok {
				cur.t = t
			}
		case inPoint && w.in("Trackpoint", "DistanceMeters"):
			if d, ok := parseFloat(text); ok && d >= 0 {
				cur.dist = d
			}
		case inPoint && w.in("Position", "LatitudeDegrees"):
			lat, hasLat = parseFloat(text)
		case inPoint && w.in("Position", "LongitudeDegrees"):
			lon, hasLon = parseFloat(text)
		case inPoint && w.in("HeartRateBpm", "Value"):
			if hr, err := strconv.Atoi(text); err == nil {
				cur.hr = hr
			}
		case w.in("Activity", "Id"):
			if t, ok := parseXMLTime(text); ok && (tot.start.IsZero() || t.Before(tot.start)) {
				tot.start = t
			}
		case w.in("Lap", "TotalTimeSeconds"):
			if s, ok := parseFloat(text); ok && s >= 0 && s < 1e7 {
				lapTimer = time.Duration(s * float64(time.Second))
				tot.timer += lapTimer
				timerSet = true
			}
		case w.in("Lap", "DistanceMeters"):
			if d, ok := parseFloat(text); ok && d >= 0 {
				tot.distanceM += d
				tot.distSet = true
			}
		case w.in("Lap", "AverageHeartRateBpm", "Value"):
			if hr, err := strconv.Atoi(text); err == nil && hr >= MinHR && hr <= MaxHRValid {
				lapAvgHR = hr
			}
		case w.in("Lap", "MaximumHeartRateBpm", "Value"):
			if hr, err := strconv.Atoi(text); err == nil && hr <= MaxHRValid {
				tot.maxHR = max(tot.maxHR, hr)
			}
		case ev.name == "Lap" && w.within("Activity"):
			if lapAvgHR > 0 {
				wt := lapTimer.Seconds()
				if wt <= 0 {
					wt = 1
				}
				hrWeighted += float64(lapAvgHR) * wt
				hrWeight += wt
			}
		}
	}
	if activities == 0 {
		if courses > 0 {
			return Activity{}, newErr(ErrNotActivity, FormatTCX, "a course, not a recorded activity", nil)
		}
		return Activity{}, newErr(ErrNotActivity, FormatTCX, "no activity in the file", nil)
	}
	if hrWeight > 0 {
		tot.avgHR = int(math.Round(hrWeighted / hrWeight))
	}
	if !timerSet {
		tot.timer = 0
	}
	return summarize(FormatTCX, c.pts, tot)
}
