package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// scheduled returns the scheduled messages in a console transcript: each
// "[Day YYYY-MM-DD HH:MM] to WHO: text" line with its indented lines.
func scheduled(out string) []string {
	var msgs []string
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "["):
			msgs = append(msgs, line)
		case strings.HasPrefix(line, "    ") && len(msgs) > 0 && !strings.HasSuffix(msgs[len(msgs)-1], "\x00"):
			msgs[len(msgs)-1] += "\n" + strings.TrimPrefix(line, "    ")
		default:
			if len(msgs) > 0 && !strings.HasSuffix(msgs[len(msgs)-1], "\x00") {
				msgs[len(msgs)-1] += "\x00" // the message ended
			}
		}
	}
	for i := range msgs {
		msgs[i] = strings.TrimSuffix(msgs[i], "\x00")
	}
	return msgs
}

var stamp = regexp.MustCompile(`^\[\w{3} (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})\] to ([^:]+): `)

func TestScenarioRacePlanEveryMorning(t *testing.T) {
	db := testDB(t, "s.db")
	var script strings.Builder
	script.WriteString(":as maya\n/settings consent yes nudges on\n/raced marathon\n")
	for day := 8; day <= 31; day++ {
		d := fmt.Sprintf("2026-06-%02d", day)
		if day > 30 {
			d = "2026-07-01"
		}
		fmt.Fprintf(&script, ":at %s 08:00\n", d)
		if day == 9 {
			script.WriteString("2\n") // Sore on day 2
		}
	}
	out := chatScript(t, db, script.String(), "--club", "harriers", "--tz", "Europe/Berlin", "--now", "2026-06-07 10:00")

	perDay := map[string][]string{}
	for _, m := range scheduled(out) {
		s := stamp.FindStringSubmatch(m)
		if s == nil {
			t.Fatalf("unreadable scheduled message %q", m)
		}
		if s[3] == "maya (private)" {
			if s[2] != "07:00" {
				t.Errorf("maya's message at %s %s; want her 07:00 default", s[1], s[2])
			}
			perDay[s[1]] = append(perDay[s[1]], m)
		}
	}
	for day := 8; day <= 29; day++ {
		d := fmt.Sprintf("2026-06-%02d", day)
		msgs := perDay[d]
		if len(msgs) != 1 {
			t.Fatalf("%s: %d messages to maya; want exactly one plan step:\n%s", d, len(msgs), strings.Join(msgs, "\n"))
		}
		if want := fmt.Sprintf("day %d of", day-7); !strings.Contains(msgs[0], want) || !strings.Contains(msgs[0], "[1] Fresh  [2] Sore  [3] Hurting") {
			t.Errorf("%s: %q; want %q with the Fresh/Sore/Hurting buttons", d, msgs[0], want)
		}
	}
	if !strings.Contains(out, "Tomorrow the plan waits a day") {
		t.Errorf("Sore on day 2 was not taken:\n%s", out)
	}
	// Sore on day 2 holds the plan: day 3 is a hold at day 2's level or
	// gentler (still no running), day 4 carries on with day 3's step, and
	// the plan runs a day longer.
	phase := regexp.MustCompile(`recovery plan \(([^)]*)\): ([^\n]*)`)
	d3, d4 := phase.FindStringSubmatch(perDay["2026-06-10"][0]), phase.FindStringSubmatch(perDay["2026-06-11"][0])
	if d3 == nil || d4 == nil || d3[1] != "holding" || !strings.Contains(d3[2], "no running") || d4[2] != "Cross-train and massage" {
		t.Errorf("day 3 should hold, day 4 carry on: %q then %q", d3, d4)
	}
	if !strings.Contains(perDay["2026-06-09"][0], "of 21") || !strings.Contains(perDay["2026-06-10"][0], "of 22") {
		t.Errorf("the plan should grow by a day after Sore:\n%s\n%s", perDay["2026-06-09"][0], perDay["2026-06-10"][0])
	}
	end := perDay["2026-06-30"]
	if len(end) != 1 || !strings.Contains(end[0], "That's the end of your marathon recovery plan") ||
		!regexp.MustCompile(`\] to maya \(private\): (EASY|REST|HARD) `).MatchString(end[0]) {
		t.Errorf("30 June: %q; want the day's verdict and the plan's summary, once", end)
	}
	// Her morning messages are on; with the plan over, 1 July brings the
	// ordinary daily verdict.
	if after := perDay["2026-07-01"]; len(after) != 1 || strings.Contains(after[0], "recovery plan") ||
		!regexp.MustCompile(`\] to maya \(private\): (EASY|REST|HARD) `).MatchString(after[0]) {
		t.Errorf("1 July: %q; want one ordinary verdict", after)
	}
	if n := strings.Count(out, "] to club harriers: Good morning, harriers!"); n != 24 {
		t.Errorf("club posts: %d; want one each morning, 24", n)
	}
}

func TestScenarioRecoveryWeekTurnsHardDaysEasy(t *testing.T) {
	db := testDB(t, "s.db")
	flags := []string{"--club", "harriers", "--tz", "Europe/Berlin"}
	// Day one: members set up, the coach declares the week. The state
	// lives in the database, so the scenario carries on in a second run.
	first := chatScript(t, db, ":as maya\n/settings nudges on\n:as tom coach\n/recoveryweek 2026-06-15 Club race on the 14th\n/preview 7\n",
		append(flags, "--now", "2026-06-08 09:00")...)
	if !strings.Contains(first, "] to club harriers: Recovery week ahead: from Monday 15 June to Sunday 21 June") {
		t.Fatalf("no announcement:\n%s", first)
	}
	out := chatScript(t, db, ":at 2026-06-09 08:00\n:at 2026-06-16 08:00\n:at 2026-06-20 08:00\n:at 2026-06-23 08:00\n",
		append(flags, "--now", "2026-06-08 09:05")...)
	msgs := scheduled(out)
	find := func(date, who string) string {
		t.Helper()
		var got []string
		for _, m := range msgs {
			if s := stamp.FindStringSubmatch(m); s != nil && s[1] == date && s[3] == who {
				got = append(got, m)
			}
		}
		if len(got) != 1 {
			t.Fatalf("%s to %s: %d messages; want 1:\n%s", date, who, len(got), out)
		}
		return got[0]
	}
	for _, c := range []struct {
		date, verdict string
	}{
		{"2026-06-09", "HARD"}, // an ordinary Tuesday
		{"2026-06-16", "EASY"}, // Tuesday of the recovery week
		{"2026-06-20", "EASY"}, // the long-run Saturday of the recovery week
		{"2026-06-23", "HARD"}, // back to normal
	} {
		club := find(c.date, "club harriers")
		if !strings.Contains(club, ": "+c.verdict+"\n") {
			t.Errorf("club post of %s should say %s:\n%s", c.date, c.verdict, club)
		}
		nudge := find(c.date, "maya (private)")
		if !strings.Contains(nudge, "maya (private): "+c.verdict) {
			t.Errorf("maya's nudge of %s should say %s:\n%s", c.date, c.verdict, nudge)
		}
	}
	if !strings.Contains(out, "[Sun 2026-06-14 18:00] to club harriers: Reminder: the club's recovery week starts tomorrow, Monday 15 June") {
		t.Errorf("no reminder the evening before:\n%s", out)
	}
}

func TestScenarioStopSilencesPlanSteps(t *testing.T) {
	db := testDB(t, "s.db")
	// Morning messages off: /raced asks, and the member says yes to the steps.
	script := ":as maya\n/raced half yesterday\n4\n:at 2026-06-08 08:00\n/stop\n:at 2026-06-10 08:00\n/recovery\n"
	out := chatScript(t, db, script, "--club", "harriers", "--tz", "Europe/Berlin", "--now", "2026-06-07 10:00")
	if !strings.Contains(out, "Shall I send you each day's step of this plan at 07:00") || !strings.Contains(out, "I'll send you each day's step in the morning") {
		t.Errorf("/raced should ask before sending the daily steps:\n%s", out)
	}
	var toMaya []string
	for _, m := range scheduled(out) {
		if strings.Contains(m, "to maya (private)") {
			toMaya = append(toMaya, m)
		}
	}
	if len(toMaya) != 1 || !strings.Contains(toMaya[0], "2026-06-08 07:00") {
		t.Errorf("want exactly the 8 June step before /stop, got %q", toMaya)
	}
	if !strings.Contains(out, "day 4 of") {
		t.Errorf("/recovery should still show the step after /stop:\n%s", out)
	}
}
