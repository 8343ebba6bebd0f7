package activity

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/muktihari/fit/profile/typedef"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = Limits{MaxDecompressed: 4 << 20, MaxSamples: 5000, Timeout: 2 * time.Second}

// checkParse asserts what must hold for any input: a typed error of a
// known kind, or an activity whose figures are consistent.
func checkParse(t *testing.T, data []byte) {
	a, err := Parse(bytes.NewReader(data), "fuzz", fuzzLimits)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || !known(e.Kind) {
			t.Fatalf("error %v (%T) is not a typed error of a known kind", err, err)
		}
		return
	}
	if a.Moving < 0 || a.Moving > a.Timer || a.Timer > a.Elapsed {
		t.Fatalf("moving %s, timer %s, elapsed %s out of order", a.Moving, a.Timer, a.Elapsed)
	}
	if a.DistanceM < 0 || math.IsNaN(a.DistanceM) || math.IsInf(a.DistanceM, 0) {
		t.Fatalf("distance %v", a.DistanceM)
	}
	if a.AvgHR < 0 || a.AvgHR > MaxHRValid || a.MaxHR < 0 || a.MaxHR > MaxHRValid || len(a.HR) > fuzzLimits.MaxSamples {
		t.Fatalf("heart rate avg %d max %d with %d samples", a.AvgHR, a.MaxHR, len(a.HR))
	}
	if a.Start.Year() < earliestYear || a.Start.Location() != time.UTC {
		t.Fatalf("start %v", a.Start)
	}
	for i, s := range a.HR {
		if s.Offset < 0 || (i > 0 && s.Offset < a.HR[i-1].Offset) || s.BPM < MinHR || s.BPM > MaxHRValid {
			t.Fatalf("HR sample %d: %+v", i, s)
		}
	}
	if a.Format == "" || a.Sport == "" {
		t.Fatalf("format %q sport %q", a.Format, a.Sport)
	}
}

func FuzzParseFIT(f *testing.F) {
	tiny := workout{sport: typedef.SportRunning, start: day, gps: true, summary: true,
		stretch: []stretch{{dur: 20 * time.Second, speed: 3, hr: 150, pause: time.Minute}, {dur: 10 * time.Second, speed: 0, hr: 120}}}
	data := tiny.fitBytes(f)
	f.Add(data)
	f.Add(gzipBytes(f, data))
	f.Add(data[:len(data)/2])
	f.Add(workout{sport: typedef.SportCycling, start: day, stretch: []stretch{{dur: 5 * time.Second, speed: 8, hr: 130}}}.fitBytes(f))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data) })
}

func FuzzParseGPX(f *testing.F) {
	f.Add(short.gpxBytes())
	if data, err := os.ReadFile(filepath.Join("testdata", "run_two_segments.gpx")); err == nil {
		f.Add(data[:4000])
	}
	f.Add([]byte(`<gpx><trk><type>running</type><trkseg><trkpt lat="1" lon="2"><time>2025-01-01T00:00:00Z</time><extensions><hr>150</hr></extensions></trkpt><trkpt lat="1.001" lon="2"><time>2025-01-01T00:00:05Z</time></trkpt></trkseg></trk></gpx>`))
	f.Add([]byte(`<gpx><rte><rtept lat="1" lon="2"/></rte></gpx>`))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data) })
}

func FuzzParseTCX(f *testing.F) {
	f.Add(short.tcxBytes())
	if data, err := os.ReadFile(filepath.Join("testdata", "run_two_laps.tcx")); err == nil {
		f.Add(data[:4000])
	}
	f.Add([]byte(`<TrainingCenterDatabase><Activities><Activity Sport="Biking"><Id>2025-01-01T00:00:00Z</Id><Lap StartTime="2025-01-01T00:00:00Z"><TotalTimeSeconds>10</TotalTimeSeconds><DistanceMeters>50</DistanceMeters><Track><Trackpoint><Time>2025-01-01T00:00:00Z</Time><HeartRateBpm><Value>120</Value></HeartRateBpm></Trackpoint><Trackpoint><Time>2025-01-01T00:00:10Z</Time><DistanceMeters>50</DistanceMeters></Trackpoint></Track></Lap></Activity></Activities></TrainingCenterDatabase>`))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data) })
}
