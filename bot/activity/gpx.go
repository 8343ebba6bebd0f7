package activity

import (
	"errors"
	"io"
	"math"
	"strings"
)

// parseGPX reads a GPX 1.0 or 1.1 document after its root element: track
// points with their time, position and heart rate. Heart rate is the
// Garmin TrackPointExtension's <hr> (any namespace prefix) or an older
// exporter's <heartrate>. GPX states no totals, so every figure comes from
// the points; the sport is the first track's <type> (see gpxSport). Each new track or
// track segment starts after a pause: the step into it counts toward no
// time and no distance.
func (p *parser) parseGPX(w *xmlWalker, creator string) (Activity, error) {
	c := collector{max: p.limits.MaxSamples}
	var tot totals
	var cur point
	inPoint, newSeg, routePoints := false, false, 0
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
			case "trkseg", "trk":
				newSeg = len(c.pts) > 0
			case "trkpt":
				inPoint = true
				cur = point{dist: math.NaN(), segStart: newSeg}
				newSeg = false
				lat, okLat := parseFloat(attr(ev.el, "lat"))
				lon, okLon := parseFloat(attr(ev.el, "lon"))
				if okLat && okLon && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
					cur.lat, cur.lon, cur.hasPos = lat, lon, true
				}
			case "rtept":
				routePoints++
			}
			continue
		}
		switch {
		case ev.name == "trkpt":
			inPoint = false
			if err := c.add(cur); err != nil {
				return Activity{}, p.classify(err)
			}
		case inPoint && ev.name == "time" && w.in("trkpt", "time"):
			if t, ok := parseXMLTime(w.textString()); ok {
				cur.t = t
			}
		case inPoint && (ev.name == "hr" || ev.name == "heartrate") && w.within("extensions"):
			// Some exporters (Endomondo, phone apps) write "94.0".
			if hr, ok := parseFloat(w.textString()); ok && hr >= 0 && hr < 1000 {
				cur.hr = int(math.Round(hr))
			}
		case ev.name == "type" && w.in("trk", "type") && tot.sportName == "":
			tot.sportName, tot.sport = gpxSport(creator, lowerWord(w.textString()))
		}
	}
	if len(c.pts) == 0 && routePoints > 0 {
		return Activity{}, newErr(ErrNotActivity, FormatGPX, "a planned route, not a recorded track", nil)
	}
	return summarize(FormatGPX, c.pts, tot)
}

// stravaRunType is the <type> Strava's GPX export (creator "StravaGPX",
// "StravaGPX iPhone", ...) writes for a run: a number, not a word. It is
// not published; it is seen in Strava's exports next to the same
// activity's TCX (Sport="Running") and in users' reports. Other numbers
// stay "other": other apps number their sports differently, and no other
// Strava code is known for certain.
const stravaRunType = "9"

// gpxSport maps a track's <type> to a sport: a word as most exporters
// write it, or Strava's numeric code for a run.
func gpxSport(creator, word string) (string, Sport) {
	if word == stravaRunType && strings.HasPrefix(creator, "StravaGPX") {
		return "running", SportRun
	}
	return word, sportFromWord(word)
}
