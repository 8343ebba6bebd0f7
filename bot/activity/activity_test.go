package activity

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/muktihari/fit/profile/typedef"

	"github.com/shakeoutbot/shakeout/coach"
)

// testTimeout replaces the parse time limit where a test parses large
// files: under -race on a busy machine a 3-hour TCX takes seconds, and no
// test may depend on timing. The time limit itself is tested through a
// cancelled context.
const testTimeout = 10 * time.Minute

// within1pct fails unless got is within 1% of want.
func within1pct(t *testing.T, what string, got, want float64) {
	t.Helper()
	if want == 0 {
		if got != 0 {
			t.Errorf("%s = %v, want 0", what, got)
		}
		return
	}
	if math.Abs(got-want)/math.Abs(want) > 0.01 {
		t.Errorf("%s = %v, want %v ± 1%%", what, got, want)
	}
}

// encodings of one workout, each a different way members send files: the
// plain file of a format, wrapped (compressed) or not.
type encoding struct {
	name   string
	format Format
	wrap   func(testing.TB, []byte) []byte // nil sends the plain file
}

var encodings = []encoding{
	{"fit", FormatFIT, nil},
	{"fit.gz", FormatFIT, gzipBytes},
	{"zip", FormatFIT, func(tb testing.TB, b []byte) []byte { return zipBytes(tb, "12345678901_ACTIVITY.fit", b) }},
	{"gpx", FormatGPX, nil},
	{"gpx.gz", FormatGPX, gzipBytes},
	{"tcx", FormatTCX, nil},
	{"tcx.gz", FormatTCX, gzipBytes},
}

// plainFiles writes a workout once in each format.
func plainFiles(tb testing.TB, w workout) map[Format][]byte {
	return map[Format][]byte{FormatFIT: w.fitBytes(tb), FormatGPX: w.gpxBytes(), FormatTCX: w.tcxBytes()}
}

func (e encoding) of(tb testing.TB, plain map[Format][]byte) []byte {
	if e.wrap == nil {
		return plain[e.format]
	}
	return e.wrap(tb, plain[e.format])
}

func TestParseWorkouts(t *testing.T) {
	workouts := []struct {
		name string
		w    workout
	}{
		{"three-hour run", threeHourRun},
		{"intervals with a pause and a stop", intervals},
		{"half marathon race", halfMarathon},
		{"ride without heart rate", workout{sport: typedef.SportCycling, start: day, gps: true, noHR: true, summary: true,
			stretch: []stretch{{dur: 40 * time.Minute, speed: 8.5}, {dur: 20 * time.Minute, speed: 7.0}}}},
	}
	limits := DefaultLimits(day.Add(6 * time.Hour))
	limits.Timeout = testTimeout
	for _, wk := range workouts {
		want := wk.w.want()
		plain := plainFiles(t, wk.w)
		for _, enc := range encodings {
			t.Run(wk.name+"/"+enc.name, func(t *testing.T) {
				t.Parallel()
				data := enc.of(t, plain)
				a, err := Parse(bytes.NewReader(data), "activity."+enc.name, limits)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if a.Format != enc.format {
					t.Errorf("Format = %s, want %s", a.Format, enc.format)
				}
				wantSport := map[typedef.Sport]Sport{typedef.SportRunning: SportRun, typedef.SportCycling: SportRide}[wk.w.sport]
				if a.Sport != wantSport {
					t.Errorf("Sport = %s (%q), want %s", a.Sport, a.SportName, wantSport)
				}
				if !a.Start.Equal(wk.w.start) || a.Start.Location() != time.UTC {
					t.Errorf("Start = %v, want %v in UTC", a.Start, wk.w.start)
				}
				within1pct(t, "Elapsed", a.Elapsed.Seconds(), want.elapsed.Seconds())
				within1pct(t, "Timer", a.Timer.Seconds(), want.timer.Seconds())
				within1pct(t, "Moving", a.Moving.Seconds(), want.moving.Seconds())
				within1pct(t, "DistanceM", a.DistanceM, want.distM)
				within1pct(t, "AvgHR", float64(a.AvgHR), float64(want.avgHR))
				if a.MaxHR != want.maxHR {
					t.Errorf("MaxHR = %d, want %d", a.MaxHR, want.maxHR)
				}
				if len(a.HR) != want.hrSamples {
					t.Errorf("%d HR samples, want %d", len(a.HR), want.hrSamples)
				}
				if a.HasHR != !wk.w.noHR || !a.HasGPS {
					t.Errorf("HasHR %v HasGPS %v, want %v true", a.HasHR, a.HasGPS, !wk.w.noHR)
				}
				if a.Moving > a.Timer || a.Timer > a.Elapsed {
					t.Errorf("moving %s ≤ timer %s ≤ elapsed %s does not hold", a.Moving, a.Timer, a.Elapsed)
				}
				for i := 1; i < len(a.HR); i++ {
					if a.HR[i].Offset <= a.HR[i-1].Offset {
						t.Fatalf("HR sample %d at %s is not after %s", i, a.HR[i].Offset, a.HR[i-1].Offset)
					}
				}
			})
		}
	}
}

// The pause and the stop in the interval session: elapsed counts both,
// timer only the stop, moving neither.
func TestIntervalsPauseAndStop(t *testing.T) {
	a, err := Parse(bytes.NewReader(intervals.fitBytes(t)), "intervals.fit", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if gap := a.Elapsed - a.Timer; gap < 4*time.Minute || gap > 4*time.Minute+2*time.Second {
		t.Errorf("elapsed − timer = %s, want the 4 min pause", gap)
	}
	if stop := a.Timer - a.Moving; stop < 110*time.Second || stop > 2*time.Minute {
		t.Errorf("timer − moving = %s, want about the 2 min standing (less the smoothing window)", stop)
	}
}

// The heart-rate decisions on the parsed files: the interval session and
// the race are hard, the long run at an easy heart rate is not; only the
// half marathon looks like a race.
func TestHardFromParsedHeartRate(t *testing.T) {
	const resting, maxHR = 50, 190 // band from 162 bpm
	for _, tc := range []struct {
		name   string
		w      workout
		hard   bool
		raceKm float64
	}{
		{"three-hour easy run", threeHourRun, false, 0},
		{"intervals", intervals, true, 0},
		{"half marathon", halfMarathon, true, coach.KmHalf},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(bytes.NewReader(tc.w.fitBytes(t)), "", Limits{})
			if err != nil {
				t.Fatal(err)
			}
			l, ok := coach.HeartRateLoad(a.HR, resting, maxHR, a.Moving, coach.TRIMPNeutral)
			if !ok {
				t.Fatal("no heart-rate load")
			}
			if l.Hard != tc.hard {
				t.Errorf("Hard = %v (%.1f min in the band from %d bpm), want %v", l.Hard, l.BandMinutes, l.BandBPM, tc.hard)
			}
			if l.TRIMP <= 0 {
				t.Errorf("TRIMP = %v", l.TRIMP)
			}
			km, race := coach.RaceLike(a.DistanceM/1000, l, true, 0)
			if race != (tc.raceKm > 0) || (race && km != tc.raceKm) {
				t.Errorf("RaceLike = %.3f km, %v; want %.3f km", km, race, tc.raceKm)
			}
		})
	}
}

func TestSportKind(t *testing.T) {
	for s, k := range map[Sport]coach.Kind{SportRun: coach.KindEasy, SportRide: coach.KindCross, SportSwim: coach.KindCross, SportOther: coach.KindCross} {
		if got := s.Kind(); got != k {
			t.Errorf("%s.Kind() = %s, want %s", s, got, k)
		}
	}
	for word, s := range map[string]Sport{
		"running": SportRun, "trail_running": SportRun, "Running": SportRun, "cycling": SportRide, "Biking": SportRide,
		"e_biking": SportRide, "mountain_biking": SportRide, "swimming": SportSwim, "walking": SportOther, "Other": SportOther,
		"rowing": SportOther, "": "",
	} {
		if got := sportFromWord(word); got != s {
			t.Errorf("sportFromWord(%q) = %q, want %q", word, got, s)
		}
	}
}
