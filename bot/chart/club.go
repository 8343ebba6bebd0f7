package chart

import (
	"errors"
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/shakeoutbot/shakeout/coach"
)

// MinClubMembers is the fewest contributing members the club picture is
// drawn for.
const MinClubMembers = 5

// SmallCell is the smallest count the club picture shows as a number;
// smaller counts above zero show as "1–2", and plan days are merged until
// each shown range holds at least this many members.
const SmallCell = 3

// maxPlanRows is the most plan ranges the club picture lists; beyond it
// the plan days are grouped by week of the plan first.
const maxPlanRows = 5

// ErrTooFewMembers is what a *TooFewMembersError matches with errors.Is.
var ErrTooFewMembers = errors.New("chart: too few members for the club picture")

// TooFewMembersError is the refusal to draw the club picture when fewer
// than Need members contribute.
type TooFewMembersError struct {
	Have, Need int
}

func (e *TooFewMembersError) Error() string {
	return fmt.Sprintf("chart: the club picture needs at least %d contributing members, and %d contribute", e.Need, e.Have)
}

// Is makes errors.Is(err, ErrTooFewMembers) true.
func (e *TooFewMembersError) Is(target error) bool { return target == ErrTooFewMembers }

// PlanCount is how many members are on one day of a post-race plan.
type PlanCount struct {
	Day     int // 0 is race day
	Members int
}

// ClubData is the club's morning in counts only. It has no names or member
// ids by design: nothing in it can say which member is which.
type ClubData struct {
	Date coach.Date
	// Contributors are the members who agreed to share health data and
	// have a verdict today; the other counts are among them.
	Contributors int
	// Easy, Rest and Hard are today's verdicts; they add up to Contributors.
	Easy, Rest, Hard int
	// InPlan counts the contributors in a post-race plan by plan day, each
	// day at most once.
	InPlan []PlanCount
}

func (d ClubData) check() error {
	if d.Contributors < MinClubMembers {
		return &TooFewMembersError{Have: max(0, d.Contributors), Need: MinClubMembers}
	}
	if d.Date.IsZero() {
		return invalidf("the club picture needs its date")
	}
	if d.Easy < 0 || d.Rest < 0 || d.Hard < 0 || d.Easy+d.Rest+d.Hard != d.Contributors {
		return invalidf("EASY %d + REST %d + HARD %d must add up to the %d contributors", d.Easy, d.Rest, d.Hard, d.Contributors)
	}
	seen := map[int]bool{}
	total := 0
	for _, pc := range d.InPlan {
		if pc.Day < 0 || pc.Day >= MaxPlanDays || pc.Members < 0 || seen[pc.Day] {
			return invalidf("plan day %d with %d members: days run from 0 to %d, once each, with members ≥ 0", pc.Day, pc.Members, MaxPlanDays-1)
		}
		seen[pc.Day] = true
		total += pc.Members
	}
	if total > d.Contributors {
		return invalidf("%d members in a plan is more than the %d contributors", total, d.Contributors)
	}
	return nil
}

// count is a number as the club picture may show it.
func count(n int) string {
	if n > 0 && n < SmallCell {
		return fmt.Sprintf("1–%d", SmallCell-1)
	}
	return fmt.Sprint(n)
}

// contributorsBand is the number of contributors rounded down to a multiple
// of five, as a range: an exact total beside a hidden small count would
// give that count away by subtraction.
func contributorsBand(n int) string {
	lo := n / 5 * 5
	return fmt.Sprintf("%d–%d", lo, lo+4)
}

// planRange is a run of plan days and the members on them.
type planRange struct {
	From, To int // plan days, inclusive; To is MaxPlanDays−1 for an open "and after" range
	Members  int
}

func (r planRange) label() string {
	switch {
	case r.To == MaxPlanDays-1 && r.From > 0:
		return fmt.Sprintf("day %d+", r.From)
	case r.From == r.To:
		return fmt.Sprintf("day %d", r.From)
	}
	return fmt.Sprintf("days %d–%d", r.From, r.To)
}

// planBins are the plan-day groups the club picture counts in: single days
// early on, when the plan changes daily, then the rest of the first week,
// then weeks. Their bounds are fixed, so a range shown never tells which
// day inside it a member is on.
var planBins = [][2]int{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 6}, {7, 13}, {14, 20}, {21, MaxPlanDays - 1}}

// weekBins are the coarser groups used when planBins would give more
// than maxPlanRows ranges.
var weekBins = [][2]int{{0, 6}, {7, 13}, {14, 20}, {21, MaxPlanDays - 1}}

// planRanges counts the plan days into bins and merges neighbouring bins
// until every range holds at least SmallCell members: a range that is too
// small takes in the next occupied bin, and a too-small last range joins
// the one before it. When that gives more than maxPlanRows ranges, weekBins
// are used instead. It returns nil when fewer than SmallCell members are in
// a plan at all.
func planRanges(in []PlanCount) []planRange {
	total := 0
	for _, pc := range in {
		total += max(0, pc.Members)
	}
	if total < SmallCell {
		return nil
	}
	out := mergeSmall(in, planBins)
	if len(out) > maxPlanRows {
		out = mergeSmall(in, weekBins)
	}
	return out
}

// mergeSmall counts the members into bins, drops the empty ones, and
// merges forward until each range holds SmallCell members.
func mergeSmall(in []PlanCount, bins [][2]int) []planRange {
	var counted []planRange
	for _, b := range bins {
		r := planRange{From: b[0], To: b[1]}
		for _, pc := range in {
			if pc.Day >= b[0] && pc.Day <= b[1] {
				r.Members += pc.Members
			}
		}
		if r.Members > 0 {
			counted = append(counted, r)
		}
	}
	var out []planRange
	open := false
	for _, b := range counted {
		if open {
			last := &out[len(out)-1]
			last.To = b.To
			last.Members += b.Members
		} else {
			out = append(out, b)
		}
		open = out[len(out)-1].Members < SmallCell
	}
	if open && len(out) > 1 {
		tail := out[len(out)-1]
		out = out[:len(out)-1]
		out[len(out)-1].To = tail.To
		out[len(out)-1].Members += tail.Members
	}
	return out
}

func (d ClubData) inPlan() int {
	n := 0
	for _, pc := range d.InPlan {
		n += pc.Members
	}
	return n
}

// PlanColor is the colour of the club picture's plan bars.
var planColor = avg28Color

// Club draws the club's morning for a coach as a PNG Width pixels wide and
// at least Height high (taller when many plan ranges are listed): how
// many contributing members are on EASY, REST and HARD today, and how many
// are in a post-race plan by plan day, all under the small-cell rule in the
// package documentation. It returns a *TooFewMembersError when fewer than
// MinClubMembers contribute.
func Club(d ClubData) ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	ranges := planRanges(d.InPlan)
	vc, c := newCanvas(Width, clubHeight(len(ranges)))
	top := c.Max.Y - 24
	c.FillText(style(sansBold, titleSize, ink, text.XLeft, text.YTop), vg.Point{X: 30, Y: top},
		fmt.Sprintf("The club today · %s %s", dayName(d.Date), shortDate(d.Date)))
	c.FillText(style(sans, labelSize, muted, text.XLeft, text.YTop), vg.Point{X: 30, Y: top - titleSize - 12},
		fmt.Sprintf("From %s members who share health data", contributorsBand(d.Contributors)))

	y := top - titleSize - 12 - labelSize - 30
	c.FillText(style(sansBold, labelSize, ink, text.XLeft, text.YTop), vg.Point{X: 30, Y: y}, "Today's verdicts")
	y -= labelSize + 14
	// Bars are scaled to the top of the contributors' band, not to the
	// exact number, which the lengths would otherwise give away.
	scale := float64(d.Contributors/5*5 + 4)
	for _, v := range []struct {
		name string
		n    int
		col  color.RGBA
	}{{"EASY", d.Easy, easyColor}, {"REST", d.Rest, restColor}, {"HARD", d.Hard, hardColor}} {
		clubBar(c, y, v.name, v.n, scale, v.col)
		y -= clubRow
	}

	y -= 16
	n := d.inPlan()
	head := fmt.Sprintf("In a post-race plan: %s", count(n))
	c.FillText(style(sansBold, labelSize, ink, text.XLeft, text.YTop), vg.Point{X: 30, Y: y}, head)
	y -= labelSize + 14
	switch {
	case n == 0:
	case ranges == nil:
		c.FillText(style(sans, smallSize, muted, text.XLeft, text.YTop), vg.Point{X: 30, Y: y},
			fmt.Sprintf("Plan days are shown once %d or more members are in a plan.", SmallCell))
	default:
		for _, r := range ranges {
			clubBar(c, y, r.label(), r.Members, scale, planColor)
			y -= clubRow
		}
	}
	note := style(sans, smallSize-4, muted, text.XLeft, text.YBottom)
	c.FillText(note, vg.Point{X: 30, Y: 56}, fmt.Sprintf("Counts below %d show as 1–%d and plan days are grouped, so no one member stands out.", SmallCell, SmallCell-1))
	c.FillText(note, vg.Point{X: 30, Y: 24}, "Members who share no health data are not counted.")
	return encode(vc)
}

// clubHeight is the picture's height with n plan ranges listed: the
// header and verdicts take clubPlanTop pixels, each range a row, and the
// footnote clubFoot.
func clubHeight(n int) int {
	return max(Height, clubPlanTop+max(1, n)*clubRow+clubFoot)
}

// Club layout in pixels.
const (
	clubPlanTop   = 402
	clubFoot      = 110
	clubRow       = 54
	clubBarHeight = 40
	clubBarLeft   = 200
	clubBarRight  = Width - 130
)

// clubBar draws one labelled horizontal bar whose top is at y. A count
// below SmallCell is drawn as an outline SmallCell−1 long, with "1–2".
func clubBar(c draw.Canvas, y vg.Length, label string, n int, scale float64, col color.RGBA) {
	mid := y - clubBarHeight/2
	c.FillText(style(sansBold, smallSize, ink, text.XLeft, text.YCenter), vg.Point{X: 30, Y: mid}, label)
	span := vg.Length(clubBarRight - clubBarLeft)
	end := vg.Length(clubBarLeft)
	switch {
	case n >= SmallCell:
		end += span * vg.Length(float64(n)/scale)
		rect(c, clubBarLeft, y-clubBarHeight, end, y, col)
	case n > 0:
		end += span * vg.Length(float64(SmallCell-1)/scale)
		outline(c, clubBarLeft+2, y-clubBarHeight+2, end-2, y-2, col, 4)
	}
	c.FillText(style(sansBold, smallSize, ink, text.XLeft, text.YCenter), vg.Point{X: end + 14, Y: mid}, count(n))
}

// ClubSummary is the club picture in words, for the caption, under the
// same rule as the picture; it refuses as Club does.
func ClubSummary(d ClubData) (string, error) {
	if err := d.check(); err != nil {
		return "", err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "The club today, %s %s, from %s members who share health data: EASY %s, REST %s, HARD %s.",
		dayName(d.Date), shortDate(d.Date), contributorsBand(d.Contributors), count(d.Easy), count(d.Rest), count(d.Hard))
	n := d.inPlan()
	fmt.Fprintf(&sb, " In a post-race plan: %s", count(n))
	if ranges := planRanges(d.InPlan); len(ranges) > 0 {
		parts := make([]string, len(ranges))
		for i, r := range ranges {
			parts[i] = fmt.Sprintf("%s: %d", r.label(), r.Members)
		}
		fmt.Fprintf(&sb, " (%s)", strings.Join(parts, ", "))
	}
	sb.WriteString(".")
	return sb.String(), nil
}
