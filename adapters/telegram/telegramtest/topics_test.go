package telegramtest_test

import (
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
)

func TestTopicsAndMembership(t *testing.T) {
	srv := telegramtest.New(t)
	base := srv.URL() + "/bot" + srv.Token()
	forum := srv.Forum(telegramtest.Chat{ID: -1009, Title: "Forum"})
	srv.OpenTopic(forum.ID, 5)
	send := func(thread string) (int, string) {
		return post(t, base+"/sendMessage", "application/json", `{"chat_id":-1009,"text":"hi","message_thread_id":`+thread+`}`)
	}
	if code, body := send("5"); code != 200 {
		t.Fatalf("open topic: %d %s", code, body)
	}
	if sent := srv.SentTo(forum.ID); len(sent) != 1 || sent[0].ThreadID != 5 {
		t.Errorf("recorded %+v", sent)
	}
	srv.CloseTopic(forum.ID, 5)
	if code, body := send("5"); code != 400 || !strings.Contains(body, "TOPIC_CLOSED") {
		t.Errorf("closed topic: %d %s", code, body)
	}
	if code, body := send("6"); code != 400 || !strings.Contains(body, "thread not found") {
		t.Errorf("missing topic: %d %s", code, body)
	}
	srv.CloseTopic(forum.ID, telegramtest.General)
	if code, body := send("0"); code != 400 || !strings.Contains(body, "TOPIC_CLOSED") {
		t.Errorf("closed General: %d %s", code, body)
	}

	// my_chat_member is dropped unless allowed_updates asks for it.
	alice := telegramtest.User{ID: 42, FirstName: "Alice"}
	private := telegramtest.Chat{ID: alice.ID, Type: telegramtest.ChatPrivate}
	srv.BotMembership(private, alice, telegramtest.StatusKicked)
	if code, body := post(t, base+"/sendMessage", "application/json", `{"chat_id":42,"text":"hi"}`); code != 403 || !strings.Contains(body, "blocked") {
		t.Errorf("to a user who blocked the bot: %d %s", code, body)
	}
	_, body := post(t, base+"/getUpdates", "application/json", `{"timeout":0,"allowed_updates":["message"]}`)
	if strings.Contains(body, "my_chat_member") || srv.Pending() != 0 {
		t.Errorf("a my_chat_member update delivered or kept without being allowed: %s", body)
	}
	srv.BotMembership(private, alice, telegramtest.StatusMember)
	_, body = post(t, base+"/getUpdates", "application/json", `{"timeout":0,"allowed_updates":["message","my_chat_member"]}`)
	if !strings.Contains(body, `"my_chat_member"`) || !strings.Contains(body, `"status":"member"`) {
		t.Errorf("allowed my_chat_member not delivered: %s", body)
	}
	if code, _ := post(t, base+"/sendMessage", "application/json", `{"chat_id":42,"text":"hi"}`); code != 200 {
		t.Errorf("after unblocking: %d", code)
	}
}
