package main

import (
	"regexp"
	"strings"
	"testing"
)

// replyTo returns the text of the first reply printed privately to a
// member after the line "who> line", with its indented lines.
func replyTo(t *testing.T, out, who, line string) string {
	t.Helper()
	return replyAfter(t, out, who, line, "shakeout (private to "+who+"): ")
}

// replyAfter is replyTo for a reply printed with the given prefix.
func replyAfter(t *testing.T, out, who, line, prefix string) string {
	t.Helper()
	at := strings.Index(out, who+"> "+line+"\n")
	if at < 0 {
		t.Fatalf("no line %q from %s in:\n%s", line, who, out)
	}
	rest := out[at+len(who)+len(line)+3:]
	if !strings.HasPrefix(rest, prefix) {
		t.Fatalf("the reply to %s's %q does not start %q:\n%s", who, line, prefix, rest)
	}
	var sb strings.Builder
	for i, l := range strings.Split(strings.TrimPrefix(rest, prefix), "\n") {
		if i > 0 && !strings.HasPrefix(l, "    ") {
			break
		}
		sb.WriteString(strings.TrimPrefix(l, "    ") + "\n")
	}
	return sb.String()
}

// Three members each answer their own plan step on the same morning: the
// console keeps each member's buttons, so none presses another's.
func TestScenarioThreeMembersAnswerTheirOwnPlanStep(t *testing.T) {
	db := testDB(t, "three.db")
	script := strings.Join([]string{
		":as maya", "/settings consent yes", "/raced half", "4",
		":as tom", "/settings consent yes", "/settings nudges on", "/raced half",
		":as ann", "/settings consent yes", "/raced 10k", "4",
		":at 2026-06-08 08:00",
		":as maya", "2",
		":as tom", "1",
		":as ann", "3",
		":as maya", "/recovery",
		":as ann", "/today",
	}, "\n") + "\n"
	out := chatScript(t, db, script, "--club", "harriers", "--tz", "Europe/Berlin", "--now", "2026-06-07 10:00")

	steps := 0
	for _, m := range scheduled(out) {
		if s := stamp.FindStringSubmatch(m); s != nil && s[1] == "2026-06-08" && strings.HasSuffix(s[3], "(private)") {
			if !strings.Contains(m, "day 1 of") || !strings.Contains(m, "[1] Fresh  [2] Sore  [3] Hurting") {
				t.Errorf("morning step %q lacks the day or the buttons", m)
			}
			steps++
		}
	}
	if steps != 3 {
		t.Fatalf("%d plan steps on the morning; want one for each of the three:\n%s", steps, out)
	}
	if got := replyTo(t, out, "maya", "2"); !strings.Contains(got, "runs a day longer") {
		t.Errorf("maya pressed Sore on her step; got %q", got)
	}
	if got := replyTo(t, out, "tom", "1"); !strings.Contains(got, "Good to hear") {
		t.Errorf("tom pressed Fresh on his step; got %q", got)
	}
	if got := replyTo(t, out, "ann", "3"); !strings.Contains(got, "Stop running and rest") {
		t.Errorf("ann pressed Hurting on her step; got %q", got)
	}
	if got := replyTo(t, out, "maya", "/recovery"); !strings.Contains(got, "half marathon") || !strings.Contains(got, "of 15") {
		t.Errorf("maya's plan after her Sore: %q; want her half marathon plan a day longer", got)
	}
	if got := replyTo(t, out, "ann", "/today"); !strings.HasPrefix(got, "REST") {
		t.Errorf("ann after Hurting: /today = %q; want REST", got)
	}
	if strings.Contains(out, "That button has expired") || strings.Contains(out, "isn't yours") {
		t.Errorf("a press reached the wrong plan:\n%s", out)
	}
}

// Messages that fell due while the console was closed go out when it
// starts, as the bot's own start-up catch-up sends them, not at the first
// :at.
func TestScenarioDueMessagesGoOutAtStartUp(t *testing.T) {
	db := testDB(t, "restart.db")
	chatScript(t, db, ":as maya\n/settings nudges on\n/raced half\n", "--club", "harriers", "--tz", "Europe/Berlin", "--now", "2026-06-07 10:00")
	out := chatScript(t, db, ":as maya\n/recovery\n", "--club", "harriers", "--tz", "Europe/Berlin", "--now", "2026-06-08 07:40")
	first := regexp.MustCompile(`(?m)^\[Mon 2026-06-08 07:40\] to maya \(private\): .*day 1 of 14`)
	loc := first.FindStringIndex(out)
	if loc == nil {
		t.Fatalf("maya's 07:00 step was not sent at start-up:\n%s", out)
	}
	if cmd := strings.Index(out, "maya> /recovery"); cmd < loc[0] {
		t.Errorf("the step came after the first line, not at start-up:\n%s", out)
	}
}

// "🏃 /today" is a command in the console, as it is on Telegram.
func TestScenarioEmojiBeforeACommand(t *testing.T) {
	db := testDB(t, "emoji.db")
	out := chatScript(t, db, ":as maya\n🏃 /today\n", "--club", "harriers", "--tz", "Europe/Berlin", "--now", "2026-06-09 09:00")
	got := replyTo(t, out, "maya", "🏃 /today")
	if !regexp.MustCompile(`^(EASY|HARD|REST) — `).MatchString(got) {
		t.Errorf("🏃 /today = %q; want the day's verdict", got)
	}
}

// Tabs, non-breaking and zero-width spaces typed in the console reach the
// commands cleaned, as from any platform.
func TestScenarioOddSpaces(t *testing.T) {
	db := testDB(t, "spaces.db")
	lines := []string{"/log\u200b easy 8km", "/log\u200btempo 5km 25min", "/log long\t16km\t1h30", "/log\u00a0intervals 6x800\u00a045min"}
	out := chatScript(t, db, ":as maya\n"+strings.Join(lines, "\n")+"\n", "--club", "harriers", "--tz", "Europe/Berlin", "--now", "2026-06-09 09:00")
	for _, l := range lines {
		if got := replyAfter(t, out, "maya", l, "shakeout: "); !strings.HasPrefix(got, "Logged: ") {
			t.Errorf("%q = %q", l, got)
		}
	}
}
