package input

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shakeoutbot/shakeout/coach"
)

// The plausible ranges of what members type (PRODUCT.md "Bad input").
const (
	MinAge, MaxAge             = 10, 100
	MinRestingHR, MaxRestingHR = 25, 120
	// MinMaxHR and MaxMaxHR bound a measured maximum heart rate; own choice,
	// wide enough for any runner's measured value.
	MinMaxHR, MaxMaxHR     = 100, 230
	MinRPE, MaxRPE         = 1, 10
	MinKm, MaxKm           = 0.1, 400.0
	MinMinutes, MaxMinutes = 1.0, 48 * 60.0
	MinScore, MaxScore     = 1, 5
	MaxDaysBack            = 60
	maxNumberLen           = 12
	// A bare "m" from ambiguousMinuteThreshold up could be metres or
	// minutes, so it is asked about; from metresUnambiguous up it is metres.
	ambiguousMinuteThreshold = 100
)

// The parsers below are pure: text in, value or a plain-words error out. The
// errors say what was wrong; commands add a correct example.

var (
	hoursRe   = regexp.MustCompile(`^(\d+(?:\.\d+)?)(?:h|hr|hrs|hour|hours)(?:(\d{1,2})(?:m|min|mins)?)?$`)
	minutesRe = regexp.MustCompile(`^(\d+(?:\.\d+)?)(m|min|mins|minute|minutes)$`)
	clockRe   = regexp.MustCompile(`^\d{1,3}(?::\d{2}){1,2}$`)
	distRe    = regexp.MustCompile(`^(\d+(?:\.\d+)?)(k|km|kms|kilometre|kilometres|kilometer|kilometers|mi|mile|miles)$`)
	metresRe  = regexp.MustCompile(`^(\d+(?:\.\d+)?)(m|metre|metres|meter|meters)$`)
	repsRe    = regexp.MustCompile(`^(\d{1,3})[x×*](\d+(?:\.\d+)?)(k|km|mi|m|metres|meters)?$`)
)

// metresUnambiguous is the smallest number of "m" read as metres rather
// than minutes: nobody writes a five-hour session as "300m", and the
// shorter track distances are logged as repeats (6x200m) or with "metres".
const metresUnambiguous = 300

// NormalizeNumber lower-cases s and reads a decimal comma as a point.
func NormalizeNumber(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), ",", ".")
}

// ParseDuration reads a session's duration and returns it in minutes:
// "45min", "45m", "1h10", "1h", "1.5h", "1:10:00" (h:mm:ss) or "70:00"
// (mm:ss). The result is between MinMinutes and MaxMinutes.
func ParseDuration(s string) (float64, error) {
	w := NormalizeNumber(s)
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
		if m[2] == "m" && mins >= ambiguousMinuteThreshold {
			return 0, fmt.Errorf("%q could be metres or minutes: write %smin for minutes, or %s metres", s, m[1], m[1])
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
// "10.5km", "18mi", "13.1 miles" (joined), "5000m" or "800 metres" (a bare
// "m" is metres from 300 up, below that it is minutes), repeats such as
// "6x800", "6x800m", "8x400" or "5x1km" (their total), "half" or
// "marathon". The result is between MinKm and MaxKm.
func ParseDistance(s string) (float64, error) {
	w := NormalizeNumber(s)
	switch w {
	case "half", "half-marathon", "halfmarathon":
		return coach.KmHalf, nil
	case "marathon", "full-marathon":
		return coach.KmMarathon, nil
	}
	if strings.HasPrefix(w, "-") && (distRe.MatchString(w[1:]) || metresRe.MatchString(w[1:])) {
		return 0, fmt.Errorf("a distance can't be negative (%s)", s)
	}
	var km float64
	if m := repsRe.FindStringSubmatch(w); m != nil {
		reps, _ := strconv.Atoi(m[1])
		each, _ := strconv.ParseFloat(m[2], 64)
		switch m[3] {
		case "k", "km":
		case "mi":
			each *= coach.KmPerMile
		case "m", "metres", "meters":
			each /= 1000
		default:
			// A bare number in repeats is metres (6x800); "5x1" could be
			// anything.
			if each < 50 {
				return 0, fmt.Errorf("%q needs a unit for each repeat: write %sx%skm or %sx%sm", s, m[1], m[2], m[1], m[2])
			}
			each /= 1000
		}
		if reps == 0 || each <= 0 {
			return 0, fmt.Errorf("%q has no distance in it", s)
		}
		km = float64(reps) * each
	} else if m := metresRe.FindStringSubmatch(w); m != nil && len(m[1]) <= maxNumberLen {
		n, _ := strconv.ParseFloat(m[1], 64)
		if m[2] == "m" && n < metresUnambiguous {
			return 0, notDistance{fmt.Sprintf("%q could be metres or minutes: write %smin for minutes, or %s metres", s, m[1], m[1])}
		}
		km = n / 1000
	} else {
		m := distRe.FindStringSubmatch(w)
		if m == nil || len(m[1]) > maxNumberLen {
			return 0, notDistance{fmt.Sprintf("%q is not a distance I can read", s)}
		}
		km, _ = strconv.ParseFloat(m[1], 64)
		if strings.HasPrefix(m[2], "mi") {
			km *= coach.KmPerMile
		}
	}
	if km < MinKm || km > MaxKm {
		return 0, fmt.Errorf("%s is outside the range I accept: between 0.1 km and 400 km", s)
	}
	return km, nil
}

// notDistance is ParseDistance's error for text that is no distance at
// all, as opposed to a distance that is wrong (negative, too far).
type notDistance struct{ msg string }

func (e notDistance) Error() string { return e.msg }

// IsNotDistance reports whether err says the text was no distance at all,
// so a caller can try reading it as something else.
func IsNotDistance(err error) bool {
	var nd notDistance
	return errors.As(err, &nd)
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

// ParseDay reads a day relative to today: "today", "yesterday", "tomorrow", a weekday
// name (the most recent such day, today included) or YYYY-MM-DD. Range
// checks are the caller's.
func ParseDay(s string, today coach.Date) (coach.Date, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	switch w {
	case "today":
		return today, nil
	case "yesterday":
		return today.AddDays(-1), nil
	case "tomorrow":
		// Read, so that the caller's range check can say what is wrong.
		return today.AddDays(1), nil
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
	if w == "today" || w == "yesterday" || w == "tomorrow" {
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
	"m": true, "metre": true, "metres": true, "meter": true, "meters": true, "min": true, "mins": true, "minute": true, "minutes": true,
	"h": true, "hr": true, "hrs": true, "hour": true, "hours": true,
}

// repUnits may follow the distance of repeats ("6 x 800 m").
var repUnits = map[string]bool{"k": true, "km": true, "m": true, "metres": true, "meters": true, "mi": true}

// raceFirstWords are the words joined with a "marathon" after them.
var raceFirstWords = map[string]bool{"half": true, "full": true, "ultra": true}

// Tokens splits arguments into words, joining a bare number with the unit
// after it ("8 km" → "8km"), "rpe" with its number ("rpe 7" → "rpe7"),
// repeats ("6 x 800m" → "6x800m") and race names ("half marathon" →
// "half-marathon").
func Tokens(s string) []string {
	f := strings.Fields(s)
	var out []string
	for i := 0; i < len(f); i++ {
		w := f[i]
		if i+2 < len(f) && allDigits(w) && (strings.EqualFold(f[i+1], "x") || f[i+1] == "×") {
			w += "x" + f[i+2]
			i += 2
			if i+1 < len(f) && repUnits[strings.ToLower(f[i+1])] {
				w += strings.ToLower(f[i+1])
				i++
			}
			out = append(out, w)
			continue
		}
		if i+1 < len(f) {
			next := strings.ToLower(f[i+1])
			_, numErr := strconv.ParseFloat(NormalizeNumber(w), 64)
			switch {
			case raceFirstWords[strings.ToLower(w)] && (next == "marathon" || next == "marathons"):
				w += "-marathon"
				i++
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

// ParseRaceDistance reads the distance of a race and returns it in km: the
// words of coach.ParseRace ("half", "half-marathon", "marathon", "ultra",
// "50km", "13.1mi"), plus metres ("3000m", "1500 metres"). Negative
// distances are refused, and a bare "m" below 300 could be miles or
// metres, so it is asked about.
func ParseRaceDistance(s string) (float64, error) {
	w := NormalizeNumber(s)
	if strings.HasPrefix(w, "-") || strings.HasPrefix(w, "+") {
		return 0, fmt.Errorf("a race distance is a positive number with a unit, not %q", s)
	}
	if m := metresRe.FindStringSubmatch(w); m != nil && len(m[1]) <= maxNumberLen {
		n, _ := strconv.ParseFloat(m[1], 64)
		if m[2] == "m" && n < metresUnambiguous {
			return 0, fmt.Errorf("%q could be miles or metres: write %smi for miles or %s metres", s, m[1], m[1])
		}
		km := n / 1000
		if km < MinKm || km > MaxKm {
			return 0, fmt.Errorf("%q is outside what I can plan for: a race between 0.1 km and 400 km", s)
		}
		return km, nil
	}
	return coach.ParseRace(w)
}

// Plural is "1 day" or "3 days", "1 entry" or "2 entries": n and the
// word, in the plural unless n is 1.
func Plural(n int, word string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	if l := len(word); l >= 2 && word[l-1] == 'y' && !strings.ContainsRune("aeiou", rune(word[l-2])) {
		return fmt.Sprintf("%d %sies", n, word[:l-1])
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Pace limits for a logged run, in minutes per km: faster than the
// outer bound is beyond any human over a distance worth logging (the 800 m
// world record is about 2:12 per km), slower than the inner one is not
// moving (a slow walk is about 12 per km; 30 leaves room for mountains and
// stops).
const (
	FastestPaceMinPerKm = 2.0
	SlowestPaceMinPerKm = 30.0
	// MaxCrossKmPerHour bounds cross-training by speed instead: a fast
	// road bike is about 45 km/h.
	MaxCrossKmPerHour = 80.0
	// LongWithoutTimeKm is the distance from which a run needs its duration
	// too, so an extra zero ("400km") is caught; a cross-training session
	// (a bike ride) gets LongCrossWithoutTimeKm.
	LongWithoutTimeKm      = 60.0
	LongCrossWithoutTimeKm = 200.0
)

// PaceText writes minutes per km as "4:51 /km", or per mile in miles.
func PaceText(minPerKm float64, u coach.Units) string {
	unit := "km"
	if u == coach.UnitsMi {
		minPerKm *= coach.KmPerMile
		unit = "mi"
	}
	secs := int(math.Round(minPerKm * 60))
	return fmt.Sprintf("%d:%02d /%s", secs/60, secs%60, unit)
}

// ClockText writes minutes as h:mm:ss or m:ss, for race times.
func ClockText(mins float64) string {
	secs := int(math.Round(mins * 60))
	if secs >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// NormalizeText makes what members type readable for the parsers: tabs,
// non-breaking and other Unicode spaces become plain spaces, invisible
// characters (zero-width spaces and joiners, the byte-order mark, soft
// hyphens) go, and line ends stay.
func NormalizeText(s string) string {
	clean := true
	for _, r := range s {
		if r == '\t' || r == '\r' || r > 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			sb.WriteRune(r)
		case IsInvisible(r):
			// dropped
		case unicode.IsSpace(r):
			sb.WriteByte(' ')
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// IsInvisible reports whether r is a character that shows nothing: zero-
// width spaces and joiners, the word joiner, the byte-order mark, the soft
// hyphen and the Mongolian vowel separator.
func IsInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e':
		return true
	}
	return false
}

// LooksLikeDuration reports whether t was meant as a duration (a number
// with a time unit, or a clock form), so its error can say what was wrong.
func LooksLikeDuration(t string) bool {
	w := NormalizeNumber(t)
	if clockRe.MatchString(w) || hoursRe.MatchString(w) {
		return true
	}
	for _, suf := range []string{"minutes", "minute", "mins", "min", "hours", "hour", "hrs", "hr", "h", "m"} {
		if num, ok := strings.CutSuffix(w, suf); ok {
			if _, err := strconv.ParseFloat(num, 64); err == nil {
				return true
			}
		}
	}
	return false
}

func LooksLikeNumber(t string) bool {
	return t != "" && (t[0] >= '0' && t[0] <= '9' || t[0] == '.' || t[0] == '-')
}
