// Package faulttest holds the helpers of the fault tests: it builds the real
// shakeout binary once per test run and runs it as a child process, seeds a
// database with members whose morning message is due now, stands a switch
// in front of a platform fake to make it unreachable for a while, and counts
// what the fakes received.
//
// It is imported only by tests. It must not be imported by production code,
// and it talks only to 127.0.0.1.
package faulttest
