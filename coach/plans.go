package coach

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Race names the post-race plan a member follows.
type Race string

// The four plans, built from article 003's day-by-day advice.
const (
	Race5K       Race = "5k"
	Race10K      Race = "10k"
	RaceHalf     Race = "half"
	RaceMarathon Race = "marathon"
)

// Name is the race as members say it: "5K", "10K", "half marathon", "marathon".
func (r Race) Name() string {
	switch r {
	case Race5K:
		return "5K"
	case Race10K:
		return "10K"
	case RaceHalf:
		return "half marathon"
	case RaceMarathon:
		return "marathon"
	}
	return string(r)
}

// Km is the race's official distance.
func (r Race) Km() float64 {
	switch r {
	case Race5K:
		return Km5K
	case Race10K:
		return Km10K
	case RaceHalf:
		return KmHalf
	}
	return KmMarathon
}

var raceWords = map[string]float64{
	"5k": Km5K, "parkrun": Km5K,
	"10k":  Km10K,
	"half": KmHalf, "half-marathon": KmHalf, "halfmarathon": KmHalf, "hm": KmHalf,
	"marathon": KmMarathon, "full": KmMarathon, "full-marathon": KmMarathon, "mara": KmMarathon,
	"ultra": KmUltra, "ultramarathon": KmUltra, "ultra-marathon": KmUltra,
}

// ParseRace reads a race distance and returns it in km: "5k", "10K", "half",
// "half-marathon", "marathon", "ultra" (taken as 50 km), or a number with a
// unit such as "26.2mi", "42.2km", "50k" or "13.1 mi". Errors say what to type.
func ParseRace(s string) (float64, error) {
	w := normWord(s)
	if w == "" {
		return 0, fmt.Errorf("which race? Say 5k, 10k, half, marathon, or a distance such as 30km or 50mi")
	}
	if km, ok := raceWords[w]; ok {
		return km, nil
	}
	compact := strings.NewReplacer("-", "", ",", ".").Replace(w)
	i := 0
	for i < len(compact) && (compact[i] >= '0' && compact[i] <= '9' || compact[i] == '.') {
		i++
	}
	num, unit := compact[:i], compact[i:]
	n, err := strconv.ParseFloat(num, 64)
	if num == "" || err != nil {
		return 0, fmt.Errorf("%q isn't a race I know: say 5k, 10k, half, marathon, or a distance such as 30km or 50mi", s)
	}
	var km float64
	switch unit {
	case "k", "km", "kms", "kilometre", "kilometres", "kilometer", "kilometers":
		km = n
	case "mi", "mile", "miles":
		km = n * KmPerMile
	case "":
		return 0, fmt.Errorf("%q needs a unit: write %skm or %smi", s, num, num)
	case "m":
		return 0, fmt.Errorf("%q could be metres or miles: write %skm or %smi", s, num, num)
	default:
		return 0, fmt.Errorf("%q isn't a unit I know: use km or mi, e.g. 21km or 13.1mi", unit)
	}
	if km < 0.1 || km > 400 {
		return 0, fmt.Errorf("%q is outside what I can plan for: a race between 0.1 km and 400 km", s)
	}
	return km, nil
}

// RaceFor picks the plan for a race of km kilometres: the nearest plan by
// ratio (the boundaries sit at the geometric means of neighbouring
// distances, so a 15K takes the half plan, whose effort it is closer to).
// Beyond the marathon (and UltraSlackKm of slack) the marathon plan gains a
// whole week, plus one per UltraKmPerExtraWeek km further, up to
// UltraExtraWeeksCap weeks; the extra is returned in days.
func RaceFor(km float64) (Race, int) {
	switch {
	case km <= math.Sqrt(Km5K*Km10K):
		return Race5K, 0
	case km <= math.Sqrt(Km10K*KmHalf):
		return Race10K, 0
	case km <= math.Sqrt(KmHalf*KmMarathon):
		return RaceHalf, 0
	}
	over := km - KmMarathon
	if over <= UltraSlackKm {
		return RaceMarathon, 0
	}
	weeks := min(UltraExtraWeeksCap, 1+int(math.Floor(over/UltraKmPerExtraWeek)))
	return RaceMarathon, 7 * weeks
}

// Feedback is the member's answer to a plan step's buttons.
type Feedback string

// The three answers.
const (
	FeedbackFresh   Feedback = "fresh"
	FeedbackSore    Feedback = "sore"
	FeedbackHurting Feedback = "hurting"
)

// ParseFeedback reads a button value or a typed answer.
func ParseFeedback(s string) (Feedback, bool) {
	switch normWord(s) {
	case "fresh", "good", "fine", "ok":
		return FeedbackFresh, true
	case "sore", "stiff", "tired":
		return FeedbackSore, true
	case "hurting", "hurt", "pain", "injured":
		return FeedbackHurting, true
	}
	return "", false
}

// Step is one day of a post-race plan. Day counts from 0 on race day and
// Total is the number of the plan's last day, so "day Day of Total" reads
// right on the final morning.
type Step struct {
	Day             int
	Total           int
	Phase           string
	Verdict         Verdict // REST or EASY; HARD only for the one light workout of the half and marathon plans
	Title           string
	Text            string // a few short lines, one instruction each
	Last            bool
	Minutes         int  // suggested minutes of running or cross-training; 0 on rest days
	SeeProfessional bool // the member said they are hurting
	Hold            bool // a day Sore or the end of a hurting hold added: the plan waits at an easy level
}

// String renders the step as the bot shows it.
func (s Step) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Day %d of %d · %s · %s\n%s\n", s.Day, s.Total, s.Verdict, s.Phase, s.Title)
	for _, line := range strings.Split(s.Text, "\n") {
		fmt.Fprintf(&b, "- %s\n", line)
	}
	return b.String()
}

// PlanState is an active post-race plan as stored for a member.
type PlanState struct {
	Race      Race
	ExtraDays int  // days added for races beyond the marathon (RaceFor)
	RaceDate  Date // day 0
	// Delay is the days a hurting hold added (and, in plans stored before
	// holds existed, the days Sore added): the schedule moves back by them.
	Delay int
	// Holds are the days Sore or the end of a hurting hold inserted: each
	// shows an easy (or rest) hold step and moves the rest of the plan back
	// a day.
	Holds []Date
	// Restarts are the hold days that ended a hurting hold: always an easy
	// step (cross-training while the plan allows no running), never rest.
	Restarts     []Date
	Hurting      bool // on hold: rest and see a professional
	LastFeedback Date // the last day an answer counted; a hurting plan's hold started then
}

// Name is what the plan is called in messages: the race, or "ultra" when
// an ultra stretched the marathon plan.
func (p PlanState) Name() string {
	if p.Race == RaceMarathon && p.ExtraDays > 0 {
		return "ultra"
	}
	return p.Race.Name()
}

// NewPlan starts the plan for a race of km kilometres run on raceDate.
func NewPlan(km float64, raceDate Date) PlanState {
	r, extra := RaceFor(km)
	return PlanState{Race: r, ExtraDays: extra, RaceDate: raceDate}
}

// Length is the number of days the plan runs, race day included, with the
// extra days and the days holds added.
func (p PlanState) Length() int {
	return len(p.days()) + p.Delay + len(p.Holds)
}

// Added is how many days Sore answers and hurting holds added.
func (p PlanState) Added() int {
	return p.Delay + len(p.Holds)
}

func (p PlanState) isHold(d Date) bool {
	return slices.Contains(p.Holds, d)
}

// holdsUpTo counts the holds on or before d.
func (p PlanState) holdsUpTo(d Date) int {
	n := 0
	for _, h := range p.Holds {
		if !d.Before(h) {
			n++
		}
	}
	return n
}

// StepOn returns the step for today; false before race day and once the
// plan is over. A hold day shows an easy (or rest) step that never asks more
// than the steps on either side of it; the plan then carries on from where
// it was. While the member is hurting every day is a rest step, for up to
// HurtingHoldDays.
func (p PlanState) StepOn(today Date) (Step, bool) {
	raw := today.Sub(p.RaceDate)
	if raw < 0 || p.RaceDate.IsZero() {
		return Step{}, false
	}
	last := p.Length() - 1
	if p.Hurting {
		held := max(0, today.Sub(p.LastFeedback))
		if held > HurtingHoldDays {
			return Step{}, false
		}
		return Step{
			Day: raw, Total: max(last, raw) + held, Phase: "On hold", Verdict: VerdictRest,
			Title: "Rest, and get it checked",
			Text: "No running while it hurts; walking about is fine if it doesn't make it worse.\n" +
				"If the pain is sharp, is getting worse or changes the way you walk or run, see a doctor or physiotherapist.\n" +
				"Press Fresh or Sore once it has eased: the plan starts again with an easy day.",
			SeeProfessional: true,
		}, true
	}
	if raw > last {
		return Step{}, false
	}
	days := p.days()
	idx := min(len(days)-1, max(0, raw-p.Delay-p.holdsUpTo(today)))
	if p.isHold(today) {
		st := holdStep(days, idx, slices.Contains(p.Restarts, today))
		st.Day, st.Total, st.Last = raw, last, raw == last
		return st, true
	}
	d := days[idx]
	return Step{
		Day: raw, Total: last, Phase: d.phase, Verdict: d.verdict, Title: d.title,
		Text: d.text, Last: raw == last, Minutes: d.minutes,
	}, true
}

// holdStep is the step of a hold day that follows the plan's step idx: rest
// when that step or the next is a rest day; otherwise the gentler of the
// two, never a race-day, strides or workout step, and no running while the
// plan allows none.
func holdStep(days []planDay, idx int, restart bool) Step {
	cur, next := days[idx], days[min(idx+1, len(days)-1)]
	if !restart && (cur.verdict == VerdictRest || next.verdict == VerdictRest) {
		return Step{Phase: "Holding", Verdict: VerdictRest, Title: "Rest, and let the soreness settle", Hold: true,
			Text: "A day off before the plan moves on; a relaxed walk is fine.\n" +
				"Stretch, foam roll and put your legs up for at least 10 minutes."}
	}
	m := 30
	for _, x := range []int{cur.minutes, next.minutes} {
		if x > 0 {
			m = min(m, x)
		}
	}
	m = max(15, m)
	if cur.noRun || next.noRun {
		return Step{Phase: "Holding", Verdict: VerdictEasy, Title: "Light cross-training, no running", Minutes: m, Hold: true,
			Text: fmt.Sprintf("The plan waits a day at an easy level: about %d minutes of light cycling, swimming or elliptical; no running yet.\n", m) +
				"Stretch and foam roll afterwards."}
	}
	return Step{Phase: "Holding", Verdict: VerdictEasy, Title: "An easy day", Minutes: m, Hold: true,
		Text: fmt.Sprintf("The plan waits a day at an easy level: about %d minutes of very easy jogging or light cross-training.\n", m) +
			"No strides and no faster running today.\n" +
			"Stretch, foam roll and put your legs up for at least 10 minutes."}
}

// Steps returns every step of the plan from race day to its last day, as
// it stands now (holds included, a hurting hold not).
func (p PlanState) Steps() []Step {
	q := p
	q.Hurting = false
	out := make([]Step, 0, q.Length())
	for i := range q.Length() {
		s, _ := q.StepOn(q.RaceDate.AddDays(i))
		out = append(out, s)
	}
	return out
}

// Apply adapts the plan to today's answer and returns the new state with a
// short reply. Fresh confirms the step and never skips ahead: the early
// days guard against muscle damage that outlasts the soreness (003). Sore
// makes tomorrow a hold day at today's level or gentler (never harder, and
// rest when either side is rest); it counts once a day and at most
// MaxSoreDelay times. Hurting puts the plan on hold with rest and advice to
// see a professional until Fresh or Sore comes; the days on hold are added,
// and the plan starts again with a hold day, an easy step.
func (p PlanState) Apply(fb Feedback, today Date) (PlanState, string) {
	answered := !p.LastFeedback.IsZero() && p.LastFeedback == today
	if _, ok := p.StepOn(today); !ok {
		if today.Before(p.RaceDate) {
			return p, "Your recovery plan starts on race day; I'll ask how you feel then."
		}
		return p, "Your recovery plan has already finished, so there's nothing to adjust."
	}
	switch fb {
	case FeedbackHurting:
		if p.Hurting {
			return p, "Still resting, then. If it isn't easing, please get it looked at by a doctor or physiotherapist."
		}
		p.Hurting, p.LastFeedback = true, today
		return p, "Stop running and rest. If the pain is sharp, is getting worse or changes the way you walk or run, " +
			"see a doctor or physiotherapist before you run again. Press Fresh or Sore once it has eased and the plan starts again with an easy day."
	case FeedbackFresh, FeedbackSore:
		if p.Hurting {
			p.Delay += max(0, today.Sub(p.LastFeedback))
			p.Hurting = false
			if !p.isHold(today) {
				p.Holds = append(append([]Date(nil), p.Holds...), today)
			}
			p.Restarts = append(append([]Date(nil), p.Restarts...), today)
			p.LastFeedback = today
			s, _ := p.StepOn(today)
			return p, fmt.Sprintf("Glad it has eased. The plan starts again gently: today is %s (%s), and it carries on from there.",
				strings.ToLower(string(s.Verdict)), lowerFirst(s.Title))
		}
		if answered {
			return p, "I already have your answer for today; tell me again tomorrow."
		}
		p.LastFeedback = today
		if fb == FeedbackFresh {
			return p, "Good to hear. Stick with today's step anyway: a race leaves damage that outlasts the soreness, so the plan doesn't skip days."
		}
		if len(p.Holds) >= MaxSoreDelay {
			return p, "You've been sore for a good while now. Keep things gentle, and if it isn't settling, have a physiotherapist or doctor take a look."
		}
		tomorrow := today.AddDays(1)
		if !p.isHold(tomorrow) {
			p.Holds = append(append([]Date(nil), p.Holds...), tomorrow)
		}
		s, _ := p.StepOn(tomorrow)
		return p, fmt.Sprintf("Thanks for telling me. Take today's step gently. Tomorrow the plan waits a day instead of moving on (%s, %s), so it runs a day longer. Gentle movement, stretching and foam rolling help.",
			s.Verdict, lowerFirst(s.Title))
	}
	return p, "Answer with Fresh, Sore or Hurting."
}

// Summary is the closing message when the plan ends; it comes the morning
// after the plan's last day, with that day's verdict.
func (p PlanState) Summary() string {
	var b strings.Builder
	if p.Hurting {
		fmt.Fprintf(&b, "Your %s recovery plan has ended while you were still hurting. ", p.Name())
		b.WriteString("Please see a doctor or physiotherapist before you start running again.")
		return b.String()
	}
	fmt.Fprintf(&b, "That's the end of your %s recovery plan: %d days from race day", p.Name(), p.Length())
	if n := p.Added(); n > 0 {
		fmt.Fprintf(&b, ", %s of them added to let sore legs settle", plural(n, "day"))
	}
	b.WriteString(". From today the usual daily verdict rules decide your days again (/today). ")
	switch p.Race {
	case Race5K, Race10K:
		b.WriteString("If you're still a little sore, keep this week's workouts lighter or add a recovery run; that's normal.")
	case RaceHalf:
		b.WriteString("You should feel close to normal by now. If not, give it a few more easy days before any hard work.")
	default:
		b.WriteString("If you still feel flat or heavy, take your training down a notch and ask your doctor about a blood test for iron and other deficiencies.")
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]-'A'+'a') + s[1:]
}

// planDay is one day of a plan's schedule.
type planDay struct {
	phase   string
	verdict Verdict
	title   string
	minutes int
	text    string
	noRun   bool // no running yet on this day (a hold keeps to cross-training)
}

// days returns the plan's schedule, one entry per day from race day. An
// ultra's extra days come in whole weeks: the first is a week of cross-
// training and rest before the first jog, a second repeats the
// return-to-running week, so the later steps still fall on whole weeks.
func (p PlanState) days() []planDay {
	switch p.Race {
	case Race5K, Race10K:
		return shortPlan(p.Race)
	case RaceHalf:
		return halfPlan
	}
	extra := max(0, p.ExtraDays)
	out := make([]planDay, 0, len(marathonPlan)+extra)
	out = append(out, marathonPlan[:marathonFirstRun]...)
	for i := range min(7, extra) {
		if i%2 == 0 {
			out = append(out, planDay{"Cross-training", VerdictEasy, "Light cross-training", 30,
				"Longer races need longer before the first run: no running yet.\n" +
					"20–30 minutes of easy cycling, swimming or elliptical.\n" +
					"Stretch and foam roll afterwards.", true})
		} else {
			out = append(out, planDay{"Cross-training", VerdictRest, "Rest", 0,
				"A day off training; a relaxed walk is fine.\n" +
					"Put your legs up for at least 10 minutes and keep eating and sleeping well.", true})
		}
	}
	out = append(out, marathonPlan[marathonFirstRun:marathonBase]...)
	again := marathonPlan[marathonFirstRun+1 : marathonBase]
	for i := range max(0, extra-7) {
		out = append(out, again[i%len(again)])
	}
	return append(out, marathonPlan[marathonBase:]...)
}

func shortPlan(r Race) []planDay {
	name := r.Name()
	return []planDay{
		{"Race day", VerdictEasy, "Refuel and cool down", 15,
			"Within 30–60 minutes of finishing, have a recovery drink with carbohydrate and some protein.\n" +
				"In the same window, put on a warm layer and cool down with at least 10–20 minutes of gentle jogging.\n" +
				"Four to six relaxed barefoot strides on grass, then some stretching, help stop your calves tightening.", false},
		{"Recovery", VerdictEasy, "Recovery run", 30,
			"Check how your legs feel before you head out.\n" +
				"A recovery run of at least 30 minutes at a properly slow, chatty pace, slower than your usual easy runs.\n" +
				"Afterwards stretch and foam roll; a professional massage is a bonus if you can get one.", false},
		{"Recovery", VerdictEasy, "Easy day", 30,
			"Some soreness after the " + name + " is still normal today.\n" +
				"An easy run of 30–40 minutes, or cross-training if your legs feel heavy.\n" +
				"Keep up the stretching and rolling. Tomorrow, day 3, your usual training takes over again.", false},
	}
}

var halfPlan = []planDay{
	{"Race day", VerdictEasy, "Refuel and jog it out", 10,
		"Get some food in during the first hour: a recovery drink, fruit, or bread with nut butter.\n" +
			"If you feel up to it, jog very gently for about 10 minutes.\n" +
			"Take the post-race massage if there is one.", false},
	{"Gentle movement", VerdictEasy, "Cross-train or jog", 25,
		"20–30 minutes of cross-training (bike, swim, elliptical) or a very easy jog.\n" +
			"Stretch and foam roll well afterwards.\n" +
			"A warm Epsom-salt bath and a few hours in compression socks can help.", false},
	{"Base running", VerdictEasy, "First base run", 35,
		"One easy base run today, then a few light, relaxed strides at the end.\n" +
			"Foam roll and stretch afterwards.", false},
	{"Base running", VerdictRest, "Rest or light cross-training", 0,
		"A rest day, or gentle cross-training if you'd rather move.\n" +
			"Still sore? Put your legs up for at least 10 minutes, or book a professional massage.", false},
	{"Base running", VerdictEasy, "Recovery run", 30,
		"About 30 minutes at a relaxed pace where you could talk in full sentences.\n" +
			"Stretch and roll afterwards.", false},
	{"Base running", VerdictEasy, "Base run with strides", 40,
		"An easy base run, then four to six light strides.\n" +
			"Keep the strides smooth and relaxed, not sprints.", false},
	{"Base running", VerdictRest, "Rest", 0,
		"A day off before your first workout back.\n" +
			"A walk and some stretching are fine.", false},
	{"First workout", VerdictHard, "One light workout", 40,
		"If your legs feel fresh, one controlled workout today: a few short, steady efforts with easy jogging between, well below race effort.\n" +
			"If they don't, run easy instead; the workout can wait.\n" +
			"From here your runs are base runs and recovery runs, some with strides.", false},
	{"Rebuilding", VerdictEasy, "Recovery run", 30,
		"About 30 minutes, slow and conversational, after yesterday's workout.", false},
	{"Rebuilding", VerdictEasy, "Base run with strides", 40,
		"An easy base run, then some short, relaxed strides, barefoot on grass if you can.\n" +
			"Keep stretching and foam rolling.", false},
	{"Rebuilding", VerdictRest, "Rest or cross-train", 0,
		"A rest day, or easy cross-training if you'd like to move.", false},
	{"Rebuilding", VerdictEasy, "Base run", 45,
		"A steady, easy base run at your usual easy pace.", false},
	{"Rebuilding", VerdictEasy, "Recovery run with strides", 30,
		"A slow recovery run, then a few relaxed strides.", false},
	{"Rebuilding", VerdictRest, "Rest", 0,
		"A day off. Legs up, eat well, sleep well.", false},
	{"Back to normal", VerdictEasy, "Easy run", 40,
		"Two weeks on, your legs should feel close to normal.\n" +
			"An easy run today; from tomorrow the usual daily verdict rules decide your days again (/today).", false},
}

// marathonFirstRun is the index of the first jog after a marathon and
// marathonBase the first step of the base-running phase; an ultra's extra
// weeks go before each.
const (
	marathonFirstRun = 7
	marathonBase     = 14
)

var marathonPlan = []planDay{
	{"Race day", VerdictRest, "Refuel and keep moving", 0,
		"Eat and drink soon after finishing: carbohydrate and protein at roughly 3 to 1; a protein drink counts.\n" +
			"Sip an electrolyte drink on and off for the rest of the day.\n" +
			"Walk about for a while after the finish (a few minutes of very light jogging is fine), stretch gently and get into warm clothes.\n" +
			"A light massage helps if one is on offer.", true},
	{"Rest", VerdictRest, "Walk, yoga, roll: no running", 0,
		"No running today, and no hard cross-training either.\n" +
			"Walk around, do some gentle yoga and spend a while on the foam roller.", true},
	{"Cross-training", VerdictEasy, "Light cross-training", 20,
		"A short, light session on the bike, the elliptical or in the pool. Still no running.\n" +
			"Wear compression socks for a few hours if you own some.", true},
	{"Cross-training", VerdictEasy, "Cross-train and massage", 20,
		"Another light cross-training session; still no running.\n" +
			"A professional massage is well worth it around now, and compression socks again if you have them.", true},
	{"Cross-training", VerdictRest, "Rest", 0,
		"A day off. Walk if you like and put your legs up for at least 10 minutes.", true},
	{"Cross-training", VerdictEasy, "Light cross-training", 30,
		"20–30 minutes of easy cross-training; no running yet.\n" +
			"Stretch and foam roll afterwards.", true},
	{"Cross-training", VerdictRest, "Rest", 0,
		"A rest day before your first run back.\n" +
			"Eat well and get to bed early.", true},
	{"First run", VerdictEasy, "First jog", 25,
		"Jog lightly for 20–30 minutes and notice how your body responds.\n" +
			"If it all feels good, add a few short, relaxed strides at the end, barefoot on grass if you can.", false},
	{"Return to running", VerdictRest, "Rest or cross-train", 0,
		"A rest day, or light cross-training if you'd rather move.\n" +
			"See how your legs answered the last run.", false},
	{"Return to running", VerdictEasy, "Easy jog", 25,
		"20–30 minutes of easy jogging at a pace you could chat at.", false},
	{"Return to running", VerdictEasy, "Cross-train", 30,
		"About 30 minutes of light cross-training to give your legs a break from impact.", false},
	{"Return to running", VerdictEasy, "Recovery run", 30,
		"About 30 minutes, slow and relaxed.\n" +
			"Stretch and roll afterwards.", false},
	{"Return to running", VerdictRest, "Rest", 0,
		"A day off. Legs up for at least 10 minutes, eat and sleep well.", false},
	{"Return to running", VerdictEasy, "Easy run", 35,
		"30–40 minutes at an easy, conversational pace.", false},
	{"Base running", VerdictEasy, "Base run with strides", 40,
		"Into base running: an easy base run, then a few short, relaxed strides.\n" +
			"Keep up the stretching, foam rolling and putting your legs up.", false},
	{"Base running", VerdictEasy, "Recovery run", 30,
		"A slow recovery run of about 30 minutes.", false},
	{"Base running", VerdictRest, "Rest or cross-train", 0,
		"A rest day, or easy cross-training if you'd like to move.", false},
	{"Base running", VerdictEasy, "Base run with strides", 45,
		"An easy base run, then a few relaxed strides.", false},
	{"Base running", VerdictEasy, "Recovery run", 30,
		"A slow, conversational recovery run.", false},
	{"Base running", VerdictRest, "Rest", 0,
		"A day off before the last step of the plan.", false},
	{"Base running", VerdictEasy, "Base run", 45,
		"A steady, easy base run.", false},
	{"Back to normal", VerdictHard, "One light workout", 40,
		"If you feel recovered, one light workout today, controlled and well below race effort.\n" +
			"If you still feel flat or heavy, run easy instead, take your training down a notch and ask your doctor about a blood test for iron and other deficiencies.\n" +
			"From tomorrow the usual daily verdict rules decide your days again (/today).", false},
}

// Equal reports whether two plan states are the same.
func (p PlanState) Equal(q PlanState) bool {
	if !slices.Equal(p.Holds, q.Holds) || !slices.Equal(p.Restarts, q.Restarts) {
		return false
	}
	return p.Race == q.Race && p.ExtraDays == q.ExtraDays && p.RaceDate == q.RaceDate && p.Delay == q.Delay &&
		p.Hurting == q.Hurting && p.LastFeedback == q.LastFeedback
}
