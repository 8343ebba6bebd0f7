package bot

import (
	"fmt"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// importedMark is what /week adds to a session logged from a recording:
// " (from a FIT file)", " (from intervals.icu)"; "" for a typed one.
func importedMark(imported map[int64]ImportedSession, id int64) string {
	x, ok := imported[id]
	if !ok {
		return ""
	}
	return " (from " + sourceWords(x) + ")"
}

// sourceWords names where an imported session came from: "a FIT file",
// "intervals.icu".
func sourceWords(x ImportedSession) string {
	switch {
	case x.Source == ImportIntervals:
		return "intervals.icu"
	case x.Format != "":
		return "a " + x.Format + " file"
	}
	return "a file"
}

// Button data of imported sessions: "import:rpe:<session id>:<1-10>" sets
// the effort of a session logged without heart rate, "import:race:<id>"
// answers yes to "Was this a race?", "import:norace" no.
const (
	importRPEButton  = "import:rpe:"
	importRaceButton = "import:race:"
	importNoRace     = "import:norace"
)

// ImportReplies words what ImportActivity did for the member, in their
// units, on their date today: the session logged and named (or the one
// logged before, for a duplicate), where its load came from, the effort
// buttons when the heart rate could not give it, and "Was this a race?"
// with its buttons when the run looks like one. All replies are private.
func ImportReplies(res ImportResult, u coach.Units, today coach.Date) []chat.Reply {
	s, x := res.Session, res.Imported
	if res.Outcome == ImportDuplicate {
		return []chat.Reply{{Private: true, Text: fmt.Sprintf(
			"Already logged: %s came from %s before, so I stored nothing new. /week shows it; /log list numbers it if you want to edit or delete it.",
			describeSession(s, u, today), sourceWords(x))}}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Logged from %s: %s.", sourceWords(x), describeSession(s, u, today))
	if res.NoHR == HRUsed {
		fmt.Fprintf(&sb, "\nHeart rate: average %d, max %d bpm; TRIMP %.0f; %s at or above %d bpm (your threshold band), so it counts as %s. RPE %d is read from your heart rate.",
			x.AvgHR, x.MaxHR, res.HR.TRIMP, minutesText(res.HR.BandMinutes), res.HR.BandBPM, hardWord(res.HR.Hard), s.RPE)
	} else if why := noHRWords(res.NoHR); why != "" {
		sb.WriteString("\n" + why)
	}
	sb.WriteString("\n/log undo removes it; /week shows your last 7 days.")
	out := []chat.Reply{{Private: true, Text: sb.String()}}
	if res.AskRPE {
		out = append(out, rpeQuestion(s))
	}
	if res.Race {
		out = append(out, raceQuestion(s, res.RaceKm, u))
	}
	return out
}

func hardWord(hard bool) string {
	if hard {
		return "a hard session"
	}
	return "an easy one"
}

// noHRWords says why the load is not from heart rate and what would make
// it so.
func noHRWords(why NoHRReason) string {
	switch why {
	case HRNoConsent:
		return "The recording has heart rate, but I only use heart rate with your agreement to keep health data (/settings consent yes)."
	case HRNoResting:
		return "The recording has heart rate, but I need your resting heart rate to read it: add it to a /checkin."
	case HRNoMax:
		return "The recording has heart rate, but I need your maximum to read it: your age (/settings age 40) or a measured maximum (/settings maxhr 188)."
	case HRTooLittle:
		return "The heart rate covers too little of the session to judge it (a strap that dropped out?)."
	}
	return ""
}

// rpeQuestion asks for the effort of a session logged without heart rate,
// one tap.
func rpeQuestion(s LoggedSession) chat.Reply {
	row := func(from, to int) []chat.Button {
		var bs []chat.Button
		for n := from; n <= to; n++ {
			bs = append(bs, chat.Button{Label: fmt.Sprint(n), Data: fmt.Sprintf("%s%d:%d", importRPEButton, s.ID, n)})
		}
		return bs
	}
	return chat.Reply{Private: true, Text: fmt.Sprintf(
		"How hard did it feel, from 1 (very easy) to 10 (all out)? Until you tap, I count RPE %d, the usual effort for %s; the load is RPE × minutes.",
		s.RPE, s.Kind), Buttons: [][]chat.Button{row(1, 5), row(6, 10)}}
}

// raceQuestion offers the post-race walkthrough for a run that looks like
// a race of km.
func raceQuestion(s LoggedSession, km float64, u coach.Units) chat.Reply {
	return chat.Reply{Private: true, Text: fmt.Sprintf(
		"That was %s at race-like effort. Was this a race? If so I'll log it as one and walk you through your recovery day by day.",
		u.Distance(km)),
		Buttons: [][]chat.Button{{{Label: "Yes, it was a race", Data: fmt.Sprintf("%s%d", importRaceButton, s.ID)}, {Label: "No", Data: importNoRace}}}}
}
