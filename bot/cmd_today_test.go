package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// tuesday is a club hard day in the default pattern (Monday is rest).
var tuesday = time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)

func TestTodayVerdicts(t *testing.T) {
	cases := []struct {
		name   string
		script []string
		want   string   // the reply's first word
		has    []string // phrases the reply must contain
		hasNot []string
	}{
		{name: "no data gets the club's hard day", want: "HARD", has: []string{"club's plan has a hard session", "50 min"}},
		{name: "fresh runner on the club's hard day", want: "HARD",
			script: []string{"/settings consent yes", "/checkin sleep 4 soreness 1 energy 4"}},
		{name: "hard intervals yesterday", want: "EASY", has: []string{"Yesterday was a hard session (intervals)", "very easy"},
			script: []string{"/log intervals 50min rpe 8 yesterday"}},
		{name: "long run yesterday", want: "EASY", has: []string{"long run", "cross-training"},
			script: []string{"/log long 18km yesterday"}},
		{name: "seven days without rest, intermediate", want: "REST", has: []string{"No rest day in the last 6 days"},
			script: []string{"/log easy 40min 2026-06-03", "/log easy 40min 2026-06-04", "/log easy 40min 2026-06-05",
				"/log easy 40min 2026-06-06", "/log easy 40min 2026-06-07", "/log easy 40min 2026-06-08"}},
		{name: "five days of running is fine for an intermediate", want: "HARD",
			script: []string{"/log easy 40min 2026-06-04", "/log easy 40min 2026-06-05",
				"/log easy 40min 2026-06-06", "/log easy 40min 2026-06-07", "/log easy 40min 2026-06-08"}},
		{name: "three days without rest, beginner", want: "REST", has: []string{"last 3 days"},
			script: []string{"/settings level beginner", "/log easy 30min sat", "/log easy 30min sun", "/log easy 30min mon"}},
		{name: "poor sleep and high soreness", want: "REST", has: []string{"poor sleep", "high soreness"},
			script: []string{"/settings consent yes", "/checkin sleep 2 soreness 4 energy 3"}},
		{name: "one warning sign", want: "EASY", has: []string{"One warning sign", "low energy"},
			script: []string{"/settings consent yes", "/checkin sleep 4 soreness 2 energy 1"}},
		{name: "sharp pain", want: "REST", has: []string{"sharp", "doctor or physiotherapist", "can't diagnose"},
			script: []string{"/settings consent yes", "/checkin pain"}},
		{name: "marathon three days ago", want: "EASY", has: []string{"marathon recovery plan", "Day 3 of 21 of your marathon recovery plan"},
			hasNot: []string{"HARD"}, script: []string{"/raced marathon 2026-06-06"}},
		{name: "ceiling shown when age and resting HR are known", want: "HARD", has: []string{"under 146 bpm"},
			script: []string{"/settings consent yes age 23", "/checkin rhr 50 sleep 4"}},
		{name: "miles for a member who reads miles", want: "EASY", has: []string{" mi)"},
			script: []string{"/settings units mi", "/log tempo 40min yesterday"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, tuesday)
			for _, line := range c.script {
				h.say("maya", line)
			}
			got := h.say("maya", "/today")
			if first := strings.Fields(got)[0]; first != c.want {
				t.Fatalf("first word %q, want %q:\n%s", first, c.want, got)
			}
			for _, s := range c.has {
				if !strings.Contains(got, s) {
					t.Errorf("reply lacks %q:\n%s", s, got)
				}
			}
			for _, s := range c.hasNot {
				if strings.Contains(got, s) {
					t.Errorf("reply has %q:\n%s", s, got)
				}
			}
		})
	}
}

func TestTodayInClubRecoveryWeek(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/start")
	club, err := h.store.EnsureClub(t.Context(), chat.PlatformConsole, h.club, "", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.DeclareRecoveryWeek(t.Context(), bot.RecoveryWeek{ClubID: club.ID,
		Start: coach.Date{Year: 2026, Month: time.June, Day: 8}}); err != nil {
		t.Fatal(err)
	}
	got := h.say("maya", "/today")
	if !strings.HasPrefix(got, "EASY") || !strings.Contains(got, "recovery week") {
		t.Fatalf("club hard day in a recovery week:\n%s", got)
	}
}

func TestTodayIsPrivateAndRejectsArguments(t *testing.T) {
	h := newHarness(t, tuesday)
	rs := h.replies("maya", "/today")
	if len(rs) != 1 || !rs[0].Private {
		t.Fatalf("replies = %+v; want one private reply", rs)
	}
	if got := h.say("maya", "/today please"); !strings.Contains(got, "For example: /today") {
		t.Fatalf("reply = %q", got)
	}
}

func TestTodayUsesMemberTimezone(t *testing.T) {
	// 23:30 UTC on Monday is already Tuesday in Auckland: the club's hard day.
	h := newHarness(t, time.Date(2026, 6, 8, 23, 30, 0, 0, time.UTC))
	h.say("maya", "/settings tz Pacific/Auckland")
	if got := h.say("maya", "/today"); !strings.HasPrefix(got, "HARD") {
		t.Fatalf("Tuesday in Auckland:\n%s", got)
	}
	if got := h.say("tom", "/today"); !strings.HasPrefix(got, "REST") {
		t.Fatalf("Monday in UTC (club rest day):\n%s", got)
	}
}

func TestTodayReplyForScheduler(t *testing.T) {
	h := newHarness(t, tuesday)
	h.say("maya", "/log intervals 50min yesterday")
	m := h.member("maya")
	club, err := h.store.ClubByID(t.Context(), m.ClubID)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := h.bot.TodayReply(t.Context(), m, club, tuesday)
	if err != nil || !rep.Private || !strings.HasPrefix(rep.Text, "EASY") {
		t.Fatalf("TodayReply = %+v, %v", rep, err)
	}
	if want := h.say("maya", "/today"); rep.Text != want {
		t.Fatalf("nudge %q differs from /today %q", rep.Text, want)
	}
}
