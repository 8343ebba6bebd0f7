package activity

import (
	"bytes"
	"encoding/xml"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/muktihari/fit/decoder"
	"github.com/muktihari/fit/profile/mesgdef"
	"github.com/muktihari/fit/profile/untyped/mesgnum"
)

// Recordings written by real devices, committed in testdata/ (their sources
// and licences are in testdata/README.md). Every expected figure is read
// from the file itself by code in this file, not by the parsers under test:
// the FIT session message (or the records, where the device left a session
// field unset), the TCX lap totals, and for GPX, which states no totals,
// the points' own timestamps and a great-circle sum over its positions.

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func parseTestdata(t *testing.T, name string, data []byte) Activity {
	t.Helper()
	a, err := Parse(bytes.NewReader(data), name, Limits{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Timeout: testTimeout})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// recordHR is the plain mean and the maximum of the heart rates in a FIT
// file's records, read with the library's full decoder.
func recordHR(t *testing.T, data []byte) (mean float64, maxHR, n int) {
	t.Helper()
	var sum int
	dec := decoder.New(bytes.NewReader(data))
	for dec.Next() {
		fit, err := dec.Decode()
		if err != nil {
			t.Fatal(err)
		}
		for i := range fit.Messages {
			if fit.Messages[i].Num != mesgnum.Record {
				continue
			}
			r := mesgdef.NewRecord(&fit.Messages[i])
			if r.HeartRate == 0 || r.HeartRate == math.MaxUint8 {
				continue
			}
			sum += int(r.HeartRate)
			maxHR = max(maxHR, int(r.HeartRate))
			n++
		}
	}
	if n == 0 {
		t.Fatal("no heart rate in the records")
	}
	return float64(sum) / float64(n), maxHR, n
}

func TestDeviceFilesFIT(t *testing.T) {
	tests := []struct {
		file string
		// sessionHR: the device wrote average and maximum HR in its session
		// message; otherwise (the fenix 2 leaves them unset, 0xFF) the
		// records' own heart rates are the reference.
		sessionHR bool
	}{
		{"garmin-fenix-5-run.fit", true},
		{"garmin-fenix-2-run.fit", false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data := readTestdata(t, tc.file)
			own := readOwnFigures(t, data)
			a := parseTestdata(t, tc.file, data)
			if own.sessions != 1 || a.Format != FormatFIT || a.Sport != SportRun {
				t.Fatalf("%d sessions, %s %s; want one running session in a FIT file", own.sessions, a.Format, a.Sport)
			}
			if !a.Start.Equal(own.start) {
				t.Errorf("Start = %v, want %v", a.Start, own.start)
			}
			within1pct(t, "Elapsed", a.Elapsed.Seconds(), own.elapsed.Seconds())
			within1pct(t, "Timer", a.Timer.Seconds(), own.timer.Seconds())
			within1pct(t, "DistanceM", a.DistanceM, own.distM)
			wantAvg, wantMax := own.avgHR, own.maxHR
			if !tc.sessionHR {
				if own.maxHR != math.MaxUint8 {
					t.Fatalf("session max HR %d: the device did write it, use it", own.maxHR)
				}
				var n int
				wantAvg, wantMax, n = recordHR(t, data)
				within1pct(t, "HR samples", float64(len(a.HR)), float64(n))
			}
			within1pct(t, "AvgHR", float64(a.AvgHR), wantAvg)
			if a.MaxHR != wantMax {
				t.Errorf("MaxHR = %d, want %d", a.MaxHR, wantMax)
			}
			if !a.HasHR || !a.HasGPS || len(a.HR) == 0 {
				t.Errorf("HasHR %v HasGPS %v, %d HR samples", a.HasHR, a.HasGPS, len(a.HR))
			}
		})
	}
}

// The lap totals a TCX file states, read with a bare struct of its own.
type tcxLapTotals struct {
	Laps []struct {
		StartTime string  `xml:"StartTime,attr"`
		Seconds   float64 `xml:"TotalTimeSeconds"`
		Meters    float64 `xml:"DistanceMeters"`
		AvgHR     float64 `xml:"AverageHeartRateBpm>Value"`
		MaxHR     int     `xml:"MaximumHeartRateBpm>Value"`
	} `xml:"Activities>Activity>Lap"`
	Creator string `xml:"Activities>Activity>Creator>Name"`
}

func TestDeviceFileTCX(t *testing.T) {
	checkTCXAgainstLaps(t, "forerunner-410-run.tcx", "")
}

// checkTCXAgainstLaps parses a device-written TCX and compares it with
// the file's own lap totals (creator "" takes any named device).
func checkTCXAgainstLaps(t *testing.T, file, creator string) {
	t.Helper()
	data := readTestdata(t, file)
	var own tcxLapTotals
	if err := xml.Unmarshal(data, &own); err != nil {
		t.Fatal(err)
	}
	if len(own.Laps) != 3 || own.Creator == "" || (creator != "" && own.Creator != creator) {
		t.Fatalf("%d laps, creator %q", len(own.Laps), own.Creator)
	}
	var secs, meters, hrSum float64
	var maxHR int
	for _, l := range own.Laps {
		secs += l.Seconds
		meters += l.Meters
		hrSum += l.AvgHR * l.Seconds
		maxHR = max(maxHR, l.MaxHR)
	}
	start, err := time.Parse(time.RFC3339, own.Laps[0].StartTime)
	if err != nil {
		t.Fatal(err)
	}
	a := parseTestdata(t, file, data)
	if a.Format != FormatTCX || a.Sport != SportRun || !a.Start.Equal(start) {
		t.Errorf("%s %s %v, want tcx run %v", a.Format, a.Sport, a.Start, start)
	}
	within1pct(t, "Timer", a.Timer.Seconds(), secs)
	within1pct(t, "DistanceM", a.DistanceM, meters)
	within1pct(t, "AvgHR", float64(a.AvgHR), hrSum/secs)
	if a.MaxHR != maxHR || !a.HasHR || !a.HasGPS {
		t.Errorf("MaxHR %d HasHR %v HasGPS %v, want %d true true", a.MaxHR, a.HasHR, a.HasGPS, maxHR)
	}
}

// A GPX track states no totals: the reference is its first and last
// timestamps and the sum of great-circle distances between its points
// (spherical law of cosines, a different formula from the parser's).
func TestDeviceFileGPX(t *testing.T) {
	const file = "etrex-20x-track.gpx"
	data := readTestdata(t, file)
	var own struct {
		Creator string `xml:"creator,attr"`
		Points  []struct {
			Lat  float64 `xml:"lat,attr"`
			Lon  float64 `xml:"lon,attr"`
			Time string  `xml:"time"`
		} `xml:"trk>trkseg>trkpt"`
	}
	if err := xml.Unmarshal(data, &own); err != nil {
		t.Fatal(err)
	}
	if own.Creator != "eTrex 20x" || len(own.Points) < 2 {
		t.Fatalf("creator %q, %d points", own.Creator, len(own.Points))
	}
	const earthM = 6371000.0
	rad := math.Pi / 180
	var meters float64
	for i := 1; i < len(own.Points); i++ {
		p, q := own.Points[i-1], own.Points[i]
		c := math.Sin(p.Lat*rad)*math.Sin(q.Lat*rad) + math.Cos(p.Lat*rad)*math.Cos(q.Lat*rad)*math.Cos((q.Lon-p.Lon)*rad)
		meters += earthM * math.Acos(math.Min(1, c))
	}
	first, err1 := time.Parse(time.RFC3339, own.Points[0].Time)
	last, err2 := time.Parse(time.RFC3339, own.Points[len(own.Points)-1].Time)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	a := parseTestdata(t, file, data)
	if a.Format != FormatGPX || !a.Start.Equal(first) || !a.HasGPS {
		t.Errorf("%s start %v GPS %v, want gpx %v true", a.Format, a.Start, a.HasGPS, first)
	}
	within1pct(t, "Elapsed", a.Elapsed.Seconds(), last.Sub(first).Seconds())
	within1pct(t, "DistanceM", a.DistanceM, meters)
	// The eTrex records no heart rate: none is made up.
	if a.HasHR || a.AvgHR != 0 || a.MaxHR != 0 || len(a.HR) != 0 {
		t.Errorf("HR from a file without any: has %v avg %d max %d, %d samples", a.HasHR, a.AvgHR, a.MaxHR, len(a.HR))
	}
}
