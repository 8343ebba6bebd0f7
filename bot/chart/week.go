package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"
	"time"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/shakeoutbot/shakeout/coach"
)

// WeekDays is the number of days the week picture shows.
const WeekDays = 28

// DayKind is what a day of training was, as the week picture colours it.
type DayKind string

// The four kinds of day. The caller decides: a day with a hard session is
// hard; a day with training and nothing hard is easy; a day with a rest log
// or a planned rest is rest; a day with nothing logged is unlogged (not a
// rest day, not a missed one: nothing says what it was).
const (
	DayHard     DayKind = "hard"
	DayEasy     DayKind = "easy"
	DayRest     DayKind = "rest"
	DayUnlogged DayKind = "unlogged"
)

// Color is the colour of the day's bar.
func (k DayKind) Color() color.RGBA {
	switch k {
	case DayHard:
		return hardColor
	case DayEasy:
		return easyColor
	case DayRest:
		return restColor
	}
	return unloggedColor
}

// Letter is the letter printed under the day's bar, so the kind reads
// without telling colours apart.
func (k DayKind) Letter() string {
	switch k {
	case DayHard:
		return "H"
	case DayEasy:
		return "E"
	case DayRest:
		return "R"
	}
	return "-"
}

// Label is the kind in the legend's words.
func (k DayKind) Label() string {
	if k == DayUnlogged {
		return "not logged"
	}
	return string(k)
}

func (k DayKind) valid() bool {
	return k == DayHard || k == DayEasy || k == DayRest || k == DayUnlogged
}

// Day is one day of the week picture.
type Day struct {
	Date coach.Date
	Load float64 // the day's training load, session RPE × minutes summed; 0 draws a short stub
	Kind DayKind
}

// Flag is a warning about the last 7 days that the week picture marks.
type Flag string

// The flags the week picture knows.
const (
	FlagLoadSpike Flag = "load spike"
	FlagMonotony  Flag = "monotony"
)

// WeekData is what the week picture shows.
type WeekData struct {
	// Title heads the picture. Empty gives a heading without a name; the
	// caller puts the member's name in only for a private chat.
	Title string
	// Days are the WeekDays consecutive days ending today, oldest first.
	Days []Day
	// Earlier are the daily loads of up to WeekDays−1 days just before
	// Days[0], oldest first. Only the average lines use them, so the lines
	// are true rolling averages from the first bar; a window reaching before
	// the data given averages over the days it has.
	Earlier []float64
	// Flags are the warnings about the last 7 days, each shown once.
	Flags []Flag
}

// ErrInvalid wraps every complaint about data a picture cannot show.
var ErrInvalid = errors.New("chart: invalid data")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

func (d WeekData) validate() error {
	if len(d.Days) != WeekDays {
		return invalidf("the week picture needs %d days, got %d", WeekDays, len(d.Days))
	}
	for i, day := range d.Days {
		if !day.Kind.valid() {
			return invalidf("day %s has kind %q; want hard, easy, rest or unlogged", day.Date, day.Kind)
		}
		if day.Load < 0 || math.IsNaN(day.Load) || math.IsInf(day.Load, 0) {
			return invalidf("day %s has load %v; want a finite number ≥ 0", day.Date, day.Load)
		}
		if i > 0 && d.Days[i-1].Date.AddDays(1) != day.Date {
			return invalidf("days must be consecutive: %s follows %s", day.Date, d.Days[i-1].Date)
		}
	}
	if len(d.Earlier) > WeekDays-1 {
		return invalidf("at most %d earlier days are used, got %d", WeekDays-1, len(d.Earlier))
	}
	for _, l := range d.Earlier {
		if l < 0 || math.IsNaN(l) || math.IsInf(l, 0) {
			return invalidf("an earlier day has load %v; want a finite number ≥ 0", l)
		}
	}
	for _, f := range d.Flags {
		if f != FlagLoadSpike && f != FlagMonotony {
			return invalidf("unknown flag %q", f)
		}
	}
	return nil
}

// averages returns the 7-day and 28-day rolling mean daily load for each
// shown day.
func (d WeekData) averages() (avg7, avg28 []float64) {
	all := make([]float64, 0, len(d.Earlier)+len(d.Days))
	all = append(all, d.Earlier...)
	for _, day := range d.Days {
		all = append(all, day.Load)
	}
	mean := func(end, n int) float64 {
		start := max(0, end-n+1)
		var s float64
		for _, l := range all[start : end+1] {
			s += l
		}
		return s / float64(end-start+1)
	}
	off := len(d.Earlier)
	for i := range d.Days {
		avg7 = append(avg7, mean(off+i, 7))
		avg28 = append(avg28, mean(off+i, WeekDays))
	}
	return avg7, avg28
}

func (d WeekData) flags() []Flag {
	var out []Flag
	for _, f := range []Flag{FlagLoadSpike, FlagMonotony} {
		for _, g := range d.Flags {
			if g == f {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func (d WeekData) heading() string {
	if d.Title != "" {
		return d.Title
	}
	return "Training load, last 28 days"
}

// Week draws the last 28 days of daily load as a PNG of Width×Height
// pixels: a bar per day coloured and lettered by its kind (rest and unlogged
// days with no load as short stubs), the 7-day and 28-day rolling average
// lines, the last 7 days shaded as this week, and the flags marked there.
func Week(d WeekData) ([]byte, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	vc, c := newCanvas(Width, Height)
	top := c.Max.Y - 24
	title := style(sansBold, titleSize, ink, text.XLeft, text.YTop)
	c.FillText(title, vg.Point{X: 30, Y: top}, fit(title, d.heading(), Width-60))
	row1 := top - titleSize - 36
	x := vg.Length(30)
	for _, k := range []DayKind{DayHard, DayEasy, DayRest, DayUnlogged} {
		x = swatch(c, x, row1, k.Color(), k.Letter(), k.Label())
	}
	row2 := row1 - 42
	x = lineSwatch(c, 30, row2, avg7Line, "7-day average")
	x = lineSwatch(c, x, row2, avg28Line, "28-day average")
	// The unit sits in the legend rather than as a rotated axis label:
	// upright text reads better on a phone.
	c.FillText(style(sans, smallSize, muted, text.XLeft, text.YCenter), vg.Point{X: x, Y: row2}, "load: RPE × min")

	drawWeek(c, d, newWeekLayout(d, row2-24))
	return encode(vc)
}

var (
	avg7Line  = draw.LineStyle{Color: avg7Color, Width: 5}
	avg28Line = draw.LineStyle{Color: avg28Color, Width: 5, Dashes: []vg.Length{14, 9}}
)

// Layout of the data area, in pixels and fractions.
const (
	barWidth   = 0.68 // fraction of a day's slot
	stubHeight = 14   // pixels: a day without load
	letterRoom = 44   // pixels below the baseline for the day letters
	dateRoom   = 40   // pixels below the letters for the dates
	headroom   = 0.30 // fraction of the data area above the tallest mark, for the week's label and flags
)

// weekLayout places the week's data area on the picture.
type weekLayout struct {
	left, right vg.Length // the data area's edges
	base, top   vg.Length // y of load 0 and of yMax
	yMax        float64   // the load at the top of the data area
	ticks       []float64 // loads with a grid line and a label
	avg7, avg28 []float64
}

func newWeekLayout(d WeekData, top vg.Length) weekLayout {
	l := weekLayout{top: top, base: 24 + dateRoom + letterRoom, right: Width - 24}
	l.avg7, l.avg28 = d.averages()
	most := 0.0
	for i, day := range d.Days {
		most = max(most, day.Load, l.avg7[i], l.avg28[i])
	}
	if most == 0 {
		most = 100
	}
	l.yMax = most / (1 - headroom)
	for _, t := range niceTicks(l.yMax) {
		// A label right at the top would crowd the legend above it.
		if t == 0 || l.y(t) <= l.top-20 {
			l.ticks = append(l.ticks, t)
		}
	}
	labels := style(sans, smallSize-2, muted, text.XRight, text.YCenter)
	widest := vg.Length(0)
	for _, t := range l.ticks {
		widest = max(widest, labels.Width(tickLabel(t)))
	}
	l.left = 24 + widest + 12
	return l
}

// x is the middle of day i's slot.
func (l weekLayout) x(i float64) vg.Length {
	return l.left + (l.right-l.left)*vg.Length((i+0.5)/WeekDays)
}

// y is the height of a load.
func (l weekLayout) y(v float64) vg.Length {
	return l.base + (l.top-l.base)*vg.Length(v/l.yMax)
}

// niceTicks are round loads from 0 up to at most top, four to seven of them.
func niceTicks(top float64) []float64 {
	step := math.Pow(10, math.Floor(math.Log10(top/3)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if top/(step*m) <= 6 {
			step *= m
			break
		}
	}
	var out []float64
	for v := 0.0; v <= top+1e-9; v += step {
		out = append(out, v)
	}
	return out
}

func tickLabel(v float64) string { return fmt.Sprintf("%.0f", v) }

// drawWeek draws the data area: this week's shading, the grid, the bars
// and their letters, the dates, the average lines, the baseline, and this
// week's label and flags.
func drawWeek(c draw.Canvas, d WeekData, l weekLayout) {
	slot := (l.right - l.left) / WeekDays
	weekLeft := l.x(WeekDays-7) - slot/2
	rect(c, weekLeft, l.base-letterRoom, l.right, l.top, band)

	labels := style(sans, smallSize-2, muted, text.XRight, text.YCenter)
	for _, t := range l.ticks {
		y := l.y(t)
		if t > 0 {
			c.StrokeLine2(draw.LineStyle{Color: gridLine, Width: 2}, l.left, y, l.right, y)
		}
		c.FillText(labels, vg.Point{X: l.left - 12, Y: y}, tickLabel(t))
	}

	half := slot * barWidth / 2
	for i, day := range d.Days {
		x := l.x(float64(i))
		h := max(l.y(day.Load)-l.base, stubHeight)
		rect(c, x-half, l.base, x+half, l.base+h, day.Kind.Color())
		c.FillText(style(sansBold, smallSize, day.Kind.Color(), text.XCenter, text.YTop), vg.Point{X: x, Y: l.base - 10}, day.Kind.Letter())
		if day.Date.Weekday() == time.Monday {
			c.FillText(style(sans, smallSize-2, muted, text.XCenter, text.YTop), vg.Point{X: x, Y: l.base - letterRoom - 6}, shortDate(day.Date))
		}
	}

	line := func(vals []float64, ls draw.LineStyle) {
		pts := make([]vg.Point, len(vals))
		for i, v := range vals {
			pts[i] = vg.Point{X: l.x(float64(i)), Y: l.y(v)}
		}
		c.StrokeLines(ls, pts)
	}
	line(l.avg28, avg28Line)
	line(l.avg7, avg7Line)
	// The baseline goes over an average line lying at zero.
	c.StrokeLine2(draw.LineStyle{Color: muted, Width: 2}, l.left, l.base, l.right, l.base)

	left := weekLeft + 12
	y := l.top - 10
	c.FillText(style(sansBold, smallSize, ink, text.XLeft, text.YTop), vg.Point{X: left, Y: y}, "this week")
	for _, f := range d.flags() {
		y -= smallSize + 12
		tri := y - smallSize/2 + 2
		c.FillPolygon(flagColor, []vg.Point{{X: left, Y: tri - 10}, {X: left + 22, Y: tri - 10}, {X: left + 11, Y: tri + 10}})
		c.FillText(style(sansBold, smallSize, flagColor, text.XLeft, text.YTop), vg.Point{X: left + 30, Y: y}, strings.ToUpper(string(f)))
	}
}

func shortDate(d coach.Date) string {
	return fmt.Sprintf("%d %s", d.Day, d.Month.String()[:3])
}

func dayName(d coach.Date) string {
	return d.Weekday().String()[:3]
}

// WeekSummary is the week picture in words, for the caption: the load of
// this week against the average week, the kinds of day, and the flags.
func WeekSummary(d WeekData) (string, error) {
	if err := d.validate(); err != nil {
		return "", err
	}
	var last7, all float64
	count := map[DayKind]int{}
	for i, day := range d.Days {
		all += day.Load
		if i >= WeekDays-7 {
			last7 += day.Load
			count[day.Kind]++
		}
	}
	var sb strings.Builder
	first, last := d.Days[0].Date, d.Days[WeekDays-1].Date
	fmt.Fprintf(&sb, "%s (%s to %s). ", d.heading(), shortDate(first), shortDate(last))
	fmt.Fprintf(&sb, "This week's load %.0f, average week %.0f. ", last7, all/4)
	fmt.Fprintf(&sb, "This week: %d hard, %d easy, %d rest, %d not logged.", count[DayHard], count[DayEasy], count[DayRest], count[DayUnlogged])
	if fl := d.flags(); len(fl) > 0 {
		names := make([]string, len(fl))
		for i, f := range fl {
			names[i] = string(f)
		}
		fmt.Fprintf(&sb, " Flags: %s.", strings.Join(names, ", "))
	}
	return sb.String(), nil
}
