package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// deliver plays the outbox dispatcher for one chat: it sends each text in
// order and reacts to every outcome the delivery contract names. It
// returns whether the recipient turned out unreachable and the chat id the
// messages ended up in.
func deliverAll(ctx context.Context, t *testing.T, s outbox.Sender, ids *atomic.Int64, to chat.Recipient, msgs []string) (bool, string) {
	for _, text := range msgs {
		o := outbox.Outgoing{ID: ids.Add(1), Key: "test:" + text, To: to, Reply: chat.Reply{Text: text}}
		moved, failures := false, 0
		for {
			err := s.Send(ctx, o)
			var retry *outbox.RetryAfterError
			var mv *outbox.ChatMovedError
			switch {
			case err == nil:
			case errors.As(err, &retry):
				if retry.After <= 0 || retry.After > time.Minute {
					t.Errorf("retry after %v", retry.After)
				}
				time.Sleep(retry.After)
				continue
			case errors.Is(err, outbox.ErrUnreachable):
				return true, o.To.ChatID
			case errors.As(err, &mv):
				if moved || mv.OldID != o.To.ChatID || mv.Platform != chat.PlatformTelegram {
					t.Errorf("chat moved error %+v for %s", mv, o.To.ChatID)
					return false, o.To.ChatID
				}
				moved = true
				o.To.ChatID, to.ChatID = mv.NewID, mv.NewID
				continue
			default:
				failures++
				if failures > 3 {
					t.Errorf("send to %s keeps failing: %v", o.To.ChatID, err)
					return false, o.To.ChatID
				}
				time.Sleep(100 * time.Millisecond)
				continue
			}
			break
		}
	}
	return false, to.ChatID
}

// 300 direct messages and 10 groups × 5 messages go out through the
// Sender with faults injected along the way; the fake records no limit
// violation and every message arrives exactly once.
func TestFanOutWithinLimits(t *testing.T) {
	t.Parallel()
	start := time.Now()
	e := newEnv(t)
	e.a.maxInlineWait = 2 * time.Second
	srv := e.srv

	const users, groups, perGroup = 300, 10, 5
	userID := func(i int) int64 { return 200001 + int64(i) }
	groupID := func(i int) int64 { return -5001 - int64(i) }
	for i := range groups {
		srv.SendUpdate(telegramtest.GroupText(telegramtest.Chat{ID: groupID(i), Type: telegramtest.ChatGroup, Title: "Club " + strconv.Itoa(i)}, alice, "hello"))
	}
	// Short 429s are waited out in place, a long one goes back to the
	// caller; 403s are permanent; one group became a supergroup; one
	// server error is retried.
	for _, i := range []int{10, 20, 30} {
		srv.FailNextChat(userID(i), telegramtest.TooManyRequests(1))
	}
	srv.FailNextChat(userID(40), telegramtest.TooManyRequests(3))
	blocked := map[int64]string{
		userID(50): telegramtest.DescBlockedByUser,
		userID(60): telegramtest.DescBlockedByUser,
		userID(70): telegramtest.DescUserDeactivated,
		userID(80): telegramtest.DescCantInitiateChat,
	}
	for id, desc := range blocked {
		srv.BlockChat(id, desc)
	}
	srv.FailNextChat(userID(90), telegramtest.InternalError())
	srv.FailNextChat(userID(91), telegramtest.BadGateway())
	const migratedFrom, migratedTo = -5004, -1005004
	srv.MigrateChat(migratedFrom, migratedTo)
	srv.FailNextChat(groupID(5), telegramtest.TooManyRequests(1))

	var ids atomic.Int64
	var mu sync.Mutex
	unreachable := map[string]bool{}
	finalChat := map[int64]string{}
	var wg sync.WaitGroup
	for i := range users {
		wg.Go(func() {
			to := chat.Recipient{Platform: chat.PlatformTelegram, UserID: strconv.FormatInt(userID(i), 10), Private: true}
			gone, _ := deliverAll(t.Context(), t, e.a.Sender(), &ids, to, []string{fmt.Sprintf("Good morning, runner %d: EASY today.", i)})
			if gone {
				mu.Lock()
				unreachable[to.UserID] = true
				mu.Unlock()
			}
		})
	}
	for i := range groups {
		wg.Go(func() {
			var msgs []string
			for k := range perGroup {
				msgs = append(msgs, fmt.Sprintf("Club %d post %d", i, k))
			}
			to := chat.Recipient{Platform: chat.PlatformTelegram, ChatID: strconv.FormatInt(groupID(i), 10)}
			_, chat := deliverAll(t.Context(), t, e.a.Sender(), &ids, to, msgs)
			mu.Lock()
			finalChat[groupID(i)] = chat
			mu.Unlock()
		})
	}
	wg.Wait()

	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("%d limit violations, first: %s", len(v), v[0])
	}
	counts := map[string]int{}
	for _, m := range srv.Sent() {
		counts[strconv.FormatInt(m.ChatID, 10)+"|"+m.PlainText]++
	}
	for i := range users {
		id := userID(i)
		key := strconv.FormatInt(id, 10) + "|" + fmt.Sprintf("Good morning, runner %d: EASY today.", i)
		_, isBlocked := blocked[id]
		switch {
		case isBlocked && !unreachable[strconv.FormatInt(id, 10)]:
			t.Errorf("user %d (%s) not reported unreachable", id, blocked[id])
		case isBlocked && counts[key] != 0:
			t.Errorf("blocked user %d got a message", id)
		case !isBlocked && counts[key] != 1:
			t.Errorf("user %d got their message %d times", id, counts[key])
		}
	}
	if len(unreachable) != len(blocked) {
		t.Errorf("%d recipients unreachable, want %d", len(unreachable), len(blocked))
	}
	for i := range groups {
		want := strconv.FormatInt(groupID(i), 10)
		if groupID(i) == migratedFrom {
			want = strconv.FormatInt(migratedTo, 10)
		}
		if finalChat[groupID(i)] != want {
			t.Errorf("group %d ended in chat %s, want %s", groupID(i), finalChat[groupID(i)], want)
		}
		id, _ := strconv.ParseInt(want, 10, 64)
		got := srv.SentTo(id)
		if len(got) != perGroup {
			t.Errorf("chat %d got %d posts, want %d", id, len(got), perGroup)
			continue
		}
		for k, m := range got {
			if w := fmt.Sprintf("Club %d post %d", i, k); m.PlainText != w {
				t.Errorf("chat %d post %d is %q, want %q (in order)", id, k, m.PlainText, w)
			}
		}
	}
	if n := len(srv.SentTo(migratedFrom)); n != 0 {
		t.Errorf("%d posts went to the migrated group's old id", n)
	}
	if n := len(srv.Sent()); n != users-len(blocked)+groups*perGroup {
		t.Errorf("%d messages delivered, want %d", n, users-len(blocked)+groups*perGroup)
	}
	t.Logf("fan-out of %d messages took %v", len(srv.Sent()), time.Since(start))
}

func TestSendRoutingAndErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.a.Sender()
	ctx := t.Context()

	// A personal message without a known DM chat goes to the user's id.
	err := s.Send(ctx, outbox.Outgoing{ID: 1, To: chat.Recipient{Platform: chat.PlatformTelegram, UserID: "1001", Private: true},
		Reply: chat.Reply{Text: "Day 3: easy", Buttons: [][]chat.Button{{{Label: "Fresh", Data: "plan:1:fresh"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	got := e.srv.SentTo(alice.ID)
	if len(got) != 1 || len(got[0].Buttons()) != 1 || got[0].Buttons()[0].CallbackData != "plan:1:fresh" {
		t.Fatalf("sent %+v", got)
	}
	if strings.Contains(string(got[0].ReplyMarkup), "copy_text") {
		t.Errorf("reply markup carries copy_text: %s", got[0].ReplyMarkup)
	}

	cases := []struct {
		name string
		o    outbox.Outgoing
		want string
	}{
		{"callback data over 64 bytes", outbox.Outgoing{ID: 2, To: chat.Recipient{ChatID: "1001"},
			Reply: chat.Reply{Text: "x", Buttons: [][]chat.Button{{{Label: "Long", Data: strings.Repeat("d", 65)}}}}}, "65 bytes"},
		{"empty callback data", outbox.Outgoing{ID: 3, To: chat.Recipient{ChatID: "1001"},
			Reply: chat.Reply{Text: "x", Buttons: [][]chat.Button{{{Label: "Empty"}}}}}, "0 bytes"},
		{"bad chat id", outbox.Outgoing{ID: 4, To: chat.Recipient{ChatID: "harriers"}, Reply: chat.Reply{Text: "x"}}, "not a Telegram chat id"},
		{"other platform", outbox.Outgoing{ID: 5, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: "1"}, Reply: chat.Reply{Text: "x"}}, "discord"},
		{"blank text", outbox.Outgoing{ID: 6, To: chat.Recipient{ChatID: "1001"}, Reply: chat.Reply{Text: "  \n"}}, "no text"},
	}
	for _, c := range cases {
		err := s.Send(ctx, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Send = %v, want an error with %q", c.name, err, c.want)
		}
	}
	if n := len(e.srv.Sent()); n != 1 {
		t.Errorf("rejected messages were sent: %d in all", n)
	}
	if !errors.Is(s.Send(ctx, outbox.Outgoing{ID: 7, To: chat.Recipient{ChatID: "harriers"}, Reply: chat.Reply{Text: "x"}}), outbox.ErrUnreachable) {
		t.Errorf("a malformed chat id should be unreachable, not retried forever")
	}
}

// failingTransport fails the nth sendMessage request (1-based) before it
// reaches the server, like a connection reset.
type failingTransport struct {
	n     int
	count atomic.Int64
}

func (f *failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/sendMessage") && f.count.Add(1) == int64(f.n) {
		// A RoundTripper closes the body even on error, as net/http's does.
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, errors.New("connection reset by peer")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A long message goes out in order, in parts within 4,096 UTF-16 units,
// with the buttons under the last part; a retried outbox row does not
// repeat the parts already delivered.
func TestLongMessagesSplitAndResumed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withHTTPClient(&http.Client{Transport: &failingTransport{n: 2}}))
	para := func(n int) string { return strings.Repeat("Easy miles 🏃 build the base. ", n) }
	text := para(90) + "\n\n" + para(90) + "\n\n" + para(90) + "\n" + para(30)
	buttons := [][]chat.Button{{{Label: "Fresh", Data: "plan:9:fresh"}}}
	o := outbox.Outgoing{ID: 42, To: chat.Recipient{ChatID: "1001"}, Reply: chat.Reply{Text: text, Buttons: buttons}}

	err := e.a.Send(t.Context(), o)
	if err == nil || errors.Is(err, outbox.ErrUnreachable) {
		t.Fatalf("Send with a reset connection = %v, want a transient error", err)
	}
	if err := e.a.Send(t.Context(), o); err != nil {
		t.Fatalf("retry: %v", err)
	}
	got := e.srv.SentTo(alice.ID)
	if len(got) != 3 {
		t.Fatalf("%d parts delivered, want 3 (none repeated)", len(got))
	}
	var joined []string
	for i, m := range got {
		if n := utf16Len(m.Text); n > maxTextUTF16 {
			t.Errorf("part %d is %d UTF-16 units", i, n)
		}
		if hasButtons := len(m.Buttons()) > 0; hasButtons != (i == len(got)-1) {
			t.Errorf("part %d has buttons = %v", i, hasButtons)
		}
		joined = append(joined, m.Text)
	}
	if strings.Join(strings.Fields(strings.Join(joined, " ")), " ") != strings.Join(strings.Fields(text), " ") {
		t.Errorf("the parts do not add up to the text, in order")
	}
	if !strings.HasPrefix(got[0].Text, "Easy miles") || utf16Len(got[0].Text) != utf16Len(strings.TrimSpace(para(90))) {
		t.Errorf("the first part was not cut at the paragraph break: %d units", utf16Len(got[0].Text))
	}
}
