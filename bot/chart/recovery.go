package chart

import (
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/shakeoutbot/shakeout/coach"
)

// MaxPlanDays bounds the recovery strip: the longest plan (an ultra with
// every Sore delay) stays well inside it.
const MaxPlanDays = 63

// PlanDay is one day of a post-race plan.
type PlanDay struct {
	Date    coach.Date
	Day     int            // 0 on race day
	Verdict coach.Verdict  // the plan's verdict for the day
	Answer  coach.Feedback // the member's Fresh / Sore / Hurting answer that day; empty when none
}

// PlanData is what the recovery picture shows.
type PlanData struct {
	// Title heads the picture, e.g. "Marathon recovery"; empty gives a
	// plain heading. The caller decides whether a name goes in.
	Title string
	// Today splits the days into done (before), today, and ahead (after).
	Today coach.Date
	// Days are the plan's days in order, race day first, consecutive; the
	// last is the day the plan ends.
	Days []PlanDay
}

// dayState is where a plan day stands against today.
type dayState int

const (
	stateDone dayState = iota
	stateToday
	stateAhead
)

func (d PlanData) state(day PlanDay) dayState {
	switch {
	case day.Date.Before(d.Today):
		return stateDone
	case day.Date == d.Today:
		return stateToday
	}
	return stateAhead
}

func (d PlanData) validate() error {
	if len(d.Days) == 0 || len(d.Days) > MaxPlanDays {
		return invalidf("a plan picture needs 1 to %d days, got %d", MaxPlanDays, len(d.Days))
	}
	if d.Today.IsZero() {
		return invalidf("the plan picture needs today's date")
	}
	for i, day := range d.Days {
		switch day.Verdict {
		case coach.VerdictEasy, coach.VerdictRest, coach.VerdictHard:
		default:
			return invalidf("plan day %d has verdict %q; want EASY, REST or HARD", day.Day, day.Verdict)
		}
		switch day.Answer {
		case "", coach.FeedbackFresh, coach.FeedbackSore, coach.FeedbackHurting:
		default:
			return invalidf("plan day %d has answer %q; want fresh, sore, hurting or none", day.Day, day.Answer)
		}
		if i > 0 && (d.Days[i-1].Date.AddDays(1) != day.Date || d.Days[i-1].Day+1 != day.Day) {
			return invalidf("plan days must be consecutive: day %d (%s) follows day %d (%s)",
				day.Day, day.Date, d.Days[i-1].Day, d.Days[i-1].Date)
		}
	}
	return nil
}

func (d PlanData) heading() string {
	if d.Title != "" {
		return d.Title
	}
	return "Post-race recovery plan"
}

// verdictColor is the colour of a plan day's verdict.
func verdictColor(v coach.Verdict) color.RGBA {
	switch v {
	case coach.VerdictRest:
		return restColor
	case coach.VerdictHard:
		return hardColor
	}
	return easyColor
}

func answerWord(a coach.Feedback) string {
	switch a {
	case coach.FeedbackFresh:
		return "Fresh"
	case coach.FeedbackSore:
		return "Sore"
	case coach.FeedbackHurting:
		return "Hurting"
	}
	return ""
}

// Strip layout in pixels: seven tiles a row, each row a week of the plan.
const (
	stripCols   = 7
	stripMargin = 30
	stripGap    = 12
	tileHeight  = 150
	stripTop    = 190 // header: title, end line, legend
	stripBottom = 30
)

// recoveryHeight is the picture's height for a plan of n days.
func recoveryHeight(n int) int {
	rows := (n + stripCols - 1) / stripCols
	return max(Height, stripTop+rows*(tileHeight+stripGap)+stripBottom)
}

// tileRect is the rectangle of the i-th tile in a picture h pixels high,
// in canvas units (y up).
func tileRect(i, h int) vg.Rectangle {
	w := vg.Length(Width-2*stripMargin-(stripCols-1)*stripGap) / stripCols
	col, row := i%stripCols, i/stripCols
	x0 := stripMargin + vg.Length(col)*(w+stripGap)
	y1 := vg.Length(h) - stripTop - vg.Length(row)*(tileHeight+stripGap)
	return vg.Rectangle{Min: vg.Point{X: x0, Y: y1 - tileHeight}, Max: vg.Point{X: x0 + w, Y: y1}}
}

// Recovery draws the plan as a strip of day tiles, seven to a row, Width
// pixels wide and at least Height high: done days filled with their
// verdict's colour, today framed in white, days ahead outlined in their
// verdict's colour; each tile names the day, its date, its verdict and the
// answer given, and the last tile is marked as the plan's end.
func Recovery(d PlanData) ([]byte, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	h := recoveryHeight(len(d.Days))
	vc, c := newCanvas(Width, h)
	top := c.Max.Y - 24
	title := style(sansBold, titleSize, ink, text.XLeft, text.YTop)
	c.FillText(title, vg.Point{X: stripMargin, Y: top}, fit(title, d.heading(), Width-2*stripMargin))
	last := d.Days[len(d.Days)-1]
	c.FillText(style(sans, labelSize, ink, text.XLeft, text.YTop), vg.Point{X: stripMargin, Y: top - titleSize - 14},
		d.progress())

	row := top - titleSize - 14 - labelSize - 38
	x := swatch(c, stripMargin, row, restColor, "R", "rest")
	x = swatch(c, x, row, easyColor, "E", "easy")
	for _, day := range d.Days {
		if day.Verdict == coach.VerdictHard {
			x = swatch(c, x, row, hardColor, "H", "hard")
			break
		}
	}
	x = legendDone(c, x, row)
	x = legendAhead(c, x, row)
	legendToday(c, x, row)

	for i, day := range d.Days {
		drawTile(c, tileRect(i, h), day, d.state(day), day == last)
	}
	return encode(vc)
}

// progress is the line under the title: where the plan stands and when it
// ends. Days are counted from race day, day 0, so "day 6 after the race"
// and "last day: day 22" say which day is meant without a total to misread.
func (d PlanData) progress() string {
	first, last := d.Days[0], d.Days[len(d.Days)-1]
	ends := fmt.Sprintf("day %d, %s %s", last.Day, dayName(last.Date), shortDate(last.Date))
	switch {
	case d.Today.Before(first.Date):
		return fmt.Sprintf("Starts %s %s · last day: %s", dayName(first.Date), shortDate(first.Date), ends)
	case d.Today.After(last.Date):
		return fmt.Sprintf("Finished · last day was %s", ends)
	}
	today := first.Day + d.Today.Sub(first.Date)
	if today == 0 {
		return fmt.Sprintf("Today is race day · last day: %s", ends)
	}
	return fmt.Sprintf("Today is day %d after the race · last day: %s", today, ends)
}

func legendDone(c draw.Canvas, x, y vg.Length) vg.Length {
	rect(c, x, y-15, x+30, y+15, muted)
	return legendWords(c, x, y, "done")
}

func legendAhead(c draw.Canvas, x, y vg.Length) vg.Length {
	rect(c, x, y-15, x+30, y+15, band)
	outline(c, x+2, y-13, x+28, y+13, muted, 4)
	return legendWords(c, x, y, "ahead")
}

func legendToday(c draw.Canvas, x, y vg.Length) vg.Length {
	rect(c, x, y-15, x+30, y+15, muted)
	outline(c, x-3, y-18, x+33, y+18, ink, 5)
	return legendWords(c, x+8, y, "today")
}

func legendWords(c draw.Canvas, x, y vg.Length, words string) vg.Length {
	st := style(sans, smallSize, ink, text.XLeft, text.YCenter)
	c.FillText(st, vg.Point{X: x + 40, Y: y}, words)
	return x + 40 + st.Width(words) + 28
}

// drawTile draws one plan day.
func drawTile(c draw.Canvas, r vg.Rectangle, day PlanDay, st dayState, last bool) {
	col := verdictColor(day.Verdict)
	txt := color.Color(background) // dark text on a filled tile
	switch st {
	case stateAhead:
		rect(c, r.Min.X, r.Min.Y, r.Max.X, r.Max.Y, band)
		outline(c, r.Min.X+2, r.Min.Y+2, r.Max.X-2, r.Max.Y-2, col, 4)
		txt = col
	default:
		rect(c, r.Min.X, r.Min.Y, r.Max.X, r.Max.Y, col)
	}
	if st == stateToday {
		outline(c, r.Min.X-4, r.Min.Y-4, r.Max.X+4, r.Max.Y+4, ink, 6)
	}
	x := r.Min.X + 10
	y := r.Max.Y - 8
	head := fmt.Sprintf("Day %d", day.Day)
	if st == stateToday {
		head = "TODAY"
	}
	c.FillText(style(sansBold, smallSize, txt, text.XLeft, text.YTop), vg.Point{X: x, Y: y}, head)
	c.FillText(style(sans, smallSize-4, txt, text.XLeft, text.YTop), vg.Point{X: x, Y: y - smallSize - 4},
		shortDate(day.Date))
	c.FillText(style(sansBold, smallSize-4, txt, text.XLeft, text.YTop), vg.Point{X: x, Y: y - 2*smallSize - 4},
		string(day.Verdict))
	foot := answerWord(day.Answer)
	if last {
		if foot == "" {
			foot = "END"
		}
		finish(c, r)
	}
	if foot != "" {
		c.FillText(style(sansBold, smallSize-4, txt, text.XLeft, text.YTop), vg.Point{X: x, Y: y - 3*smallSize - 4}, foot)
	}
	if day.Answer != "" {
		b := badgeRect(r)
		fill, letterColor, letter := answerMark(day.Answer)
		rect(c, b.Min.X, b.Min.Y, b.Max.X, b.Max.Y, fill)
		outline(c, b.Min.X, b.Min.Y, b.Max.X, b.Max.Y, background, 2)
		c.FillText(style(sansBold, smallSize-6, letterColor, text.XCenter, text.YCenter),
			vg.Point{X: (b.Min.X + b.Max.X) / 2, Y: (b.Min.Y + b.Max.Y) / 2}, letter)
	}
}

// badgeSide is the side of the answer's badge in a tile's bottom-right
// corner.
const badgeSide = 28

// badgeRect is where a tile's answer badge goes.
func badgeRect(r vg.Rectangle) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: r.Max.X - badgeSide - 6, Y: r.Min.Y + 4},
		Max: vg.Point{X: r.Max.X - 6, Y: r.Min.Y + 4 + badgeSide}}
}

// answerMark is how a day's answer is marked on its tile: a badge whose
// letter (F, S or !) reads without colour, in a colour that differs from
// every verdict's: light for Fresh, yellow for Sore, dark for Hurting.
func answerMark(a coach.Feedback) (fill, letterColor color.RGBA, letter string) {
	switch a {
	case coach.FeedbackFresh:
		return ink, background, "F"
	case coach.FeedbackSore:
		return avg7Color, background, "S"
	}
	return background, ink, "!"
}

// RecoverySummary is the recovery picture in words, for the caption.
func RecoverySummary(d PlanData) (string, error) {
	if err := d.validate(); err != nil {
		return "", err
	}
	var done int
	verdicts := map[coach.Verdict]int{}
	for _, day := range d.Days {
		if d.state(day) == stateDone {
			done++
		}
		verdicts[day.Verdict]++
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %s. %s done, %s to go (today included); %d rest and %d easy days in all", d.heading(), d.progress(),
		countDays(done), countDays(len(d.Days)-done), verdicts[coach.VerdictRest], verdicts[coach.VerdictEasy])
	if n := verdicts[coach.VerdictHard]; n > 0 {
		fmt.Fprintf(&sb, ", %d hard", n)
	}
	sb.WriteString(".")
	for _, day := range d.Days {
		if d.state(day) == stateToday {
			fmt.Fprintf(&sb, " Today: %s.", day.Verdict)
		}
	}
	var parts []string
	for _, day := range d.Days {
		if day.Answer != "" {
			parts = append(parts, fmt.Sprintf("day %d %s", day.Day, answerWord(day.Answer)))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(&sb, " Your answers: %s.", strings.Join(parts, ", "))
	}
	return sb.String(), nil
}

// countDays is "1 day" or "n days".
func countDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// finish draws a chequered finish line along the bottom of the plan's last
// tile.
func finish(c draw.Canvas, r vg.Rectangle) {
	const sq = 8
	for i := 0; r.Min.X+4+vg.Length(i+1)*sq <= r.Max.X-4; i++ {
		x := r.Min.X + 4 + vg.Length(i)*sq
		for j := range 2 {
			col := ink
			if (i+j)%2 == 1 {
				col = background
			}
			rect(c, x, r.Min.Y+4+vg.Length(j)*sq, x+sq, r.Min.Y+4+vg.Length(j+1)*sq, col)
		}
	}
}
