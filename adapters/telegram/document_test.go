package telegram

import (
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot/activity/fittest"
)

func rideFIT(t *testing.T) []byte {
	t.Helper()
	w := fittest.Steady(time.Now().Add(-3*time.Hour).Truncate(time.Second), 40*time.Minute, 8, 0)
	w.Ride = true
	data, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDocumentInPrivateChatIsImported(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	doc := e.srv.AddFile("Morning_Ride.fit", rideFIT(t))
	before := len(e.srv.SentTo(alice.ID))
	e.send(telegramtest.PrivateDocument(alice, doc, ""))
	got := texts(e.srv.SentTo(alice.ID)[before:])
	if !strings.Contains(got, "Logged from a FIT file: cross") || !strings.Contains(got, "How hard did it feel") {
		t.Fatalf("replies = %q", got)
	}
	if e.srv.FileDownloads() != 1 {
		t.Errorf("%d downloads, want 1", e.srv.FileDownloads())
	}
	// Over the Bot API's 20 MB: refused by getFile, answered in words.
	big := e.srv.AddLargeFile("Ultra.tcx", MaxDownload+1)
	before = len(e.srv.SentTo(alice.ID))
	e.send(telegramtest.PrivateDocument(alice, big, ""))
	if got := texts(e.srv.SentTo(alice.ID)[before:]); !strings.Contains(got, "too large") || !strings.Contains(got, "Ultra.tcx") {
		t.Errorf("over 20 MB: %q", got)
	}
	if v := e.srv.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestDocumentInGroupOnlyWhenAddressed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	me := e.srv.Bot().Username
	e.dm(alice, "/start")
	doc := e.srv.AddFile("run.fit", rideFIT(t))
	// Not addressed to the bot: group chatter, left alone.
	e.send(telegramtest.GroupDocument(harriers, alice, doc, "my ride today"))
	if e.srv.FileDownloads() != 0 {
		t.Fatal("a document not addressed to the bot was downloaded")
	}
	beforeDM := len(e.srv.SentTo(alice.ID))
	inGroup := len(e.srv.SentTo(harriers.ID))
	e.send(telegramtest.GroupDocument(harriers, alice, doc, "@"+me+" my ride"))
	if got := texts(e.srv.SentTo(alice.ID)[beforeDM:]); !strings.Contains(got, "Logged from a FIT file") {
		t.Fatalf("the import answer did not reach the DM: %q", got)
	}
	for _, m := range e.srv.SentTo(harriers.ID)[inGroup:] {
		if strings.Contains(m.PlainText, "Logged") {
			t.Errorf("the personal answer went to the group: %q", m.PlainText)
		}
	}
}
