package coach

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Verdict is the answer to "what should I do today": exactly one of three.
type Verdict string

// The three verdicts, stored and shown in capitals.
const (
	VerdictEasy Verdict = "EASY"
	VerdictRest Verdict = "REST"
	VerdictHard Verdict = "HARD"
)

// Kind is the kind of a logged session.
type Kind string

// The session kinds members can log.
const (
	KindEasy      Kind = "easy"
	KindRecovery  Kind = "recovery"
	KindLong      Kind = "long"
	KindTempo     Kind = "tempo"
	KindIntervals Kind = "intervals"
	KindHills     Kind = "hills"
	KindRace      Kind = "race"
	KindCross     Kind = "cross"
	KindRest      Kind = "rest"
)

// Kinds returns every session kind, in the order help texts list them.
func Kinds() []Kind {
	return []Kind{KindEasy, KindRecovery, KindLong, KindTempo, KindIntervals, KindHills, KindRace, KindCross, KindRest}
}

var kindWords = map[string]Kind{
	"easy": KindEasy, "base": KindEasy, "steady": KindEasy, "jog": KindEasy,
	"recovery": KindRecovery, "recover": KindRecovery, "shakeout": KindRecovery, "shake-out": KindRecovery,
	"long": KindLong, "longrun": KindLong, "long-run": KindLong, "lsd": KindLong,
	"tempo": KindTempo, "threshold": KindTempo,
	"intervals": KindIntervals, "interval": KindIntervals, "reps": KindIntervals, "track": KindIntervals, "speed": KindIntervals, "fartlek": KindIntervals,
	"hills": KindHills, "hill": KindHills,
	"race": KindRace, "parkrun": KindRace,
	"cross": KindCross, "xt": KindCross, "cross-training": KindCross, "crosstraining": KindCross, "cross-train": KindCross,
	"bike": KindCross, "cycle": KindCross, "swim": KindCross,
	"rest": KindRest, "off": KindRest,
}

// ParseKind reads a session kind, ignoring case, with a few common synonyms
// ("interval", "xt", "threshold", ...).
func ParseKind(s string) (Kind, bool) {
	k, ok := kindWords[normWord(s)]
	return k, ok
}

// Hard reports whether a session of this kind counts as hard for the rules.
// The long run counts: 003 and 004 treat it as a stress the next day must
// absorb, like a workout.
func (k Kind) Hard() bool {
	switch k {
	case KindTempo, KindIntervals, KindHills, KindRace, KindLong:
		return true
	}
	return false
}

// DefaultRPE is the effort (1–10) assumed when a log gives none. A rest day
// carries no load, so it is 0.
func (k Kind) DefaultRPE() int {
	switch k {
	case KindRest:
		return 0
	case KindRecovery:
		return 2
	case KindEasy, KindCross:
		return 3
	case KindLong:
		return 6
	case KindTempo:
		return 7
	case KindHills, KindIntervals:
		return 8
	case KindRace:
		return 9
	}
	return 3
}

// Level is the member's running experience; it sets how many days may pass
// without rest and the suggested volumes.
type Level string

// The levels. An empty Level means intermediate.
const (
	LevelBeginner     Level = "beginner"
	LevelIntermediate Level = "intermediate"
	LevelAdvanced     Level = "advanced"
)

// ParseLevel reads a level, ignoring case, with a few synonyms.
func ParseLevel(s string) (Level, bool) {
	switch normWord(s) {
	case "beginner", "novice", "new", "beg":
		return LevelBeginner, true
	case "intermediate", "mid", "medium", "int":
		return LevelIntermediate, true
	case "advanced", "adv", "experienced", "expert", "elite":
		return LevelAdvanced, true
	}
	return "", false
}

// Effective returns l, or intermediate when l is empty or unknown.
func (l Level) Effective() Level {
	switch l {
	case LevelBeginner, LevelAdvanced:
		return l
	}
	return LevelIntermediate
}

// Units is how the member reads distances.
type Units string

// The two unit systems.
const (
	UnitsKm Units = "km"
	UnitsMi Units = "mi"
)

// ParseUnits reads "km" or "mi" (also "miles", "metric", "imperial").
func ParseUnits(s string) (Units, bool) {
	switch normWord(s) {
	case "km", "kms", "kilometres", "kilometers", "metric":
		return UnitsKm, true
	case "mi", "mile", "miles", "imperial":
		return UnitsMi, true
	}
	return "", false
}

// Distance formats km in u with one decimal, e.g. "8.0 km" or "5.0 mi".
// Empty units mean km.
func (u Units) Distance(km float64) string {
	if u == UnitsMi {
		return fmt.Sprintf("%.1f mi", km/KmPerMile)
	}
	return fmt.Sprintf("%.1f km", km)
}

// rangeText formats a rough distance range in u, rounded to whole units,
// e.g. "5–6 km".
func (u Units) rangeText(loKm, hiKm float64) string {
	name := "km"
	if u == UnitsMi {
		loKm, hiKm, name = loKm/KmPerMile, hiKm/KmPerMile, "mi"
	}
	lo, hi := int(math.Max(1, math.Round(loKm))), int(math.Max(1, math.Round(hiKm)))
	if lo == hi {
		return fmt.Sprintf("%d %s", lo, name)
	}
	return fmt.Sprintf("%d–%d %s", lo, hi, name)
}

// DayPlan is what the club's weekly pattern holds for one weekday.
type DayPlan string

// The club pattern days. A long day is a HARD day whose session is the long run.
const (
	DayEasy DayPlan = "easy"
	DayHard DayPlan = "hard"
	DayLong DayPlan = "long"
	DayRest DayPlan = "rest"
)

// ParseDayPlan reads a pattern day, ignoring case, with a few synonyms.
func ParseDayPlan(s string) (DayPlan, bool) {
	switch normWord(s) {
	case "easy", "recovery", "e":
		return DayEasy, true
	case "hard", "workout", "quality", "session", "h":
		return DayHard, true
	case "long", "longrun", "long-run", "l":
		return DayLong, true
	case "rest", "off", "r":
		return DayRest, true
	}
	return "", false
}

// WeekPattern is the club's week, indexed by time.Weekday (Sunday = 0).
type WeekPattern [7]DayPlan

// DefaultPattern is the week a club starts with: two workouts, a long run on
// Saturday, easy days between and Monday off (004's weekly shape).
func DefaultPattern() WeekPattern {
	var p WeekPattern
	p[time.Sunday] = DayEasy
	p[time.Monday] = DayRest
	p[time.Tuesday] = DayHard
	p[time.Wednesday] = DayEasy
	p[time.Thursday] = DayHard
	p[time.Friday] = DayEasy
	p[time.Saturday] = DayLong
	return p
}

// On returns the pattern's plan for d; an unset day is easy.
func (p WeekPattern) On(d Date) DayPlan {
	if v := p[d.Weekday()]; v != "" {
		return v
	}
	return DayEasy
}

// IsZero reports whether no day of the pattern is set.
func (p WeekPattern) IsZero() bool {
	return p == WeekPattern{}
}

// String writes the pattern Monday first, as "/club plan" takes it:
// "mon=rest tue=hard ... sun=easy".
func (p WeekPattern) String() string {
	var b strings.Builder
	for i := range 7 {
		wd := time.Weekday((i + 1) % 7)
		if i > 0 {
			b.WriteByte(' ')
		}
		v := p[wd]
		if v == "" {
			v = DayEasy
		}
		fmt.Fprintf(&b, "%s=%s", strings.ToLower(wd.String()[:3]), v)
	}
	return b.String()
}

// ParseWeekday reads a weekday name or its first three letters, ignoring case.
func ParseWeekday(s string) (time.Weekday, bool) {
	w := normWord(s)
	if len(w) < 3 {
		return 0, false
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if strings.HasPrefix(name, w) {
			return d, true
		}
	}
	return 0, false
}

// Flag is a red-flag symptom from a check-in. Any flag means REST and advice
// to see a professional (003: pain that changes the stride means stop).
type Flag string

// The red flags.
const (
	FlagNone    Flag = ""
	FlagPain    Flag = "pain"    // sharp pain, or pain that changes the stride
	FlagIllness Flag = "illness" // feeling ill: fever, flu, stomach bug
	FlagChest   Flag = "chest"   // chest pain or breathing symptoms
)

// ParseFlag reads a flag name ("none" and "no" are FlagNone).
func ParseFlag(s string) (Flag, bool) {
	switch normWord(s) {
	case "", "none", "no", "ok":
		return FlagNone, true
	case "pain", "injury", "hurt", "hurting":
		return FlagPain, true
	case "illness", "ill", "sick":
		return FlagIllness, true
	case "chest", "breathing", "breath":
		return FlagChest, true
	}
	return "", false
}

// Session is one logged session.
type Session struct {
	Date       Date
	Kind       Kind
	DistanceKm float64
	Minutes    float64
	RPE        int // 1–10; 0 means the kind's default
}

// Load is the session's training load, RPE × minutes (Foster 1998). A log
// without RPE takes the kind's default; a log with only a distance takes its
// minutes at the easy pace of thresholds.go, so it still counts.
func (s Session) Load() float64 {
	rpe := s.RPE
	if rpe <= 0 {
		rpe = s.Kind.DefaultRPE()
	}
	return float64(rpe) * s.Duration()
}

// Duration is the session's minutes, estimated from the distance when only
// a distance was logged.
func (s Session) Duration() float64 {
	if s.Minutes > 0 {
		return s.Minutes
	}
	if s.DistanceKm > 0 {
		return s.DistanceKm * EasyPaceMinPerKm
	}
	return 0
}

// CheckIn is a morning readiness check-in. Scores run 1–5 and 0 means "not
// given"; higher sleep and energy are better, higher soreness is worse.
type CheckIn struct {
	Date      Date
	Sleep     int
	Soreness  int
	Energy    int
	RestingHR int // bpm; 0 means not given
	Flag      Flag
}

// Profile is what the rules need to know about the member. Zero values mean
// unknown; an empty Level means intermediate.
type Profile struct {
	Level Level
	Units Units
	Age   int
	MaxHR int // a measured maximum; 0 means estimate it from age
}

// normWord lower-cases s, trims spaces and joins inner spaces with "-", so
// "Long Run" and "long-run" read alike.
func normWord(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), "-")
}
