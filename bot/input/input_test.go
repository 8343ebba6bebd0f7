package input_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/coach"
)

func TestParseDuration(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want float64 // minutes; 0 means an error
	}{
		{"minutes long", "45min", 45},
		{"minutes short", "45m", 45},
		{"minutes word", "45minutes", 45},
		{"hours and minutes", "1h10", 70},
		{"hours and minutes with m", "1h10m", 70},
		{"hours", "1h", 60},
		{"decimal hours", "1.5h", 90},
		{"decimal comma", "1,5h", 90},
		{"h:mm:ss", "1:10:00", 70},
		{"mm:ss", "70:00", 70},
		{"mm:ss with seconds", "45:30", 45.5},
		{"upper case", "45MIN", 45},
		{"ambiguous short clock", "1:10", 0},
		{"seconds over 59", "70:75", 0},
		{"minutes after hours over 59", "1h75", 0},
		{"decimal hours with minutes", "1.5h10", 0},
		{"bare number", "45", 0},
		{"too short", "0min", 0},
		{"too long", "49h", 0},
		{"metres or minutes", "800m", 0},
		{"words", "ages", 0},
		{"empty", "", 0},
		{"negative", "-5min", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := input.ParseDuration(c.in)
			if c.want == 0 {
				if err == nil {
					t.Fatalf("ParseDuration(%q) = %v; want an error", c.in, got)
				}
				return
			}
			if err != nil || math.Abs(got-c.want) > 1e-9 {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v", c.in, got, err, c.want)
			}
		})
	}
}

func TestParseDistance(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want float64
	}{
		{"km", "8km", 8},
		{"k", "5k", 5},
		{"decimal", "10.5km", 10.5},
		{"decimal comma", "10,5km", 10.5},
		{"miles", "18mi", 18 * coach.KmPerMile},
		{"miles word", "13.1miles", 13.1 * coach.KmPerMile},
		{"half", "half", coach.KmHalf},
		{"marathon", "Marathon", coach.KmMarathon},
		{"upper case", "8KM", 8},
		{"too short", "0.05km", 0},
		{"too long", "401km", 0},
		{"no unit", "8", 0},
		{"metres", "800m", 0.8},
		{"metres that could be minutes", "200m", 0},
		{"metres word", "200metres", 0.2},
		{"5000m", "5000m", 5},
		{"3000m", "3000m", 3},
		{"repeats", "6x800", 4.8},
		{"repeats in metres", "6x800m", 4.8},
		{"repeats 8x400", "8x400", 3.2},
		{"repeats of km", "5x1km", 5},
		{"repeats of miles", "4x1mi", 4 * coach.KmPerMile},
		{"repeats without unit", "5x1", 0},
		{"negative", "-5k", 0},
		{"full marathon", "full-marathon", coach.KmMarathon},
		{"unknown unit", "8ft", 0},
		{"empty", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := input.ParseDistance(c.in)
			if c.want == 0 {
				if err == nil {
					t.Fatalf("ParseDistance(%q) = %v; want an error", c.in, got)
				}
				return
			}
			if err != nil || math.Abs(got-c.want) > 1e-9 {
				t.Fatalf("ParseDistance(%q) = %v, %v; want %v", c.in, got, err, c.want)
			}
		})
	}
}

func TestParseRPE(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want int
	}{
		{"joined", "rpe7", 7},
		{"equals", "rpe=10", 10},
		{"colon", "RPE:1", 1},
		{"zero", "rpe0", 0},
		{"eleven", "rpe11", 0},
		{"decimal", "rpe6.5", 0},
		{"missing number", "rpe", 0},
		{"not rpe", "effort7", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := input.ParseRPE(c.in)
			if (c.want == 0) != (err != nil) || got != c.want {
				t.Fatalf("ParseRPE(%q) = %d, %v; want %d", c.in, got, err, c.want)
			}
		})
	}
}

func TestParseDay(t *testing.T) {
	today := coach.Date{Year: 2026, Month: time.June, Day: 9} // a Tuesday
	cases := []struct {
		name string
		in   string
		want string // "" means an error
	}{
		{"today", "today", "2026-06-09"},
		{"yesterday", "Yesterday", "2026-06-08"},
		{"same weekday is today", "tuesday", "2026-06-09"},
		{"weekday", "sunday", "2026-06-07"},
		{"weekday abbreviated", "wed", "2026-06-03"},
		{"date", "2026-05-30", "2026-05-30"},
		{"impossible date", "2026-02-30", ""},
		{"garbage", "someday", ""},
		{"too short a weekday", "we", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := input.ParseDay(c.in, today)
			if c.want == "" {
				if err == nil {
					t.Fatalf("ParseDay(%q) = %v; want an error", c.in, got)
				}
				return
			}
			if err != nil || got.String() != c.want {
				t.Fatalf("ParseDay(%q) = %v, %v; want %s", c.in, got, err, c.want)
			}
		})
	}
}

func TestCheckPastDay(t *testing.T) {
	today := coach.Date{Year: 2026, Month: time.June, Day: 9}
	cases := []struct {
		name string
		d    coach.Date
		ok   bool
	}{
		{"today", today, true},
		{"60 days back", today.AddDays(-60), true},
		{"61 days back", today.AddDays(-61), false},
		{"tomorrow", today.AddDays(1), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := input.CheckPastDay(c.d, today, "The race"); (err == nil) != c.ok {
				t.Fatalf("CheckPastDay(%v) = %v; want ok %v", c.d, err, c.ok)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "07:00", "07:00"},
		{"one digit hour", "7:05", "07:05"},
		{"late", "23:59", "23:59"},
		{"hour 24", "24:00", ""},
		{"minute 60", "07:60", ""},
		{"no colon", "0700", ""},
		{"am", "7am", ""},
		{"one digit minute", "7:5", ""},
		{"sign", "+7:00", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk, err := input.ParseClock(c.in)
			got := ""
			if err == nil {
				got = clk.String()
			}
			if got != c.want || (c.want == "") != (err != nil) {
				t.Fatalf("ParseClock(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
		})
	}
}

func TestParseTimezone(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"exact", "Europe/Berlin", "Europe/Berlin"},
		{"lower case", "europe/berlin", "Europe/Berlin"},
		{"underscore", "america/new_york", "America/New_York"},
		{"utc", "utc", "UTC"},
		{"local refused", "Local", ""},
		{"unknown", "Mars/Olympus", ""},
		{"path", "../etc/passwd", ""},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := input.ParseTimezone(c.in)
			if got != c.want || (c.want == "") != (err != nil) {
				t.Fatalf("ParseTimezone(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"unit after number", "tempo 8 km 40 min rpe 7", "tempo|8km|40min|rpe7"},
		{"already joined", "long 18mi", "long|18mi"},
		{"word then unit", "easy km", "easy|km"},
		{"rpe at the end", "easy rpe", "easy|rpe"},
		{"empty", "  ", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := strings.Join(input.Tokens(c.in), "|"); got != c.want {
				t.Fatalf("Tokens(%q) = %q; want %q", c.in, got, c.want)
			}
		})
	}
}

// The parsers take any text a member types: they must never panic, and a
// value they accept must be in range.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"45min", "1h10", "1:10:00", "70:00", "9999999999999h", "1e9m", ":", "1h99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, err := input.ParseDuration(s); err == nil && (m < input.MinMinutes || m > input.MaxMinutes) {
			t.Fatalf("ParseDuration(%q) = %v, outside the range", s, m)
		}
	})
}

func FuzzParseDistance(f *testing.F) {
	for _, s := range []string{"8km", "18mi", "half", "1e3km", "0.0000001k", "NaNkm"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if km, err := input.ParseDistance(s); err == nil && (km < input.MinKm || km > input.MaxKm) {
			t.Fatalf("ParseDistance(%q) = %v, outside the range", s, km)
		}
	})
}

func FuzzParseDayAndClock(f *testing.F) {
	for _, s := range []string{"today", "sunday", "2026-06-07", "07:00", "9999-99-99", "24:00"} {
		f.Add(s)
	}
	today := coach.Date{Year: 2026, Month: time.June, Day: 9}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := input.ParseDay(s, today); err == nil && d.IsZero() {
			t.Fatalf("ParseDay(%q) accepted a zero date", s)
		}
		if c, err := input.ParseClock(s); err == nil && len(c.String()) != 5 {
			t.Fatalf("ParseClock(%q) = %q", s, c)
		}
		_ = input.Tokens(s)
	})
}

func TestClockOfAndBefore(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 29, 5, 30, 0, 0, time.UTC) // 07:30 in Berlin after the spring change
	if got := input.ClockOf(at.In(berlin)); got != (input.Clock{Hour: 7, Minute: 30}) {
		t.Errorf("ClockOf = %v, want 07:30 on Berlin's wall clock", got)
	}
	order := []input.Clock{{0, 0}, {0, 59}, {6, 30}, {6, 31}, {7, 0}, {23, 59}}
	for i, a := range order {
		for j, b := range order {
			if got := a.Before(b); got != (i < j) {
				t.Errorf("%v.Before(%v) = %v", a, b, got)
			}
		}
	}
}
