package chart

import (
	"bytes"
	"errors"
	"image/color"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var clubPalette = map[string]color.RGBA{"EASY": easyColor, "REST": restColor, "HARD": hardColor, "plan": planColor}

// clubBars reads the club picture's bars from the pixels: a column just
// inside the bars' left edge crosses every bar, filled or outlined, and a
// row through each bar's middle tells a filled bar from an outline.
func clubBars(t *testing.T, b []byte, h int) (bars []string, hollow []bool) {
	t.Helper()
	img := decode(t, b, Width, h)
	for _, s := range runsDown(img, clubBarLeft+2, 0, h, clubBarHeight-8, clubPalette) {
		bars = append(bars, s.name)
		mid := (s.lo + s.hi) / 2
		filled := runs(img, mid, clubBarLeft, Width, 12, clubPalette)
		hollow = append(hollow, len(filled) == 0)
	}
	return bars, hollow
}

func TestClubBarsMatchTheCounts(t *testing.T) {
	cases := map[string]struct {
		d          ClubData
		bars       []string
		hollow     []bool
		summaryHas []string
	}{
		"sample club": {
			d:          sampleClub(),
			bars:       []string{"EASY", "REST", "HARD", "plan", "plan"},
			hollow:     []bool{false, true, false, false, false},
			summaryHas: []string{"from 10–14 members", "EASY 8, REST 1–2, HARD 4", "In a post-race plan: 6 (days 1–2: 3, days 4–13: 3)."},
		},
		"nobody hard, nobody in a plan": {
			d:          ClubData{Date: sampleToday, Contributors: 5, Easy: 3, Rest: 2},
			bars:       []string{"EASY", "REST"},
			hollow:     []bool{false, true},
			summaryHas: []string{"from 5–9 members", "EASY 3, REST 1–2, HARD 0", "In a post-race plan: 0."},
		},
		"two in a plan: counted as 1–2, no day shown": {
			d: ClubData{Date: sampleToday, Contributors: 20, Easy: 10, Rest: 5, Hard: 5,
				InPlan: []PlanCount{{Day: 3, Members: 1}, {Day: 11, Members: 1}}},
			bars:       []string{"EASY", "REST", "HARD"},
			hollow:     []bool{false, false, false},
			summaryHas: []string{"In a post-race plan: 1–2."},
		},
		"a big club with plans on many days": {
			d: ClubData{Date: sampleToday, Contributors: 60, Easy: 30, Rest: 12, Hard: 18, InPlan: []PlanCount{
				{Day: 0, Members: 3}, {Day: 2, Members: 4}, {Day: 5, Members: 3}, {Day: 8, Members: 3},
				{Day: 12, Members: 3}, {Day: 15, Members: 4}, {Day: 25, Members: 1}, {Day: 30, Members: 1},
			}},
			bars:       []string{"EASY", "REST", "HARD", "plan", "plan", "plan", "plan", "plan"},
			hollow:     []bool{false, false, false, false, false, false, false, false},
			summaryHas: []string{"In a post-race plan: 22 (day 0: 3, day 2: 4, days 4–6: 3, days 7–13: 6, day 14+: 6)."},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := Club(c.d)
			if err != nil {
				t.Fatal(err)
			}
			writeSample(t, "", "club-"+name+".png", b)
			bars, hollow := clubBars(t, b, clubHeight(len(planRanges(c.d.InPlan))))
			if !slices.Equal(bars, c.bars) || !slices.Equal(hollow, c.hollow) {
				t.Errorf("bars %v hollow %v, want %v hollow %v", bars, hollow, c.bars, c.hollow)
			}
			sum, err := ClubSummary(c.d)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range c.summaryHas {
				if !strings.Contains(sum, want) {
					t.Errorf("summary %q\nlacks %q", sum, want)
				}
			}
		})
	}
}

func TestClubRefusesBelowFiveMembers(t *testing.T) {
	for n := range MinClubMembers {
		d := ClubData{Date: sampleToday, Contributors: n, Easy: n}
		b, err := Club(d)
		var few *TooFewMembersError
		if b != nil || !errors.Is(err, ErrTooFewMembers) || !errors.As(err, &few) || few.Have != n || few.Need != MinClubMembers {
			t.Errorf("%d members: Club = %d bytes, %v; want a TooFewMembersError and no picture", n, len(b), err)
		}
		if s, err := ClubSummary(d); s != "" || !errors.Is(err, ErrTooFewMembers) {
			t.Errorf("%d members: ClubSummary = %q, %v; want a refusal", n, s, err)
		}
	}
	if _, err := Club(ClubData{Date: sampleToday, Contributors: MinClubMembers, Easy: MinClubMembers}); err != nil {
		t.Errorf("%d members: %v, want a picture", MinClubMembers, err)
	}
}

func TestClubRejectsBadCounts(t *testing.T) {
	cases := map[string]ClubData{
		"verdicts do not add up": {Date: sampleToday, Contributors: 8, Easy: 3, Rest: 3, Hard: 3},
		"negative count":         {Date: sampleToday, Contributors: 8, Easy: 10, Rest: -2},
		"more in plans than contribute": {Date: sampleToday, Contributors: 6, Easy: 6,
			InPlan: []PlanCount{{Day: 1, Members: 4}, {Day: 2, Members: 4}}},
		"a plan day twice":        {Date: sampleToday, Contributors: 6, Easy: 6, InPlan: []PlanCount{{Day: 1, Members: 1}, {Day: 1, Members: 1}}},
		"a plan day out of range": {Date: sampleToday, Contributors: 6, Easy: 6, InPlan: []PlanCount{{Day: -1, Members: 1}}},
		"no date":                 {Contributors: 6, Easy: 6},
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			if b, err := Club(d); !errors.Is(err, ErrInvalid) || b != nil {
				t.Errorf("Club = %d bytes, %v; want ErrInvalid and no picture", len(b), err)
			}
		})
	}
}

// TestClubDataHoldsNoNames shows the club picture cannot carry a name or
// an id: its data type, followed into every field, has only numbers.
func TestClubDataHoldsNoNames(t *testing.T) {
	var walk func(tp reflect.Type, path string)
	walk = func(tp reflect.Type, path string) {
		switch tp.Kind() {
		case reflect.Struct:
			for i := range tp.NumField() {
				f := tp.Field(i)
				walk(f.Type, path+"."+f.Name)
			}
		case reflect.Slice, reflect.Array, reflect.Pointer:
			walk(tp.Elem(), path+"[]")
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		default:
			t.Errorf("%s is a %s; the club's data may hold counts and a date only", path, tp.Kind())
		}
	}
	walk(reflect.TypeFor[ClubData](), "ClubData")
}

// TestClubHidesSmallCells shows that no single member's figure can be read
// from the picture: clubs that differ only in where one or two members
// sit give the very same bytes, and so the same caption.
func TestClubHidesSmallCells(t *testing.T) {
	same := map[string][2]ClubData{
		"one or two on REST": {
			{Date: sampleToday, Contributors: 11, Easy: 8, Rest: 1, Hard: 2},
			{Date: sampleToday, Contributors: 11, Easy: 8, Rest: 2, Hard: 1},
		},
		"which plan day the lone member is on": {
			{Date: sampleToday, Contributors: 12, Easy: 8, Rest: 4, InPlan: []PlanCount{{Day: 1, Members: 2}, {Day: 2, Members: 1}, {Day: 9, Members: 3}}},
			{Date: sampleToday, Contributors: 12, Easy: 8, Rest: 4, InPlan: []PlanCount{{Day: 1, Members: 1}, {Day: 2, Members: 2}, {Day: 9, Members: 3}}},
		},
		"which day of a plan week a lone member is on": {
			{Date: sampleToday, Contributors: 12, Easy: 8, Rest: 4, InPlan: []PlanCount{{Day: 2, Members: 3}, {Day: 8, Members: 1}}},
			{Date: sampleToday, Contributors: 12, Easy: 8, Rest: 4, InPlan: []PlanCount{{Day: 2, Members: 3}, {Day: 12, Members: 1}}},
		},
		"one or two in a plan, on any day": {
			{Date: sampleToday, Contributors: 9, Easy: 5, Rest: 4, InPlan: []PlanCount{{Day: 4, Members: 1}}},
			{Date: sampleToday, Contributors: 9, Easy: 5, Rest: 4, InPlan: []PlanCount{{Day: 20, Members: 2}}},
		},
		"the exact number of contributors": {
			{Date: sampleToday, Contributors: 10, Easy: 7, Rest: 1, Hard: 2},
			{Date: sampleToday, Contributors: 11, Easy: 7, Rest: 2, Hard: 2},
		},
	}
	for name, pair := range same {
		t.Run(name, func(t *testing.T) {
			var pics [2][]byte
			var sums [2]string
			for i, d := range pair {
				var err error
				if pics[i], err = Club(d); err != nil {
					t.Fatal(err)
				}
				if sums[i], err = ClubSummary(d); err != nil {
					t.Fatal(err)
				}
			}
			if sums[0] != sums[1] {
				t.Errorf("captions differ:\n%s\n%s", sums[0], sums[1])
			}
			if !bytes.Equal(pics[0], pics[1]) {
				t.Error("pictures differ, so the hidden count can be read from them")
			}
		})
	}
}

func TestPlanRanges(t *testing.T) {
	cases := map[string]struct {
		in   []PlanCount
		want []planRange
	}{
		"nobody":             {nil, nil},
		"two in all":         {[]PlanCount{{Day: 1, Members: 1}, {Day: 5, Members: 1}}, nil},
		"three on one day":   {[]PlanCount{{Day: 2, Members: 3}}, []planRange{{2, 2, 3}}},
		"three in a bin":     {[]PlanCount{{Day: 4, Members: 1}, {Day: 6, Members: 2}}, []planRange{{4, 6, 3}}},
		"empty days skipped": {[]PlanCount{{Day: 1, Members: 0}, {Day: 3, Members: 3}}, []planRange{{3, 3, 3}}},
		"merged forward": {[]PlanCount{{Day: 0, Members: 1}, {Day: 2, Members: 1}, {Day: 3, Members: 2}, {Day: 7, Members: 5}},
			[]planRange{{0, 3, 4}, {7, 13, 5}}},
		"tail joins the range before": {[]PlanCount{{Day: 7, Members: 4}, {Day: 1, Members: 3}, {Day: 9, Members: 2}},
			[]planRange{{1, 1, 3}, {7, 13, 6}}},
		"by week when too many ranges": {
			[]PlanCount{{Day: 0, Members: 3}, {Day: 1, Members: 3}, {Day: 2, Members: 3}, {Day: 3, Members: 3}, {Day: 4, Members: 3}, {Day: 22, Members: 3}},
			[]planRange{{0, 6, 15}, {21, MaxPlanDays - 1, 3}}},
		"late days in weeks": {[]PlanCount{{Day: 15, Members: 2}, {Day: 19, Members: 2}, {Day: 40, Members: 3}},
			[]planRange{{14, 20, 4}, {21, MaxPlanDays - 1, 3}}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := planRanges(c.in)
			if !slices.Equal(got, c.want) {
				t.Errorf("planRanges = %v, want %v", got, c.want)
			}
			for _, r := range got {
				if r.Members < SmallCell {
					t.Errorf("range %v holds fewer than %d members", r, SmallCell)
				}
			}
		})
	}
}
