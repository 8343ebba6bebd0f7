package coach

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// RuleID names the rule that decided a verdict. The ids are stored and
// tested against, so they never change.
type RuleID string

// The rules, in the order Decide tries them.
const (
	RuleRedFlag      RuleID = "red_flag"
	RuleAftermath    RuleID = "aftermath"
	RuleReadiness    RuleID = "readiness"
	RuleRacePlan     RuleID = "race_plan"
	RuleRaceLogged   RuleID = "race_logged"
	RuleRecoveryWeek RuleID = "recovery_week"
	RuleNoRest       RuleID = "no_rest"
	RuleAfterHard    RuleID = "after_hard"
	RuleTwoHard      RuleID = "two_hard"
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
	// AfterRecoveryWeek: one of the 7 days before today fell in a club
	// recovery week (and today does not), so last week's low load is planned.
	AfterRecoveryWeek bool
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
	Notes           []string // extra lines that inform without changing the verdict
}

// Decide applies the verdict rules in order (PRODUCT.md "The daily
// verdict"):
//
//  1. red flag today, or in the last RedFlagDays days with no flag-free
//     check-in since → REST, see a doctor or physio
//  2. aftermath: a red flag in the last RedFlagDays days, reported better
//     since → at most EASY, until a clean check-in on a later day
//  3. readiness: two or more warning signs → REST; one → at most EASY
//  4. active post-race plan → the plan's step for today; else a race logged
//     in the last RaceNoHardDays (by distance) → at most EASY
//  5. club recovery week → at most EASY, at lower volume
//  6. no rest day in the last 3/6/9 days (beginner/intermediate/advanced) → REST
//  7. a hard session yesterday (RPE ≥ HardRPE, or a long run) → at most EASY
//  8. two hard sessions in the 3 days before today → at most EASY
//  9. load spike, with enough history and not in the week after a
//     recovery week → at most EASY
//  10. the club's pattern, adjusted to the member's level: hard or long →
//     HARD, rest → REST
//  11. otherwise EASY
//
// "At most EASY" rules are caps: the first that matches decides the reason
// and the session, unless a later rule or the club's week says REST, which
// stays REST (a cap never turns a rest day into a run). The plan (rule 4)
// decides its own day once no REST rule above it fired.
//
// Rules 6–9 look at the days before today: the verdict is a morning
// decision, so a session logged today does not change it. For rule 6 a day
// counts as trained only when it has a logged session that isn't rest; an
// empty day counts as rest. With no data at all only rules 5 and 10–11 can
// fire: the member gets the club's day.
func Decide(in Input) Result {
	c := newCtx(in)
	r := c.decide()
	r.HRCeiling = c.ceiling()
	return r
}

// ctx carries what the rules share.
type ctx struct {
	in       Input
	level    Level
	vol      volume
	pattern  WeekPattern // the club's week adjusted to the member's level
	club     WeekPattern // the club's week as the coach set it
	check    CheckIn     // today's check-in, merged
	hasCheck bool
	base     int
	hasBase  bool
	byDay    map[int][]Session // sessions by days before today (1 = yesterday)
	checks   map[int]CheckIn   // check-ins merged per day, by days before today (0 = today)
}

func newCtx(in Input) *ctx {
	c := &ctx{in: in, level: in.Profile.Level.Effective(), club: in.Pattern, byDay: map[int][]Session{}, checks: map[int]CheckIn{}}
	c.vol = volumes[c.level]
	if c.club.IsZero() {
		c.club = DefaultPattern()
	}
	c.pattern = c.club.ForLevel(c.level)
	for _, ci := range in.CheckIns {
		ago := in.Today.Sub(ci.Date)
		if ago < 0 {
			continue
		}
		c.checks[ago] = mergeCheckIn(c.checks[ago], ci)
	}
	c.check, c.hasCheck = c.checks[0]
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

// capRule is a matched "at most EASY" rule: its EASY result, and why in a
// few words for when the day stays REST anyway.
type capRule struct {
	Result
	why string
}

func (c *ctx) decide() Result {
	today := c.in.Today
	var caps []capRule
	var notes []string
	add := func(r Result, why string) { caps = append(caps, capRule{r, why}) }

	// 1. Red flag, and 2. its aftermath.
	flagAgo, flag, better, clean := c.recentFlag()
	if flagAgo >= 0 && !better {
		return c.redFlag(flag, flagAgo)
	}
	if flagAgo >= 0 && !clean {
		add(Result{Verdict: VerdictEasy, Rule: RuleAftermath, Session: c.easy(true),
			Reason: fmt.Sprintf("You reported %s %s and feel better now: easy only until a clean check-in on a later day shows you're back to normal.",
				flagWords(flag), agoWord(flagAgo))},
			fmt.Sprintf("you reported %s %s", flagWords(flag), agoWord(flagAgo)))
	}

	// 3. Readiness.
	if signs := c.signs(); len(signs) > 0 {
		list := strings.Join(signs, ", ")
		if len(signs) >= SignsForRest {
			r := Result{Verdict: VerdictRest, Rule: RuleReadiness, Signs: signs, Session: rest(),
				Reason: fmt.Sprintf("%s warning signs in today's check-in (%s): rest today.", upperFirst(countWord(len(signs))), list)}
			if c.in.Plan != nil {
				if _, ok := c.in.Plan.StepOn(today); ok {
					r.Reason += " That comes before your recovery plan's step; pick the plan up again tomorrow."
				}
			}
			return r
		}
		r := Result{Verdict: VerdictEasy, Rule: RuleReadiness, Signs: signs, Session: c.easy(true),
			Reason: fmt.Sprintf("One warning sign in today's check-in (%s): keep it easy.", list)}
		add(r, "today's check-in shows "+list)
	}

	// 4. Post-race plan, or a race logged without one.
	if p := c.in.Plan; p != nil {
		if st, ok := p.StepOn(today); ok {
			if c.in.RecoveryWeek {
				add(c.recoveryWeek(), "it's a club recovery week")
			}
			return c.planResult(*p, st, caps)
		}
	}
	if r, why, ok := c.raceLogged(); ok {
		if r.Verdict == VerdictRest {
			return r
		}
		add(r, why)
	}

	// 5. Club recovery week.
	if c.in.RecoveryWeek {
		add(c.recoveryWeek(), "it's a club recovery week")
	}

	// 6. No rest for too long.
	if n := c.noRestWindow(); c.trainedEveryDay(n) {
		return Result{Verdict: VerdictRest, Rule: RuleNoRest, Session: rest(),
			Reason: fmt.Sprintf("No rest day in the last %d days: your body rebuilds on rest days, so take one today.", n)}
	}

	// 7. Hard yesterday.
	if r, why, ok := c.afterHard(); ok {
		add(r, why)
	}

	// 8. Two hard sessions in the last days.
	if n := c.hardSessions(TwoHardWindow); n >= TwoHardSessions {
		add(Result{Verdict: VerdictEasy, Rule: RuleTwoHard, Session: c.easy(true),
			Reason: fmt.Sprintf("%s hard sessions in the last %d days: a third hard day so soon invites overtraining, so easy today.", upperFirst(countWord(n)), TwoHardWindow)},
			fmt.Sprintf("you had %s hard sessions in the last %d days", countWord(n), TwoHardWindow))
	}

	// 9. Load spike.
	if reason, note, ok := c.loadSpike(); ok {
		add(Result{Verdict: VerdictEasy, Rule: RuleLoadSpike, Session: c.easy(false), Reason: reason}, "your training load jumped")
	} else if note != "" {
		notes = append(notes, note)
	}

	// 10. Club pattern, adjusted to the level, and 11. the default.
	base := c.patternResult()
	switch {
	case base.Verdict == VerdictRest && len(caps) > 0:
		base.Reason = fmt.Sprintf("The club's plan has a rest day today, and %s: rest.", caps[0].why)
	case len(caps) > 0:
		base = caps[0].Result
		// The reason is the first cap's; the session the gentlest any cap
		// asks for (a recovery week after a hard day: shorter and slower).
		for _, cr := range caps[1:] {
			if cr.Session.Minutes < base.Session.Minutes {
				base.Session = cr.Session
			}
		}
	}
	base.Notes = append(base.Notes, notes...)
	return base
}

func (c *ctx) recoveryWeek() Result {
	return Result{Verdict: VerdictEasy, Rule: RuleRecoveryWeek, Session: c.easy(false),
		Reason: "It's a club recovery week: easy running at lower volume, so the training can sink in."}
}

// planResult is the plan's step for today. Caps above the plan cannot make
// its day harder (a plan never prescribes more than one light workout), so
// the first one is named beside it, and turns a workout into an easy day.
func (c *ctx) planResult(p PlanState, st Step, caps []capRule) Result {
	r := Result{Verdict: st.Verdict, Rule: RuleRacePlan, Step: &st, SeeProfessional: st.SeeProfessional}
	if st.SeeProfessional {
		r.Reason = fmt.Sprintf("You said you're hurting, so your %s recovery plan is on hold: rest, and get it checked.", p.Name())
	} else {
		r.Reason = fmt.Sprintf("Day %d of your %s recovery plan: %s.", st.Day, p.Name(), lowerFirst(st.Title))
	}
	effort := "easy"
	switch st.Verdict {
	case VerdictRest:
		effort = "rest"
	case VerdictHard:
		effort = "hard"
	}
	r.Session = Suggestion{Minutes: st.Minutes, Effort: effort, Text: st.Title}
	if len(caps) > 0 && st.Verdict != VerdictRest {
		if st.Verdict == VerdictHard {
			capped := caps[0].Result
			capped.Reason += fmt.Sprintf(" Your %s recovery plan's workout can wait for a better day.", p.Name())
			return capped
		}
		r.Reason += " Keep it gentle: " + caps[0].why + "."
	}
	return r
}

// recentFlag finds the latest red flag of the last RedFlagDays days: how
// many days ago (−1 for none), which, whether a flag-free check-in came on a
// later day (better), and whether a clean check-in (no flag, no warning
// sign) came on a day after that first better one (clean).
func (c *ctx) recentFlag() (ago int, f Flag, better, clean bool) {
	ago = -1
	for d := 0; d <= RedFlagDays; d++ {
		if ci, ok := c.checks[d]; ok && ci.Flag != FlagNone {
			ago, f = d, ci.Flag
			break
		}
	}
	if ago < 0 {
		return -1, FlagNone, false, false
	}
	firstBetter := -1
	for d := ago - 1; d >= 0; d-- {
		ci, ok := c.checks[d]
		if !ok {
			continue
		}
		if firstBetter < 0 {
			firstBetter = d
			continue
		}
		if len(c.signsOf(ci)) == 0 {
			return ago, f, true, true
		}
	}
	return ago, f, firstBetter >= 0, false
}

func flagWords(f Flag) string {
	switch f {
	case FlagIllness:
		return "feeling ill"
	case FlagChest:
		return "chest or breathing symptoms"
	}
	return "sharp pain"
}

func agoWord(ago int) string {
	switch ago {
	case 0:
		return "today"
	case 1:
		return "yesterday"
	}
	return fmt.Sprintf("%d days ago", ago)
}

// patternResult is rules 10 and 11: the club's day for the member's level.
func (c *ctx) patternResult() Result {
	day, clubDay := c.pattern.On(c.in.Today), c.club.On(c.in.Today)
	switch day {
	case DayHard:
		return Result{Verdict: VerdictHard, Rule: RuleClubPattern, Session: c.hard(),
			Reason: "The club's plan has a hard session today, and nothing in your logs says hold back."}
	case DayLong:
		return Result{Verdict: VerdictHard, Rule: RuleClubPattern, Session: c.long(),
			Reason: "It's the club's long-run day, and nothing in your logs says hold back."}
	case DayRest:
		if clubDay != DayRest {
			return Result{Verdict: VerdictRest, Rule: RuleClubPattern, Session: rest(),
				Reason: "The club runs easy today, but as a beginner you rest the day after the long run: two or three rest days a week suit a newer runner."}
		}
		return Result{Verdict: VerdictRest, Rule: RuleClubPattern, Session: rest(),
			Reason: "The club's plan has a rest day today."}
	}
	if clubDay == DayHard {
		return Result{Verdict: VerdictEasy, Rule: RuleClubPattern, Session: c.easy(false),
			Reason: "The club has a hard session today, but as a beginner one workout a week is plenty: an easy run instead."}
	}
	return Result{Verdict: VerdictEasy, Rule: RuleDefault, Session: c.easy(false),
		Reason: "Nothing calls for rest or a hard session, and the club's plan says easy: an easy day."}
}

// ForLevel adjusts the club's week to a level. A beginner keeps the long
// run and the week's first workout, runs the other workouts easy, and rests
// the day after the long run when the week has fewer than BeginnerRestDays
// rest days (000: beginners rest 2–3 days a week; 003: the day after the
// long run is the best day off). Intermediate and advanced runners take
// the club's week as it is; their volumes differ.
func (p WeekPattern) ForLevel(l Level) WeekPattern {
	if l.Effective() != LevelBeginner {
		return p
	}
	out := p
	seenWorkout := false
	for i := range 7 {
		wd := time.Weekday((i + 1) % 7) // the week from Monday
		if p.dayOf(wd) == DayHard {
			if seenWorkout {
				out[wd] = DayEasy
			}
			seenWorkout = true
		}
	}
	rests := 0
	for wd := range out {
		if out.dayOf(time.Weekday(wd)) == DayRest {
			rests++
		}
	}
	for wd := range out {
		if rests >= BeginnerRestDays {
			break
		}
		next := time.Weekday((wd + 1) % 7)
		if out.dayOf(time.Weekday(wd)) == DayLong && out.dayOf(next) == DayEasy {
			out[next] = DayRest
			rests++
		}
	}
	return out
}

func (p WeekPattern) dayOf(wd time.Weekday) DayPlan {
	if p[wd] == "" {
		return DayEasy
	}
	return p[wd]
}

func (c *ctx) redFlag(f Flag, ago int) Result {
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
	if ago > 0 {
		r.Reason = fmt.Sprintf("You reported %s %s and haven't checked in since: no training until a check-in says it has passed.", flagWords(f), agoWord(ago))
	}
	return r
}

// signs lists the warning signs in today's check-in.
func (c *ctx) signs() []string {
	if !c.hasCheck {
		return nil
	}
	return c.signsOf(c.check)
}

func (c *ctx) signsOf(ci CheckIn) []string {
	var out []string
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

// raceLogged is rule 4 without a plan: a race in the last RaceNoHardDays
// days (by its distance) keeps today at most EASY.
func (c *ctx) raceLogged() (Result, string, bool) {
	for ago := 1; ago <= RaceNoHardDaysMax; ago++ {
		for _, s := range c.byDay[ago] {
			if s.Kind != KindRace || ago >= RaceNoHardDays(s.DistanceKm) {
				continue
			}
			what := "raced"
			if s.DistanceKm > 0 {
				r, extra := RaceFor(s.DistanceKm)
				what = "raced a " + PlanState{Race: r, ExtraDays: extra}.Name()
			}
			left := RaceNoHardDays(s.DistanceKm) - ago
			if r, _ := RaceFor(s.DistanceKm); r == RaceMarathon && ago == 1 {
				return Result{Verdict: VerdictRest, Rule: RuleRaceLogged, Session: Suggestion{Effort: "rest",
						Text: "No running: walk about, do some gentle yoga and foam rolling, and keep eating and drinking well"},
						Reason: fmt.Sprintf("You %s yesterday: the day after, no running at all.", what)},
					"you raced yesterday", true
			}
			return Result{Verdict: VerdictEasy, Rule: RuleRaceLogged, Session: c.easy(true),
					Reason: fmt.Sprintf("You %s %s: nothing hard for %s, while your legs repair.", what, agoWord(ago), plural(left, "more day"))},
				fmt.Sprintf("you raced %s", agoWord(ago)), true
		}
	}
	return Result{}, "", false
}

// afterHard is rule 7: a hard session yesterday. After a long run the day
// may be rest or cross-training (003).
func (c *ctx) afterHard() (Result, string, bool) {
	var hardest *Session
	for i, s := range c.byDay[1] {
		if s.Kind == KindLong {
			return Result{Verdict: VerdictEasy, Rule: RuleAfterHard, Session: c.afterLong(),
				Reason: "Yesterday was your long run: rest, cross-train or jog very gently today."}, "yesterday was your long run", true
		}
		if s.Hard() && hardest == nil {
			hardest = &c.byDay[1][i]
		}
	}
	if hardest == nil {
		return Result{}, "", false
	}
	what := string(hardest.Kind)
	if !hardest.Kind.Hard() {
		what = fmt.Sprintf("%s at RPE %d", hardest.Kind, hardest.EffectiveRPE())
	}
	return Result{Verdict: VerdictEasy, Rule: RuleAfterHard, Session: c.easy(true),
		Reason: fmt.Sprintf("Yesterday was a hard session (%s): an easy day lets it turn into fitness.", what)}, "yesterday was a hard session", true
}

// hardSessions counts hard sessions in the n days before today.
func (c *ctx) hardSessions(n int) int {
	count := 0
	for ago := 1; ago <= n; ago++ {
		for _, s := range c.byDay[ago] {
			if s.Hard() {
				count++
			}
		}
	}
	return count
}

// loadSpike is rule 9. It returns the reason when it fires, or a note when
// the load rose but the history is too short to judge it yet.
func (c *ctx) loadSpike() (reason, note string, ok bool) {
	if c.in.AfterRecoveryWeek || c.in.RecoveryWeek {
		return "", "", false
	}
	l := Loads(c.in.Sessions, c.in.Today)
	if l.Last7 < LoadSpikeFloor {
		return "", "", false
	}
	wow := l.Prev7 > 0 && l.WeekOverWeek > LoadSpikeWeekOverWeek
	acwr := l.AvgWeek28 > 0 && l.Last7 > LoadSpikeACWR*l.AvgWeek28
	if l.HistoryDays < LoadHistoryDays {
		// Say so once there is a week of logs to speak of.
		if (wow || acwr) && l.HistoryDays >= 7 {
			return "", fmt.Sprintf("Your training load is up, but your log only goes back %s: I'll judge jumps in load once it covers three weeks.",
				plural(l.HistoryDays+1, "day")), false
		}
		return "", "", false
	}
	if wow {
		return fmt.Sprintf("Your training load over the last 7 days (%.0f) is %.0f%% above the 7 days before: ease off today.",
			l.Last7, l.WeekOverWeek*100), "", true
	}
	if acwr {
		return fmt.Sprintf("Your training load over the last 7 days (%.0f) is %.1f times your average week of the last 4 (%.0f): ease off today.",
			l.Last7, l.ACWR, l.AvgWeek28), "", true
	}
	return "", "", false
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
		slower := fmt.Sprintf("at least %d s/km (a minute a mile) slower than your usual easy runs", RecoverySlowerPerKm)
		if units == UnitsMi {
			slower = "at least a minute a mile slower than your usual easy runs"
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
