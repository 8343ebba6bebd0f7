package coach

import (
	"fmt"
	"strings"
	"time"
)

// Warnings lists what a coach should know about a weekly pattern: no rest
// day in the week (000: every plan needs at least one rest day a week), or
// three hard or long days in a row, the week wrapping round (004: three
// hard days in a row invite overtraining). The daily verdict guards each
// member anyway; the warning is for the club's posts, which follow the
// pattern as set.
func (p WeekPattern) Warnings() []string {
	var out []string
	rest := false
	for wd := range p {
		if p.dayOf(time.Weekday(wd)) == DayRest {
			rest = true
		}
	}
	if !rest {
		out = append(out, "The week has no rest day; every training week needs at least one.")
	}
	hard := func(wd time.Weekday) bool { d := p.dayOf(wd); return d == DayHard || d == DayLong }
	var runs []string
	for i := range 7 {
		wd := time.Weekday((i + 1) % 7) // from Monday
		if hard(wd) && hard((wd+1)%7) && hard((wd+2)%7) {
			runs = append(runs, fmt.Sprintf("%s–%s", wd.String()[:3], ((wd + 2) % 7).String()[:3]))
		}
	}
	if len(runs) == 7 {
		out = append(out, "Every day is hard or long; three hard days in a row invite overtraining.")
	} else if len(runs) > 0 {
		out = append(out, fmt.Sprintf("Three hard or long days in a row (%s) invite overtraining; put an easy or rest day between them.", strings.Join(runs, ", ")))
	}
	return out
}
