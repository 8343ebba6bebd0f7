package main

import (
	"strings"
	"testing"
)

// todayAnswers returns the text of each /today reply in a chat transcript,
// in order.
func todayAnswers(out string) []string {
	var answers []string
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if !strings.HasSuffix(l, "> /today") {
			continue
		}
		var sb strings.Builder
		for _, r := range lines[i+1:] {
			if strings.Contains(r, "> ") && !strings.HasPrefix(r, " ") && !strings.HasPrefix(r, "shakeout") {
				break
			}
			sb.WriteString(r + "\n")
		}
		_, text, _ := strings.Cut(sb.String(), ": ")
		answers = append(answers, text)
	}
	return answers
}

// TestCoachScenarios drives `shakeout chat` through a member's days. The
// club keeps the default week: Monday rest, Tuesday and Thursday hard,
// Saturday long. 2026-06-09 is a Tuesday.
func TestCoachScenarios(t *testing.T) {
	cases := []struct {
		name   string
		now    string
		script string
		want   string   // the first word of the last /today
		has    []string // in the last /today
		hasNot []string
	}{
		{
			name: "marathon three days ago is not hard and names the plan",
			now:  "2026-06-09 07:00",
			script: `/raced marathon saturday
/today
`,
			want: "EASY", has: []string{"marathon recovery plan", "Day 3 of 21 of your marathon recovery plan"}, hasNot: []string{"HARD"},
		},
		{
			name: "hard intervals yesterday makes today easy",
			now:  "2026-06-08 18:00",
			script: `/log intervals 6x800m 50min rpe 8
/log intervals 50min rpe 8
:at 2026-06-09 07:00
/today
`,
			want: "EASY", has: []string{"Yesterday was a hard session (intervals)"},
		},
		{
			name: "an intermediate runner with seven days without rest rests",
			now:  "2026-06-09 07:00",
			script: `/settings level intermediate
/log easy 40min 2026-06-02
/log easy 40min 2026-06-03
/log easy 40min 2026-06-04
/log easy 40min 2026-06-05
/log easy 40min 2026-06-06
/log easy 40min 2026-06-07
/log easy 40min 2026-06-08
/today
`,
			want: "REST", has: []string{"No rest day in the last 6 days"},
		},
		{
			name: "a check-in with poor sleep and high soreness rests",
			now:  "2026-06-09 06:30",
			script: `/checkin
1
2
4
3
1
/today
`,
			want: "REST", has: []string{"poor sleep", "high soreness"},
		},
		{
			name: "sharp pain rests with professional advice",
			now:  "2026-06-09 06:30",
			script: `/settings consent yes
/checkin
3
2
3
2
/today
`,
			want: "REST", has: []string{"pain that is sharp", "doctor or physiotherapist"},
		},
		{
			name: "the club's hard day in a recovery week is easy",
			now:  "2026-06-07 18:00",
			script: `:as coach coach
/recoveryweek 2026-06-08 Easy week after the relays
:as maya
:at 2026-06-09 07:00
/today
`,
			want: "EASY", has: []string{"recovery week"},
		},
		{
			name: "a fresh runner on the club's hard day goes hard",
			now:  "2026-06-08 19:00",
			script: `/log rest
:at 2026-06-09 06:45
/settings consent yes
/checkin sleep 4 soreness 1 energy 5 rhr 50
/today
`,
			want: "HARD", has: []string{"club's plan has a hard session"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := testDB(t, "club.db")
			out := chatScript(t, db, c.script, "--club", "harriers", "--as", "maya", "--tz", "Europe/Berlin", "--now", c.now)
			answers := todayAnswers(out)
			if len(answers) == 0 {
				t.Fatalf("no /today answer:\n%s", out)
			}
			got := answers[len(answers)-1]
			if f := strings.Fields(got); len(f) == 0 || f[0] != c.want {
				t.Fatalf("/today = %q; want %s first\n%s", got, c.want, out)
			}
			for _, s := range c.has {
				if !strings.Contains(got, s) {
					t.Errorf("/today lacks %q:\n%s", s, out)
				}
			}
			for _, s := range c.hasNot {
				if strings.Contains(got, s) {
					t.Errorf("/today has %q:\n%s", s, out)
				}
			}
		})
	}
}

// TestCoachWeekAcrossRuns keeps the state in the database between runs and
// checks the privacy commands on the console.
func TestCoachWeekAcrossRuns(t *testing.T) {
	db := testDB(t, "club.db")
	flags := []string{"--club", "harriers", "--as", "maya", "--tz", "Europe/Berlin"}
	chatScript(t, db, "/log tempo 8km 40min rpe 7\n", append(flags, "--now", "2026-06-04 19:00")...)
	chatScript(t, db, "/log long 18km 1h50\n", append(flags, "--now", "2026-06-06 11:00")...)
	out := chatScript(t, db, "/week\n/hr 23 50\n/mydata\n/forgetme\n1\n/week\n", append(flags, "--now", "2026-06-09 07:00")...)
	for _, want := range []string{"Thu 4 Jun: tempo 8.0 km", "Sat 6 Jun: long 18.0 km", "146 bpm", `"sessions"`,
		"everything I stored about you is deleted", "Sessions: 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}
