package bot

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/coach"
)

// The plausible ranges of what members type (PRODUCT.md "Bad input").
const (
	MinAge, MaxAge             = 10, 100
	MinRestingHR, MaxRestingHR = 25, 120
	// MinMaxHR and MaxMaxHR bound a measured maximum heart rate; own choice,
	// wide enough for any runner's measured value.
	MinMaxHR, MaxMaxHR       = 100, 230
	MinRPE, MaxRPE           = 1, 10
	MinKm, MaxKm             = 0.1, 400.0
	MinMinutes, MaxMinutes   = 1.0, 48 * 60.0
	MinScore, MaxScore       = 1, 5
	MaxDaysBack              = 60
	maxNumberLen             = 12
	ambiguousMinuteThreshold = 300
)

// The parsers below are pure: text in, value or a plain-words error out. The
// errors say what was wrong; commands add a correct example.

var (
	hoursRe   = regexp.MustCompile(`^(\d+(?:\.\d+)?)(?:h|hr|hrs|hour|hours)(?:(\d{1,2})(?:m|min|mins)?)?$`)
	minutesRe = regexp.MustCompile(`^(\d+(?:\.\d+)?)(m|min|mins|minute|minutes)$`)
	clockRe   = regexp.MustCompile(`^\d{1,3}(?::\d{2}){1,2}$`)
	distRe    = regexp.MustCompile(`^(\d+(?:\.\d+)?)(k|km|kms|kilometre|kilometres|kilometer|kilometers|mi|mile|miles)$`)
)

// normNumber lower-cases s and reads a decimal comma as a point.
func normNumber(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), ",", ".")
}

// ParseDuration reads a session's duration and returns it in minutes:
// "45min", "45m", "1h10", "1h", "1.5h", "1:10:00" (h:mm:ss) or "70:00"
// (mm:ss). The result is between MinMinutes and MaxMinutes.
func ParseDuration(s string) (float64, error) {
	w := normNumber(s)
	if len(w) > 24 {
		return 0, fmt.Errorf("%q is not a duration I can read", s)
	}
	var mins float64
	switch {
	case clockRe.MatchString(w):
		parts := strings.Split(w, ":")
		nums := make([]int, len(parts))
		for i, p := range parts {
			nums[i], _ = strconv.Atoi(p)
			if i > 0 && nums[i] >= 60 {
				return 0, fmt.Errorf("%q has %d in a minutes or seconds place, where 59 is the most", s, nums[i])
			}
		}
		if len(nums) == 3 {
			mins = float64(nums[0])*60 + float64(nums[1]) + float64(nums[2])/60
		} else {
			if nums[0] < 10 {
				return 0, fmt.Errorf("%q could be %d min %d s or %d h %d min: write %dh%02d or %d:%02d:00 for hours", s,
					nums[0], nums[1], nums[0], nums[1], nums[0], nums[1], nums[0], nums[1])
			}
			mins = float64(nums[0]) + float64(nums[1])/60
		}
	case hoursRe.MatchString(w):
		m := hoursRe.FindStringSubmatch(w)
		h, _ := strconv.ParseFloat(m[1], 64)
		mins = h * 60
		if m[2] != "" {
			extra, _ := strconv.Atoi(m[2])
			if extra >= 60 {
				return 0, fmt.Errorf("%q has %d minutes after the hours, where 59 is the most", s, extra)
			}
			if h != math.Trunc(h) {
				return 0, fmt.Errorf("%q mixes decimal hours and minutes: write 1h30 or 1.5h", s)
			}
			mins += float64(extra)
		}
	case minutesRe.MatchString(w):
		m := minutesRe.FindStringSubmatch(w)
		mins, _ = strconv.ParseFloat(m[1], 64)
		if m[2] == "m" && mins > ambiguousMinuteThreshold {
			return 0, fmt.Errorf("%q could be metres or minutes: write %smin for minutes, or a distance in km such as 0.8km", s, m[1])
		}
	default:
		return 0, fmt.Errorf("%q is not a duration I can read", s)
	}
	if mins < MinMinutes || mins > MaxMinutes || math.IsNaN(mins) {
		return 0, fmt.Errorf("%s is outside the range I accept: between 1 minute and 48 hours", s)
	}
	return mins, nil
}

// ParseDistance reads a distance and returns it in km: "8km", "8k", "5k",
// "10.5km", "18mi", "13.1 miles" (joined), "half" or "marathon". The result
// is between MinKm and MaxKm.
func ParseDistance(s string) (float64, error) {
	w := normNumber(s)
	switch w {
	case "half", "half-marathon", "halfmarathon":
		return coach.KmHalf, nil
	case "marathon":
		return coach.KmMarathon, nil
	}
	m := distRe.FindStringSubmatch(w)
	if m == nil || len(m[1]) > maxNumberLen {
		return 0, fmt.Errorf("%q is not a distance I can read", s)
	}
	km, _ := strconv.ParseFloat(m[1], 64)
	if strings.HasPrefix(m[2], "mi") {
		km *= coach.KmPerMile
	}
	if km < MinKm || km > MaxKm {
		return 0, fmt.Errorf("%s is outside the range I accept: between 0.1 km and 400 km", s)
	}
	return km, nil
}

// ParseInt reads a whole number between lo and hi; what names it in the
// error ("resting heart rate").
func ParseInt(s string, lo, hi int, what string) (int, error) {
	w := strings.TrimSpace(s)
	n, err := strconv.Atoi(w)
	if err != nil || len(w) > maxNumberLen {
		return 0, fmt.Errorf("%s should be a whole number from %d to %d, not %q", what, lo, hi, s)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%s should be from %d to %d; %d is outside that", what, lo, hi, n)
	}
	return n, nil
}

// ParseRPE reads an effort rating of 1–10 as "rpe7", "rpe=7" or "rpe:7"
// (callers join "rpe 7" into one word first).
func ParseRPE(s string) (int, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	rest, ok := strings.CutPrefix(w, "rpe")
	if !ok {
		return 0, fmt.Errorf("%q is not an effort rating: write rpe and a number from 1 to 10", s)
	}
	rest = strings.TrimLeft(rest, "=: ")
	if rest == "" {
		return 0, errors.New("the effort (rpe) needs a number from 1 (very easy) to 10 (all out)")
	}
	return ParseInt(rest, MinRPE, MaxRPE, "RPE (effort)")
}

// ParseDay reads a day relative to today: "today", "yesterday", a weekday
// name (the most recent such day, today included) or YYYY-MM-DD. Range
// checks are the caller's.
func ParseDay(s string, today coach.Date) (coach.Date, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	switch w {
	case "today":
		return today, nil
	case "yesterday":
		return today.AddDays(-1), nil
	}
	if wd, ok := coach.ParseWeekday(w); ok && !strings.ContainsAny(w, "0123456789") {
		back := (int(today.Weekday()) - int(wd) + 7) % 7
		return today.AddDays(-back), nil
	}
	if len(w) == 10 && w[4] == '-' {
		return coach.ParseDate(w)
	}
	return coach.Date{}, fmt.Errorf("%q is not a day I can read: say today, yesterday, a weekday such as sunday, or a date as YYYY-MM-DD", s)
}

// IsDayWord reports whether s reads as a day for ParseDay, so commands can
// tell a date from other arguments.
func IsDayWord(s string) bool {
	w := strings.ToLower(strings.TrimSpace(s))
	if w == "today" || w == "yesterday" {
		return true
	}
	if _, ok := coach.ParseWeekday(w); ok {
		return true
	}
	return len(w) == 10 && w[4] == '-' && w[7] == '-'
}

// CheckPastDay checks that d is not after today and at most MaxDaysBack
// days before it; what names the date in the error ("the race").
func CheckPastDay(d, today coach.Date, what string) error {
	if d.After(today) {
		return fmt.Errorf("%s can't be in the future (%s is after today, %s)", what, d, today)
	}
	if today.Sub(d) > MaxDaysBack {
		return fmt.Errorf("%s is more than %d days ago (%s); I only go back %d days", what, MaxDaysBack, d, MaxDaysBack)
	}
	return nil
}

// ParseClock reads a local time of day as HH:MM (one-digit hours allowed)
// and returns it as HH:MM.
func ParseClock(s string) (string, error) {
	w := strings.TrimSpace(s)
	h, m, ok := strings.Cut(w, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || !allDigits(h) || !allDigits(m) || len(h) < 1 || len(h) > 2 || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return "", fmt.Errorf("%q is not a time of day: write it as HH:MM on a 24-hour clock, e.g. 07:00 or 18:30", s)
	}
	return fmt.Sprintf("%02d:%02d", hh, mm), nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ParseTimezone reads an IANA timezone name such as Europe/Berlin, fixing
// the capitals of a name typed in lower case, and returns the proper name.
func ParseTimezone(s string) (string, error) {
	w := strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a timezone I know: use an IANA name such as Europe/Berlin or America/New_York", s)
	if w == "" || w == "Local" || len(w) > 64 || strings.ContainsAny(w, " \\") {
		return "", bad
	}
	for _, name := range []string{w, tzCapitals(w), strings.ToUpper(w)} {
		if _, err := time.LoadLocation(name); err == nil && name != "Local" {
			return name, nil
		}
	}
	return "", bad
}

// tzCapitals capitalises each word of a zone name: "america/new_york" →
// "America/New_York".
func tzCapitals(s string) string {
	b := []byte(strings.ToLower(s))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == '_' || c == '-'
	}
	return string(b)
}

// unitWords are the words that may follow a bare number ("8 km", "45 min").
var unitWords = map[string]bool{
	"k": true, "km": true, "kms": true, "kilometre": true, "kilometres": true, "kilometer": true, "kilometers": true,
	"mi": true, "mile": true, "miles": true,
	"m": true, "min": true, "mins": true, "minute": true, "minutes": true,
	"h": true, "hr": true, "hrs": true, "hour": true, "hours": true,
}

// Tokens splits arguments into words, joining a bare number with the unit
// after it ("8 km" → "8km") and "rpe" with its number ("rpe 7" → "rpe7").
func Tokens(s string) []string {
	f := strings.Fields(s)
	var out []string
	for i := 0; i < len(f); i++ {
		w := f[i]
		if i+1 < len(f) {
			next := strings.ToLower(f[i+1])
			_, numErr := strconv.ParseFloat(normNumber(w), 64)
			switch {
			case numErr == nil && unitWords[next]:
				w += next
				i++
			case strings.EqualFold(w, "rpe"):
				w += f[i+1]
				i++
			}
		}
		out = append(out, w)
	}
	return out
}
