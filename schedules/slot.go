package schedules

import (
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
)

// SlotTime is the instant the slot at hour:minute on local date d falls due
// in loc:
//   - a wall time that happens once is that instant;
//   - one that happens twice (the hour repeated when clocks go back) is its
//     first occurrence, so the slot falls due once;
//   - one that does not happen (skipped when clocks go forward) falls due at
//     the first instant after the gap, the same day, so it is never lost.
func SlotTime(d coach.Date, hour, minute int, loc *time.Location) time.Time {
	wall := time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, time.UTC)
	var best time.Time
	tried := map[int]bool{}
	// The offsets in force around the date; an instant is the slot when
	// reading it back in loc gives the date and wall time asked for.
	for _, probe := range []time.Duration{-36 * time.Hour, -12 * time.Hour, 0, 12 * time.Hour, 36 * time.Hour} {
		_, off := wall.Add(probe).In(loc).Zone()
		if tried[off] {
			continue
		}
		tried[off] = true
		t := wall.Add(-time.Duration(off) * time.Second)
		lt := t.In(loc)
		if coach.DateOf(lt) == d && lt.Hour() == hour && lt.Minute() == minute && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if !best.IsZero() {
		return best
	}
	// In a gap: read the wall time with the offset before the gap, which
	// lands after the change, and take the start of that period.
	_, before := wall.Add(-36 * time.Hour).In(loc).Zone()
	start, _ := wall.Add(-time.Duration(before) * time.Second).In(loc).ZoneBounds()
	return start
}

// Latest returns the most recent slot at hour:minute that has fallen due by
// now: today's (in loc) once its instant has come, yesterday's before.
func Latest(loc *time.Location, hour, minute int, now time.Time) (coach.Date, time.Time) {
	today := coach.DateOf(now.In(loc))
	if t := SlotTime(today, hour, minute, loc); !t.After(now) {
		return today, t
	}
	y := today.AddDays(-1)
	return y, SlotTime(y, hour, minute, loc)
}

// DueSlots returns, for each job, its latest slot that has fallen due by
// now, leaving out slots from before the job existed (Job.Since).
func DueSlots(jobs []bot.Job, now time.Time) []bot.Slot {
	out := make([]bot.Slot, 0, len(jobs))
	for i := range jobs {
		j := &jobs[i]
		if j.Zone == nil {
			continue
		}
		d, due := Latest(j.Zone, j.At.Hour, j.At.Minute, now)
		if due.Before(j.Since) {
			continue
		}
		out = append(out, bot.Slot{Job: j, Date: d, Due: due})
	}
	return out
}
