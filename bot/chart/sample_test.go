package chart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/coach"
)

// sampleToday is the day the sample pictures are drawn for.
var sampleToday = coach.Date{Year: 2026, Month: 11, Day: 28}

// sampleWeek is four weeks of an intermediate runner's training, Sunday
// 1 to Saturday 28 November: a long run on Sundays, intervals and tempo
// midweek, a rest day most weeks, two days with nothing logged, and more
// load in the last seven days than before.
func sampleWeek() WeekData {
	days := []struct {
		kind DayKind
		load float64
	}{
		{DayHard, 540}, {DayRest, 0}, {DayHard, 400}, {DayEasy, 170}, {DayUnlogged, 0}, {DayHard, 350}, {DayEasy, 140},
		{DayHard, 600}, {DayEasy, 120}, {DayHard, 360}, {DayUnlogged, 0}, {DayEasy, 200}, {DayRest, 0}, {DayEasy, 180},
		{DayHard, 520}, {DayEasy, 200}, {DayHard, 520}, {DayHard, 480}, {DayEasy, 240}, {DayHard, 560}, {DayRest, 0},
		{DayHard, 880}, {DayEasy, 160}, {DayHard, 420}, {DayEasy, 180}, {DayRest, 0}, {DayHard, 380}, {DayEasy, 150},
	}
	d := WeekData{
		Title:   "Sam's training load, last 28 days",
		Earlier: []float64{160, 380, 180, 0, 330, 150},
		Flags:   []Flag{FlagLoadSpike},
	}
	first := sampleToday.AddDays(-(WeekDays - 1))
	for i, x := range days {
		d.Days = append(d.Days, Day{Date: first.AddDays(i), Load: x.load, Kind: x.kind})
	}
	return d
}

// writeSample writes a picture into $CHART_OUT when that is set, for
// looking at. (The pictures under docs/ come from the console scenario in
// testdata/pictures.txt; see TestPicturesScenario in package main.)
func writeSample(t *testing.T, _, outName string, png []byte) {
	t.Helper()
	if dir := os.Getenv("CHART_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, strings.ReplaceAll(outName, " ", "_")), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSamples(t *testing.T) {
	png, err := Week(sampleWeek())
	if err != nil {
		t.Fatal(err)
	}
	writeSample(t, "week.png", "week.png", png)
	png, err = Recovery(samplePlan())
	if err != nil {
		t.Fatal(err)
	}
	writeSample(t, "recovery.png", "recovery.png", png)
	png, err = Club(sampleClub())
	if err != nil {
		t.Fatal(err)
	}
	writeSample(t, "club.png", "club.png", png)
}

// samplePlan is a marathon run last Sunday, one Sore answer on day 2,
// seen on day 6.
func samplePlan() PlanData {
	race := sampleToday.AddDays(-6)
	p := coach.NewPlan(42.2, race)
	p.Delay = 1
	answers := map[int]coach.Feedback{1: coach.FeedbackSore, 2: coach.FeedbackSore, 3: coach.FeedbackFresh, 4: coach.FeedbackFresh, 5: coach.FeedbackFresh}
	d := PlanData{Title: "Marathon recovery", Today: sampleToday}
	for _, st := range p.Steps() {
		d.Days = append(d.Days, PlanDay{Date: race.AddDays(st.Day), Day: st.Day, Verdict: st.Verdict, Answer: answers[st.Day]})
	}
	return d
}

// sampleClub is a club of 14 contributing members on a Saturday with
// six of them in a post-race plan on four different days.
func sampleClub() ClubData {
	return ClubData{
		Date: sampleToday, Contributors: 14, Easy: 8, Rest: 2, Hard: 4,
		InPlan: []PlanCount{{Day: 1, Members: 1}, {Day: 2, Members: 2}, {Day: 6, Members: 1}, {Day: 9, Members: 2}},
	}
}
