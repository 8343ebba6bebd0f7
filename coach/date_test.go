package coach

import (
	"encoding/json"
	"testing"
	"time"
)

// day parses a date in tests, failing loudly on a typo.
func day(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, in string
		want     Date
		wantErr  bool
	}{
		{"plain", "2026-06-07", Date{2026, time.June, 7}, false},
		{"leap day", "2024-02-29", Date{2024, time.February, 29}, false},
		{"not a leap year", "2026-02-29", Date{}, true},
		{"day 31 in a 30-day month", "2026-04-31", Date{}, true},
		{"month 13", "2026-13-01", Date{}, true},
		{"month 00", "2026-00-10", Date{}, true},
		{"day 00", "2026-01-00", Date{}, true},
		{"single-digit month", "2026-6-07", Date{}, true},
		{"trailing text", "2026-06-07x", Date{}, true},
		{"slashes", "2026/06/07", Date{}, true},
		{"empty", "", Date{}, true},
		{"letters", "20x6-06-07", Date{}, true},
		{"spaces", " 2026-06-07", Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDate(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if err == nil && got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		name  string
		from  string
		n     int
		want  string
		wdays time.Weekday
	}{
		{"same day", "2026-06-07", 0, "2026-06-07", time.Sunday},
		{"next day", "2026-06-07", 1, "2026-06-08", time.Monday},
		{"across a month", "2026-01-31", 1, "2026-02-01", time.Sunday},
		{"across a year", "2025-12-31", 1, "2026-01-01", time.Thursday},
		{"backwards", "2026-03-01", -1, "2026-02-28", time.Saturday},
		{"leap year", "2024-02-28", 1, "2024-02-29", time.Thursday},
		{"across DST in spring", "2026-03-28", 2, "2026-03-30", time.Monday},
		{"a long way", "2026-01-01", 365, "2027-01-01", time.Friday},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := day(t, tt.from)
			got := from.AddDays(tt.n)
			if got.String() != tt.want {
				t.Fatalf("AddDays(%d) = %v, want %s", tt.n, got, tt.want)
			}
			if back := got.Sub(from); back != tt.n {
				t.Errorf("Sub = %d, want %d", back, tt.n)
			}
			if got.Weekday() != tt.wdays {
				t.Errorf("Weekday = %v, want %v", got.Weekday(), tt.wdays)
			}
		})
	}
}

func TestDateCompare(t *testing.T) {
	a, b := day(t, "2026-06-07"), day(t, "2026-06-08")
	if !a.Before(b) || b.Before(a) || a.Before(a) {
		t.Error("Before is wrong")
	}
	if !b.After(a) || a.After(b) {
		t.Error("After is wrong")
	}
	if !(Date{}).IsZero() || a.IsZero() {
		t.Error("IsZero is wrong")
	}
	if !day(t, "2025-12-31").Before(day(t, "2026-01-01")) || !day(t, "2026-01-31").Before(day(t, "2026-02-01")) {
		t.Error("Before across month or year is wrong")
	}
}

func TestDateOfUsesTheTimesOwnLocation(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	instant := time.Date(2026, 6, 7, 22, 30, 0, 0, time.UTC)
	if got := DateOf(instant); got.String() != "2026-06-07" {
		t.Errorf("UTC date = %v", got)
	}
	if got := DateOf(instant.In(berlin)); got.String() != "2026-06-08" {
		t.Errorf("Berlin date = %v, want 2026-06-08", got)
	}
}

func TestDateAt(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	got := day(t, "2026-06-07").At(6, 30, berlin)
	if want := time.Date(2026, 6, 7, 4, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("At = %v, want %v", got, want)
	}
	// 02:30 does not exist on the spring-forward day; time.Date moves it.
	gap := day(t, "2026-03-29").At(2, 30, berlin)
	if DateOf(gap).String() != "2026-03-29" || gap.Hour() == 2 {
		t.Errorf("At in the DST gap = %v", gap)
	}
}

func TestDateText(t *testing.T) {
	type rec struct{ D, Zero Date }
	b, err := json.Marshal(rec{D: day(t, "2026-06-07")})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"D":"2026-06-07","Zero":""}` {
		t.Errorf("json = %s", b)
	}
	var back rec
	if err := json.Unmarshal(b, &back); err != nil || back.D != day(t, "2026-06-07") || !back.Zero.IsZero() {
		t.Errorf("round trip = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"D":"2026-02-30"}`), &back); err == nil {
		t.Error("an impossible date was accepted")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-06-07", "2024-02-29", "2026-02-30", "", "9999-12-31", "0000-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) = %v, which prints differently", s, d)
		}
		if d.AddDays(1).Sub(d) != 1 {
			t.Fatalf("%v: AddDays/Sub disagree", d)
		}
	})
}
