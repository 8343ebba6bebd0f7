package activity

import (
	"bytes"
	"testing"
)

// BenchmarkParseFIT3h parses a 3-hour run with one record a second (10 801
// records with time, distance, position and heart rate, plus session and
// lap totals), the case issue 14 bounds at 20 ms and 10 MB.
func BenchmarkParseFIT3h(b *testing.B) {
	data := threeHourRun.fitBytes(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "", Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseGPX3h and BenchmarkParseTCX3h: the same run as the
// exports of those formats, for comparison.
func BenchmarkParseGPX3h(b *testing.B) {
	data := threeHourRun.gpxBytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "", Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTCX3h(b *testing.B) {
	data := threeHourRun.tcxBytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "", Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
