package intervals_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/internal/intervals"
	"github.com/shakeoutbot/shakeout/internal/intervals/icufake"
)

const key = "k3y0f4th1ete123abcdefgh"

func day(s string) coach.Date {
	d, err := coach.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func fixture(t *testing.T) (*icufake.Server, *intervals.Client) {
	t.Helper()
	fake := icufake.New(t)
	fake.AddAthlete("i42", key)
	fake.AddAthlete("i43", "an0th3rk3yfortheother")
	fake.AddActivity("i42", icufake.Activity{ID: "i1001", Start: time.Date(2026, 6, 8, 18, 30, 0, 0, time.UTC), Type: "Run",
		Name: "Track 6x800", MovingSec: 2700, Elapsed: 3000, DistanceM: 9100, AvgHR: 162, MaxHR: 184, RPE: 8})
	fake.AddActivity("i42", icufake.Activity{ID: "98765", Start: time.Date(2026, 6, 7, 9, 0, 0, 0, time.UTC), Type: "Run", Strava: true})
	fake.AddActivity("i42", icufake.Activity{ID: "i999", Start: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC), Type: "Ride", MovingSec: 3600})
	fake.AddWellness("i42", icufake.Wellness{Date: "2026-06-09", RestingHR: 51, HRV: 68.5, SleepSecs: 26000, Soreness: 2, Fatigue: 3})
	c, err := intervals.New(intervals.Options{BaseURL: fake.URL(), MaxRetryWait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

func TestActivitiesAndStubs(t *testing.T) {
	fake, c := fixture(t)
	acts, err := c.Activities(t.Context(), "i42", key, day("2026-06-01"), day("2026-06-09"))
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 2 {
		t.Fatalf("got %d activities, want the 2 in range: %+v", len(acts), acts)
	}
	run, stub := acts[0], acts[1]
	if run.ID != "i1001" || run.Date != day("2026-06-08") || run.Type != "Run" || run.MovingSec != 2700 ||
		run.DistanceM != 9100 || run.AvgHR != 162 || run.RPE != 8 || run.Stub || run.Name != "Track 6x800" {
		t.Errorf("run = %+v", run)
	}
	if !stub.Stub || stub.ID != "98765" {
		t.Errorf("Strava activity = %+v; want a stub", stub)
	}
	calls := fake.Calls()
	if len(calls) != 1 || calls[0].Oldest != "2026-06-01" || calls[0].Newest != "2026-06-09" {
		t.Errorf("calls = %+v", calls)
	}
}

func TestWellness(t *testing.T) {
	_, c := fixture(t)
	days, err := c.Wellness(t.Context(), "i42", key, day("2026-06-09"), day("2026-06-09"))
	if err != nil {
		t.Fatal(err)
	}
	want := bot.IntervalsWellness{Date: day("2026-06-09"), RestingHR: 51, HRV: 68.5, SleepSecs: 26000, Soreness: 2, Fatigue: 3}
	if len(days) != 1 || days[0] != want {
		t.Fatalf("wellness = %+v; want %+v", days, want)
	}
}

func TestRefusedKeys(t *testing.T) {
	fake, c := fixture(t)
	// Wrong key: 401. Another athlete's id with a good key: 403.
	if _, err := c.Activities(t.Context(), "i42", "wr0ngk3y0000000000000", day("2026-06-01"), day("2026-06-09")); !errors.Is(err, bot.ErrIntervalsKey) {
		t.Errorf("wrong key: %v", err)
	}
	if _, err := c.Activities(t.Context(), "i43", key, day("2026-06-01"), day("2026-06-09")); !errors.Is(err, bot.ErrIntervalsKey) {
		t.Errorf("another athlete: %v", err)
	}
	fake.Revoke("i42")
	if _, err := c.Wellness(t.Context(), "i42", key, day("2026-06-01"), day("2026-06-09")); !errors.Is(err, bot.ErrIntervalsKey) {
		t.Errorf("revoked key: %v", err)
	}
	got := fake.Calls()
	if len(got) != 3 || got[0].Status != 401 || got[1].Status != 403 || got[2].Status != 401 {
		t.Errorf("calls = %+v", got)
	}
}

func TestRateLimitHonoured(t *testing.T) {
	fake, c := fixture(t)
	fake.Throttle("i42", 3600)
	_, err := c.Activities(t.Context(), "i42", key, day("2026-06-01"), day("2026-06-09"))
	var rl *bot.IntervalsRateLimited
	if !errors.As(err, &rl) || rl.RetryAfter != time.Hour {
		t.Fatalf("err = %v; want a rate limit of an hour", err)
	}
	// Until the Retry-After passes, no call reaches the service.
	fake.Throttle("i42", 0)
	if _, err := c.Wellness(t.Context(), "i42", key, day("2026-06-01"), day("2026-06-09")); !errors.As(err, &rl) {
		t.Fatalf("second call err = %v; want it held back", err)
	}
	if n := len(fake.Calls()); n != 1 {
		t.Fatalf("%d calls reached the service; want 1", n)
	}
}

func TestShortRetryAfterIsWaitedOut(t *testing.T) {
	fake, c := fixture(t)
	fake.Throttle("i42", 1)
	go func() {
		// The fake stops throttling once it has answered the first call.
		for len(fake.Calls()) == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		fake.Throttle("i42", 0)
	}()
	acts, err := c.Activities(t.Context(), "i42", key, day("2026-06-01"), day("2026-06-09"))
	if err != nil || len(acts) != 2 {
		t.Fatalf("after a 1 s Retry-After: %d activities, %v", len(acts), err)
	}
	calls := fake.Calls()
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("calls = %+v; want a 429 then the retry", calls)
	}
}

func TestBaseURLChecked(t *testing.T) {
	for _, u := range []string{"ftp://x", "http://user:pw@host", "intervals.icu"} {
		if _, err := intervals.New(intervals.Options{BaseURL: u}); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}

func TestHeartRateStreams(t *testing.T) {
	fake, c := fixture(t)
	fake.AddActivity("i42", icufake.Activity{ID: "i77", Start: time.Date(2026, 6, 8, 7, 0, 0, 0, time.UTC), Type: "Run",
		MovingSec: 3, Elapsed: 3, HR: []int{120, 0, 131}})
	got, err := c.HeartRate(t.Context(), "i77", key)
	if err != nil {
		t.Fatal(err)
	}
	want := []coach.HRSample{{Offset: 0, BPM: 120}, {Offset: 2 * time.Second, BPM: 131}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("samples = %+v; want %+v (the dropout skipped)", got, want)
	}
	if _, err := c.HeartRate(t.Context(), "i77", "wr0ngk3y0000000000000"); !errors.Is(err, bot.ErrIntervalsKey) {
		t.Fatalf("wrong key: %v", err)
	}
}
