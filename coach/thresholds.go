package coach

// Every number the rules, load figures, heart-rate maths and plans use lives
// in this file, each with where it comes from. Article names refer to
// ../shared/seeds/; "own choice" marks a judgement call of this project.
const (
	// Readiness (rule 3).

	// RestingHRRise is how far (bpm) today's resting heart rate may sit above
	// the member's baseline before it counts as a warning sign.
	// 002 and 004 name an elevated resting heart rate as a sign of poor
	// recovery; 5 bpm is the line PRODUCT.md draws.
	RestingHRRise = 5
	// BaselineCheckIns is how many recent check-ins with a resting heart rate
	// make the baseline (two weeks of mornings). 003 asks for at least a week
	// of morning readings; own choice to use two.
	BaselineCheckIns = 14
	// BaselineMinimum is the fewest readings that make a baseline; with fewer,
	// one odd morning would be the baseline. Own choice.
	BaselineMinimum = 3
	// PoorSleep: sleep at or below this (1–5 scale) is a warning sign.
	// 002 and 004: disrupted or poor sleep.
	PoorSleep = 2
	// HighSoreness: soreness at or above this (1–5) is a warning sign.
	// 002: lingering soreness; 004: aches that don't go away.
	HighSoreness = 4
	// LowEnergy: energy at or below this (1–5) is a warning sign.
	// 002: stable energy is a good sign; 004: persistent fatigue is a red flag.
	LowEnergy = 2
	// SignsForRest: this many warning signs turn the day into REST; one sign
	// makes it EASY. PRODUCT.md.
	SignsForRest = 2

	// Rest days (rule 4). 000: beginners rest 2–3 days a week, every plan
	// should have at least one rest day a week, an advanced marathoner may
	// rest only every 10 days.

	// NoRestBeginner is the longest run of training days a beginner gets
	// before a rest day is due.
	NoRestBeginner = 3
	// NoRestIntermediate is the same for an intermediate runner (one rest
	// day a week).
	NoRestIntermediate = 6
	// NoRestAdvanced is the same for an advanced runner (about every 10th day).
	NoRestAdvanced = 9

	// Red flags (rules 1 and 2).

	// RedFlagDays: a red flag in a check-in up to this many days back still
	// counts: REST until a flag-free check-in, then at most EASY until a
	// clean one on a later day. PRODUCT.md (rule of thumb: illness and pain
	// take a few days; 003: pain that changes the gait means stop and see a
	// professional).
	RedFlagDays = 3

	// Races (rule 4 without a plan).

	// RaceNoHard5K, RaceNoHard10K, RaceNoHardHalf and RaceNoHardMarathon:
	// a logged race keeps the days after it from being HARD until this many
	// days have passed (the day this number of days after the race may be
	// hard again). 003: 5K "perhaps even one day" and 5K/10K "by day three"
	// back to regular training; half "one week post-race" including a hard
	// workout; marathon one light workout at three weeks. Ultras add their
	// plan's extra days.
	RaceNoHard5K       = 2
	RaceNoHard10K      = 3
	RaceNoHardHalf     = 7
	RaceNoHardMarathon = 21
	// RaceNoHardUnknown is used for a race logged with a duration only.
	// Own choice: treated as a 10K.
	RaceNoHardUnknown = RaceNoHard10K
	// RaceNoHardDaysMax bounds how far back the rule looks.
	RaceNoHardDaysMax = RaceNoHardMarathon + 7*UltraExtraWeeksCap

	// After hard days (rules 7 and 8).

	// HardRPE: a session at this effort (1–10) or more is hard, whatever its
	// kind. PRODUCT.md; on the RPE scale 7 is "hard" (Foster 1998's
	// session-RPE scale).
	HardRPE = 7
	// TwoHardWindow and TwoHardSessions: this many hard sessions in this
	// many days before today make today easy. 004: three hard days in a row
	// invite overtraining; hard-easy-easy is a sustainable pattern.
	TwoHardWindow   = 3
	TwoHardSessions = 2

	// Level (rule 10).

	// BeginnerRestDays: a beginner's week gets at least this many rest days
	// (the day after the long run becomes one). 000: beginners rest 2–3 days
	// a week.
	BeginnerRestDays = 2

	// Recovery weeks (rule 5).

	// RecoveryWeekVolume scales suggested minutes in a club recovery week.
	// 000 and 002: a recovery week keeps the usual days at lower volume and
	// intensity, every 3–4 weeks; the 30% cut is own choice.
	RecoveryWeekVolume = 0.7

	// Load (rule 9 and /week). Session load is RPE × minutes (Foster 1998).

	// LoadSpikeACWR: last 7 days' load above this multiple of the average
	// week of the last 28 days is a spike. Gabbett 2016 (acute:chronic ratio
	// above about 1.3 carries more injury risk).
	LoadSpikeACWR = 1.3
	// LoadSpikeWeekOverWeek: last 7 days more than this fraction over the 7
	// before is a spike. PRODUCT.md; Gabbett 2016 warns against big
	// week-to-week jumps.
	LoadSpikeWeekOverWeek = 0.30
	// LoadHistoryDays: neither load test fires before the member's log
	// reaches this many days back; a new member's first weeks, compared with
	// the empty weeks before they joined, would look like a spike. The
	// verdict says so instead. Own choice (three of the four chronic weeks
	// covered). Neither test runs in the week after a club recovery week,
	// whose low load was planned (PRODUCT.md).
	LoadHistoryDays = 21
	// ChronicHistoryDays is LoadHistoryDays under the name /week uses.
	ChronicHistoryDays = LoadHistoryDays
	// LoadSpikeFloor: a last-7-days load below this never counts as a spike;
	// at such low loads a ratio is noise (about 1.5 h of easy running).
	// Own choice; Gabbett 2016 notes ratios mislead at low chronic load.
	LoadSpikeFloor = 300.0
	// MonotonyHigh: weekly monotony above this is high. Foster 1998.
	MonotonyHigh = 2.0
	// MonotonyCap bounds monotony when every day's load is the same (the
	// standard deviation is zero), so identical days read as maximal rather
	// than dividing by zero. Own choice.
	MonotonyCap = 10.0
	// EasyPaceMinPerKm turns a distance-only log into minutes and a duration
	// into a rough distance. Own choice: a typical club easy pace.
	EasyPaceMinPerKm = 6.5

	// Heart rate (hr.go). 003, with the Karvonen method.

	// HRMaxAgeBase: estimated maximum heart rate is this minus age. 003.
	HRMaxAgeBase = 220
	// RecoveryReservePct: recovery runs stay under this percentage of the
	// heart-rate reserve, added to the resting rate. 003.
	RecoveryReservePct = 65
	// EasyReserveLowPct and EasyReserveHighPct bound an easy run in % of the
	// heart-rate reserve. Own choice (rule of thumb): the top is the recovery
	// ceiling, so /hr's easy band never goes over the line /today tells
	// members to keep easy running under.
	EasyReserveLowPct  = 55
	EasyReserveHighPct = RecoveryReservePct
	// RecoverySlowerPerMile and RecoverySlowerPerKm (seconds): a recovery run
	// is at least this much slower than the usual base-run pace. 003 (at
	// least one minute per mile; 60 ÷ 1.609 = 37 s per km).
	RecoverySlowerPerMile = 60
	RecoverySlowerPerKm   = 37

	// Plans (plans.go). Race distances are the official ones.

	// KmPerMile converts miles to kilometres.
	KmPerMile = 1.609344
	// Km5K, Km10K, KmHalf and KmMarathon are the race distances in km.
	Km5K       = 5.0
	Km10K      = 10.0
	KmHalf     = 21.0975
	KmMarathon = 42.195
	// KmUltra is the distance taken for "ultra" with no number: the
	// shortest common ultra. Own choice.
	KmUltra = 50.0
	// UltraSlackKm: a race up to this far beyond the marathon distance is a
	// marathon (courses and watches run long). Own choice.
	UltraSlackKm = 3.0
	// UltraKmPerExtraWeek: beyond the marathon, the marathon plan gains a
	// whole week, and another per this many km more, so the plan's
	// milestones stay on whole weeks. Own choice (rule of thumb); 003 only
	// says longer races need longer recovery.
	UltraKmPerExtraWeek = 50.0
	// UltraExtraWeeksCap caps those extra weeks. Own choice.
	UltraExtraWeeksCap = 2
	// MaxSoreDelay caps the days Sore can add; past that, soreness that won't
	// settle is a reason to see a professional. Own choice.
	MaxSoreDelay = 7
	// HurtingHoldDays: a plan on hold because the member is hurting ends
	// after this many days without a Fresh or Sore. Own choice.
	HurtingHoldDays = 14
)

// volume is the suggested session length per level, in minutes.
// Own choice, in line with 003 (recovery runs of about 30 minutes after a
// 5K/10K; long runs the longest session of the week) and 004's weekly shape.
type volume struct {
	EasyLow, EasyHigh int // an easy or recovery run
	Hard              int // a club hard session, warm-up and cool-down included
	Long              int // the club long run
}

var volumes = map[Level]volume{
	LevelBeginner:     {EasyLow: 20, EasyHigh: 30, Hard: 40, Long: 60},
	LevelIntermediate: {EasyLow: 30, EasyHigh: 40, Hard: 50, Long: 90},
	LevelAdvanced:     {EasyLow: 40, EasyHigh: 50, Hard: 60, Long: 120},
}

// Threshold is one documented number, for help texts and the README.
type Threshold struct {
	Name   string
	Value  float64
	Source string
}

// Thresholds lists the rule numbers with their sources, in rule order,
// then those of sessions read from heart rate (trimp.go, racefile.go,
// hrsession.go).
func Thresholds() []Threshold {
	list := []Threshold{
		{"resting HR rise over baseline (bpm)", RestingHRRise, "PRODUCT.md; 002, 004"},
		{"check-ins in the resting-HR baseline", BaselineCheckIns, "003 (a week of readings); own choice"},
		{"fewest readings for a baseline", BaselineMinimum, "own choice"},
		{"poor sleep (≤, 1–5)", PoorSleep, "002, 004"},
		{"high soreness (≥, 1–5)", HighSoreness, "002, 004"},
		{"low energy (≤, 1–5)", LowEnergy, "002, 004"},
		{"warning signs for REST", SignsForRest, "PRODUCT.md"},
		{"days without rest, beginner", NoRestBeginner, "000"},
		{"days without rest, intermediate", NoRestIntermediate, "000"},
		{"days without rest, advanced", NoRestAdvanced, "000"},
		{"days a red flag counts", RedFlagDays, "PRODUCT.md; rule of thumb"},
		{"days without HARD after a logged 5K", RaceNoHard5K, "003"},
		{"days without HARD after a logged 10K", RaceNoHard10K, "003"},
		{"days without HARD after a logged half", RaceNoHardHalf, "003"},
		{"days without HARD after a logged marathon", RaceNoHardMarathon, "003"},
		{"days without HARD after a race of unknown distance", RaceNoHardUnknown, "own choice"},
		{"RPE from which a session is hard", HardRPE, "PRODUCT.md; Foster 1998"},
		{"hard sessions in the window", TwoHardSessions, "004"},
		{"window for hard sessions (days)", TwoHardWindow, "004"},
		{"rest days in a beginner's week", BeginnerRestDays, "000"},
		{"recovery-week volume", RecoveryWeekVolume, "000, 002; own choice"},
		{"acute:chronic load limit", LoadSpikeACWR, "Gabbett 2016"},
		{"week-over-week load limit", LoadSpikeWeekOverWeek, "PRODUCT.md; Gabbett 2016"},
		{"log history before load tests fire (days)", LoadHistoryDays, "own choice"},
		{"weekly load below which no spike counts", LoadSpikeFloor, "own choice; Gabbett 2016"},
		{"high monotony", MonotonyHigh, "Foster 1998"},
		{"monotony cap", MonotonyCap, "own choice"},
		{"easy pace (min/km) for estimates", EasyPaceMinPerKm, "own choice"},
		{"HRmax = this − age", HRMaxAgeBase, "003"},
		{"recovery ceiling, % of HR reserve", RecoveryReservePct, "003"},
		{"easy range low, % of HR reserve", EasyReserveLowPct, "own choice (Karvonen)"},
		{"easy range high, % of HR reserve", EasyReserveHighPct, "own choice (Karvonen)"},
		{"recovery pace, s/mile slower", RecoverySlowerPerMile, "003"},
		{"recovery pace, s/km slower", RecoverySlowerPerKm, "003 (converted)"},
		{"km over a marathon still a marathon", UltraSlackKm, "own choice"},
		{"ultra km per extra plan week", UltraKmPerExtraWeek, "own choice (rule of thumb)"},
		{"extra plan weeks cap", UltraExtraWeeksCap, "own choice"},
		{"most days Sore can add", MaxSoreDelay, "own choice"},
		{"days a hurting plan waits", HurtingHoldDays, "own choice"},
	}
	return append(append(list, ActivityThresholds()...), HRSessionThresholds()...)
}

// RaceNoHardDays is how many days a race of km kilometres keeps from being
// HARD (rule 4 without a plan); 0 km means the distance is unknown.
func RaceNoHardDays(km float64) int {
	if km <= 0 {
		return RaceNoHardUnknown
	}
	r, extra := RaceFor(km)
	switch r {
	case Race5K:
		return RaceNoHard5K
	case Race10K:
		return RaceNoHard10K
	case RaceHalf:
		return RaceNoHardHalf
	}
	return RaceNoHardMarathon + extra
}
