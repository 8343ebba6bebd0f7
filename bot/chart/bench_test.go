package chart

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchRender renders one picture per iteration and, beside the usual
// ns/op, reports the median and 99th percentile of the iterations' own
// durations, so a slow tail shows and is not averaged away.
func benchRender(b *testing.B, render func() ([]byte, error)) {
	b.ReportAllocs()
	durs := make([]time.Duration, 0, 4096)
	var size int
	cpu0 := cpuTime(b)
	for b.Loop() {
		start := time.Now()
		png, err := render()
		durs = append(durs, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		size = len(png)
	}
	cpu := cpuTime(b) - cpu0
	slices.Sort(durs)
	q := func(p float64) float64 {
		return float64(durs[min(len(durs)-1, int(p*float64(len(durs))))]) / 1e6
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(cpu)/1e6/float64(len(durs)), "cpu-ms/op")
	b.ReportMetric(float64(size), "png-bytes")
}

// cpuTime is the CPU time the process has used, user and system. On a
// shared machine the wall-clock figures include waiting for a core; this
// one does not (it includes the garbage collector's work on other threads).
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkWeek(b *testing.B) {
	d := sampleWeek()
	benchRender(b, func() ([]byte, error) { return Week(d) })
}

func BenchmarkRecovery(b *testing.B) {
	d := samplePlan()
	benchRender(b, func() ([]byte, error) { return Recovery(d) })
}

func BenchmarkClub(b *testing.B) {
	d := sampleClub()
	benchRender(b, func() ([]byte, error) { return Club(d) })
}

// BenchmarkFootprint is what drawing pictures adds to the process: the
// Go heap still held after a collection, the memory the runtime took from
// the system, and the resident set, each measured before the first picture
// and after many. Run it on its own (-bench Footprint) so no earlier
// benchmark has already paid for the fonts.
func BenchmarkFootprint(b *testing.B) {
	week, plan, club := sampleWeek(), samplePlan(), sampleClub()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rss0 := rssBytes(b)
	for b.Loop() {
		for _, render := range []func() ([]byte, error){
			func() ([]byte, error) { return Week(week) },
			func() ([]byte, error) { return Recovery(plan) },
			func() ([]byte, error) { return Club(club) },
		} {
			if _, err := render(); err != nil {
				b.Fatal(err)
			}
		}
	}
	rss1 := rssBytes(b)
	runtime.GC()
	runtime.ReadMemStats(&after)
	const mb = 1 << 20
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/mb, "heap-retained-MB")
	b.ReportMetric(float64(int64(after.Sys)-int64(before.Sys))/mb, "sys-added-MB")
	b.ReportMetric(float64(rss1-rss0)/mb, "rss-added-MB")
}

// rssBytes is the process's resident set from /proc/self/status.
func rssBytes(b *testing.B) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal("reading the resident set: ", err)
	}
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmRSS line")
	return 0
}
