package telegram

import (
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// A private reply to a group message goes to the member's DM; a member who
// never started one gets one hint with a deep link, and the link's
// /start payload finishes the command in private.
func TestPrivateRepliesAndDeepLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sc := newScripted(t, e.core, map[string][]chat.Reply{
		"whisper": {{Text: "Only for you: your resting HR is 48.", Private: true}, {Text: "Posted for everyone."}},
	}, map[string]bool{"whisper": true})
	e.a.core = sc
	e.run()
	me := e.srv.Bot().Username
	e.srv.BlockChat(alice.ID, telegramtest.DescCantInitiateChat)

	got := e.group(harriers, alice, "/whisper@"+me)
	link := "https://t.me/" + me + "?start=whisper"
	if len(got) != 2 || !strings.Contains(got[0].PlainText, link) || !strings.Contains(got[1].PlainText, "Posted for everyone") {
		t.Fatalf("group got %q, want the hint with %s and then the public reply", texts(got), link)
	}
	if strings.Contains(texts(got), "48") {
		t.Fatalf("a private reply leaked into the group: %q", texts(got))
	}
	if got[0].ReplyTo == 0 {
		t.Errorf("the hint does not quote the member's message")
	}

	// The hint comes once.
	got = e.group(harriers, alice, "/whisper@"+me)
	if strings.Contains(texts(got), "t.me/") {
		t.Errorf("a second hint: %q", texts(got))
	}

	// Alice follows the link: Telegram sends "/start whisper" in her DM.
	e.srv.UnblockChat(alice.ID)
	dm := e.dm(alice, "/start whisper")
	if !strings.Contains(texts(dm), "resting HR is 48") {
		t.Fatalf("the deep link gave %q, want the private reply", texts(dm))
	}
	ms := sc.messages()
	if last := ms[len(ms)-1]; last.Command != "whisper" || last.Args != "" || !last.Private {
		t.Errorf("the deep link reached the core as %+v", last)
	}

	// From now on private replies go straight to the DM.
	before := len(e.srv.SentTo(alice.ID))
	got = e.group(harriers, alice, "/whisper@"+me)
	if strings.Contains(texts(got), "48") || len(e.srv.SentTo(alice.ID)) != before+1 {
		t.Errorf("group got %q and the DM %d new messages", texts(got), len(e.srv.SentTo(alice.ID))-before)
	}

	// A plain /start and an unknown payload are the greeting.
	if dm := e.dm(bob, "/start nonsense-payload"); !strings.Contains(texts(dm), "Shakeout") {
		t.Errorf("/start with an unknown payload gave %q", texts(dm))
	}
}

// A group that became a supergroup between the message and the reply: the
// move is stored and the reply is sent once, to the new id.
func TestReplyToMigratedGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	old := telegramtest.Chat{ID: -4002, Type: telegramtest.ChatGroup, Title: "Joggers"}
	const newID = -1004002
	e.srv.FailNextChat(old.ID, telegramtest.Migrated(newID))
	e.send(telegramtest.GroupText(old, alice, "/help@"+e.srv.Bot().Username))
	if n := len(e.srv.SentTo(old.ID)); n != 0 {
		t.Errorf("%d messages went to the old id", n)
	}
	if got := e.srv.SentTo(newID); len(got) != 1 || !strings.Contains(got[0].PlainText, "/today") {
		t.Errorf("new id got %q, want the help once", texts(got))
	}
	if mv := e.movesSeen(); len(mv) != 1 || mv[0] != [2]string{"-4002", "-1004002"} {
		t.Errorf("moves %v", mv)
	}
}

// Every press is answered, also when the core cannot route it.
func TestStaleButtonIsAnswered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	err := e.a.Send(t.Context(), outbox.Outgoing{ID: 1, To: chat.Recipient{ChatID: "1001"},
		Reply: chat.Reply{Text: "Pick one", Buttons: [][]chat.Button{{{Label: "Old", Data: "gone:1"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	m := e.srv.SentTo(alice.ID)[0]
	got := e.press(alice, m, "Old")
	if !strings.Contains(texts(got), "expired") {
		t.Errorf("a stale press gave %q", texts(got))
	}
	if a := e.srv.CallbackAnswers(); len(a) != 1 {
		t.Errorf("%d answers, want 1", len(a))
	}
	// A press in the group on a coach command's button checks the role.
	if c, ok := e.core.Registry().Lookup("broadcast"); ok && c.ButtonPrefix != "" && c.ClubAdmin {
		if err := e.a.Send(t.Context(), outbox.Outgoing{ID: 2, To: chat.Recipient{ChatID: "-1001234567890"},
			Reply: chat.Reply{Text: "Confirm?", Buttons: [][]chat.Button{{{Label: "Send", Data: c.ButtonPrefix + ":1"}}}}}); err != nil {
			t.Fatal(err)
		}
		e.srv.SetChatMember(harriers.ID, bob.ID, telegramtest.StatusMember)
		gm := e.srv.SentTo(harriers.ID)
		e.press(bob, gm[len(gm)-1], "Send")
		if n := len(e.srv.CallsTo("getChatMember")); n != 1 {
			t.Errorf("a coach button press made %d getChatMember calls, want 1", n)
		}
	}
}

// A short 429 on an interactive reply is waited out, and the reply arrives once.
func TestInteractiveReplyWaitsOutShort429(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	e.srv.FailNextChat(alice.ID, telegramtest.TooManyRequests(1))
	start := time.Now()
	got := e.dm(alice, "/help")
	if len(got) != 1 {
		t.Fatalf("%d replies, want 1", len(got))
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("the retry came after %v, before retry_after", d)
	}
}
