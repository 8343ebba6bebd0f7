package bot

import (
	"sync"
	"time"
)

// zones caches loaded timezones by name. time.LoadLocation parses the zone
// data afresh on every call, and the scheduler asks for every member's zone
// each time it lists the jobs: without the cache, 10,000 members meant
// 10,000 copies of a handful of zones on the heap.
var zones sync.Map // name → *time.Location

// loadZone is time.LoadLocation with the cache.
func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// zoneOf returns the location of the first valid timezone name, or the
// bot's default. It is the one place a stored timezone name becomes a
// location: the member's, then the club's, then the bot's.
func (b *Bot) zoneOf(names ...string) *time.Location {
	for _, n := range names {
		if n == "" || n == "Local" {
			continue
		}
		if loc, err := loadZone(n); err == nil {
			return loc
		}
	}
	return b.defaultTZ
}
