package activity

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The files in testdata/, each against the figures testdata/README.md
// gives for it.
func TestTestdataFiles(t *testing.T) {
	start := time.Date(2025, 6, 1, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		file            string
		format          Format
		elapsed, timer  time.Duration
		distM, avgHR    float64
		maxHR, hrPoints int
	}{
		{"run_two_segments.gpx", FormatGPX, 328 * time.Second, 238 * time.Second, 761.6, 142, 153, 240},
		{"run_two_laps.tcx", FormatTCX, 360 * time.Second, 360 * time.Second, 1134, 152.5, 165, 121},
	}
	for _, tc := range tests {
		data, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, variant := range []struct {
			name string
			data []byte
		}{{"plain", data}, {"gzip", gzipBytes(t, data)}, {"zip", zipBytes(t, tc.file, data)}} {
			t.Run(tc.file+"/"+variant.name, func(t *testing.T) {
				a, err := Parse(bytes.NewReader(variant.data), tc.file, Limits{Now: start.Add(24 * time.Hour)})
				if err != nil {
					t.Fatal(err)
				}
				if a.Format != tc.format || a.Sport != SportRun || !a.Start.Equal(start) {
					t.Errorf("%s %s %v, want %s run %v", a.Format, a.Sport, a.Start, tc.format, start)
				}
				within1pct(t, "Elapsed", a.Elapsed.Seconds(), tc.elapsed.Seconds())
				within1pct(t, "Timer", a.Timer.Seconds(), tc.timer.Seconds())
				within1pct(t, "Moving", a.Moving.Seconds(), tc.timer.Seconds())
				within1pct(t, "DistanceM", a.DistanceM, tc.distM)
				within1pct(t, "AvgHR", float64(a.AvgHR), tc.avgHR)
				if a.MaxHR != tc.maxHR || len(a.HR) != tc.hrPoints || !a.HasGPS || !a.HasHR {
					t.Errorf("MaxHR %d, %d HR samples, GPS %v HR %v; want %d, %d, true, true", a.MaxHR, len(a.HR), a.HasGPS, a.HasHR, tc.maxHR, tc.hrPoints)
				}
			})
		}
	}
}

// XML variants exporters write: a Latin-1 declaration, a byte-order mark,
// GPX 1.0 with an older <heartrate> element, a time without a zone.
func TestXMLVariants(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		hr   int
		dist float64
	}{
		{"latin-1 TCX", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Id>2025-06-01T06:00:00Z</Id><Notes>S\xe9ance</Notes><Lap StartTime=\"2025-06-01T06:00:00Z\"><Track>" +
			"<Trackpoint><Time>2025-06-01T06:00:00Z</Time><DistanceMeters>0</DistanceMeters><HeartRateBpm><Value>140</Value></HeartRateBpm></Trackpoint>" +
			"<Trackpoint><Time>2025-06-01T06:00:10Z</Time><DistanceMeters>30</DistanceMeters><HeartRateBpm><Value>150</Value></HeartRateBpm></Trackpoint>" +
			"</Track></Lap></Activity></Activities></TrainingCenterDatabase>", 150, 30},
		{"BOM and GPX 1.0 heartrate", "\xef\xbb\xbf  <gpx version=\"1.0\" xmlns=\"http://www.topografix.com/GPX/1/0\"><trk><type>Run</type><trkseg>" +
			"<trkpt lat=\"1\" lon=\"0\"><time>2025-06-01T06:00:00</time><extensions><heartrate>140</heartrate></extensions></trkpt>" +
			"<trkpt lat=\"1\" lon=\"0.0002695\"><time>2025-06-01T06:00:10</time><extensions><heartrate>150</heartrate></extensions></trkpt>" +
			"</trkseg></trk></gpx>", 150, 30},
		{"a point before the GPS fix at 0°, 0°", "<gpx version=\"1.1\"><trk><type>running</type><trkseg>" +
			"<trkpt lat=\"0\" lon=\"0\"><time>2025-06-01T06:00:00Z</time></trkpt>" +
			"<trkpt lat=\"51.5\" lon=\"-0.1\"><time>2025-06-01T06:00:05Z</time><extensions><gpxtpx:TrackPointExtension xmlns:gpxtpx=\"x\"><gpxtpx:hr>150</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>" +
			"<trkpt lat=\"51.50027\" lon=\"-0.1\"><time>2025-06-01T06:00:10Z</time></trkpt>" +
			"</trkseg></trk></gpx>", 150, 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(strings.NewReader(tc.doc), "", Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Start.Equal(time.Date(2025, 6, 1, 6, 0, 0, 0, time.UTC)) || a.Elapsed != 10*time.Second || a.Sport != SportRun {
				t.Errorf("start %v elapsed %s sport %s", a.Start, a.Elapsed, a.Sport)
			}
			if a.MaxHR != tc.hr {
				t.Errorf("MaxHR = %d, want %d", a.MaxHR, tc.hr)
			}
			within1pct(t, "DistanceM", a.DistanceM, tc.dist)
		})
	}
}

// Stated totals that do not fit the samples give way to the samples.
func TestStatedTotalsMustFitSamples(t *testing.T) {
	doc := func(id, lapSeconds string) string {
		return `<TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>` + id + `</Id><Lap StartTime="` + id + `"><TotalTimeSeconds>` + lapSeconds + `</TotalTimeSeconds><Track>` +
			`<Trackpoint><Time>2025-06-01T06:00:00Z</Time></Trackpoint><Trackpoint><Time>2025-06-01T06:00:20Z</Time></Trackpoint>` +
			`</Track></Lap></Activity></Activities></TrainingCenterDatabase>`
	}
	first := time.Date(2025, 6, 1, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name           string
		id, lapSeconds string
		start          time.Time
		elapsed, timer time.Duration
	}{
		{"start a few seconds early", "2025-06-01T05:59:55Z", "20", first.Add(-5 * time.Second), 25 * time.Second, 20 * time.Second},
		{"start a day early", "2025-05-31T06:00:00Z", "20", first, 20 * time.Second, 20 * time.Second},
		{"timer longer than the clock", "2025-06-01T06:00:00Z", "86400", first, 20 * time.Second, 20 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(strings.NewReader(doc(tc.id, tc.lapSeconds)), "", Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Start.Equal(tc.start) || a.Elapsed != tc.elapsed || a.Timer != tc.timer {
				t.Errorf("start %v elapsed %s timer %s; want %v %s %s", a.Start, a.Elapsed, a.Timer, tc.start, tc.elapsed, tc.timer)
			}
		})
	}
}
