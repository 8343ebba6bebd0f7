package telegram

import (
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// lastWithButtons returns the last message that has buttons.
func lastWithButtons(t *testing.T, ms []telegramtest.SentMessage) telegramtest.SentMessage {
	t.Helper()
	for i := len(ms) - 1; i >= 0; i-- {
		if len(ms[i].Buttons()) > 0 {
			return ms[i]
		}
	}
	t.Fatalf("no message with buttons in %q", texts(ms))
	return telegramtest.SentMessage{}
}

// The post-race walkthrough, started in the group: the plan is personal,
// so it arrives in Alice's direct chat, where she answers by button.
func TestRacedPlanFeedbackByButtons(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	requireCommands(t, e.core, "raced", "recovery")
	e.run()
	me := e.srv.Bot().Username

	e.dm(alice, "/start") // Alice has a direct chat with the bot
	inGroup := e.group(harriers, alice, "/raced@"+me+" marathon yesterday")
	if len(inGroup) != 0 {
		t.Fatalf("a personal plan was posted in the group: %q", texts(inGroup))
	}
	dm := e.srv.SentTo(alice.ID)[1:]
	if !strings.Contains(texts(dm), "marathon") {
		t.Fatalf("the plan in the DM reads %q", texts(dm))
	}
	step := lastWithButtons(t, dm)
	for _, label := range []string{"Fresh", "Sore", "Hurting"} {
		found := false
		for _, b := range step.Buttons() {
			found = found || b.Text == label
			if len(b.CallbackData) > 64 {
				t.Errorf("button %q carries %d bytes", b.Text, len(b.CallbackData))
			}
		}
		if !found {
			t.Errorf("the plan step has no %q button: %+v", label, step.Buttons())
		}
	}

	// Sore is health data: without consent the bot asks first.
	got := e.press(alice, step, "Sore")
	if len(got) == 0 {
		t.Fatal("the Sore press was not answered")
	}
	if consent := lastWithButtons(t, got); strings.Contains(consent.PlainText, "health data") {
		got = e.press(alice, consent, "Yes, keep it")
		if len(got) == 0 {
			t.Fatal("the consent press was not answered")
		}
		got = e.press(alice, step, "Sore")
	}
	if len(got) == 0 || strings.Contains(texts(got), "haven't changed your plan") {
		t.Fatalf("the Sore press gave %q, want the adapted plan", texts(got))
	}
	t.Logf("after Sore: %q", texts(got))
	got = e.press(alice, step, "Hurting")
	t.Logf("after Hurting: %q", texts(got))
	if len(got) == 0 || !strings.Contains(strings.ToLower(texts(got)), "rest") {
		t.Errorf("the Hurting press gave %q, want rest advice", texts(got))
	}
	if n := len(e.srv.CallbackAnswers()); n < 3 {
		t.Errorf("%d callback answers", n)
	}
}

// /checkin by buttons only, from the consent question to the verdict.
func TestCheckInByButtons(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	requireCommands(t, e.core, "checkin")
	e.run()

	got := e.dm(alice, "/checkin")
	m := lastWithButtons(t, got)
	if strings.Contains(m.PlainText, "health data") {
		m = lastWithButtons(t, e.press(alice, m, "Yes, keep it"))
	}
	for _, answer := range []string{"4", "2", "4"} {
		if !strings.Contains(m.PlainText, "Check-in") {
			t.Fatalf("expected a check-in question, got %q", m.PlainText)
		}
		m = lastWithButtons(t, e.press(alice, m, answer))
	}
	final := e.press(alice, m, "None of these")
	txt := texts(final)
	t.Logf("check-in result: %q", txt)
	if !strings.Contains(txt, "EASY") && !strings.Contains(txt, "REST") && !strings.Contains(txt, "HARD") {
		t.Errorf("the check-in ended with %q, want a verdict", txt)
	}
	if n := len(e.srv.UnansweredCallbacks()); n != 0 {
		t.Errorf("%d presses unanswered", n)
	}
}

// A member's /recoveryweek is refused; an admin's works and the group gets
// the announcement through the outbox and this adapter's Sender.
func TestRecoveryWeekNeedsAnAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	requireCommands(t, e.core, "recoveryweek")
	e.run()
	me := e.srv.Bot().Username
	today := time.Now().UTC()
	monday := today.AddDate(0, 0, (8-int(today.Weekday()))%7)
	if !monday.After(today) {
		monday = monday.AddDate(0, 0, 7)
	}
	cmd := "/recoveryweek@" + me + " " + monday.Format("2006-01-02") + " easy after the marathon"

	refused := e.group(harriers, bob, cmd)
	if !strings.Contains(texts(refused), "only the club's coaches") {
		t.Fatalf("a member's /recoveryweek gave %q, want a refusal", texts(refused))
	}

	e.srv.SetChatMember(harriers.ID, alice.ID, telegramtest.StatusAdministrator)
	ok := e.group(harriers, alice, cmd)
	if !strings.Contains(texts(ok), "Recovery week declared") {
		t.Fatalf("an admin's /recoveryweek gave %q", texts(ok))
	}

	d, err := outbox.NewDispatcher(outbox.Deps{Outbox: e.store, Senders: map[chat.Platform]outbox.Sender{chat.PlatformTelegram: e.a.Sender()}})
	if err != nil {
		t.Fatal(err)
	}
	before := len(e.srv.SentTo(harriers.ID))
	if n, err := d.Drain(t.Context()); err != nil || n != 1 {
		t.Fatalf("Drain = %d, %v; want the one announcement", n, err)
	}
	posts := e.srv.SentTo(harriers.ID)[before:]
	if len(posts) != 1 || !strings.Contains(strings.ToLower(posts[0].PlainText), "recovery week") {
		t.Errorf("the group got %q, want the announcement", texts(posts))
	}
}
