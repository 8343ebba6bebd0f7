package coach

import (
	"fmt"
	"time"
)

// Date is a calendar date with no time zone. Verdicts and plans work in whole
// days of the member's own calendar, so the bot converts an instant to a Date
// in the member's zone once, at the edge, and everything here stays zone-free.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads a strict YYYY-MM-DD date. Anything else, including
// impossible dates such as 2026-02-30, is an error in plain words.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, e.g. 2026-06-07", s)
	}
	num := func(part string) (int, bool) {
		n := 0
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[0:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, e.g. 2026-06-07", s)
	}
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("%q has no month %d: months run from 01 to 12", s, m)
	}
	out := Date{Year: y, Month: time.Month(m), Day: d}
	if d < 1 || out.AddDays(0) != out {
		return Date{}, fmt.Errorf("%q is not a real day: %s has no day %d", s, time.Month(m), d)
	}
	return out, nil
}

// String formats d as YYYY-MM-DD, the form dates are stored in.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText stores d as YYYY-MM-DD (JSON exports, database columns).
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads YYYY-MM-DD; an empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// noon is the instant used for date arithmetic: noon UTC never crosses a day
// boundary, whatever the date.
func (d Date) noon() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(d.noon().AddDate(0, 0, n))
}

// Sub returns the whole number of days from e to d (d − e).
func (d Date) Sub(e Date) int {
	return int(d.noon().Sub(e.noon()).Hours() / 24)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return d.noon().Weekday()
}

// IsZero reports whether d is the zero Date (no date set).
func (d Date) IsZero() bool {
	return d == Date{}
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// After reports whether d is later than e.
func (d Date) After(e Date) bool {
	return e.Before(d)
}

// At returns the wall-clock time hour:min on d in loc. Like time.Date, it
// normalises times that do not exist (a daylight-saving gap) or repeat.
func (d Date) At(hour, min int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, loc)
}
