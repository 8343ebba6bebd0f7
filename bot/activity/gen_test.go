package activity

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/muktihari/fit/encoder"
	"github.com/muktihari/fit/profile/basetype"
	"github.com/muktihari/fit/profile/filedef"
	"github.com/muktihari/fit/profile/mesgdef"
	"github.com/muktihari/fit/profile/typedef"
)

// A workout to write as a file: stretches of steady speed and heart rate,
// recorded once a second, with optional pauses (the watch stopped) between
// them.
type stretch struct {
	dur   time.Duration
	speed float64 // m/s; 0 is standing still with the timer running
	hr    int     // mean bpm; samples wobble ±2 around it in a 5 s cycle
	pause time.Duration
}

type workout struct {
	sport    typedef.Sport
	start    time.Time
	stretch  []stretch
	gps      bool
	noHR     bool
	summary  bool // write session and lap totals, as a watch does
	fileType typedef.File
	devDescs int // developer field descriptions to write
}

// sample is one second of a workout.
type sample struct {
	t      time.Time
	distM  float64
	hr     int
	lat    float64
	lon    float64
	moving bool
}

// startLat/startLon: somewhere in a park. One metre north is 1/111195°.
const startLat, startLon = 51.5007, -0.1246

// samples expands the workout into one sample a second: each stretch
// writes a sample at its start and every second after, and the last
// stretch also writes its end.
func (w workout) samples() []sample {
	var out []sample
	t, dist := w.start, 0.0
	for si, s := range w.stretch {
		secs := int(s.dur / time.Second)
		for i := range secs {
			hr := s.hr + (i%5 - 2)
			out = append(out, sample{t: t, distM: dist, hr: hr, lat: startLat + dist/111195, lon: startLon, moving: s.speed >= MovingSpeed})
			t = t.Add(time.Second)
			dist += s.speed
		}
		if si == len(w.stretch)-1 {
			out = append(out, sample{t: t, distM: dist, hr: s.hr, lat: startLat + dist/111195, lon: startLon})
		}
		t = t.Add(s.pause)
	}
	return out
}

// figures are what a correct parser reports, worked out from the workout
// itself rather than from the file.
type figures struct {
	elapsed, timer, moving time.Duration
	distM                  float64
	avgHR, maxHR           int
	hrSamples              int
}

func (w workout) want() figures {
	var f figures
	var hrSum, hrN float64
	for _, s := range w.stretch {
		f.elapsed += s.dur + s.pause
		f.timer += s.dur
		if s.speed >= MovingSpeed {
			f.moving += s.dur
		}
		f.distM += s.speed * s.dur.Seconds()
		hrSum += float64(s.hr) * s.dur.Seconds()
		hrN += s.dur.Seconds()
		f.maxHR = max(f.maxHR, s.hr+2)
	}
	f.elapsed -= w.stretch[len(w.stretch)-1].pause
	f.avgHR = int(math.Round(hrSum / hrN))
	f.hrSamples = len(w.samples())
	if w.noHR {
		f.avgHR, f.maxHR, f.hrSamples = 0, 0, 0
	}
	return f
}

// fitBytes writes the workout with the FIT library's own encoder.
func (w workout) fitBytes(tb testing.TB) []byte {
	tb.Helper()
	act := filedef.NewActivity()
	ft := w.fileType
	if ft == 0 {
		ft = typedef.FileActivity
	}
	act.FileId.SetType(ft).SetManufacturer(typedef.ManufacturerGarmin).SetProduct(4315).
		SetSerialNumber(3412345678).SetTimeCreated(w.start)
	if w.devDescs > 0 {
		act.DeveloperDataIds = append(act.DeveloperDataIds, mesgdef.NewDeveloperDataId(nil).SetDeveloperDataIndex(0).SetApplicationVersion(1))
		for i := range w.devDescs {
			act.FieldDescriptions = append(act.FieldDescriptions, mesgdef.NewFieldDescription(nil).SetDeveloperDataIndex(0).
				SetFieldDefinitionNumber(uint8(i)).SetFitBaseTypeId(basetype.Uint8).SetFieldName([]string{"f"}))
		}
	}
	// Watches write the sport at the start too; without totals it is the
	// only place that names it.
	act.Sports = append(act.Sports, mesgdef.NewSport(nil).SetSport(w.sport))
	ss := w.samples()
	for _, s := range ss {
		r := mesgdef.NewRecord(nil).SetTimestamp(s.t).SetDistance(uint32(math.Round(s.distM * 100)))
		if !w.noHR {
			r.SetHeartRate(uint8(s.hr))
		}
		if w.gps {
			r.SetPositionLat(int32(math.Round(s.lat / semicircle))).SetPositionLong(int32(math.Round(s.lon / semicircle)))
		}
		act.Records = append(act.Records, r)
	}
	end := ss[len(ss)-1].t
	if w.summary {
		f := w.want()
		lap := mesgdef.NewLap(nil).SetTimestamp(end).SetStartTime(w.start).SetSport(w.sport).
			SetTotalElapsedTime(uint32(f.elapsed.Milliseconds())).SetTotalTimerTime(uint32(f.timer.Milliseconds())).
			SetTotalDistance(uint32(math.Round(f.distM * 100)))
		sess := mesgdef.NewSession(nil).SetTimestamp(end).SetStartTime(w.start).SetSport(w.sport).
			SetTotalElapsedTime(uint32(f.elapsed.Milliseconds())).SetTotalTimerTime(uint32(f.timer.Milliseconds())).
			SetTotalDistance(uint32(math.Round(f.distM * 100)))
		if !w.noHR {
			lap.SetAvgHeartRate(uint8(f.avgHR)).SetMaxHeartRate(uint8(f.maxHR))
			sess.SetAvgHeartRate(uint8(f.avgHR)).SetMaxHeartRate(uint8(f.maxHR))
		}
		act.Laps = append(act.Laps, lap)
		act.Sessions = append(act.Sessions, sess)
		act.Activity = mesgdef.NewActivity(nil).SetTimestamp(end).SetNumSessions(1).SetType(typedef.ActivityManual).
			SetTotalTimerTime(uint32(f.timer.Milliseconds()))
	}
	fit := act.ToFIT(nil)
	var buf bytes.Buffer
	if err := encoder.New(&buf).Encode(&fit); err != nil {
		tb.Fatalf("encode FIT: %v", err)
	}
	return buf.Bytes()
}

// gpxBytes writes the workout as a GPX 1.1 track in the shape Garmin
// Connect exports: the heart rate in a TrackPointExtension under the ns3
// prefix.
func (w workout) gpxBytes() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<gpx creator="Test" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">` + "\n")
	fmt.Fprintf(&b, "<metadata><time>%s</time></metadata>\n<trk><name>Test</name><type>%s</type><trkseg>\n", w.start.Format(time.RFC3339), w.sport)
	for _, s := range w.samples() {
		fmt.Fprintf(&b, `<trkpt lat="%.7f" lon="%.7f"><ele>12.4</ele><time>%s</time>`, s.lat, s.lon, s.t.Format(time.RFC3339))
		if !w.noHR {
			fmt.Fprintf(&b, "<extensions><ns3:TrackPointExtension><ns3:hr>%d</ns3:hr></ns3:TrackPointExtension></extensions>", s.hr)
		}
		b.WriteString("</trkpt>\n")
	}
	b.WriteString("</trkseg></trk></gpx>\n")
	return []byte(b.String())
}

// tcxBytes writes the workout as a TCX activity with one lap whose totals
// are the workout's, in the shape Garmin's exporters use.
func (w workout) tcxBytes() []byte {
	f := w.want()
	sport := map[typedef.Sport]string{typedef.SportRunning: "Running", typedef.SportCycling: "Biking"}[w.sport]
	if sport == "" {
		sport = "Other"
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">` + "\n<Activities>\n")
	fmt.Fprintf(&b, "<Activity Sport=%q><Id>%s</Id>\n", sport, w.start.Format("2006-01-02T15:04:05.000Z"))
	fmt.Fprintf(&b, "<Lap StartTime=%q><TotalTimeSeconds>%.1f</TotalTimeSeconds><DistanceMeters>%.1f</DistanceMeters>", w.start.Format(time.RFC3339), f.timer.Seconds(), f.distM)
	if !w.noHR {
		fmt.Fprintf(&b, "<AverageHeartRateBpm><Value>%d</Value></AverageHeartRateBpm><MaximumHeartRateBpm><Value>%d</Value></MaximumHeartRateBpm>", f.avgHR, f.maxHR)
	}
	b.WriteString("<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>\n")
	for _, s := range w.samples() {
		fmt.Fprintf(&b, "<Trackpoint><Time>%s</Time><Position><LatitudeDegrees>%.7f</LatitudeDegrees><LongitudeDegrees>%.7f</LongitudeDegrees></Position><DistanceMeters>%.2f</DistanceMeters>",
			s.t.Format(time.RFC3339), s.lat, s.lon, s.distM)
		if !w.noHR {
			fmt.Fprintf(&b, "<HeartRateBpm><Value>%d</Value></HeartRateBpm>", s.hr)
		}
		b.WriteString("</Trackpoint>\n")
	}
	b.WriteString("</Track></Lap></Activity>\n</Activities>\n</TrainingCenterDatabase>\n")
	return []byte(b.String())
}

func gzipBytes(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func zipBytes(tb testing.TB, name string, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// The workouts the tests use.
var (
	day = time.Date(2026, 3, 14, 7, 30, 0, 0, time.UTC)

	// threeHourRun: a long run at 5:33/km, 1 s records, totals written.
	threeHourRun = workout{sport: typedef.SportRunning, start: day, gps: true, summary: true,
		stretch: []stretch{{dur: 3 * time.Hour, speed: 3.0, hr: 142}}}

	// intervals: warm-up, an auto-paused stop, 6 × (3 min hard, 2 min jog),
	// two minutes standing with the timer running, cool-down. No totals:
	// every figure comes from the records.
	intervals = workout{sport: typedef.SportRunning, start: day.Add(-24 * time.Hour), gps: true,
		stretch: append(append([]stretch{{dur: 15 * time.Minute, speed: 2.8, hr: 135, pause: 4 * time.Minute}},
			repeat(6, stretch{dur: 3 * time.Minute, speed: 4.6, hr: 174}, stretch{dur: 2 * time.Minute, speed: 2.2, hr: 142})...),
			stretch{dur: 2 * time.Minute, speed: 0, hr: 112}, stretch{dur: 10 * time.Minute, speed: 2.7, hr: 130})}

	// halfMarathon: a race over 21.0975 km in 1:35:03 at race effort,
	// totals written.
	halfMarathon = workout{sport: typedef.SportRunning, start: day.Add(-48 * time.Hour), gps: true, summary: true,
		stretch: []stretch{{dur: 5703 * time.Second, speed: 21097.5 / 5703, hr: 171}}}
)

func repeat(n int, s ...stretch) []stretch {
	var out []stretch
	for range n {
		out = append(out, s...)
	}
	return out
}
