package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

func TestPlanHoldsAndStepsRoundTrip(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	c, err := s.EnsureClub(ctx, chat.PlatformConsole, "harriers", "Harriers", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.EnsureMember(ctx, chat.PlatformConsole, "maya", "maya", c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	raced := coach.Date{Year: 2026, Month: time.June, Day: 6}
	p, _, err := s.StartPlan(ctx, m.ID, bot.Plan{Km: 21.1, State: coach.NewPlan(21.1, raced), TZ: "Europe/Berlin"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ActivePlan(ctx, m.ID); got.SendSteps || len(got.State.Holds) != 0 {
		t.Fatalf("a new plan started with nudges off: %+v", got)
	}
	p.SendSteps = true
	p.State.Holds = []coach.Date{raced.AddDays(3), raced.AddDays(5)}
	p.State.Restarts = []coach.Date{raced.AddDays(5)}
	if err := s.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.ActivePlan(ctx, m.ID)
	if err != nil || !got.SendSteps || !slices.Equal(got.State.Holds, p.State.Holds) || !slices.Equal(got.State.Restarts, p.State.Restarts) {
		t.Fatalf("plan after save = %+v, %v; want %+v", got, err, p)
	}
	// Withdrawing consent drops the dates of sore days but keeps the plan
	// where it is.
	length := got.State.Length()
	m.Consent = bot.ConsentNo
	if err := s.UpdateMember(ctx, m, true); err != nil {
		t.Fatal(err)
	}
	got, err = s.ActivePlan(ctx, m.ID)
	if err != nil || len(got.State.Holds) != 0 || len(got.State.Restarts) != 0 || got.State.Delay != 2 || got.State.Length() != length {
		t.Fatalf("plan after consent withdrawn = %+v, %v", got, err)
	}
}
