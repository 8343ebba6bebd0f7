package activity

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/muktihari/fit/profile/typedef"
)

// short is a two-minute run, small enough to corrupt byte by byte.
var short = workout{sport: typedef.SportRunning, start: day, gps: true, summary: true,
	stretch: []stretch{{dur: 2 * time.Minute, speed: 3, hr: 150}}}

func TestParseRejects(t *testing.T) {
	fitData := short.fitBytes(t)
	flipped := bytes.Clone(fitData)
	flipped[len(flipped)/2] ^= 0x5a
	gz := gzipBytes(t, fitData)
	gpxData := short.gpxBytes()
	tcxData := short.tcxBytes()
	now := day.Add(time.Hour)

	tests := []struct {
		name   string
		data   []byte
		limits Limits
		kind   error
		format Format
		detail string // a word the detail must contain
	}{
		// Not FIT, GPX or TCX.
		{"empty", nil, Limits{}, ErrUnknownFormat, "", "empty"},
		{"plain text", []byte("my run this morning: 8 km easy"), Limits{}, ErrUnknownFormat, "", "no FIT header"},
		{"a PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"), Limits{}, ErrUnknownFormat, "", ""},
		{"a web page", []byte("<!DOCTYPE html><html><body>Strava</body></html>"), Limits{}, ErrUnknownFormat, "", "<html>"},
		{"a KML file", []byte(`<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>`), Limits{}, ErrUnknownFormat, "", "<kml>"},
		{"gzip of text", gzipBytes(t, []byte("hello")), Limits{}, ErrUnknownFormat, "", ""},
		{"gzip in gzip", gzipBytes(t, gz), Limits{}, ErrUnknownFormat, "", ""},
		{"empty zip", zipEmpty(t), Limits{}, ErrUnknownFormat, "", "empty"},
		{"xml that is not well formed at the root", []byte("<<<"), Limits{}, ErrUnknownFormat, "", ""},

		// Corrupt.
		{"FIT with a flipped byte", flipped, Limits{}, ErrCorrupt, FormatFIT, "checksum"},
		{"FIT cut in half", fitData[:len(fitData)/2], Limits{}, ErrCorrupt, FormatFIT, "truncated"},
		{"FIT header only", fitData[:14], Limits{}, ErrCorrupt, FormatFIT, "truncated"},
		{"gzip cut short", gz[:len(gz)-40], Limits{}, ErrCorrupt, FormatFIT, "truncated"},
		{"broken gzip header", append([]byte{0x1f, 0x8b, 0x00}, fitData...), Limits{}, ErrCorrupt, "", "gzip"},
		{"broken zip", []byte("PK\x03\x04 this is no archive"), Limits{}, ErrCorrupt, "", "zip"},
		{"GPX cut in half", gpxData[:len(gpxData)/2], Limits{}, ErrCorrupt, FormatGPX, "truncated"},
		{"TCX with crossed tags", []byte(strings.Replace(string(tcxData), "</Time>", "</Tim>", 1)), Limits{}, ErrCorrupt, FormatTCX, "malformed"},
		{"XML nested without end", []byte("<gpx>" + strings.Repeat("<a>", 100)), Limits{}, ErrCorrupt, FormatGPX, "nested"},
		{"GPX with a 2 MB comment", []byte("<gpx><!--" + strings.Repeat("x", 2<<20) + "--></gpx>"), Limits{}, ErrCorrupt, FormatGPX, "longer than 1024 KB"},
		{"2 MB of text before the root", []byte("<?xml version=\"1.0\"?>" + strings.Repeat("y", 2<<20)), Limits{}, ErrCorrupt, "", "longer than"},
		{"GPX from 1970", []byte(strings.ReplaceAll(string(gpxData), "2026-03-14", "1970-01-01")), Limits{}, ErrCorrupt, FormatGPX, "before any watch"},

		{"FIT with 300 developer field descriptions", workout{sport: typedef.SportRunning, start: day, devDescs: 300,
			stretch: []stretch{{dur: 10 * time.Second, speed: 3, hr: 150}}}.fitBytes(t), Limits{}, ErrCorrupt, FormatFIT, "developer field descriptions"},

		// Not an activity.
		{"FIT workout file", workout{sport: typedef.SportRunning, start: day, fileType: typedef.FileWorkout,
			stretch: []stretch{{dur: 10 * time.Second, speed: 3, hr: 150}}}.fitBytes(t), Limits{}, ErrNotActivity, FormatFIT, "workout"},
		{"GPX route", []byte(`<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte><rtept lat="51.5" lon="-0.12"/><rtept lat="51.6" lon="-0.12"/></rte></gpx>`), Limits{}, ErrNotActivity, FormatGPX, "route"},
		{"TCX course", []byte(`<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Courses><Course><Name>Loop</Name></Course></Courses></TrainingCenterDatabase>`), Limits{}, ErrNotActivity, FormatTCX, "course"},

		// No samples.
		{"GPX track without times", []byte(`<gpx version="1.1"><trk><trkseg><trkpt lat="51.5" lon="-0.12"/><trkpt lat="51.6" lon="-0.12"/></trkseg></trk></gpx>`), Limits{}, ErrNoSamples, FormatGPX, "0 timed"},
		{"TCX lap totals only", []byte(`<TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>2026-03-14T07:30:00Z</Id><Lap StartTime="2026-03-14T07:30:00Z"><TotalTimeSeconds>1800</TotalTimeSeconds><DistanceMeters>5000</DistanceMeters></Lap></Activity></Activities></TrainingCenterDatabase>`), Limits{}, ErrNoSamples, FormatTCX, "0 timed"},
		{"FIT with one record", workout{sport: typedef.SportRunning, start: day, stretch: []stretch{{dur: 0, speed: 3, hr: 150}}}.fitBytes(t), Limits{}, ErrNoSamples, FormatFIT, "1 timed"},

		// Too large.
		{"over the byte limit", fitData, Limits{MaxBytes: 1024}, ErrTooLarge, FormatFIT, "over 1 KB as sent"},
		{"gzip bomb", gzipBytes(t, append([]byte("<gpx>"), bytes.Repeat([]byte(" "), 2<<20)...)), Limits{MaxDecompressed: 1 << 20}, ErrTooLarge, FormatGPX, "over 1 MB unpacked"},
		{"too many samples", fitData, Limits{MaxSamples: 100}, ErrTooLarge, FormatFIT, "more than 100 samples"},
		{"too many GPX points", gpxData, Limits{MaxSamples: 100}, ErrTooLarge, FormatGPX, ""},
		{"too many TCX points", tcxData, Limits{MaxSamples: 100}, ErrTooLarge, FormatTCX, ""},

		// From the future.
		{"FIT from tomorrow", workout{sport: typedef.SportRunning, start: now.Add(24 * time.Hour), summary: true,
			stretch: []stretch{{dur: time.Minute, speed: 3, hr: 150}}}.fitBytes(t), Limits{Now: now}, ErrFuture, FormatFIT, "after now"},
		{"GPX ending an hour from now", workout{sport: typedef.SportRunning, start: now, gps: true,
			stretch: []stretch{{dur: time.Hour, speed: 3, hr: 150}}}.gpxBytes(), Limits{Now: now}, ErrFuture, FormatGPX, "after now"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(bytes.NewReader(tc.data), "upload.bin", tc.limits)
			assertParseError(t, a, err, tc.kind, tc.format, tc.detail)
			if !strings.Contains(err.Error(), "(upload.bin)") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func assertParseError(t *testing.T, a Activity, err error, kind error, format Format, detail string) {
	t.Helper()
	if err == nil {
		t.Fatalf("parsed %+v, want %v", a.Format, kind)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not an *Error", err, err)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("error %q is not %q", err, kind)
	}
	if e.Format != format {
		t.Errorf("Format = %q, want %q (%v)", e.Format, format, err)
	}
	if !strings.Contains(e.Error(), detail) {
		t.Errorf("error %q does not say %q", e.Error(), detail)
	}
	if !known(e.Kind) {
		t.Errorf("kind %v of %v is not in Kinds", e.Kind, err)
	}
	if a.Format != "" || a.HR != nil {
		t.Errorf("an activity came back with the error: %+v", a.Format)
	}
}

func zipEmpty(t *testing.T) []byte {
	b := zipBytes(t, "folder/", nil)
	return b
}

// The future check allows FutureSlack for clocks that disagree, and no
// check happens without Now.
func TestFutureSlack(t *testing.T) {
	data := short.fitBytes(t)
	end := short.start.Add(2 * time.Minute)
	for _, tc := range []struct {
		name string
		now  time.Time
		ok   bool
	}{
		{"a minute after the end", end.Add(time.Minute), true},
		{"five minutes before the end", end.Add(-5 * time.Minute), true},
		{"past the slack", end.Add(-FutureSlack - time.Second), false},
		{"no now given", time.Time{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(bytes.NewReader(data), "", Limits{Now: tc.now})
			if (err == nil) != tc.ok {
				t.Errorf("err = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

// A parse stops when its context ends, before or during the read.
func TestParseStopsOnContext(t *testing.T) {
	data := threeHourRun.fitBytes(t)
	t.Run("already done", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		a, err := ParseContext(ctx, bytes.NewReader(data), "slow.fit", Limits{})
		assertParseError(t, a, err, ErrTooSlow, "", "")
	})
	// Half an hour is well over the three 4 KB reads before the cancel in
	// every format.
	halfHour := plainFiles(t, workout{sport: typedef.SportRunning, start: day, gps: true, summary: true,
		stretch: []stretch{{dur: 30 * time.Minute, speed: 3, hr: 140}}})
	for _, enc := range encodings {
		t.Run("mid-file "+enc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			r := &cancelAfter{r: bytes.NewReader(enc.of(t, halfHour)), n: 3, cancel: cancel}
			a, err := ParseContext(ctx, r, "slow", Limits{})
			format := enc.format
			if enc.name == "zip" {
				format = "" // an archive is read whole before its entry is looked at
			}
			assertParseError(t, a, err, ErrTooSlow, format, "")
		})
	}
}

// cancelAfter cancels its context after n reads, like a deadline passing
// in the middle of a file.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(b []byte) (int, error) {
	if c.n--; c.n < 0 {
		c.cancel()
	}
	if len(b) > 4096 {
		b = b[:4096]
	}
	return c.r.Read(b)
}

// A reader error that is neither EOF nor a limit is reported as corrupt
// input with the cause kept.
func TestParseReaderFailure(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(bytes.NewReader(short.fitBytes(t)[:200]), &failing{boom})
	_, err := Parse(r, "", Limits{})
	if !errors.Is(err, ErrCorrupt) || !errors.Is(err, boom) {
		t.Errorf("err = %v, want corrupt wrapping the reader's error", err)
	}
}

type failing struct{ err error }

func (f *failing) Read([]byte) (int, error) { return 0, f.err }

// The decompressed cap holds for zip archives too, and a gzip stream
// exactly at the cap still parses.
func TestDecompressedCap(t *testing.T) {
	gpx := short.gpxBytes()
	if _, err := Parse(bytes.NewReader(zipBytes(t, "a.gpx", gpx)), "", Limits{MaxDecompressed: int64(len(gpx)) - 1}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("zip over the cap: err = %v, want too large", err)
	}
	if _, err := Parse(bytes.NewReader(gzipBytes(t, gpx)), "", Limits{MaxDecompressed: int64(len(gpx))}); err != nil {
		t.Errorf("gzip at the cap: %v", err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(gpx)
	_ = zw.Close()
	if _, err := Parse(&buf, "", Limits{MaxBytes: int64(buf.Len())}); err != nil {
		t.Errorf("file exactly at the byte limit: %v", err)
	}
}

// A zip with more than one entry: the one named like an activity file is
// read, wherever it sits.
func TestZipPicksTheActivity(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct {
		name string
		data []byte
	}{{"readme.txt", []byte("exported by a watch app")}, {"activity_123.fit", short.fitBytes(t)}, {"notes.txt", []byte("x")}} {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := Parse(&buf, "export.zip", Limits{})
	if err != nil || a.Format != FormatFIT {
		t.Fatalf("got %s, %v; want the FIT entry", a.Format, err)
	}
}

// A member's file name is cut short in an error detail.
func TestLongNameShortened(t *testing.T) {
	name := strings.Repeat("é", 100) + ".fit"
	_, err := Parse(strings.NewReader("not a file"), name, Limits{})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	if len(e.Detail) > 120 || !strings.HasSuffix(e.Detail, "…)") || !utf8.ValidString(e.Detail) {
		t.Errorf("detail %q is not a short valid name", e.Detail)
	}
}

// A file with a realistic number of developer fields still parses.
func TestFITWithDeveloperFields(t *testing.T) {
	w := workout{sport: typedef.SportRunning, start: day, devDescs: 24, summary: true,
		stretch: []stretch{{dur: time.Minute, speed: 3, hr: 150}}}
	a, err := Parse(bytes.NewReader(w.fitBytes(t)), "", Limits{})
	if err != nil || a.Timer != time.Minute {
		t.Fatalf("got timer %s, %v", a.Timer, err)
	}
}

// known reports whether kind is one of Kinds.
func known(kind error) bool {
	for _, k := range Kinds() {
		if k == kind {
			return true
		}
	}
	return false
}
