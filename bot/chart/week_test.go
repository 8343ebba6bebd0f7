package chart

import (
	"errors"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/text"
)

var kindPalette = map[string]color.RGBA{
	string(DayHard): hardColor, string(DayEasy): easyColor, string(DayRest): restColor, string(DayUnlogged): unloggedColor,
}

// weekBaseline finds the bars' baseline: the topmost row crossed by a long
// run of the axis colour in the lower half of the picture.
func weekBaseline(t *testing.T, img image.Image) int {
	t.Helper()
	h := img.Bounds().Dy()
	for y := h / 2; y < h; y++ {
		if longestRun(img, y, muted) > Width/2 {
			return y
		}
	}
	t.Fatal("no baseline found")
	return 0
}

// weekBars reads the bars from the pixels: a row a few pixels above the
// baseline crosses every bar and every stub. An average line crossing a
// bar there splits its run in two, so runs of one colour with only drawn
// pixels (no background) between them are one bar. Three rows are tried,
// far enough apart that a line lying flat over one cannot cover the
// others, and the one that finds the most bars counts.
func weekBars(t *testing.T, img image.Image) (bars []span, base int) {
	t.Helper()
	base = weekBaseline(t, img)
	for _, up := range []int{3, 7, 11} {
		y := base - up
		var got []span
		for _, s := range runs(img, y, 0, Width, 4, kindPalette) {
			if n := len(got); n > 0 && got[n-1].name == s.name && drawnBetween(img, y, got[n-1].hi, s.lo) {
				got[n-1].hi = s.hi
				continue
			}
			got = append(got, s)
		}
		if len(got) > len(bars) {
			bars = got
		}
	}
	return bars, base
}

// drawnBetween reports whether every pixel of row y in [x0, x1) has
// something drawn on it: neither the background nor this week's shading.
func drawnBetween(img image.Image, y, x0, x1 int) bool {
	for x := x0; x < x1; x++ {
		if c := img.At(x, y); near(c, background, 6) || near(c, band, 6) {
			return false
		}
	}
	return true
}

// barTop is the highest pixel of the bar's colour straight above its
// middle, climbing from the baseline until a long stretch of background.
func barTop(img image.Image, b span, base int) int {
	x := (b.lo + b.hi) / 2
	col := kindPalette[b.name]
	top, empty := base, 0
	for y := base - 3; y > 0 && empty < 12; y-- {
		c := img.At(x, y)
		switch {
		case near(c, col, 24):
			top, empty = y, 0
		case near(c, background, 12) || near(c, band, 12) || near(c, gridLine, 12):
			empty++
		default:
			empty = 0
		}
	}
	return top
}

func kinds(d WeekData) []string {
	var out []string
	for _, day := range d.Days {
		out = append(out, string(day.Kind))
	}
	return out
}

// weekOf is 28 days ending on the sample day, all unlogged, with the given
// days (index from the first) set.
func weekOf(set map[int]Day) WeekData {
	var d WeekData
	first := sampleToday.AddDays(-(WeekDays - 1))
	for i := range WeekDays {
		day := Day{Date: first.AddDays(i), Kind: DayUnlogged}
		if s, ok := set[i]; ok {
			day.Kind, day.Load = s.Kind, s.Load
		}
		d.Days = append(d.Days, day)
	}
	return d
}

func TestWeekBarsMatchTheData(t *testing.T) {
	cases := map[string]WeekData{
		"sample four weeks": sampleWeek(),
		"three hard days, nothing else logged": weekOf(map[int]Day{
			3: {Kind: DayHard, Load: 300}, 12: {Kind: DayHard, Load: 450}, 26: {Kind: DayHard, Load: 600},
		}),
		"no load at all": weekOf(map[int]Day{0: {Kind: DayRest}, 7: {Kind: DayRest}, 27: {Kind: DayRest}}),
		"every day the same easy run": func() WeekData {
			set := map[int]Day{}
			for i := range WeekDays {
				set[i] = Day{Kind: DayEasy, Load: 200}
			}
			return weekOf(set)
		}(),
		"a hard day with no minutes logged": weekOf(map[int]Day{20: {Kind: DayHard}, 21: {Kind: DayEasy, Load: 240}}),
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := Week(d)
			if err != nil {
				t.Fatal(err)
			}
			writeSample(t, "", "week-"+name+".png", b)
			img := decode(t, b, Width, Height)
			bars, base := weekBars(t, img)
			if got, want := names(bars), kinds(d); !slices.Equal(got, want) {
				t.Fatalf("bars read from the picture:\n%v\nwant the days' kinds:\n%v", got, want)
			}
			for _, k := range []DayKind{DayHard, DayEasy, DayRest, DayUnlogged} {
				n := 0
				for _, day := range d.Days {
					if day.Kind == k {
						n++
					}
				}
				if got := strings.Count(strings.Join(names(bars), " ")+" ", string(k)+" "); got != n {
					t.Errorf("%d bars in the %s colour, want %d", got, k, n)
				}
			}
			// Heights follow the loads: each bar with load is as tall,
			// relative to the tallest, as its load is to the largest.
			maxLoad, maxH := 0.0, 0
			for i, day := range d.Days {
				if day.Load > maxLoad {
					maxLoad, maxH = day.Load, base-barTop(img, bars[i], base)
				}
			}
			for i, day := range d.Days {
				h := base - barTop(img, bars[i], base)
				if day.Load == 0 {
					if h > stubHeight+3 {
						t.Errorf("day %d has no load but its stub is %d px tall", i, h)
					}
					continue
				}
				want := float64(maxH) * day.Load / maxLoad
				if math.Abs(float64(h)-want) > 4 {
					t.Errorf("day %d (load %.0f) is %d px tall, want about %.0f", i, day.Load, h, want)
				}
			}
		})
	}
}

func TestWeekShadesThisWeek(t *testing.T) {
	b, err := Week(sampleWeek())
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, b, Width, Height)
	bars, base := weekBars(t, img)
	// The gap after each bar is the background, and within this week the
	// shading.
	for i := 0; i+1 < len(bars); i++ {
		x := (bars[i].hi + bars[i+1].lo) / 2
		c := img.At(x, base-5)
		if i == WeekDays-8 {
			continue // the shading starts halfway across this gap
		}
		thisWeek := i >= WeekDays-7
		if thisWeek && !near(c, band, 6) {
			t.Errorf("gap after bar %d (this week) is %v, want the shading %v", i, c, band)
		}
		if !thisWeek && !near(c, background, 6) {
			t.Errorf("gap after bar %d is %v, want the background %v", i, c, background)
		}
	}
}

func countNear(img image.Image, col color.RGBA, tol int) int {
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(img.At(x, y), col, tol) {
				n++
			}
		}
	}
	return n
}

func TestWeekMarksFlagsOnlyWhenGiven(t *testing.T) {
	d := sampleWeek()
	d.Flags = nil
	b, err := Week(d)
	if err != nil {
		t.Fatal(err)
	}
	if n := countNear(decode(t, b, Width, Height), flagColor, 10); n != 0 {
		t.Errorf("no flags, but %d pixels in the flag colour", n)
	}
	var areas []int
	for _, flags := range [][]Flag{{FlagLoadSpike}, {FlagLoadSpike, FlagMonotony}} {
		d.Flags = flags
		b, err := Week(d)
		if err != nil {
			t.Fatal(err)
		}
		areas = append(areas, countNear(decode(t, b, Width, Height), flagColor, 10))
	}
	if areas[0] < 300 || areas[1] < areas[0]*3/2 {
		t.Errorf("flag colour covers %d px for one flag and %d for two; want a mark per flag", areas[0], areas[1])
	}
}

func TestWeekAverages(t *testing.T) {
	d := weekOf(map[int]Day{0: {Kind: DayEasy, Load: 280}, 27: {Kind: DayHard, Load: 700}})
	d.Earlier = []float64{140}
	avg7, avg28 := d.averages()
	check := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("7-day average on the first day", avg7[0], (140+280)/2.0)
	check("28-day average on the first day", avg28[0], (140+280)/2.0)
	check("7-day average on day 6", avg7[6], 280/7.0)
	check("7-day average on day 7", avg7[7], 0)
	check("7-day average today", avg7[27], 700/7.0)
	check("28-day average today", avg28[27], (280+700)/28.0)
}

func TestWeekRejectsBadData(t *testing.T) {
	good := sampleWeek
	cases := map[string]func(d *WeekData){
		"too few days":         func(d *WeekData) { d.Days = d.Days[1:] },
		"a gap in the days":    func(d *WeekData) { d.Days[5].Date = d.Days[5].Date.AddDays(1) },
		"negative load":        func(d *WeekData) { d.Days[3].Load = -1 },
		"load not a number":    func(d *WeekData) { d.Days[3].Load = math.NaN() },
		"unknown kind":         func(d *WeekData) { d.Days[3].Kind = "tempo" },
		"unknown flag":         func(d *WeekData) { d.Flags = []Flag{"overtraining"} },
		"too much history":     func(d *WeekData) { d.Earlier = make([]float64, WeekDays) },
		"negative earlier day": func(d *WeekData) { d.Earlier = []float64{-5} },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			d := good()
			spoil(&d)
			if b, err := Week(d); !errors.Is(err, ErrInvalid) || b != nil {
				t.Errorf("Week = %d bytes, %v; want ErrInvalid and no picture", len(b), err)
			}
			if _, err := WeekSummary(d); !errors.Is(err, ErrInvalid) {
				t.Errorf("WeekSummary error = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestWeekSummary(t *testing.T) {
	d := sampleWeek()
	d.Flags = []Flag{FlagMonotony, FlagLoadSpike}
	got, err := WeekSummary(d)
	if err != nil {
		t.Fatal(err)
	}
	// This week: 880+160+420+180+0+380+150 = 2170; the weeks before 1600,
	// 1460 and 2520, so 7750 in 28 days, 1937.5 a week.
	for _, want := range []string{
		"Sam's training load, last 28 days (1 Nov to 28 Nov)",
		"This week's load 2170, average week 1938",
		"This week: 3 hard, 3 easy, 1 rest, 0 not logged",
		"Flags: load spike, monotony.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary %q\nlacks %q", got, want)
		}
	}
	d.Title = ""
	if got, _ := WeekSummary(d); strings.Contains(got, "Sam") || !strings.HasPrefix(got, "Training load, last 28 days") {
		t.Errorf("summary without a title = %q; want the plain heading and no name", got)
	}
	if len(got) > 1024 {
		t.Errorf("summary is %d characters, more than a Telegram caption holds", len(got))
	}
}

// TestLongTitlesFit: a caller's title of any length is shortened to the
// picture's width, never drawn past its edge.
func TestLongTitlesFit(t *testing.T) {
	long := "Maximiliane-Alexandra von Hohenberg-Schwarzenfels's training load, last 28 days"
	title := style(sansBold, titleSize, ink, text.XLeft, text.YTop)
	got := fit(title, long, Width-60)
	if !strings.HasSuffix(got, "…") || title.Width(got) > Width-60 || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("fit = %q (%.0f px), want a prefix of the title with an ellipsis within %d px", got, float64(title.Width(got)), Width-60)
	}
	if fit(title, "Sam", Width-60) != "Sam" {
		t.Error("a short title was changed")
	}
	d := sampleWeek()
	d.Title = long
	b, err := Week(d)
	if err != nil {
		t.Fatal(err)
	}
	writeSample(t, "", "week-long-title.png", b)
	img := decode(t, b, Width, Height)
	// The right margin stays empty in the title's band.
	for y := 20; y < 20+titleSize+10; y++ {
		for x := Width - 24; x < Width; x++ {
			if !near(img.At(x, y), background, 8) {
				t.Fatalf("pixel %d,%d in the right margin is %v: the title runs off the picture", x, y, img.At(x, y))
			}
		}
	}
}
