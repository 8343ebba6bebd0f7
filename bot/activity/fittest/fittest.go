// Package fittest writes FIT activity files for tests with the FIT
// library's own encoder: a run or ride made of stretches of steady speed
// and heart rate, one record a second, with the session totals a watch
// writes. Tests outside bot/activity (the core's, the adapters' end to end
// tests) use it to send real files.
package fittest

import (
	"bytes"
	"math"
	"time"

	"github.com/muktihari/fit/encoder"
	"github.com/muktihari/fit/profile/filedef"
	"github.com/muktihari/fit/profile/mesgdef"
	"github.com/muktihari/fit/profile/typedef"
)

// Stretch is a part of a workout at a steady speed (m/s) and heart rate
// (bpm; 0 writes none).
type Stretch struct {
	Dur   time.Duration
	Speed float64
	HR    int
}

// Workout is what to write.
type Workout struct {
	Start   time.Time
	Ride    bool // cycling instead of running
	Stretch []Stretch
}

// Intervals is a warm-up, Reps × (work at threshold heart rate, easy
// recovery) and a cool-down: Reps 6 gives about 50 minutes and 10 km.
func Intervals(start time.Time, reps int, easyHR, hardHR int) Workout {
	w := Workout{Start: start, Stretch: []Stretch{{Dur: 12 * time.Minute, Speed: 3.0, HR: easyHR}}}
	for range reps {
		w.Stretch = append(w.Stretch, Stretch{Dur: 3 * time.Minute, Speed: 4.4, HR: hardHR}, Stretch{Dur: 2 * time.Minute, Speed: 2.6, HR: easyHR + 10})
	}
	w.Stretch = append(w.Stretch, Stretch{Dur: 10 * time.Minute, Speed: 3.0, HR: easyHR})
	return w
}

// Steady is one stretch of dur at speed and hr.
func Steady(start time.Time, dur time.Duration, speed float64, hr int) Workout {
	return Workout{Start: start, Stretch: []Stretch{{Dur: dur, Speed: speed, HR: hr}}}
}

// Bytes encodes the workout as a FIT activity file.
func (w Workout) Bytes() ([]byte, error) {
	sport := typedef.SportRunning
	if w.Ride {
		sport = typedef.SportCycling
	}
	act := filedef.NewActivity()
	act.FileId.SetType(typedef.FileActivity).SetManufacturer(typedef.ManufacturerGarmin).SetProduct(4315).
		SetSerialNumber(3412345678).SetTimeCreated(w.Start)
	act.Sports = append(act.Sports, mesgdef.NewSport(nil).SetSport(sport))
	t, dist := w.Start, 0.0
	var hrSum, hrN float64
	maxHR := 0
	add := func(hr int) {
		r := mesgdef.NewRecord(nil).SetTimestamp(t).SetDistance(uint32(math.Round(dist * 100)))
		if hr > 0 {
			r.SetHeartRate(uint8(hr))
			hrSum += float64(hr)
			hrN++
			maxHR = max(maxHR, hr)
		}
		act.Records = append(act.Records, r)
	}
	for _, s := range w.Stretch {
		for i := range int(s.Dur / time.Second) {
			hr := s.HR
			if hr > 0 {
				hr += i%5 - 2
			}
			add(hr)
			t = t.Add(time.Second)
			dist += s.Speed
		}
	}
	add(w.Stretch[len(w.Stretch)-1].HR)
	elapsed := uint32(t.Sub(w.Start).Milliseconds())
	sess := mesgdef.NewSession(nil).SetTimestamp(t).SetStartTime(w.Start).SetSport(sport).
		SetTotalElapsedTime(elapsed).SetTotalTimerTime(elapsed).SetTotalDistance(uint32(math.Round(dist * 100)))
	if hrN > 0 {
		sess.SetAvgHeartRate(uint8(math.Round(hrSum / hrN))).SetMaxHeartRate(uint8(maxHR))
	}
	act.Sessions = append(act.Sessions, sess)
	act.Activity = mesgdef.NewActivity(nil).SetTimestamp(t).SetNumSessions(1).SetType(typedef.ActivityManual).SetTotalTimerTime(elapsed)
	fit := act.ToFIT(nil)
	var buf bytes.Buffer
	if err := encoder.New(&buf).Encode(&fit); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
