package chart

import (
	"errors"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/coach"
)

// at reads the pixel at canvas point (x, y), whose y axis points up.
func at(img image.Image, x, y float64) color.Color {
	return img.At(int(x), img.Bounds().Dy()-1-int(y))
}

// tileLook is what a tile shows, read from its pixels: the colour of its
// inside near the right edge (where no text reaches), of its border, and
// of the frame just outside it.
type tileLook struct{ fill, border, frame color.Color }

func readTile(img image.Image, i, h int) tileLook {
	r := tileRect(i, h)
	midY := float64(r.Min.Y+r.Max.Y) / 2
	return tileLook{
		fill:   at(img, float64(r.Max.X)-12, midY),
		border: at(img, float64(r.Max.X)-2.5, midY),
		frame:  at(img, float64(r.Max.X)+4, midY),
	}
}

func TestRecoveryTilesMatchThePlan(t *testing.T) {
	sample := samplePlan()
	cases := map[string]PlanData{
		"day 6 of a marathon plan": sample,
		"before race day":          {Today: sample.Days[0].Date.AddDays(-1), Days: sample.Days},
		"race day":                 {Today: sample.Days[0].Date, Days: sample.Days},
		"the last day":             {Today: sample.Days[len(sample.Days)-1].Date, Days: sample.Days},
		"after the end":            {Today: sample.Days[len(sample.Days)-1].Date.AddDays(3), Days: sample.Days},
		"a 5k plan":                shortPlanData(5, 2),
		"a long ultra plan":        shortPlanData(160, 30),
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := Recovery(d)
			if err != nil {
				t.Fatal(err)
			}
			writeSample(t, "", "recovery-"+name+".png", b)
			h := recoveryHeight(len(d.Days))
			img := decode(t, b, Width, h)
			done := 0
			for i, day := range d.Days {
				look := readTile(img, i, h)
				col := verdictColor(day.Verdict)
				switch d.state(day) {
				case stateDone, stateToday:
					if !near(look.fill, col, 8) {
						t.Errorf("day %d (%s) is filled %v, want its verdict's colour %v", day.Day, day.Verdict, look.fill, col)
					}
				case stateAhead:
					if !near(look.fill, band, 8) || !near(look.border, col, 24) {
						t.Errorf("day %d ahead is filled %v with border %v, want %v outlined in %v", day.Day, look.fill, look.border, band, col)
					}
				}
				if d.state(day) == stateDone {
					done++
				}
				framed := near(look.frame, ink, 24)
				if framed != (d.state(day) == stateToday) {
					t.Errorf("day %d: framed as today = %v, want %v", day.Day, framed, d.state(day) == stateToday)
				}
			}
			wantDone := max(0, min(len(d.Days), d.Today.Sub(d.Days[0].Date)))
			if done != wantDone {
				t.Errorf("%d days done, want %d", done, wantDone)
			}
		})
	}
}

// shortPlanData is the plan for a race of km kilometres, seen n days after
// it, straight from the coach's plans.
func shortPlanData(km float64, n int) PlanData {
	race := sampleToday.AddDays(-n)
	d := PlanData{Today: sampleToday}
	for _, st := range coach.NewPlan(km, race).Steps() {
		d.Days = append(d.Days, PlanDay{Date: race.AddDays(st.Day), Day: st.Day, Verdict: st.Verdict})
	}
	return d
}

func TestRecoveryMarksTheEnd(t *testing.T) {
	d := samplePlan()
	b, err := Recovery(d)
	if err != nil {
		t.Fatal(err)
	}
	h := recoveryHeight(len(d.Days))
	img := decode(t, b, Width, h)
	// The finish line: light and dark squares along the bottom of the last
	// tile only.
	chequer := func(i int) bool {
		r := tileRect(i, h)
		light, dark := 0, 0
		for x := r.Min.X + 8; x < r.Max.X-8; x++ {
			c := at(img, float64(x), float64(r.Min.Y)+8)
			switch {
			case near(c, ink, 24):
				light++
			case near(c, background, 24):
				dark++
			}
		}
		return light > 20 && dark > 20
	}
	last := len(d.Days) - 1
	if !chequer(last) {
		t.Error("the last tile has no finish line")
	}
	for i := range last {
		if chequer(i) {
			t.Errorf("tile %d has a finish line but is not the last", i)
		}
	}
}

func TestRecoveryRejectsBadData(t *testing.T) {
	cases := map[string]func(d *PlanData){
		"no days":         func(d *PlanData) { d.Days = nil },
		"no today":        func(d *PlanData) { d.Today = coach.Date{} },
		"a gap":           func(d *PlanData) { d.Days[4].Date = d.Days[4].Date.AddDays(1) },
		"days numbered":   func(d *PlanData) { d.Days[4].Day = 9 },
		"unknown verdict": func(d *PlanData) { d.Days[2].Verdict = "LONG" },
		"unknown answer":  func(d *PlanData) { d.Days[2].Answer = "great" },
		"far too many days": func(d *PlanData) {
			d.Days = shortPlanData(42.2, 0).Days
			d.Days = append(d.Days, make([]PlanDay, MaxPlanDays)...)
		},
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			d := samplePlan()
			spoil(&d)
			if b, err := Recovery(d); !errors.Is(err, ErrInvalid) || b != nil {
				t.Errorf("Recovery = %d bytes, %v; want ErrInvalid and no picture", len(b), err)
			}
			if _, err := RecoverySummary(d); !errors.Is(err, ErrInvalid) {
				t.Errorf("RecoverySummary error = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestRecoverySummary(t *testing.T) {
	got, err := RecoverySummary(samplePlan())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Marathon recovery: Today is day 6 after the race · last day: day 22, Mon 14 Dec.",
		"6 days done, 17 days to go (today included)",
		"Today: EASY.",
		"Your answers: day 1 Sore, day 2 Sore, day 3 Fresh, day 4 Fresh, day 5 Fresh.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary %q\nlacks %q", got, want)
		}
	}
	d := samplePlan()
	d.Today = d.Days[len(d.Days)-1].Date.AddDays(1)
	if got, _ := RecoverySummary(d); !strings.Contains(got, "Finished · last day was day 22, Mon 14 Dec") {
		t.Errorf("summary after the end = %q", got)
	}
}

// readBadge reads the answer marked on tile i from the badge corner's
// pixels: "" when the corner shows the tile itself.
func readBadge(img image.Image, i, h int) coach.Feedback {
	b := badgeRect(tileRect(i, h))
	c := at(img, float64(b.Min.X)+4, float64(b.Max.Y)-4)
	for _, a := range []coach.Feedback{coach.FeedbackFresh, coach.FeedbackSore, coach.FeedbackHurting} {
		if fill, _, _ := answerMark(a); near(c, fill, 8) {
			return a
		}
	}
	return ""
}

func TestRecoveryMarksEachAnswerOnItsDay(t *testing.T) {
	d := shortPlanData(42.2, 9)
	given := map[int]coach.Feedback{1: coach.FeedbackSore, 4: coach.FeedbackSore, 6: coach.FeedbackHurting, 8: coach.FeedbackFresh, 9: coach.FeedbackFresh}
	for i := range d.Days {
		d.Days[i].Answer = given[d.Days[i].Day]
	}
	b, err := Recovery(d)
	if err != nil {
		t.Fatal(err)
	}
	writeSample(t, "", "recovery-answers.png", b)
	h := recoveryHeight(len(d.Days))
	img := decode(t, b, Width, h)
	count := map[coach.Feedback]int{}
	for i, day := range d.Days {
		got := readBadge(img, i, h)
		if got != given[day.Day] {
			t.Errorf("day %d shows answer %q, want %q", day.Day, got, given[day.Day])
		}
		count[got]++
	}
	if count[coach.FeedbackSore] != 2 || count[coach.FeedbackFresh] != 2 || count[coach.FeedbackHurting] != 1 {
		t.Errorf("marks read: %v; want 2 Sore, 2 Fresh, 1 Hurting", count)
	}
	// Every verdict's colour differs from every answer's, so a badge shows
	// on any tile.
	for _, v := range []coach.Verdict{coach.VerdictEasy, coach.VerdictRest, coach.VerdictHard} {
		for _, a := range []coach.Feedback{coach.FeedbackFresh, coach.FeedbackSore, coach.FeedbackHurting} {
			if fill, _, _ := answerMark(a); near(fill, verdictColor(v), 40) {
				t.Errorf("the %s badge is too near the %s tile's colour", a, v)
			}
		}
	}
}
