package main

import (
	"runtime/debug"
)

// runMemoryLimit is the soft limit on the Go runtime's memory that
// `shakeout run` sets when GOMEMLIMIT is not given. The collector then runs
// more often as the heap nears it, instead of letting garbage reach twice
// the live heap (the default GOGC=100) at a fan-out's peak; with GOMEMLIMIT
// set, the runtime already uses that value and this one is not applied.
// It is a soft limit: a larger live heap still gets the memory it needs.
const runMemoryLimit = 24 << 20

// setRunMemoryLimit applies runMemoryLimit unless GOMEMLIMIT is set; the
// returned func puts the previous limit back (run has ended).
func setRunMemoryLimit(getenv func(string) string) (restore func()) {
	if getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(runMemoryLimit)
	return func() { debug.SetMemoryLimit(prev) }
}
