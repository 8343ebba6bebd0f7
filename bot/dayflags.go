package bot

import (
	"sync"

	"github.com/shakeoutbot/shakeout/coach"
)

// dayFlags remembers, in memory only and for one local day, a red flag
// (pain, illness, chest) from a member who has not agreed to keep health
// data: a Hurting press on a plan step or a typed /checkin pain. Nothing of
// it reaches the database or a log, so it is gone at the end of the day or
// when the bot restarts; until then no verdict that day prescribes running.
type dayFlags struct {
	mu sync.Mutex
	m  map[int64]dayFlag
}

type dayFlag struct {
	date coach.Date
	flag coach.Flag
}

func (f *dayFlags) set(memberID int64, d coach.Date, fl coach.Flag) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[int64]dayFlag{}
	}
	// Drop other members' flags of earlier days as we go, so the map only
	// ever holds today's.
	for id, x := range f.m {
		if x.date.Before(d) {
			delete(f.m, id)
		}
	}
	f.m[memberID] = dayFlag{date: d, flag: fl}
}

// on returns the member's flag for day d, if one was set that day.
func (f *dayFlags) on(memberID int64, d coach.Date) (coach.Flag, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	x, ok := f.m[memberID]
	if !ok || x.date != d {
		return coach.FlagNone, false
	}
	return x.flag, true
}

func (f *dayFlags) forget(memberID int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.m, memberID)
}
