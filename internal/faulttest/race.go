//go:build race

package faulttest

// raceEnabled: the tests run with -race, so the child binary is built with
// it too, which reuses the packages go test already compiled.
const raceEnabled = true
