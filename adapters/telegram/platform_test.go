package telegram

import (
	"errors"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// A member pressing a coach's confirm button over and over is refused
// privately, as the button's alert: nothing appears in the group.
func TestSomeoneElsesButtonIsAnAlert(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	e.srv.SetChatMember(harriers.ID, alice.ID, telegramtest.StatusCreator)
	got := e.group(harriers, alice, "/broadcast Long run moves to 8:00 on Sunday")
	var preview telegramtest.SentMessage
	for _, m := range got {
		if len(m.Buttons()) > 0 {
			preview = m
		}
	}
	if preview.MessageID == 0 {
		t.Fatalf("no preview with buttons in %q", texts(got))
	}
	before := len(e.srv.SentTo(harriers.ID))
	for range 5 {
		e.press(carol, preview, "Send")
	}
	if n := len(e.srv.SentTo(harriers.ID)) - before; n != 0 {
		t.Errorf("%d public messages after someone else's presses: %q", n, texts(e.srv.SentTo(harriers.ID)[before:]))
	}
	alerts := 0
	for _, a := range e.srv.CallbackAnswers() {
		if a.ShowAlert && strings.Contains(a.Text, "Not allowed") {
			alerts++
		}
	}
	if alerts != 5 {
		t.Errorf("%d presses answered with an alert, want 5: %+v", alerts, e.srv.CallbackAnswers())
	}
}

// Replies go to the topic they were asked in; a closed topic sends them
// to General. A scheduled club post to a closed topic goes to General, and
// with General closed too it is refused for the coaches to fix.
func TestForumTopics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	forum := e.srv.Forum(telegramtest.Chat{ID: -1005550000001, Title: "Forum Harriers"})
	e.srv.OpenTopic(forum.ID, 7)

	e.send(telegramtest.TopicText(forum, 7, bob, "/help"))
	sent := e.srv.SentTo(forum.ID)
	if len(sent) != 1 || sent[0].ThreadID != 7 {
		t.Fatalf("reply in a topic: %+v", sent)
	}
	e.srv.CloseTopic(forum.ID, 7)
	e.send(telegramtest.TopicText(forum, 7, bob, "/help"))
	sent = e.srv.SentTo(forum.ID)
	if len(sent) != 2 || sent[1].ThreadID != 0 {
		t.Fatalf("reply asked in a closed topic: %+v; want it in General", sent[1:])
	}

	post := outbox.Outgoing{ID: 1, To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "-1005550000001", ThreadID: "7"},
		Reply: chat.Reply{Text: "Good morning, Forum Harriers!"}}
	if err := e.a.Send(t.Context(), post); err != nil {
		t.Fatalf("post to a closed topic: %v", err)
	}
	if last := e.srv.SentTo(forum.ID)[2]; last.ThreadID != 0 || !strings.Contains(last.PlainText, "Good morning") {
		t.Errorf("post to a closed topic: %+v; want it in General", last)
	}
	e.srv.CloseTopic(forum.ID, telegramtest.General)
	post.ID = 2
	err := e.a.Send(t.Context(), post)
	var refused *outbox.RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Fix, "/club topic") {
		t.Errorf("post with every topic closed: %v; want a refusal that says how to fix it", err)
	}
}

// The bot asks for my_chat_member, and learns from it without a failed send.
func TestMyChatMemberIsSubscribed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	e.dm(bob, "/start")
	e.srv.BotMembership(telegramtest.Chat{ID: bob.ID, Type: telegramtest.ChatPrivate}, bob, telegramtest.StatusKicked)
	e.srv.WaitConfirmed(t, wait)
	m, err := e.store.MemberByUserID(t.Context(), chat.PlatformTelegram, "1002")
	if err != nil || !m.Unreachable {
		t.Fatalf("after blocking: %+v, %v; want unreachable", m, err)
	}
	if n := e.srv.Pending(); n != 0 {
		t.Errorf("%d updates not delivered (my_chat_member missing from allowed_updates?)", n)
	}
	e.srv.BotMembership(telegramtest.Chat{ID: bob.ID, Type: telegramtest.ChatPrivate}, bob, telegramtest.StatusMember)
	e.srv.WaitConfirmed(t, wait)
	if m, _ := e.store.MemberByUserID(t.Context(), chat.PlatformTelegram, "1002"); m.Unreachable {
		t.Errorf("after unblocking: still unreachable")
	}
}
