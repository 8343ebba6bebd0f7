package limit_test

import (
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/limit"
	"github.com/shakeoutbot/shakeout/chat"
)

func TestMemberLimiter(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	l := limit.New(limit.Config{Burst: 3, PerMinute: 6, Cooldown: time.Minute}, func() time.Time { return now })
	var got []limit.Verdict
	for range 6 {
		got = append(got, l.Check(chat.PlatformTelegram, "1"))
	}
	want := []limit.Verdict{limit.Admit, limit.Admit, limit.Admit, limit.Notice, limit.Drop, limit.Drop}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("burst: verdicts %v, want %v", got, want)
		}
	}
	if v := l.Check(chat.PlatformTelegram, "2"); v != limit.Admit {
		t.Errorf("another member is held back with the first: %v", v)
	}
	if v := l.Check(chat.PlatformDiscord, "1"); v != limit.Admit {
		t.Errorf("the same id on another platform is held back: %v", v)
	}
	now = now.Add(59 * time.Second)
	if v := l.Check(chat.PlatformTelegram, "1"); v != limit.Drop {
		t.Errorf("during the cool-down: %v, want a silent drop", v)
	}
	now = now.Add(2 * time.Second)
	if v := l.Check(chat.PlatformTelegram, "1"); v != limit.Admit {
		t.Errorf("after the cool-down: %v, want admitted", v)
	}
	var nilLimiter *limit.Members
	if v := nilLimiter.Check(chat.PlatformTelegram, "1"); v != limit.Admit {
		t.Errorf("no limiter: %v", v)
	}
	if s := l.SlowDownText(); s == "" {
		t.Error("no notice text")
	}
}
