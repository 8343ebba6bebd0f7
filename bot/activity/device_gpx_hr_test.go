package activity

import (
	"encoding/xml"
	"math"
	"testing"
	"time"
)

// A run recorded with heart rate and exported by Strava as GPX
// ("StravaGPX", <type>9</type>), copied from runpandas' test data (see
// testdata/README.md). The expected figures are not our parser's output:
//
//   - runpandas, whose tests use this very file, reports an elapsed time
//     of 1:25:27 and a position-sum distance of 12,594.65 m for it
//     (runpandas/tests/test_frame.py and test_columns.py);
//   - the same activity's TCX export, kept beside it in runpandas
//     (tcx/stopped_example.tcx, 785 KB, not copied), states three laps
//     totalling 4,753 s of timer time with average HR 152, 113 and 148
//     (150.3 weighted by lap time) and maximum 174;
//   - the test itself reads the file's first and last timestamps, every
//     <gpxtpx:hr> value and a law-of-cosines sum over its positions.
const (
	stravaGPXFile          = "strava-run-recife.gpx"
	runpandasElapsedS      = 1*3600 + 25*60 + 27
	runpandasDistanceM     = 12594.649752172338
	stravaTCXTimerS        = 2695 + 2 + 2056
	stravaTCXAvgHR         = (152*2695 + 113*2 + 148*2056) / float64(stravaTCXTimerS)
	stravaTCXMaxHR         = 174
	stravaGPXCreatorPrefix = "StravaGPX"
)

func TestDeviceFileGPXWithHeartRate(t *testing.T) {
	data := readTestdata(t, stravaGPXFile)
	var own struct {
		Creator string `xml:"creator,attr"`
		Type    string `xml:"trk>type"`
		Points  []struct {
			Lat  float64 `xml:"lat,attr"`
			Lon  float64 `xml:"lon,attr"`
			Time string  `xml:"time"`
			HR   int     `xml:"extensions>TrackPointExtension>hr"`
		} `xml:"trk>trkseg>trkpt"`
	}
	if err := xml.Unmarshal(data, &own); err != nil {
		t.Fatal(err)
	}
	if len(own.Creator) < len(stravaGPXCreatorPrefix) || own.Creator[:len(stravaGPXCreatorPrefix)] != stravaGPXCreatorPrefix || own.Type != "9" || len(own.Points) < 2 {
		t.Fatalf("creator %q, type %q, %d points", own.Creator, own.Type, len(own.Points))
	}
	first, err1 := time.Parse(time.RFC3339, own.Points[0].Time)
	last, err2 := time.Parse(time.RFC3339, own.Points[len(own.Points)-1].Time)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	var meters, hrSum float64
	var hrN, maxHR int
	rad := math.Pi / 180
	for i, p := range own.Points {
		if p.HR > 0 {
			hrSum += float64(p.HR)
			hrN++
			maxHR = max(maxHR, p.HR)
		}
		if i == 0 {
			continue
		}
		q := own.Points[i-1]
		c := math.Sin(p.Lat*rad)*math.Sin(q.Lat*rad) + math.Cos(p.Lat*rad)*math.Cos(q.Lat*rad)*math.Cos((p.Lon-q.Lon)*rad)
		meters += 6371000 * math.Acos(math.Min(1, c))
	}
	// The file's own figures and runpandas' agree before ours are checked.
	within1pct(t, "file elapsed vs runpandas", last.Sub(first).Seconds(), runpandasElapsedS)
	within1pct(t, "file distance vs runpandas", meters, runpandasDistanceM)
	if maxHR != stravaTCXMaxHR {
		t.Fatalf("file max HR %d, the TCX export states %d", maxHR, stravaTCXMaxHR)
	}

	a := parseTestdata(t, stravaGPXFile, data)
	if a.Format != FormatGPX || a.Sport != SportRun || !a.Start.Equal(first) || !a.HasGPS || !a.HasHR {
		t.Errorf("%s %s (%q) start %v GPS %v HR %v, want a gpx run from %v with GPS and HR", a.Format, a.Sport, a.SportName, a.Start, a.HasGPS, a.HasHR, first)
	}
	within1pct(t, "Elapsed", a.Elapsed.Seconds(), runpandasElapsedS)
	within1pct(t, "DistanceM", a.DistanceM, runpandasDistanceM)
	// The pauses the parser finds in the points leave the time the
	// recording app's own timer ran (the TCX laps).
	within1pct(t, "Timer", a.Timer.Seconds(), stravaTCXTimerS)
	within1pct(t, "AvgHR (mean of the file's values)", float64(a.AvgHR), hrSum/float64(hrN))
	within1pct(t, "AvgHR (the TCX laps)", float64(a.AvgHR), stravaTCXAvgHR)
	if a.MaxHR != maxHR || len(a.HR) != hrN {
		t.Errorf("MaxHR %d, %d HR samples; want %d, %d", a.MaxHR, len(a.HR), maxHR, hrN)
	}
}

// Strava's numeric <type> means a run only in Strava's own export; a
// heart rate written with a decimal point still counts.
func TestGPXTypeNumberAndDecimalHR(t *testing.T) {
	doc := func(creator, typ, hr string) []byte {
		return []byte(`<?xml version="1.0"?><gpx version="1.1" creator="` + creator + `" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><type>` + typ + `</type><trkseg>` +
			`<trkpt lat="48.1" lon="11.5"><time>2025-06-01T06:00:00Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>` + hr + `</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>` +
			`<trkpt lat="48.1" lon="11.501"><time>2025-06-01T06:00:30Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>` + hr + `</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>` +
			`</trkseg></trk></gpx>`)
	}
	tests := []struct {
		creator, typ, hr string
		sport            Sport
		avgHR            int
	}{
		{"StravaGPX", "9", "140", SportRun, 140},
		{"StravaGPX iPhone", "9", "140", SportRun, 140},
		{"StravaGPX", "1", "140", SportOther, 140},
		{"Some other app", "9", "140", SportOther, 140},
		{"Endomondo.com", "RUNNING", "94.0", SportRun, 94},
		{"Endomondo.com", "RUNNING", "150.6", SportRun, 151},
	}
	for _, tc := range tests {
		a := parseTestdata(t, "t.gpx", doc(tc.creator, tc.typ, tc.hr))
		if a.Sport != tc.sport || a.AvgHR != tc.avgHR || !a.HasHR {
			t.Errorf("creator %q type %q hr %q: sport %s, avg HR %d (has %v); want %s, %d", tc.creator, tc.typ, tc.hr, a.Sport, a.AvgHR, a.HasHR, tc.sport, tc.avgHR)
		}
	}
}

// A second device TCX, from another watch and exporter: three laps as a
// Garmin Forerunner 620 wrote them (runpandas' test data, see
// testdata/README.md), checked against its own lap totals.
func TestDeviceFileTCXForerunner620(t *testing.T) {
	checkTCXAgainstLaps(t, "forerunner-620-run.tcx", "Garmin Forerunner 620")
}
