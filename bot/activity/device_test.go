package activity

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muktihari/fit/decoder"
	"github.com/muktihari/fit/profile/mesgdef"
	"github.com/muktihari/fit/profile/untyped/mesgnum"
)

// Device-written FIT files. They are not copied into this repository: the
// FIT library's module, which the build has already downloaded, ships
// recordings from Garmin devices in its testdata folder, and the tests read
// them from there (see testdata/README.md for their origin and licences).

var (
	fitModDirOnce sync.Once
	fitModDir     string
	fitModDirErr  error
)

func deviceFIT(t *testing.T, rel string) []byte {
	t.Helper()
	fitModDirOnce.Do(func() {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/muktihari/fit").Output()
		fitModDir, fitModDirErr = strings.TrimSpace(string(out)), err
	})
	if fitModDirErr != nil || fitModDir == "" {
		t.Fatalf("locating the FIT module: %v (is go on PATH?)", fitModDirErr)
	}
	data, err := os.ReadFile(filepath.Join(fitModDir, "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// ownFigures reads a FIT file's session messages with the library's full
// decoder, independently of Parse: the figures the device itself wrote.
type ownFigures struct {
	sessions         int
	elapsed, timer   time.Duration
	distM            float64
	avgHR            float64 // weighted by timer time
	maxHR            int
	start            time.Time
	records, withPos int
}

func readOwnFigures(t *testing.T, data []byte) ownFigures {
	t.Helper()
	var f ownFigures
	var hrSum, hrW float64
	dec := decoder.New(bytes.NewReader(data))
	for dec.Next() {
		fit, err := dec.Decode()
		if err != nil {
			t.Fatal(err)
		}
		for i := range fit.Messages {
			m := &fit.Messages[i]
			switch m.Num {
			case mesgnum.Session:
				s := mesgdef.NewSession(m)
				f.sessions++
				if f.start.IsZero() || s.StartTime.Before(f.start) {
					f.start = s.StartTime
				}
				f.elapsed += time.Duration(s.TotalElapsedTime) * time.Millisecond
				f.timer += time.Duration(s.TotalTimerTime) * time.Millisecond
				f.distM += s.TotalDistanceScaled()
				hrSum += float64(s.AvgHeartRate) * s.TotalTimerTimeScaled()
				hrW += s.TotalTimerTimeScaled()
				f.maxHR = max(f.maxHR, int(s.MaxHeartRate))
			case mesgnum.Record:
				r := mesgdef.NewRecord(m)
				f.records++
				if r.PositionLat != math.MaxInt32 {
					f.withPos++
				}
			}
		}
	}
	f.avgHR = hrSum / hrW
	return f
}

// Parse reports what the device wrote in its session messages, and the
// figures worked out from the records alone (the path for files without
// totals) agree with them within 1%.
func TestDeviceFIT(t *testing.T) {
	tests := []struct {
		file        string
		sport       Sport
		sportName   string
		fromRecords bool // records alone must match too (a single-sport file with HR in its records)
	}{
		// A Garmin Edge ride that stopped on a low battery.
		{"from_official_sdk/activity_lowbattery.fit", SportRide, "cycling", true},
		// A Garmin triathlon: swim, transition, bike, transition, run.
		{"from_garmin_forums/triathlon_summary_last.fit", SportOther, "multisport", false},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			data := deviceFIT(t, tc.file)
			own := readOwnFigures(t, data)
			a, err := Parse(bytes.NewReader(data), tc.file, Limits{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Timeout: testTimeout})
			if err != nil {
				t.Fatal(err)
			}
			if a.Sport != tc.sport || a.SportName != tc.sportName {
				t.Errorf("sport %s (%s), want %s (%s)", a.Sport, a.SportName, tc.sport, tc.sportName)
			}
			if !a.Start.Equal(own.start) {
				t.Errorf("Start = %v, want %v", a.Start, own.start)
			}
			within1pct(t, "Elapsed", a.Elapsed.Seconds(), own.elapsed.Seconds())
			within1pct(t, "Timer", a.Timer.Seconds(), own.timer.Seconds())
			within1pct(t, "DistanceM", a.DistanceM, own.distM)
			within1pct(t, "AvgHR", float64(a.AvgHR), own.avgHR)
			if a.MaxHR != own.maxHR {
				t.Errorf("MaxHR = %d, want %d", a.MaxHR, own.maxHR)
			}
			if a.HasGPS != (own.withPos >= 2) || !a.HasHR || len(a.HR) == 0 {
				t.Errorf("HasGPS %v HasHR %v with %d HR samples; %d records with a position", a.HasGPS, a.HasHR, len(a.HR), own.withPos)
			}
			if a.Moving > a.Timer || a.Moving < a.Timer/2 {
				t.Errorf("Moving = %s of timer %s", a.Moving, a.Timer)
			}
			if !tc.fromRecords {
				return
			}
			pts := devicePoints(t, data)
			b, err := summarize(FormatFIT, pts, totals{})
			if err != nil {
				t.Fatal(err)
			}
			within1pct(t, "Timer from records", b.Timer.Seconds(), own.timer.Seconds())
			within1pct(t, "Elapsed from records", b.Elapsed.Seconds(), own.elapsed.Seconds())
			within1pct(t, "Distance from records", b.DistanceM, own.distM)
			within1pct(t, "AvgHR from records", float64(b.AvgHR), own.avgHR)
		})
	}
}

// devicePoints runs the FIT listener alone, keeping the records without
// the session totals.
func devicePoints(t *testing.T, data []byte) []point {
	t.Helper()
	l := &fitListener{c: collector{max: DefaultMaxSamples}, stop: func() {}}
	dec := decoder.New(bytes.NewReader(data), decoder.WithMesgListener(l), decoder.WithBroadcastOnly())
	for dec.Next() {
		if _, err := dec.DecodeWithContext(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return l.c.pts
}

// A device's recording rewritten as GPX and as TCX, the way exporters turn
// a FIT file into those formats: the three parsers agree on it.
func TestDeviceRecordingAcrossFormats(t *testing.T) {
	data := deviceFIT(t, "from_garmin_forums/triathlon_summary_last.fit")
	pts := devicePoints(t, data)
	fromFIT, err := summarize(FormatFIT, pts, totals{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		format Format
	}{
		{"gpx", pointsGPX(pts), FormatGPX},
		{"tcx", pointsTCX(pts), FormatTCX},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(bytes.NewReader(tc.data), "", Limits{Timeout: testTimeout})
			if err != nil {
				t.Fatal(err)
			}
			if a.Format != tc.format || !a.Start.Equal(fromFIT.Start) {
				t.Errorf("format %s start %v, want %s %v", a.Format, a.Start, tc.format, fromFIT.Start)
			}
			within1pct(t, "Elapsed", a.Elapsed.Seconds(), fromFIT.Elapsed.Seconds())
			within1pct(t, "Timer", a.Timer.Seconds(), fromFIT.Timer.Seconds())
			within1pct(t, "Moving", a.Moving.Seconds(), fromFIT.Moving.Seconds())
			within1pct(t, "DistanceM", a.DistanceM, fromFIT.DistanceM)
			within1pct(t, "AvgHR", float64(a.AvgHR), float64(fromFIT.AvgHR))
			// GPX drops the few records that have no position.
			within1pct(t, "HR samples", float64(len(a.HR)), float64(len(fromFIT.HR)))
			if a.MaxHR != fromFIT.MaxHR {
				t.Errorf("MaxHR %d, want %d", a.MaxHR, fromFIT.MaxHR)
			}
		})
	}
}

func pointsGPX(pts []point) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	fmt.Fprintln(w, `<?xml version="1.0" encoding="UTF-8"?>`)
	fmt.Fprintln(w, `<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><type>triathlon</type><trkseg>`)
	for _, p := range pts {
		if !p.hasPos {
			continue // GPX has no point without a position
		}
		fmt.Fprintf(w, `<trkpt lat="%.8f" lon="%.8f"><time>%s</time>`, p.lat, p.lon, p.t.Format(time.RFC3339))
		if p.hr > 0 {
			fmt.Fprintf(w, `<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>%d</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>`, p.hr)
		}
		fmt.Fprintln(w, `</trkpt>`)
	}
	fmt.Fprintln(w, `</trkseg></trk></gpx>`)
	_ = w.Flush()
	return b.Bytes()
}

func pointsTCX(pts []point) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	fmt.Fprintln(w, `<?xml version="1.0" encoding="UTF-8"?>`)
	fmt.Fprintln(w, `<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Other">`)
	fmt.Fprintf(w, "<Id>%s</Id><Lap StartTime=%q><Track>\n", pts[0].t.Format(time.RFC3339), pts[0].t.Format(time.RFC3339))
	for _, p := range pts {
		fmt.Fprintf(w, "<Trackpoint><Time>%s</Time>", p.t.Format(time.RFC3339))
		if p.hasPos {
			fmt.Fprintf(w, "<Position><LatitudeDegrees>%.8f</LatitudeDegrees><LongitudeDegrees>%.8f</LongitudeDegrees></Position>", p.lat, p.lon)
		}
		if !math.IsNaN(p.dist) {
			fmt.Fprintf(w, "<DistanceMeters>%.2f</DistanceMeters>", p.dist)
		}
		if p.hr > 0 {
			fmt.Fprintf(w, "<HeartRateBpm><Value>%d</Value></HeartRateBpm>", p.hr)
		}
		fmt.Fprintln(w, "</Trackpoint>")
	}
	fmt.Fprintln(w, "</Track></Lap></Activity></Activities></TrainingCenterDatabase>")
	_ = w.Flush()
	return b.Bytes()
}
