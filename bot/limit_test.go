package bot_test

import (
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
)

func TestMemberLimiter(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	l := bot.NewMemberLimiter(bot.LimitConfig{Burst: 3, PerMinute: 6, Cooldown: time.Minute}, func() time.Time { return now })
	var got []bot.LimitVerdict
	for range 6 {
		got = append(got, l.Check(bot.PlatformTelegram, "1"))
	}
	want := []bot.LimitVerdict{bot.LimitAdmit, bot.LimitAdmit, bot.LimitAdmit, bot.LimitNotice, bot.LimitDrop, bot.LimitDrop}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("burst: verdicts %v, want %v", got, want)
		}
	}
	if v := l.Check(bot.PlatformTelegram, "2"); v != bot.LimitAdmit {
		t.Errorf("another member is held back with the first: %v", v)
	}
	if v := l.Check(bot.PlatformDiscord, "1"); v != bot.LimitAdmit {
		t.Errorf("the same id on another platform is held back: %v", v)
	}
	now = now.Add(59 * time.Second)
	if v := l.Check(bot.PlatformTelegram, "1"); v != bot.LimitDrop {
		t.Errorf("during the cool-down: %v, want a silent drop", v)
	}
	now = now.Add(2 * time.Second)
	if v := l.Check(bot.PlatformTelegram, "1"); v != bot.LimitAdmit {
		t.Errorf("after the cool-down: %v, want admitted", v)
	}
	var nilLimiter *bot.MemberLimiter
	if v := nilLimiter.Check(bot.PlatformTelegram, "1"); v != bot.LimitAdmit {
		t.Errorf("no limiter: %v", v)
	}
	if s := l.SlowDownText(); s == "" {
		t.Error("no notice text")
	}
}
