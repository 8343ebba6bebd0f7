package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
)

func TestClubChannelAndTopic(t *testing.T) {
	h := newHarness(t, time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC))
	ctx := t.Context()
	say := func(m chat.Message, text string) string {
		t.Helper()
		m.PlatformAdmin = true
		name, args, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
		m.Command, m.Args = name, args
		return joinReplies(h.bot.Handle(ctx, m))
	}
	dc := chat.Message{Platform: chat.PlatformDiscord, ClubChatID: "500", ChatID: "501", UserID: "9", UserName: "cora"}
	club := func(p chat.Platform, chat string) bot.Club {
		t.Helper()
		c, err := h.store.ClubByChat(ctx, p, chat)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	say(dc, "/club")
	if c := club(chat.PlatformDiscord, "500"); c.PostChat != "501" || c.AdminChat != "501" {
		t.Errorf("after the first coach command: post %q, coach chat %q; want the channel 501", c.PostChat, c.AdminChat)
	}
	if got := say(dc, "/club channel <#777>"); !strings.Contains(got, "<#777>") {
		t.Errorf("/club channel <#777>: %q", got)
	}
	for _, bad := range []string{"/club channel 500", "/club channel general-chat"} {
		if got := say(dc, bad); !strings.Contains(got, "For example: /club channel") {
			t.Errorf("%s: %q; want a refusal with an example", bad, got)
		}
	}
	if c := club(chat.PlatformDiscord, "500"); c.PostChat != "777" {
		t.Errorf("post channel %q after bad input; want 777 kept", c.PostChat)
	}
	if got := say(dc, "/club"); !strings.Contains(got, "Posts go to: <#777>") {
		t.Errorf("/club does not name the post channel: %q", got)
	}
	if got := say(dc, "/club topic"); !strings.Contains(got, "/club channel") {
		t.Errorf("/club topic on Discord: %q", got)
	}

	tg := chat.Message{Platform: chat.PlatformTelegram, ClubChatID: "-100", ChatID: "-100", UserID: "5", UserName: "ada", ThreadID: "7"}
	say(tg, "/club topic")
	if c := club(chat.PlatformTelegram, "-100"); c.PostThread != "7" || c.PostChat != "" {
		t.Errorf("after /club topic in topic 7: thread %q, chat %q", c.PostThread, c.PostChat)
	}
	if got := say(tg, "/club"); !strings.Contains(got, "Posts go to: topic 7") {
		t.Errorf("/club does not name the post topic: %q", got)
	}
	if got := say(tg, "/club topic sometimes"); !strings.Contains(got, "For example: /club topic") {
		t.Errorf("/club topic sometimes: %q", got)
	}
	say(tg, "/club topic general")
	if c := club(chat.PlatformTelegram, "-100"); c.PostThread != "" {
		t.Errorf("after /club topic general: thread %q", c.PostThread)
	}
	if got := say(tg, "/club channel 123"); !strings.Contains(got, "/club topic") {
		t.Errorf("/club channel on Telegram: %q", got)
	}
}
