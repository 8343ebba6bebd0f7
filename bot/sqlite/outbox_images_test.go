package sqlite_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// TestOutboxKeepsPictures: a reply's picture goes into the outbox and comes
// back whole when claimed; a reply without one comes back without one;
// /mydata describes the picture instead of printing its bytes; /forgetme and
// pruning leave none of its bytes in the database file.
func TestOutboxKeepsPictures(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "pictures.db")
	now := time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)
	s, err := sqlite.Open(ctx, path, sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, err := s.EnsureMember(ctx, chat.PlatformTelegram, "42", "Maya", 0, "42")
	if err != nil {
		t.Fatal(err)
	}
	// Bytes no other row could hold, to look for in the file.
	mayaPNG := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("maya-week-picture-"), 40)...)
	clubPNG := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("club-morning-picture-"), 40)...)
	items := []outbox.Item{
		{Key: "week:m1", To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "42", UserID: "42", Private: true}, MemberID: m.ID,
			Reply: chat.Reply{Text: "Your last 7 days", Private: true, Image: &bot.Image{PNG: mayaPNG, Name: "week.png", Caption: "Training load"}}},
		{Key: "plain", To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "-100"}, Reply: chat.Reply{Text: "Good morning"}},
		{Key: "club:1", To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "-100"},
			Reply: chat.Reply{Text: "Good morning", Image: &bot.Image{PNG: clubPNG, Name: "club.png", Caption: "The club today"}}},
	}
	if n, err := s.Enqueue(ctx, items, now); err != nil || n != 3 {
		t.Fatalf("enqueue: %d, %v", n, err)
	}
	var body string
	if err := s.OutboxBody(ctx, "week:m1", &body); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "maya-week-picture") || !strings.Contains(body, `"Caption":"Training load"`) {
		t.Errorf("the JSON body should hold the caption and not the bytes: %s", body)
	}
	export, err := s.ExportMember(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rows := export["outbox"]; len(rows) != 1 || rows[0]["image"] != "a PNG picture of 728 bytes, sent with this message" {
		t.Errorf("/mydata outbox rows: %v", rows)
	}

	rows, err := s.Claim(ctx, []chat.Platform{chat.PlatformTelegram}, "tok", now, now.Add(time.Minute), 10)
	if err != nil || len(rows) != 3 {
		t.Fatalf("claim: %v, %v", rows, err)
	}
	for _, r := range rows {
		switch r.Key {
		case "week:m1":
			if r.Reply.Image == nil || !bytes.Equal(r.Reply.Image.PNG, mayaPNG) || r.Reply.Image.Name != "week.png" || r.Reply.Image.Caption != "Training load" {
				t.Errorf("claimed picture = %+v", r.Reply.Image)
			}
		case "plain":
			if r.Reply.Image != nil {
				t.Errorf("a reply without a picture came back with one: %+v", r.Reply.Image)
			}
		case "club:1":
			if r.Reply.Image == nil || !bytes.Equal(r.Reply.Image.PNG, clubPNG) {
				t.Errorf("claimed club picture = %+v", r.Reply.Image)
			}
		}
		if err := s.MarkSent(ctx, r.ID, "tok", now); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(fileBytes(t, path), []byte("maya-week-picture-")) {
		t.Fatal("the picture is not in the file before /forgetme; the check is broken")
	}
	if err := s.ForgetMember(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(fileBytes(t, path), []byte("maya-week-picture-")) {
		t.Error("the forgotten member's picture is still in the database file")
	}
	if _, _, err := s.Prune(ctx, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(fileBytes(t, path), []byte("club-morning-picture-")) {
		t.Error("a pruned club picture is still in the database file")
	}
}
