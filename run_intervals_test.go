package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/internal/intervals/icufake"
)

// TestRunSyncsIntervalsBeforeTheMorningMessage drives `shakeout run` on
// the Telegram fake and the intervals.icu fake. Four members link their
// accounts in a first run; before the second, each account is in a
// different state, and the second run's first tick sends their morning
// messages (due a minute before it starts): Maya's verdict uses the hard
// session synced from intervals.icu; Tom's key was revoked, so his link
// breaks and he is told once; Ana's account answers 429, which is
// honoured and does not hold her message; Leo's only activity came from
// Strava, a stub skipped with one note. The API keys are canaries: none
// may appear in a log line or in /mydata.
func TestRunSyncsIntervalsBeforeTheMorningMessage(t *testing.T) {
	t.Parallel()
	tg := telegramtest.New(t)
	icu := icufake.New(t)
	db := testDB(t, "icu.db")
	vars := map[string]string{
		"SHAKEOUT_DB":                db,
		"SHAKEOUT_TELEGRAM_TOKEN":    tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL":  tg.URL(),
		"SHAKEOUT_TZ":                "UTC",
		"SHAKEOUT_LOG_LEVEL":         "debug",
		"SHAKEOUT_SECRET_KEY":        strings.Repeat("5a", 32),
		"SHAKEOUT_INTERVALS_API_URL": icu.URL(),
	}
	type runner struct {
		user    telegramtest.User
		athlete string
		key     string
	}
	runners := []runner{
		{telegramtest.User{ID: 6100001, FirstName: "Maya"}, "i101", "CANARYmayak3y00000000001"},
		{telegramtest.User{ID: 6100002, FirstName: "Tom"}, "i102", "CANARYtomk3y000000000002"},
		{telegramtest.User{ID: 6100003, FirstName: "Ana"}, "i103", "CANARYanak3y000000000003"},
		{telegramtest.User{ID: 6100004, FirstName: "Leo"}, "i104", "CANARYleok3y000000000004"},
	}
	for _, r := range runners {
		icu.AddAthlete(r.athlete, r.key)
	}
	// The members exist from two days ago, with morning messages on at a
	// time later today, so the first run sends none (a time already past
	// today would be sent or recorded as missed). Near midnight the test
	// waits for the new day, so both times fall on one date.
	now := time.Now().UTC()
	if mins := now.Hour()*60 + now.Minute(); mins < 2 || mins > 23*60+54 {
		next := time.Date(now.Year(), now.Month(), now.Day(), 0, 2, 0, 0, time.UTC)
		if mins > 2 {
			next = next.AddDate(0, 0, 1)
		}
		time.Sleep(time.Until(next))
		now = time.Now().UTC()
	}
	later := now.Add(3 * time.Hour)
	if later.Day() != now.Day() {
		later = time.Date(now.Year(), now.Month(), now.Day(), 23, 59, 0, 0, time.UTC)
	}
	setNudges(t, db, runners[0].user.ID, len(runners), later)

	first := startRun(t, vars)
	maya := runners[0].user
	tg.SendUpdate(telegramtest.PrivateText(maya, "/settings consent yes"))
	tg.WaitSent(t, 1, 10*time.Second)
	for i, r := range runners {
		tg.SendUpdate(telegramtest.PrivateText(r.user, fmt.Sprintf("/connect intervals %s %s", r.athlete, r.key)))
		sent := tg.WaitSent(t, 2+i, 10*time.Second)
		if got := sent[1+i].PlainText; !strings.Contains(got, "Linked to intervals.icu athlete "+r.athlete) {
			t.Fatalf("%s's /connect: %q", r.user.FirstName, got)
		}
	}
	first.stop(t)

	// Overnight.
	yesterday := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	icu.AddActivity("i101", icufake.Activity{ID: "i9001", Start: yesterday, Type: "Run", Name: "Track 5x1000",
		MovingSec: 3000, Elapsed: 3300, DistanceM: 10200, AvgHR: 164, MaxHR: 183, RPE: 8})
	icu.Revoke("i102")
	icu.Throttle("i103", 3600)
	// The sync runs members concurrently and a long 429 holds every call
	// (the service limits per address): the others' lists go first, so
	// their mornings show what a sync brings and Ana's what a 429 does.
	icu.After("i103", "i101", "i102", "i104")
	icu.AddActivity("i104", icufake.Activity{ID: "8123456789", Start: yesterday, Type: "Run", Strava: true})
	callsBefore := len(icu.Calls())
	setNudges(t, db, runners[0].user.ID, len(runners), time.Now().UTC().Add(-time.Minute))

	second := startRun(t, vars)
	sent := tg.WaitSent(t, 5+6, 30*time.Second)[5:]
	byChat := map[int64][]string{}
	for _, m := range sent {
		byChat[m.ChatID] = append(byChat[m.ChatID], m.PlainText)
	}
	if got := byChat[maya.ID]; len(got) != 1 || !strings.HasPrefix(got[0], "EASY") || !strings.Contains(got[0], "hard session (intervals)") {
		t.Errorf("Maya's morning = %q; want EASY after yesterday's intervals from intervals.icu", got)
	}
	if got := byChat[runners[1].user.ID]; len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), "no longer accepts the API key") {
		t.Errorf("Tom's morning = %q; want the verdict and one note that the key was refused", got)
	}
	if got := byChat[runners[2].user.ID]; len(got) != 1 {
		t.Errorf("Ana's morning = %q; want her verdict alone, on time despite the 429", got)
	}
	if got := byChat[runners[3].user.ID]; len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), "from Strava") {
		t.Errorf("Leo's morning = %q; want the verdict and one note about Strava", got)
	}
	var anaCalls []icufake.Call
	for _, c := range icu.Calls()[callsBefore:] {
		if c.Athlete == "i103" {
			anaCalls = append(anaCalls, c)
		}
	}
	if len(anaCalls) != 1 || anaCalls[0].Status != 429 {
		t.Errorf("Ana's calls = %+v; want one, answered 429, and no retry within its hour", anaCalls)
	}

	tg.SendUpdate(telegramtest.PrivateText(maya, "/mydata"))
	all := tg.WaitSent(t, 12, 10*time.Second)
	mydata := all[11].PlainText
	second.stop(t)
	if !strings.Contains(mydata, "intervals_links") || strings.Contains(mydata, "CANARY") {
		t.Errorf("/mydata must list the link without the key:\n%s", mydata)
	}
	for _, p := range []*runningProgram{first, second} {
		if logs := p.logs.String(); strings.Contains(logs, "CANARY") {
			t.Errorf("an API key is in the log:\n%s", logs)
		}
	}
	s := openTestStore(context.Background(), t, db, nil)
	defer s.Close()
	tom, err := s.EnsureMember(context.Background(), chat.PlatformTelegram, fmt.Sprint(runners[1].user.ID), "", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if l, err := s.IntervalsLink(context.Background(), tom.ID); err != nil || l.State != bot.LinkBroken || !l.BrokenTold {
		t.Errorf("Tom's link = %+v, %v; want it broken and told", l, err)
	}
}

// setNudges creates (with a clock two days back) or updates n Telegram
// members with consecutive user ids from first, each with morning messages
// on at the minute of at, in UTC.
func setNudges(t *testing.T, db string, first int64, n int, at time.Time) {
	t.Helper()
	ctx := context.Background()
	past := time.Now().Add(-48 * time.Hour)
	s := openTestStore(ctx, t, db, func() time.Time { return past })
	defer s.Close()
	for i := range int64(n) {
		id := fmt.Sprint(first + i)
		m, err := s.EnsureMember(ctx, chat.PlatformTelegram, id, "", 0, id)
		if err != nil {
			t.Fatal(err)
		}
		m.TZ, m.NudgeTime, m.Nudges = "UTC", input.ClockOf(at), true
		if err := s.UpdateMember(ctx, m, false); err != nil {
			t.Fatal(err)
		}
	}
}
