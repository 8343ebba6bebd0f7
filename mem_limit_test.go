package main

import (
	"runtime/debug"
	"testing"
)

func TestRunMemoryLimitUnlessGiven(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	restore := setRunMemoryLimit(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != runMemoryLimit {
		t.Errorf("limit during run = %d, want %d", got, runMemoryLimit)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit after run = %d, want %d back", got, before)
	}

	env := map[string]string{"GOMEMLIMIT": "200MiB"}
	restore = setRunMemoryLimit(func(k string) string { return env[k] })
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit with GOMEMLIMIT set = %d, want the runtime's %d", got, before)
	}
	restore()
}
