package coach

import (
	"fmt"
	"math"
	"strings"
)

// RuleID names the rule that decided a verdict. The ids are stored and
// tested against, so they never change.
type RuleID string

// The rules, in the order Decide tries them.
const (
	RuleRedFlag      RuleID = "red_flag"
	RuleRacePlan     RuleID = "race_plan"
	RuleReadiness    RuleID = "readiness"
	RuleNoRest       RuleID = "no_rest"
	RuleAfterHard    RuleID = "after_hard"
	RuleTwoHard      RuleID = "two_hard"
	RuleRecoveryWeek RuleID = "recovery_week"
	RuleLoadSpike    RuleID = "load_spike"
	RuleClubPattern  RuleID = "club_pattern"
	RuleDefault      RuleID = "default"
)

// Input is everything the daily verdict depends on. Decide reads nothing
// else, so the same Input always gives the same Result.
type Input struct {
	Today        Date
	Profile      Profile
	Sessions     []Session   // any order; at least the last 35 days
	CheckIns     []CheckIn   // any order; today's (if any) and earlier ones for the baseline
	Plan         *PlanState  // active post-race plan, or nil
	Pattern      WeekPattern // the club's week; the zero pattern means DefaultPattern
	RecoveryWeek bool        // today falls in a club recovery week
}

// Suggestion is the session that goes with a verdict, in the member's units.
type Suggestion struct {
	Minutes int    // suggested duration; 0 for rest
	Effort  string // "rest", "very easy", "easy", "hard", "long", "rest or cross-train"
	Text    string // one line, e.g. "30–40 min easy (about 5–6 km), at a pace you could chat at"
}

// Result is the daily verdict with its reason.
type Result struct {
	Verdict         Verdict
	Rule            RuleID
	Reason          string // the rule that fired, in words, one line
	Session         Suggestion
	HRCeiling       int      // recovery heart-rate ceiling, when age and a resting HR are known; else 0
	SeeProfessional bool     // a red flag or a hurting plan: advise a doctor or physio
	Step            *Step    // the plan's step, when the plan decided
	Signs           []string // readiness warning signs found in today's check-in
}

// Decide applies the verdict rules in order; the first that matches decides
// (PRODUCT.md "The daily verdict"):
//
//  1. red flag in today's check-in → REST, see a doctor or physio
//  2. active post-race plan → the plan's step for today
//  3. readiness: two or more warning signs → REST, one → EASY
//  4. no rest day in the last 3/6/9 days (beginner/intermediate/advanced) → REST
//  5. hard or long yesterday, or a race in the last 2 days → EASY
//  6. two hard sessions in the 3 days before today → EASY
//  7. club recovery week → EASY at lower volume (REST on the club's rest day)
//  8. load spike → EASY
//  9. club pattern: hard or long → HARD, rest → REST
//  10. otherwise EASY
//
// Rules 4–6 look at the days before today: the verdict is a morning
// decision, so a session logged today does not change it. For rule 4 a day
// counts as trained only when it has a logged session that isn't rest; an
// empty day counts as rest. The rule so fires only on evidence of that many
// straight training days, and never for a member who logs rarely or not at
// all. Rule 8 needs a last-7-days load of at least LoadSpikeFloor; its
// week-over-week test needs load in the previous 7 days, and its
// acute:chronic test a logged session ChronicHistoryDays or more ago, so a
// new member's first weeks are not mistaken for a spike. With no data at all
// only rules 7 and 9–10 can fire: the member gets the club's day. In a
// recovery week nothing is HARD and easy sessions are shorter.
func Decide(in Input) Result {
	c := newCtx(in)
	r := c.decide()
	if in.RecoveryWeek && r.Verdict == VerdictHard {
		r.Verdict = VerdictEasy
		r.Session = c.easy(false)
		r.Reason += " It's a club recovery week, though, so keep it easy and shorter."
	}
	r.HRCeiling = c.ceiling()
	return r
}

// ctx carries what the rules share.
type ctx struct {
	in       Input
	level    Level
	vol      volume
	pattern  WeekPattern
	check    CheckIn // today's check-in, merged
	hasCheck bool
	base     int
	hasBase  bool
	byDay    map[int][]Session // sessions by days before today (1 = yesterday)
}

func newCtx(in Input) *ctx {
	c := &ctx{in: in, level: in.Profile.Level.Effective(), pattern: in.Pattern, byDay: map[int][]Session{}}
	c.vol = volumes[c.level]
	if c.pattern.IsZero() {
		c.pattern = DefaultPattern()
	}
	for _, ci := range in.CheckIns {
		if ci.Date != in.Today {
			continue
		}
		c.hasCheck = true
		c.check = mergeCheckIn(c.check, ci)
	}
	c.base, c.hasBase = Baseline(in.CheckIns, in.Today)
	for _, s := range in.Sessions {
		if ago := in.Today.Sub(s.Date); ago > 0 {
			c.byDay[ago] = append(c.byDay[ago], s)
		}
	}
	return c
}

// mergeCheckIn folds a later check-in of the same day into an earlier one:
// given answers replace, and a flag once raised stays raised.
func mergeCheckIn(a, b CheckIn) CheckIn {
	a.Date = b.Date
	if b.Sleep > 0 {
		a.Sleep = b.Sleep
	}
	if b.Soreness > 0 {
		a.Soreness = b.Soreness
	}
	if b.Energy > 0 {
		a.Energy = b.Energy
	}
	if b.RestingHR > 0 {
		a.RestingHR = b.RestingHR
	}
	if b.Flag != FlagNone {
		a.Flag = b.Flag
	}
	return a
}

func (c *ctx) decide() Result {
	today := c.in.Today

	// 1. Red flag.
	if c.hasCheck && c.check.Flag != FlagNone {
		return c.redFlag(c.check.Flag)
	}

	// 2. Post-race plan.
	if p := c.in.Plan; p != nil {
		if st, ok := p.StepOn(today); ok {
			r := Result{Verdict: st.Verdict, Rule: RuleRacePlan, Step: &st, SeeProfessional: st.SeeProfessional}
			if st.SeeProfessional {
				r.Reason = fmt.Sprintf("You said you're hurting, so your %s recovery plan is on hold: rest, and get it checked.", p.Name())
			} else {
				r.Reason = fmt.Sprintf("Day %d of your %s recovery plan: %s.", st.Day, p.Name(), lowerFirst(st.Title))
			}
			effort := "easy"
			if st.Verdict == VerdictRest {
				effort = "rest"
			}
			r.Session = Suggestion{Minutes: st.Minutes, Effort: effort, Text: st.Title}
			return r
		}
	}

	// 3. Readiness.
	if signs := c.signs(); len(signs) > 0 {
		list := strings.Join(signs, ", ")
		if len(signs) >= SignsForRest {
			return Result{Verdict: VerdictRest, Rule: RuleReadiness, Signs: signs, Session: rest(),
				Reason: fmt.Sprintf("%s warning signs in today's check-in (%s): rest today.", upperFirst(countWord(len(signs))), list)}
		}
		return Result{Verdict: VerdictEasy, Rule: RuleReadiness, Signs: signs, Session: c.easy(true),
			Reason: fmt.Sprintf("One warning sign in today's check-in (%s): keep it easy.", list)}
	}

	// 4. No rest for too long.
	if n := c.noRestWindow(); c.trainedEveryDay(n) {
		return Result{Verdict: VerdictRest, Rule: RuleNoRest, Session: rest(),
			Reason: fmt.Sprintf("No rest day in the last %d days: your body rebuilds on rest days, so take one today.", n)}
	}

	// 5. Hard or long yesterday, or a race in the last days.
	if r, ok := c.afterHard(); ok {
		return r
	}

	// 6. Two hard sessions in the last days.
	if n := c.hardSessions(TwoHardWindow); n >= TwoHardSessions {
		return Result{Verdict: VerdictEasy, Rule: RuleTwoHard, Session: c.easy(true),
			Reason: fmt.Sprintf("%s hard sessions in the last %d days: a third hard day in a row invites overtraining, so easy today.", upperFirst(countWord(n)), TwoHardWindow)}
	}

	// 7. Club recovery week.
	if c.in.RecoveryWeek {
		if c.pattern.On(today) == DayRest {
			return Result{Verdict: VerdictRest, Rule: RuleRecoveryWeek, Session: rest(),
				Reason: "It's a club recovery week and the club's rest day: rest."}
		}
		return Result{Verdict: VerdictEasy, Rule: RuleRecoveryWeek, Session: c.easy(false),
			Reason: "It's a club recovery week: easy running at lower volume, so the training can sink in."}
	}

	// 8. Load spike.
	if reason, ok := c.loadSpike(); ok {
		return Result{Verdict: VerdictEasy, Rule: RuleLoadSpike, Session: c.easy(false), Reason: reason}
	}

	// 9. Club pattern.
	switch c.pattern.On(today) {
	case DayHard:
		return Result{Verdict: VerdictHard, Rule: RuleClubPattern, Session: c.hard(),
			Reason: "The club's plan has a hard session today, and nothing in your logs says hold back."}
	case DayLong:
		return Result{Verdict: VerdictHard, Rule: RuleClubPattern, Session: c.long(),
			Reason: "It's the club's long-run day, and nothing in your logs says hold back."}
	case DayRest:
		return Result{Verdict: VerdictRest, Rule: RuleClubPattern, Session: rest(),
			Reason: "The club's plan has a rest day today."}
	}

	// 10. Default.
	return Result{Verdict: VerdictEasy, Rule: RuleDefault, Session: c.easy(false),
		Reason: "Nothing calls for rest or a hard session, and the club's plan says easy: an easy day."}
}

func (c *ctx) redFlag(f Flag) Result {
	r := Result{Verdict: VerdictRest, Rule: RuleRedFlag, SeeProfessional: true}
	switch f {
	case FlagIllness:
		r.Reason = "You said you're feeling ill: rest until you're well."
		r.Session = Suggestion{Effort: "rest", Text: "No training. If it's more than a mild cold, or it lingers, check with a doctor before you train again."}
	case FlagChest:
		r.Reason = "You reported chest or breathing symptoms: no training today."
		r.Session = Suggestion{Effort: "rest", Text: "Don't train. Get a doctor's advice soon, and urgent help if it's severe or came on suddenly."}
	default:
		r.Reason = "You reported pain that is sharp or changes your stride: no running today."
		r.Session = Suggestion{Effort: "rest", Text: "Rest. If the pain is sharp, getting worse or changing how you walk or run, see a doctor or physiotherapist before you run again."}
	}
	return r
}

// signs lists the warning signs in today's check-in.
func (c *ctx) signs() []string {
	if !c.hasCheck {
		return nil
	}
	var out []string
	ci := c.check
	if ci.RestingHR > 0 && c.hasBase && ci.RestingHR >= c.base+RestingHRRise {
		out = append(out, fmt.Sprintf("resting heart rate %d bpm above your usual %d", ci.RestingHR-c.base, c.base))
	}
	if ci.Sleep > 0 && ci.Sleep <= PoorSleep {
		out = append(out, "poor sleep")
	}
	if ci.Soreness >= HighSoreness {
		out = append(out, "high soreness")
	}
	if ci.Energy > 0 && ci.Energy <= LowEnergy {
		out = append(out, "low energy")
	}
	return out
}

func (c *ctx) noRestWindow() int {
	switch c.level {
	case LevelBeginner:
		return NoRestBeginner
	case LevelAdvanced:
		return NoRestAdvanced
	}
	return NoRestIntermediate
}

// trainedEveryDay reports whether each of the n days before today has a
// logged session and none of them is a rest log.
func (c *ctx) trainedEveryDay(n int) bool {
	for ago := 1; ago <= n; ago++ {
		day := c.byDay[ago]
		if len(day) == 0 {
			return false
		}
		for _, s := range day {
			if s.Kind == KindRest {
				return false
			}
		}
	}
	return true
}

func (c *ctx) afterHard() (Result, bool) {
	for ago := 1; ago <= RaceEasyDays; ago++ {
		for _, s := range c.byDay[ago] {
			if s.Kind == KindRace {
				when := "yesterday"
				if ago > 1 {
					when = fmt.Sprintf("%d days ago", ago)
				}
				return Result{Verdict: VerdictEasy, Rule: RuleAfterHard, Session: c.easy(true),
					Reason: fmt.Sprintf("You raced %s: a race takes a few days to absorb, so keep it easy.", when)}, true
			}
		}
	}
	var hardest *Session
	for i, s := range c.byDay[1] {
		if s.Kind == KindLong {
			return Result{Verdict: VerdictEasy, Rule: RuleAfterHard, Session: c.afterLong(),
				Reason: "Yesterday was your long run: rest, cross-train or jog very gently today."}, true
		}
		if s.Kind.Hard() && hardest == nil {
			hardest = &c.byDay[1][i]
		}
	}
	if hardest != nil {
		return Result{Verdict: VerdictEasy, Rule: RuleAfterHard, Session: c.easy(true),
			Reason: fmt.Sprintf("Yesterday was a hard session (%s): an easy day lets it turn into fitness.", hardest.Kind)}, true
	}
	return Result{}, false
}

// hardSessions counts hard sessions in the n days before today.
func (c *ctx) hardSessions(n int) int {
	count := 0
	for ago := 1; ago <= n; ago++ {
		for _, s := range c.byDay[ago] {
			if s.Kind.Hard() {
				count++
			}
		}
	}
	return count
}

func (c *ctx) loadSpike() (string, bool) {
	l := Loads(c.in.Sessions, c.in.Today)
	if l.Last7 < LoadSpikeFloor {
		return "", false
	}
	if l.Prev7 > 0 && l.WeekOverWeek > LoadSpikeWeekOverWeek {
		return fmt.Sprintf("Your training load over the last 7 days (%.0f) is %.0f%% above the 7 days before: ease off today.",
			l.Last7, l.WeekOverWeek*100), true
	}
	if l.HistoryDays >= ChronicHistoryDays && l.AvgWeek28 > 0 && l.Last7 > LoadSpikeACWR*l.AvgWeek28 {
		return fmt.Sprintf("Your training load over the last 7 days (%.0f) is %.1f times your average week of the last 4 (%.0f): ease off today.",
			l.Last7, l.ACWR, l.AvgWeek28), true
	}
	return "", false
}

// ceiling is the recovery heart-rate ceiling from the profile and the
// member's baseline, or today's reading when there is no baseline yet. The
// baseline comes first: a raised reading today would raise the ceiling.
func (c *ctx) ceiling() int {
	p := c.in.Profile
	resting := c.base
	if !c.hasBase {
		resting = c.check.RestingHR
	}
	if resting <= 0 || (p.Age <= 0 && p.MaxHR <= 0) {
		return 0
	}
	return RecoveryHR(p.Age, resting, p.MaxHR).Ceiling
}

func rest() Suggestion {
	return Suggestion{Effort: "rest", Text: "Rest: no training. A walk, some stretching or foam rolling is fine."}
}

// easy suggests an easy run, or a recovery run (shorter and slower) after a
// hard day or with a warning sign. In a recovery week it is shorter still.
func (c *ctx) easy(recovery bool) Suggestion {
	lo, hi := c.vol.EasyLow, c.vol.EasyHigh
	if recovery {
		lo, hi = max(20, lo-10), lo
	}
	if c.in.RecoveryWeek {
		lo, hi = scaleMinutes(lo, RecoveryWeekVolume), scaleMinutes(hi, RecoveryWeekVolume)
	}
	units := c.in.Profile.Units
	dist := units.rangeText(float64(lo)/EasyPaceMinPerKm, float64(hi)/EasyPaceMinPerKm)
	if recovery {
		slower := fmt.Sprintf("at least %d s/km slower than your usual runs", RecoverySlowerPerKm)
		if units == UnitsMi {
			slower = "at least a minute a mile slower than your normal runs"
		}
		return Suggestion{Minutes: (lo + hi) / 2, Effort: "very easy",
			Text: fmt.Sprintf("%s very easy (about %s), %s; you should be able to chat throughout", minutesText(lo, hi), dist, slower)}
	}
	text := fmt.Sprintf("%s easy (about %s), at a pace you could hold a conversation at", minutesText(lo, hi), dist)
	if c.in.RecoveryWeek {
		text += "; shorter than usual for the recovery week"
	}
	return Suggestion{Minutes: (lo + hi) / 2, Effort: "easy", Text: text}
}

func (c *ctx) afterLong() Suggestion {
	lo := max(20, c.vol.EasyLow-10)
	return Suggestion{Minutes: lo, Effort: "rest or cross-train",
		Text: fmt.Sprintf("Rest, or %s of easy cross-training (bike, swim), or a short, very easy jog", minutesText(lo, lo+10))}
}

func (c *ctx) hard() Suggestion {
	return Suggestion{Minutes: c.vol.Hard, Effort: "hard",
		Text: fmt.Sprintf("The club's hard session, about %d min with a proper warm-up and a few minutes of easy jogging after", c.vol.Hard)}
}

func (c *ctx) long() Suggestion {
	m := c.vol.Long
	return Suggestion{Minutes: m, Effort: "long",
		Text: fmt.Sprintf("The long run: about %d min (roughly %s) at an easy, steady pace; take fluids along",
			m, c.in.Profile.Units.rangeText(float64(m)/EasyPaceMinPerKm*0.95, float64(m)/EasyPaceMinPerKm*1.05))}
}

// scaleMinutes scales m by f, to the nearest 5 minutes, at least 10.
func scaleMinutes(m int, f float64) int {
	return max(10, int(math.Round(float64(m)*f/5))*5)
}

func minutesText(lo, hi int) string {
	if lo == hi {
		return fmt.Sprintf("%d min", lo)
	}
	return fmt.Sprintf("%d–%d min", lo, hi)
}

func countWord(n int) string {
	words := []string{"no", "one", "two", "three", "four", "five", "six"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return fmt.Sprint(n)
}
