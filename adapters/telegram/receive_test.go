package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/internal/storetest"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/config"
)

func TestStartAndMenus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()

	got := e.dm(alice, "/start")
	if len(got) == 0 || !strings.Contains(texts(got), "Shakeout") || !strings.Contains(texts(got), "/mydata") {
		t.Fatalf("/start answered %q", texts(got))
	}
	if got[0].ParseMode != "" {
		t.Errorf("parse_mode %q; replies are plain text", got[0].ParseMode)
	}

	var member, admin []string
	for _, set := range e.srv.Commands() {
		var names []string
		for _, c := range set.Commands {
			names = append(names, c.Command)
			if c.Description == "" {
				t.Errorf("/%s has no description", c.Command)
			}
		}
		switch set.Scope.Type {
		case "default":
			member = names
		case "all_chat_administrators":
			admin = names
		default:
			t.Errorf("unexpected command scope %q", set.Scope.Type)
		}
	}
	for _, c := range e.core.Registry().Commands() {
		if !slices.Contains(admin, c.Name) {
			t.Errorf("admin menu lacks /%s", c.Name)
		}
		if slices.Contains(member, c.Name) == c.ClubAdmin {
			t.Errorf("member menu has /%s = %v, but coach = %v", c.Name, slices.Contains(member, c.Name), c.ClubAdmin)
		}
	}
}

func TestDMQuestionIsAnswered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	got := e.dm(alice, "How slow should my recovery run be?")
	if len(got) != 1 {
		t.Fatalf("got %d messages, want 1: %q", len(got), texts(got))
	}
	if strings.Contains(got[0].PlainText, "don't know the command") || len(got[0].PlainText) < 40 {
		t.Fatalf("question answered with %q", got[0].PlainText)
	}
}

func TestGroupAddressing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	me := e.srv.Bot().Username

	cases := []struct {
		name   string
		text   string
		answer bool
		want   string
	}{
		{"command with our name", "/help@" + me, true, "/today"},
		{"command for another bot", "/help@other_bot", false, ""},
		{"plain chatter", "great run everyone, see you sunday", false, ""},
		{"command after an emoji", "💪🏃‍♀️ /help", true, "/today"},
		{"command after text, with our name", "sorry, new here: /help@" + me + " ask", true, "/ask"},
		{"mention question", "@" + me + " how slow should my recovery run be?", true, ""},
		{"unknown command", "/nonsense@" + me, true, "don't know the command"},
	}
	for _, c := range cases {
		got := e.group(harriers, bob, c.text)
		switch {
		case !c.answer && len(got) > 0:
			t.Errorf("%s: %q answered with %q", c.name, c.text, texts(got))
		case c.answer && len(got) == 0:
			t.Errorf("%s: %q not answered", c.name, c.text)
		case c.answer && !strings.Contains(texts(got), c.want):
			t.Errorf("%s: %q answered %q, want it to mention %q", c.name, c.text, texts(got), c.want)
		case c.answer && got[0].ReplyTo == 0:
			t.Errorf("%s: the group answer does not quote the question", c.name)
		}
	}

	// A reply to one of the bot's own messages is a question too.
	answer := e.group(harriers, bob, "/help@"+me)
	before := len(e.srv.SentTo(harriers.ID))
	e.send(e.srv.ReplyTo(carol, harriers.ID, answer[0].MessageID, "what should I eat after a long run?"))
	if got := e.srv.SentTo(harriers.ID)[before:]; len(got) != 1 {
		t.Errorf("a reply to the bot got %d answers, want 1", len(got))
	}
}

func TestMessageFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sc := newScripted(t, e.core, nil, nil)
	e.a.core = sc
	e.run()

	e.group(harriers, alice, "🙂 /today@"+e.srv.Bot().Username+"  please ")
	e.dm(bob, "hello there")
	ms := sc.messages()
	if len(ms) != 2 {
		t.Fatalf("core saw %d messages, want 2", len(ms))
	}
	g, d := ms[0], ms[1]
	if g.Platform != "telegram" || g.Command != "today" || g.Args != "please" || g.ChatID != strconv.FormatInt(harriers.ID, 10) ||
		g.ClubChatID != g.ChatID || g.ClubName != "Harriers" || g.UserID != "1001" || g.UserName != "Alice Runner" || g.Private ||
		g.UpdateID == "" || g.Time.IsZero() || g.PlatformAdmin {
		t.Errorf("group message mapped to %+v", g)
	}
	if d.Command != "" || d.Args != "hello there" || !d.Private || d.ClubChatID != "" || d.ChatID != "1002" || d.UserName != "Bob" {
		t.Errorf("direct message mapped to %+v", d)
	}
	if time.Since(g.Time) > time.Minute {
		t.Errorf("time %v is not the message date", g.Time)
	}
}

func TestAnonymousAdminIsAskedToUnhide(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sc := newScripted(t, e.core, nil, nil)
	e.a.core = sc
	e.run()
	raw, _ := json.Marshal(map[string]any{"message": map[string]any{
		"message_id": 7, "date": time.Now().Unix(),
		"from":        map[string]any{"id": groupAnonymousBot, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"},
		"sender_chat": harriers,
		"chat":        harriers,
		"text":        "/recoveryweek monday",
		"entities":    []map[string]any{{"type": "bot_command", "offset": 0, "length": 13}},
	}})
	e.srv.SendRawUpdate(raw)
	e.srv.WaitConfirmed(t, wait)
	e.waitSent()
	got := e.srv.SentTo(harriers.ID)
	if len(got) != 1 || !strings.Contains(got[0].PlainText, "Remain anonymous") {
		t.Fatalf("anonymous admin got %q", texts(got))
	}
	if n := len(sc.messages()); n != 0 {
		t.Errorf("the core saw %d messages from an anonymous admin", n)
	}
	if n := len(e.srv.CallsTo("getChatMember")); n != 0 {
		t.Errorf("getChatMember called %d times for an anonymous admin", n)
	}
}

func TestCoachCheckIsCached(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	requireCommands(t, e.core, "club")
	e.run()
	e.srv.SetChatMember(harriers.ID, alice.ID, telegramtest.StatusCreator)
	me := e.srv.Bot().Username

	got := e.group(harriers, bob, "/club@"+me)
	if !strings.Contains(texts(got), "coach") {
		t.Errorf("a member's /club answered %q, want a refusal", texts(got))
	}
	got = e.group(harriers, alice, "/club@"+me)
	if strings.Contains(texts(got), "only the club's coaches") {
		t.Errorf("the creator's /club was refused: %q", texts(got))
	}
	e.group(harriers, alice, "/club@"+me)
	calls := e.srv.CallsTo("getChatMember")
	if len(calls) != 2 {
		t.Errorf("getChatMember called %d times, want 2 (bob, then alice once within a minute)", len(calls))
	}
	// Member commands need no check at all.
	e.group(harriers, carol, "/help@"+me)
	if n := len(e.srv.CallsTo("getChatMember")); n != 2 {
		t.Errorf("a member command called getChatMember")
	}
}

func TestOffsetSavedAfterHandlingAndRestartRepeatsNothing(t *testing.T) {
	t.Parallel()
	srv := telegramtest.New(t, telegramtest.FailOnViolations())
	db := storetest.Opener(t, nil)

	e1 := newEnv(t, withServer(srv), withDB(db))
	type save struct {
		id      int64
		replies int
	}
	var saves []save
	var mu sync.Mutex
	e1.state.onSave = func(id int64) {
		mu.Lock()
		defer mu.Unlock()
		saves = append(saves, save{id, len(srv.SentTo(alice.ID))})
	}
	e1.run()
	u1 := srv.SendUpdate(telegramtest.PrivateText(alice, "/help"))
	u2 := srv.SendUpdate(telegramtest.PrivateText(alice, "/start"))
	srv.WaitConfirmed(t, wait)
	e1.stop()
	if got, _ := e1.store.TelegramOffset(t.Context()); got != u2.UpdateID {
		t.Fatalf("stored offset %d, want %d (updates %d, %d)", got, u2.UpdateID, u1.UpdateID, u2.UpdateID)
	}
	// Saving the offset never waits for sending: a save may come before
	// the replies are out, and the stop then sends or stores them.
	mu.Lock()
	if len(saves) == 0 {
		t.Errorf("the offset was never saved")
	}
	mu.Unlock()
	if n := len(srv.SentTo(alice.ID)); n != 2 {
		t.Errorf("after the stop alice has %d replies, want both", n)
	}
	e1.store.Close()

	// A new process on the same database and the same Bot API.
	polls := len(srv.CallsTo("getUpdates"))
	e2 := newEnv(t, withServer(srv), withDB(db))
	e2.run()
	e2.dm(alice, "/help")
	if n := len(srv.SentTo(alice.ID)); n != 3 {
		t.Fatalf("alice got %d messages over two runs, want 3 (nothing lost or repeated)", n)
	}
	first := srv.CallsTo("getUpdates")[polls]
	if want := strconv.FormatInt(u2.UpdateID+1, 10); first.Params["offset"] != want {
		t.Errorf("the restarted adapter first asked for offset %q, want %s", first.Params["offset"], want)
	}
}

func TestWebhook(t *testing.T) {
	t.Parallel()
	ln := loopback(t)
	secret := "s3cret-Webhook_token"
	e := newEnv(t, withWebhook(Webhook{URL: "https://bot.example.org/tg/hook", Secret: config.Secret(secret), Listener: ln}))
	e.run()
	e.srv.WaitCalls(t, "setWebhook", 1, wait)
	wh := e.srv.Webhook()
	if wh.URL != "https://bot.example.org/tg/hook" || wh.SecretToken != secret {
		t.Fatalf("setWebhook got %+v", wh)
	}
	if n := len(e.srv.CallsTo("getUpdates")); n != 0 {
		t.Errorf("webhook mode polled %d times", n)
	}
	update := func(id int64, text string) []byte {
		u := telegramtest.PrivateText(alice, text)
		u.UpdateID = id
		u.Message.MessageID = int(id)
		u.Message.Date = time.Now().Unix()
		b, _ := json.Marshal(u)
		return b
	}
	post := func(path, header string, body []byte) int {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+ln.Addr().String()+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	body := update(500, "/help")
	if code := post("/tg/hook", "", body); code != http.StatusUnauthorized {
		t.Errorf("missing secret: %d, want 401", code)
	}
	if code := post("/tg/hook", "wrong", body); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", code)
	}
	if code := post("/tg/hook", secret+"x", body); code != http.StatusUnauthorized {
		t.Errorf("longer secret: %d, want 401", code)
	}
	if n := len(e.srv.Sent()); n != 0 {
		t.Fatalf("refused requests had side effects: %d messages sent", n)
	}
	if code := post("/elsewhere", secret, body); code != http.StatusNotFound {
		t.Errorf("other path: %d, want 404", code)
	}
	// The same update, now properly signed: handled before the 200.
	if code := post("/tg/hook", secret, body); code != http.StatusOK {
		t.Fatalf("signed update: %d, want 200", code)
	}
	e.waitSent()
	if n := len(e.srv.SentTo(alice.ID)); n != 1 {
		t.Fatalf("after the 200, %d replies were sent, want 1", n)
	}
	// Telegram resends what it thinks failed; the inbox drops it.
	if code := post("/tg/hook", secret, body); code != http.StatusOK {
		t.Fatalf("redelivered update: %d, want 200", code)
	}
	e.waitSent()
	if n := len(e.srv.SentTo(alice.ID)); n != 1 {
		t.Errorf("a redelivered update was answered again: %d replies", n)
	}
	if code := post("/tg/hook", secret, []byte("{not json")); code != http.StatusBadRequest {
		t.Errorf("garbage: %d, want 400", code)
	}
}

func TestChatMigrationServiceMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	old := telegramtest.Chat{ID: -4001, Type: telegramtest.ChatGroup, Title: "Joggers"}
	raw, _ := json.Marshal(map[string]any{"message": map[string]any{
		"message_id": 9, "date": time.Now().Unix(), "from": alice, "chat": old, "migrate_to_chat_id": int64(-1009999000001),
	}})
	e.srv.SendRawUpdate(raw)
	raw, _ = json.Marshal(map[string]any{"message": map[string]any{
		"message_id": 1, "date": time.Now().Unix(), "from": alice,
		"chat":                 telegramtest.Chat{ID: -1009999000001, Type: telegramtest.ChatSupergroup, Title: "Joggers"},
		"migrate_from_chat_id": old.ID,
	}})
	e.srv.SendRawUpdate(raw)
	e.srv.WaitConfirmed(t, wait)
	got := e.movesSeen()
	if len(got) != 1 || got[0] != [2]string{"-4001", "-1009999000001"} {
		t.Errorf("moves %v, want exactly one -4001 → -1009999000001", got)
	}
}

func TestRunStopsOnRejectedToken(t *testing.T) {
	t.Parallel()
	srv := telegramtest.New(t)
	e := newEnv(t, withServer(srv), withToken("123:not-the-token"))
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	err := e.a.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "rejected the token") {
		t.Fatalf("Run = %v, want a rejected-token error", err)
	}
	if strings.Contains(err.Error(), "not-the-token") {
		t.Errorf("the error shows the token: %v", err)
	}
}
