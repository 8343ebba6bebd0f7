package input

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Clock is a time of day on a 24-hour clock, in no timezone of its own: a
// post time, a nudge time. Settings, jobs and commands carry it as a Clock;
// only the store turns it into HH:MM text and back.
type Clock struct {
	Hour, Minute int
}

// String writes the time as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// ClockOf is the time of day of t on the wall clock of t's location.
func ClockOf(t time.Time) Clock { return Clock{Hour: t.Hour(), Minute: t.Minute()} }

// Before reports whether c comes earlier in the day than d.
func (c Clock) Before(d Clock) bool {
	return c.Hour < d.Hour || c.Hour == d.Hour && c.Minute < d.Minute
}

// ParseClock reads a local time of day as HH:MM (one-digit hours allowed).
// It is the one reader of times of day, for what members type and for what
// is stored.
func ParseClock(s string) (Clock, error) {
	w := strings.TrimSpace(s)
	h, m, ok := strings.Cut(w, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || !allDigits(h) || !allDigits(m) || len(h) < 1 || len(h) > 2 || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return Clock{}, fmt.Errorf("%q is not a time of day: write it as HH:MM on a 24-hour clock, e.g. 07:00 or 18:30", s)
	}
	return Clock{Hour: hh, Minute: mm}, nil
}
