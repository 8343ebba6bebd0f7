package main

import (
	"strings"
	"testing"
)

// verdictSituation is an everyday situation as a coach would judge it: a
// short setup in console scenario language, the verdict the coach gives
// and why. The last /today of the script must start with that verdict.
type verdictSituation struct {
	name   string
	now    string // the console's starting clock, club time (Europe/Berlin)
	script string
	want   string   // EASY, REST or HARD
	why    string   // the coach's reasoning, for the reader
	has    []string // in the last /today
	hasNot []string
}

// The club keeps the default week: Monday rest, Tuesday and Thursday hard,
// Saturday long, the other days easy. 2026-06-08 is a Monday. Members are
// intermediate unless the script says otherwise.
var verdictSituations = []verdictSituation{
	// The club's week, with nothing in the way.
	{name: "no data at all on the club's long-run day", now: "2026-06-13 07:00", script: "/today\n",
		want: "HARD", why: "with no logs the member simply gets the club's day", has: []string{"long-run day"}},
	{name: "a rested runner on the club's hard day", now: "2026-06-09 07:00", script: "/log rest yesterday\n/today\n",
		want: "HARD", why: "rested yesterday, nothing says hold back", has: []string{"hard session"}},

	// Hard yesterday, by effort whatever the kind.
	{name: "intervals yesterday", now: "2026-06-09 07:00", script: "/log intervals 50min rpe 8 yesterday\n/today\n",
		want: "EASY", why: "hard–easy: the day after a workout is easy", has: []string{"Yesterday was a hard session (intervals)"}},
	{name: "a spin class at RPE 9 yesterday", now: "2026-06-09 07:00", script: "/log cross 60min rpe 9 yesterday\n/today\n",
		want: "EASY", why: "effort makes a session hard, not its kind", has: []string{"cross at RPE 9"}},
	{name: "an 'easy' run logged at RPE 9 yesterday", now: "2026-06-09 07:00", script: "/log easy 45min rpe 9 yesterday\n/today\n",
		want: "EASY", why: "an easy run at RPE 9 was not easy", has: []string{"easy at RPE 9"}},
	{name: "a tempo that stayed at RPE 5 yesterday", now: "2026-06-09 07:00", script: "/log tempo 40min rpe 5 yesterday\n/today\n",
		want: "HARD", why: "a gentle tempo is no hard day; the club's workout is fine"},
	{name: "the long run yesterday", now: "2026-06-14 07:00", script: "/log long 18km yesterday\n/today\n",
		want: "EASY", why: "003: rest or cross-train the day after the long run", has: []string{"long run", "cross-training"}},
	{name: "hard yesterday and the club rests today", now: "2026-06-08 07:00", script: "/log intervals 50min rpe 8 yesterday\n/today\n",
		want: "REST", why: "hard yesterday caps at EASY but never lifts a rest day to a run", has: []string{"rest day", "hard session"}},
	{name: "two hard sessions in the last three days", now: "2026-06-11 07:00",
		script: "/log intervals 50min rpe 8 2026-06-08\n/log tempo 40min rpe 7 2026-06-09\n/log easy 30min 2026-06-10\n/today\n",
		want:   "EASY", why: "004: never three hard days so close together", has: []string{"Two hard sessions"}},

	// Races logged with /log.
	{name: "a 10K raced yesterday and the club rests today", now: "2026-06-08 07:00", script: "/log race 10km 45min yesterday\n2\n/today\n",
		want: "REST", why: "a race caps the day at EASY; a rest day stays rest"},
	{name: "a 10K two days ago on the club's hard day", now: "2026-06-09 07:00", script: "/log race 10km 48min 2026-06-07\n2\n/today\n",
		want: "EASY", why: "003: back to normal training by day 3, not day 2", has: []string{"raced a 10K 2 days ago: nothing hard for 1 more day"}},
	{name: "a 10K three days ago on the club's hard day", now: "2026-06-11 07:00", script: "/log race 10km 48min 2026-06-08\n2\n/today\n",
		want: "HARD", why: "003: by day three a 10K runner is back to regular training"},
	{name: "a 5K yesterday on the club's hard day", now: "2026-06-09 07:00", script: "/log race 5km 22min yesterday\n/today\n",
		want: "EASY", why: "even a 5K leaves the next day without hard running", has: []string{"raced a 5K yesterday"}},
	{name: "a 5K two days ago on the club's hard day", now: "2026-06-09 07:00", script: "/log race 5km 22min 2026-06-07\n/today\n",
		want: "HARD", why: "003: after a 5K, normal training within a day or two"},
	{name: "a marathon logged only with /log race 42.2km, five days on, club hard day", now: "2026-06-11 07:00",
		script: "/log race 42.2km 3h55min 2026-06-06\n2\n/today\n",
		want:   "EASY", why: "003: nothing hard for weeks after a marathon, plan or no plan", has: []string{"raced a marathon 5 days ago"}, hasNot: []string{"HARD"}},
	{name: "a logged marathon a week later on the club's long-run day", now: "2026-06-13 07:00",
		script: "/log race 42.2km 3h55min 2026-06-06\n2\n/today\n",
		want:   "EASY", why: "a week after a marathon is no day for a long run", hasNot: []string{"long run: about"}},
	{name: "a marathon logged yesterday, club easy day", now: "2026-06-14 07:00", script: "/log race 42.2km 4h05min yesterday\n2\n/today\n",
		want: "REST", why: "003: no running the day after a marathon", has: []string{"no running"}},
	{name: "a logged marathon starts its plan from the button", now: "2026-06-08 09:00", script: "/log race 42.2km 3h55min yesterday\n1\n/today\n",
		want: "REST", why: "day 1 of the marathon plan: walk, yoga, no running", has: []string{"Day 1 of your marathon recovery plan"}},
	{name: "a 50 km race is the ultra plan throughout", now: "2026-06-09 07:00", script: "/raced 50km yesterday\n/today\n",
		want: "REST", why: "day 1 after an ultra: no running", has: []string{"ultra recovery plan"}, hasNot: []string{"marathon recovery plan"}},

	// Post-race plans and readiness.
	{name: "day 1 of a 5K plan on the club's hard day", now: "2026-06-09 07:00", script: "/raced 5k yesterday\n/today\n",
		want: "EASY", why: "the plan's recovery run beats the club's workout", has: []string{"Day 1 of your 5K recovery plan"}},
	{name: "an awful check-in inside a plan", now: "2026-06-09 07:00",
		script: "/settings consent yes\n/raced 10k yesterday\n/checkin sleep 1 soreness 5 energy 1\n/today\n",
		want:   "REST", why: "a bad check-in beats the plan", has: []string{"warning signs"}, hasNot: []string{"strides"}},
	{name: "one warning sign on a plan day", now: "2026-06-09 07:00",
		script: "/settings consent yes\n/raced 10k yesterday\n/checkin sleep 4 soreness 2 energy 2\n/today\n",
		want:   "EASY", why: "the plan's gentle step, kept gentle", has: []string{"Keep it gentle", "recovery plan"}},
	{name: "a week after a half, feeling fresh: the light workout", now: "2026-06-09 07:00", script: "/raced half 2026-06-02\n/today\n",
		want: "HARD", why: "003: one light workout about a week after a half", has: []string{"One light workout"}},
	{name: "a week after a half with a warning sign: the workout waits", now: "2026-06-09 07:00",
		script: "/settings consent yes\n/raced half 2026-06-02\n/checkin sleep 2 soreness 2 energy 4\n/today\n",
		want:   "EASY", why: "poor sleep and a workout don't mix", has: []string{"workout can wait"}},
	{name: "sore on the day before a plan's rest day", now: "2026-06-09 07:00",
		script: "/settings consent yes\n/raced marathon 2026-06-06\n/recovery sore\n:at 2026-06-10 07:00\n/today\n",
		want:   "REST", why: "Sore holds the plan but never makes a day harder: the rest day stays rest"},
	{name: "back from a hurting hold just before a workout", now: "2026-06-08 07:00",
		script: "/settings consent yes\n/raced half 2026-06-02\n/recovery hurting\n:at 2026-06-10 07:00\n/recovery fresh\n/today\n",
		want:   "EASY", why: "after a Hurting hold the plan restarts at an easy step, not at the workout", hasNot: []string{"workout"}},

	// Red flags and their aftermath.
	{name: "feeling ill this morning", now: "2026-06-09 07:00", script: "/settings consent yes\n/checkin ill\n/today\n",
		want: "REST", why: "no training with an illness", has: []string{"ill"}},
	{name: "chest symptoms this morning", now: "2026-06-09 07:00", script: "/settings consent yes\n/checkin chest\n/today\n",
		want: "REST", why: "chest symptoms: no training, see a doctor", has: []string{"doctor"}},
	{name: "pain yesterday, no check-in today", now: "2026-06-08 18:00",
		script: "/settings consent yes\n/checkin pain\n:at 2026-06-09 07:00\n/today\n",
		want:   "REST", why: "a red flag lasts until a check-in says it has passed", has: []string{"haven't checked in since"}},
	{name: "back from three ill days, feeling better, on the club's hard day", now: "2026-06-08 07:00",
		script: "/settings consent yes\n/checkin ill\n:at 2026-06-09 07:00\n/checkin ill\n:at 2026-06-10 07:00\n/checkin ill\n:at 2026-06-11 07:00\n/checkin sleep 4 soreness 2 energy 4\n/today\n",
		want:   "EASY", why: "better is not yet recovered: easy for a few days", has: []string{"feeling ill"}},
	{name: "pain two days ago, better yesterday, no check-in today", now: "2026-06-07 18:00",
		script: "/settings consent yes\n/checkin pain\n:at 2026-06-08 07:00\n/checkin sleep 4 soreness 2 energy 4\n:at 2026-06-09 07:00\n/today\n",
		want:   "EASY", why: "the aftermath of pain caps the hard day at easy", has: []string{"sharp pain 2 days ago"}},
	{name: "pain two days ago, better yesterday, clean again today", now: "2026-06-07 18:00",
		script: "/settings consent yes\n/checkin pain\n:at 2026-06-08 07:00\n/checkin sleep 4 soreness 2 energy 4\n:at 2026-06-09 07:00\n/checkin sleep 4 soreness 1 energy 5\n/today\n",
		want:   "HARD", why: "two good mornings after the pain: back to the club's week"},
	{name: "Hurting pressed without health consent", now: "2026-06-09 07:00",
		script: "/raced 10k yesterday\n/recovery hurting\n/today\n",
		want:   "REST", why: "pain the member told us about stops running for the day, kept without storing it", hasNot: []string{"run about"}},
	{name: "a typed pain check-in without consent", now: "2026-06-09 07:00",
		script: "/settings consent no\n/checkin pain\n/log rest yesterday\n/today\n",
		want:   "REST", why: "the flag holds for the day although it isn't stored"},

	// Readiness on its own.
	{name: "one warning sign on the club's hard day", now: "2026-06-09 07:00",
		script: "/settings consent yes\n/checkin sleep 4 soreness 2 energy 1\n/today\n",
		want:   "EASY", why: "one sign: hold back a notch", has: []string{"low energy"}},
	{name: "poor sleep and sore legs", now: "2026-06-09 07:00",
		script: "/settings consent yes\n/checkin sleep 2 soreness 4 energy 3\n/today\n",
		want:   "REST", why: "two signs: rest", has: []string{"poor sleep", "high soreness"}},
	{name: "resting heart rate up on the morning of a hard day", now: "2026-06-05 07:00",
		script: "/settings consent yes\n/checkin rhr 50\n:at 2026-06-06 07:00\n/checkin rhr 51\n:at 2026-06-07 07:00\n/checkin rhr 50\n:at 2026-06-09 07:00\n/checkin rhr 57 sleep 4\n/today\n",
		want:   "EASY", why: "a resting HR 7 bpm over the usual is a warning sign", has: []string{"7 bpm above your usual 50"}},

	// Rest days by level, and a beginner's week.
	{name: "an intermediate runner after seven days without rest", now: "2026-06-09 07:00",
		script: "/log easy 40min 2026-06-02\n/log easy 40min 2026-06-03\n/log easy 40min 2026-06-04\n/log easy 40min 2026-06-05\n/log easy 40min 2026-06-06\n/log easy 40min 2026-06-07\n/log easy 40min 2026-06-08\n/today\n",
		want:   "REST", why: "000: at least one rest day a week", has: []string{"No rest day in the last 6 days"}},
	{name: "a beginner after three days in a row", now: "2026-06-09 07:00",
		script: "/settings level beginner\n/log easy 30min 2026-06-06\n/log easy 30min 2026-06-07\n/log easy 30min 2026-06-08\n/today\n",
		want:   "REST", why: "000: beginners rest 2–3 days a week", has: []string{"last 3 days"}},
	{name: "an advanced runner after eight days in a row", now: "2026-06-09 07:00",
		script: "/settings level advanced\n/log easy 40min 2026-06-01\n/log easy 40min 2026-06-02\n/log easy 40min 2026-06-03\n/log easy 40min 2026-06-04\n/log easy 40min 2026-06-05\n/log easy 40min 2026-06-06\n/log easy 40min 2026-06-07\n/log easy 40min 2026-06-08\n/today\n",
		want:   "HARD", why: "000: an advanced runner may go about ten days between rest days"},
	{name: "a beginner on the club's second workout of the week", now: "2026-06-11 07:00", script: "/settings level beginner\n/today\n",
		want: "EASY", why: "a beginner's week has one workout and the long run", has: []string{"beginner"}},
	{name: "a beginner the day after the club's long run", now: "2026-06-14 07:00", script: "/settings level beginner\n/today\n",
		want: "REST", why: "000: beginners rest 2–3 days a week; 003: the day after the long run", has: []string{"beginner"}},

	// Recovery weeks and training load.
	{name: "the club's hard day in a recovery week", now: "2026-06-07 18:00",
		script: ":as coach coach\n/recoveryweek 2026-06-08 Easy week\n:as maya\n:at 2026-06-09 07:00\n/today\n",
		want:   "EASY", why: "a recovery week caps every day at easy", has: []string{"recovery week"}},
	{name: "the club's rest day in a recovery week", now: "2026-06-07 18:00",
		script: ":as coach coach\n/recoveryweek 2026-06-08 Easy week\n:as maya\n:at 2026-06-08 07:00\n/today\n",
		want:   "REST", why: "a recovery week never turns the rest day into a run"},
	{name: "a new member's second, bigger week", now: "2026-06-16 06:30",
		script: "/log easy 30min 2026-06-02\n/log easy 30min 2026-06-04\n/log easy 60min rpe 4 2026-06-09\n/log easy 60min rpe 4 2026-06-10\n/log easy 60min rpe 4 2026-06-11\n/log easy 60min rpe 4 2026-06-12\n/log easy 60min rpe 4 2026-06-13\n/today\n",
		want:   "HARD", why: "two weeks of logs are too few to call a spike; say so instead", has: []string{"log only goes back"}},
	{name: "an established member doubling the week", now: "2026-06-16 06:30",
		script: "/log easy 40min 2026-05-20\n/log easy 40min 2026-05-22\n/log easy 40min 2026-05-24\n/log easy 40min 2026-05-27\n/log easy 40min 2026-05-29\n/log easy 40min 2026-05-31\n/log easy 40min 2026-06-03\n/log easy 40min 2026-06-05\n/log easy 40min 2026-06-07\n" +
			"/log easy 60min rpe 4 2026-06-10\n/log easy 60min rpe 4 2026-06-11\n/log easy 60min rpe 4 2026-06-12\n/log easy 60min rpe 4 2026-06-13\n/log easy 60min rpe 4 2026-06-14\n/today\n",
		want: "EASY", why: "Gabbett: a big jump in weekly load invites injury", has: []string{"above the 7 days before"}},
	{name: "the first normal week after a planned recovery week", now: "2026-05-25 09:00",
		script: ":as coach coach\n/recoveryweek 2026-06-01 Recovery week\n:as maya\n:at 2026-06-13 06:00\n" +
			"/log easy 50min rpe 4 2026-05-19\n/log easy 50min rpe 4 2026-05-20\n/log easy 50min rpe 4 2026-05-21\n/log easy 50min rpe 4 2026-05-22\n" +
			"/log easy 50min rpe 4 2026-05-26\n/log easy 50min rpe 4 2026-05-27\n/log easy 50min rpe 4 2026-05-28\n/log easy 50min rpe 4 2026-05-29\n" +
			"/log easy 30min 2026-06-02\n/log easy 30min 2026-06-03\n/log easy 30min 2026-06-04\n" +
			"/log easy 50min rpe 4 2026-06-09\n/log easy 50min rpe 4 2026-06-10\n/log easy 50min rpe 4 2026-06-11\n/log easy 50min rpe 4 2026-06-12\n/today\n",
		want: "HARD", why: "the jump over a planned recovery week is the plan working, not a spike", hasNot: []string{"load"}},
}

// TestVerdictSituations runs every situation through `shakeout chat`, the
// console code path, and checks the coach's verdict.
func TestVerdictSituations(t *testing.T) {
	if len(verdictSituations) < 30 {
		t.Fatalf("only %d situations; the coach's set has at least 30", len(verdictSituations))
	}
	for _, c := range verdictSituations {
		t.Run(c.name, func(t *testing.T) {
			if c.why == "" {
				t.Fatal("a situation needs the coach's reason")
			}
			db := testDB(t, "club.db")
			out := chatScript(t, db, c.script, "--club", "harriers", "--as", "maya", "--tz", "Europe/Berlin", "--now", c.now)
			answers := todayAnswers(out)
			if len(answers) == 0 {
				t.Fatalf("no /today answer:\n%s", out)
			}
			got := answers[len(answers)-1]
			if f := strings.Fields(got); len(f) == 0 || f[0] != c.want {
				t.Fatalf("/today = %q; the coach says %s (%s)\n%s", got, c.want, c.why, out)
			}
			for _, s := range c.has {
				if !strings.Contains(got, s) {
					t.Errorf("/today lacks %q:\n%s", s, got)
				}
			}
			for _, s := range c.hasNot {
				if strings.Contains(got, s) {
					t.Errorf("/today has %q:\n%s", s, got)
				}
			}
		})
	}
}
