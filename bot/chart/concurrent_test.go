package chart

import (
	"bytes"
	"sync"
	"testing"
)

// TestConcurrentRendersAgree draws the three pictures from several
// goroutines at once (the bot answers members concurrently, and the
// buffers are pooled) and checks every result is the same bytes as a lone
// render: nothing leaks from one picture into another.
func TestConcurrentRendersAgree(t *testing.T) {
	renders := []func() ([]byte, error){
		func() ([]byte, error) { return Week(sampleWeek()) },
		func() ([]byte, error) { return Recovery(samplePlan()) },
		func() ([]byte, error) { return Club(sampleClub()) },
	}
	want := make([][]byte, len(renders))
	for i, r := range renders {
		var err error
		if want[i], err = r(); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for n := range 4 {
				i := (g + n) % len(renders)
				got, err := renders[i]()
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(got, want[i]) {
					t.Errorf("goroutine %d: picture %d differs from a lone render", g, i)
				}
			}
		})
	}
	wg.Wait()
}
