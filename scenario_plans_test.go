package main

import (
	"strings"
	"testing"
)

// morningsTo returns the scheduled private messages a member got in a chat
// transcript, in order, each as "<date> <text>".
func morningsTo(out, who string) []string {
	var msgs []string
	lines := strings.Split(out, "\n")
	marker := "] to " + who + " (private): "
	for i, l := range lines {
		if !strings.HasPrefix(l, "[") || !strings.Contains(l, marker) {
			continue
		}
		head, text, _ := strings.Cut(l, marker)
		var sb strings.Builder
		sb.WriteString(strings.TrimPrefix(head, "[") + " " + text + "\n")
		for _, r := range lines[i+1:] {
			if !strings.HasPrefix(r, "    ") {
				break
			}
			sb.WriteString(strings.TrimPrefix(r, "    ") + "\n")
		}
		msgs = append(msgs, sb.String())
	}
	return msgs
}

func chatAs(t *testing.T, now, script string) string {
	t.Helper()
	db := testDB(t, "club.db")
	return chatScript(t, db, script, "--club", "harriers", "--as", "maya", "--tz", "Europe/Berlin", "--now", now)
}

// verdictWord is the first word of a message after its "<day> <date> <time>" stamp.
func verdictWord(msg string) string {
	f := strings.Fields(msg)
	if len(f) < 4 {
		return ""
	}
	return f[3]
}

// The issue-17 cases about plans, morning messages and warnings, each
// asserting the verdict word where there is one.

func TestPlanLastDayGetsSummaryAndVerdict(t *testing.T) {
	// 5K on Sun 7 Jun: plan days Sun–Tue; Wednesday is back to normal.
	out := chatAs(t, "2026-06-07 12:00", "/settings nudges on\n/raced 5k\n:at 2026-06-10 08:00\n:at 2026-06-11 08:00\n")
	m := morningsTo(out, "maya")
	if len(m) != 4 {
		t.Fatalf("want 4 mornings (two steps, summary day, Thursday), got %d:\n%s", len(m), out)
	}
	if w := verdictWord(m[1]); w != "EASY" || !strings.Contains(m[1], "day 2 of 2") {
		t.Errorf("last plan day = %q", m[1])
	}
	if w := verdictWord(m[2]); w != "EASY" || !strings.Contains(m[2], "end of your 5K recovery plan") || !strings.Contains(m[2], "From today the usual daily verdict rules") {
		t.Errorf("the morning after the last day should carry the verdict and the summary: %q", m[2])
	}
	if w := verdictWord(m[3]); w != "HARD" || strings.Contains(m[3], "recovery plan") {
		t.Errorf("Thursday after the plan = %q; want the club's hard day", m[3])
	}
}

func TestRacedDoesNotUndoStop(t *testing.T) {
	out := chatAs(t, "2026-06-08 12:00", "/settings nudges on\n/stop\n/raced 10k\n:at 2026-06-12 08:00\n")
	if !strings.Contains(out, "Shall I send you each day's step") {
		t.Fatalf("/raced after /stop should ask before sending steps:\n%s", out)
	}
	if m := morningsTo(out, "maya"); len(m) != 0 {
		t.Fatalf("/stop, then /raced, then no answer: nothing may be sent, got %q", m)
	}
	if strings.Contains(out, "morning message: on") && strings.LastIndex(out, "morning message: on") > strings.Index(out, "/raced") {
		t.Fatal("/raced turned morning messages back on")
	}
}

func TestPlanOnlyMemberHearsNothingAfterThePlan(t *testing.T) {
	// Nudges off; the member asks for the plan's steps with the button.
	out := chatAs(t, "2026-06-08 12:00", "/stop\n/raced 10k\n4\n:at 2026-06-09 08:00\n:at 2026-06-10 08:00\n:at 2026-06-11 08:00\n:at 2026-06-14 08:00\n")
	if !strings.Contains(out, "I'll send you each day's step") {
		t.Fatalf("the yes button did not take:\n%s", out)
	}
	m := morningsTo(out, "maya")
	if len(m) != 3 {
		t.Fatalf("want the two remaining steps and the summary, got %d: %q", len(m), m)
	}
	if verdictWord(m[0]) != "EASY" || !strings.Contains(m[0], "day 1 of 2 of your 10K") {
		t.Errorf("first step = %q", m[0])
	}
	if !strings.Contains(m[2], "end of your 10K recovery plan") || !strings.Contains(m[2], "won't send you anything more") {
		t.Errorf("the summary should say the messages stop: %q", m[2])
	}
	if strings.Contains(m[2], "HARD") || strings.Contains(m[2], "EASY —") {
		t.Errorf("a member who only wanted the plan got a verdict: %q", m[2])
	}
}

func TestStopStopsAskedForPlanSteps(t *testing.T) {
	out := chatAs(t, "2026-06-08 12:00", "/stop\n/raced half\n4\n:at 2026-06-09 08:00\n/stop\n:at 2026-06-11 08:00\n")
	m := morningsTo(out, "maya")
	if len(m) != 1 || !strings.HasPrefix(m[0], "Tue") {
		t.Fatalf("want Tuesday's step only, then nothing after /stop; got %q", m)
	}
}

func TestMorningAfterHardDayOnClubRestDay(t *testing.T) {
	for _, log := range []string{"/log intervals 50min rpe 8", "/log race 10km 42min\n2"} {
		out := chatAs(t, "2026-06-07 12:00", "/settings nudges on\n"+log+"\n:at 2026-06-08 08:00\n")
		m := morningsTo(out, "maya")
		if len(m) != 1 || verdictWord(m[0]) != "REST" {
			t.Errorf("%s on Sunday, club rest on Monday: morning = %q; want REST", log, m)
		}
	}
}

func TestNewMemberGetsNoLoadSpikeForWeeks(t *testing.T) {
	// Joins on Mon 1 Jun, a light first week and a fuller second.
	script := "/settings nudges on\n/log easy 30min\n:at 2026-06-03 19:00\n/log easy 30min\n:at 2026-06-09 19:00\n" +
		"/log easy 60min rpe 4\n:at 2026-06-10 19:00\n/log easy 60min rpe 4\n:at 2026-06-11 19:00\n/log easy 60min rpe 4\n" +
		":at 2026-06-12 19:00\n/log easy 60min rpe 4\n:at 2026-06-13 19:00\n/log easy 60min rpe 4\n:at 2026-06-16 08:00\n"
	out := chatAs(t, "2026-06-01 19:00", script)
	for _, msg := range morningsTo(out, "maya") {
		if strings.Contains(msg, "above the 7 days before") || strings.Contains(msg, "times your average week") {
			t.Fatalf("a new member got a load-spike verdict: %q", msg)
		}
	}
	m := morningsTo(out, "maya")
	last := m[len(m)-1]
	if verdictWord(last) != "HARD" || !strings.Contains(last, "log only goes back") {
		t.Errorf("Tuesday 16 Jun = %q; want HARD and a word that the history is short", last)
	}
}

func TestHardSessionAfterPainIsWarned(t *testing.T) {
	for _, setup := range []string{"/settings consent yes\n/checkin pain", "/settings consent no\n/checkin pain", "/raced 10k yesterday\n/recovery hurting"} {
		out := chatAs(t, "2026-06-09 18:00", setup+"\n/log easy 40min rpe 8\n/log easy 30min rpe 3\n")
		i := strings.Index(out, "rpe 8")
		if i < 0 || !strings.Contains(out[i:], "A word of warning: you reported pain") {
			t.Errorf("%q: a hard session after pain got no warning:\n%s", setup, out)
		}
		if strings.Count(out, "A word of warning") != 1 {
			t.Errorf("%q: an easy session was warned too:\n%s", setup, out)
		}
	}
}

func TestCoachWarnedAboutRiskyWeek(t *testing.T) {
	cases := []struct{ plan, want string }{
		{"/club plan mon=easy", "no rest day"},
		{"/club plan tue=hard wed=hard thu=hard", "Three hard or long days in a row (Tue–Thu)"},
		{"/club plan mon=hard tue=hard wed=hard thu=hard fri=hard sat=long sun=hard", "Every day is hard"},
	}
	for _, c := range cases {
		out := chatAs(t, "2026-06-08 12:00", ":as coach coach\n"+c.plan+"\n")
		if !strings.Contains(out, "A word of caution") || !strings.Contains(out, c.want) {
			t.Errorf("%s: no warning %q:\n%s", c.plan, c.want, out)
		}
	}
	if out := chatAs(t, "2026-06-08 12:00", ":as coach coach\n/club plan wed=rest\n"); strings.Contains(out, "caution") {
		t.Errorf("a sound week was warned about:\n%s", out)
	}
}

func TestUltraIsCalledUltraThroughout(t *testing.T) {
	out := chatAs(t, "2026-06-09 07:00", "/raced 50km yesterday\n/recovery\n/today\n")
	if strings.Contains(out, "marathon recovery plan") || strings.Count(out, "ultra recovery plan") < 3 {
		t.Fatalf("a 50 km race should be the ultra plan everywhere:\n%s", out)
	}
	if a := todayAnswers(out); len(a) != 1 || !strings.HasPrefix(a[0], "REST") {
		t.Fatalf("day 1 after an ultra = %q; want REST", a)
	}
}

func TestRecoveryAnswersAtAnyTime(t *testing.T) {
	out := chatAs(t, "2026-06-09 19:00", "/settings consent yes\n/raced half 2026-06-07\n/recovery sore\n:at 2026-06-10 07:00\n/today\n")
	if !strings.Contains(out, "Tomorrow the plan waits a day") {
		t.Fatalf("/recovery sore was not taken:\n%s", out)
	}
	// Day 2 (base run with strides) was sore; day 3 is rest, so the hold is rest.
	if a := todayAnswers(out); len(a) != 1 || !strings.HasPrefix(a[0], "REST") {
		t.Fatalf("/today after /recovery sore = %q; want REST", a)
	}
	if out := chatAs(t, "2026-06-09 19:00", "/recovery sore\n"); !strings.Contains(out, "no recovery plan running") {
		t.Fatalf("/recovery sore without a plan:\n%s", out)
	}
}
