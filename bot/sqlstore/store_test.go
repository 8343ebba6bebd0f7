package sqlstore_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/internal/storetest"
	"github.com/shakeoutbot/shakeout/outbox"
)

// The tests of this package run on the store internal/storetest opens:
// SQLite, or PostgreSQL when SHAKEOUT_TEST_POSTGRES holds a URL.

// store is what the tests use of a store: both stores have all of it.
type store interface {
	storetest.Store
	bot.GroupArrivals
	bot.PictureStore
}

func fixedClock() func() time.Time {
	t := time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)
	return func() time.Time { return t }
}

func open(t *testing.T) store {
	t.Helper()
	return storetest.Open(t, fixedClock()).(store)
}

func TestEnsureMemberKeepsHomeClubAndDM(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	c, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-100", "Runners", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.EnsureMember(ctx, chat.PlatformTelegram, "42", "Maya", c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if m.ClubID != c.ID || m.Units != "km" || m.Level != "intermediate" {
		t.Fatalf("new member = %+v", m)
	}
	m2, err := s.EnsureMember(ctx, chat.PlatformTelegram, "42", "", 0, "42")
	if err != nil {
		t.Fatal(err)
	}
	if m2.ID != m.ID || m2.ClubID != c.ID || m2.Name != "Maya" || m2.DMChatID != "42" {
		t.Fatalf("member after DM = %+v; want same id, club and name, DM chat 42", m2)
	}
}

func TestFirstDelivery(t *testing.T) {
	s := open(t)
	for i, want := range []bool{true, false, false} {
		got, err := s.FirstDelivery(t.Context(), chat.PlatformTelegram, "1001")
		if err != nil || got != want {
			t.Fatalf("delivery %d: first = %v, %v; want %v", i, got, err, want)
		}
	}
	if got, _ := s.FirstDelivery(t.Context(), chat.PlatformDiscord, "1001"); !got {
		t.Fatal("the same id on another platform is a different update")
	}
}

func TestMoveChatReferencesKeepsTheClub(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	old, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-42", "Harriers", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	old.PostTime = input.Clock{Hour: 5, Minute: 45}
	if err := s.UpdateClub(ctx, old); err != nil {
		t.Fatal(err)
	}
	m, err := s.EnsureMember(ctx, chat.PlatformTelegram, "7", "Maya", old.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	// A message from the new supergroup arrived before the migration notice.
	if _, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-1001", "Harriers", "UTC"); err != nil {
		t.Fatal(err)
	}
	for range 2 { // moving twice is harmless
		if err := s.MoveChatReferences(ctx, chat.PlatformTelegram, "-42", "-1001"); err != nil {
			t.Fatal(err)
		}
	}
	moved, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-1001", "", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	if moved.ID != old.ID || moved.PostTime.String() != "05:45" || moved.TZ != "Europe/Berlin" {
		t.Fatalf("after the move the club is %+v; want the old club's row and settings", moved)
	}
	again, err := s.EnsureMember(ctx, chat.PlatformTelegram, "7", "", 0, "")
	if err != nil || again.ID != m.ID || again.ClubID != old.ID {
		t.Fatalf("member after the move = %+v, %v", again, err)
	}
}

// TestExportListsEachOutboxRowOnce: the outbox links to a member twice
// (member_id and platform/user_id); /mydata must list each row once.
func TestExportListsEachOutboxRowOnce(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)
	s := storetest.Open(t, func() time.Time { return now })
	club, err := s.EnsureClub(ctx, chat.PlatformConsole, "harriers", "harriers", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.EnsureMember(ctx, chat.PlatformConsole, "maya", "maya", club.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	var items []outbox.Item
	for i := range 3 {
		items = append(items, outbox.Item{Key: fmt.Sprintf("morning:m%d:2026-06-1%d", m.ID, i),
			To: chat.Recipient{Platform: chat.PlatformConsole, UserID: "maya", Private: true}, Reply: chat.Reply{Text: "hi"},
			ClubID: club.ID, MemberID: m.ID})
	}
	if _, err := s.Enqueue(ctx, items, now); err != nil {
		t.Fatal(err)
	}
	tables, err := s.ExportMember(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(tables["outbox"]); got != 3 {
		t.Fatalf("export lists %d outbox rows; want each of the 3 once", got)
	}
	seen := map[any]bool{}
	for _, rows := range tables {
		for _, row := range rows {
			if id, ok := row["id"]; ok && row["key"] != nil {
				if seen[id] {
					t.Errorf("row %v listed twice", id)
				}
				seen[id] = true
			}
		}
	}
}

// TestMoveChatMergesClubMembers: when the new chat already has a club, the
// members seen in it (one of them in both clubs) and its home members move
// to the old club's row, which takes the new chat id.
func TestMoveChatMergesClubMembers(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	old, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-42", "Harriers", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-1001", "Harriers", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	both, _ := s.EnsureMember(ctx, chat.PlatformTelegram, "7", "Maya", old.ID, "")
	newOnly, _ := s.EnsureMember(ctx, chat.PlatformTelegram, "8", "Ben", fresh.ID, "")
	for _, seen := range []struct{ club, member int64 }{{old.ID, both.ID}, {fresh.ID, both.ID}, {fresh.ID, newOnly.ID}} {
		if err := s.SeenInClub(ctx, seen.club, seen.member, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MoveChatReferences(ctx, chat.PlatformTelegram, "-42", "-1001"); err != nil {
		t.Fatalf("move with a member seen in both clubs: %v", err)
	}
	c, err := s.ClubByChat(ctx, chat.PlatformTelegram, "-1001")
	if err != nil || c.ID != old.ID {
		t.Fatalf("club of the new chat = %+v, %v; want the old club's row %d", c, err, old.ID)
	}
	for _, m := range []bot.Member{both, newOnly} {
		if in, err := s.IsClubMember(ctx, old.ID, m.ID); err != nil || !in {
			t.Errorf("%s seen in the kept club: %v, %v", m.Name, in, err)
		}
	}
	if m, err := s.MemberByID(ctx, newOnly.ID); err != nil || m.ClubID != old.ID {
		t.Errorf("home club of %s after the move = %d, %v; want %d", newOnly.Name, m.ClubID, err, old.ID)
	}
}

// TestIntervalsLinkRoundTrip: an intervals.icu link's sealed key comes back
// byte for byte (not as text); linking the same athlete again keeps the
// sync marks and clears the notes, another athlete starts afresh; an
// activity is taken once.
func TestIntervalsLinkRoundTrip(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	now := time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)
	club, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-100", "Harriers", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.EnsureMember(ctx, chat.PlatformTelegram, "42", "Maya", club.ID, "42")
	if err != nil {
		t.Fatal(err)
	}
	sealed := []byte{0x00, 0xff, 0xfe, 'k', 0x80, 0x01}
	if err := s.SaveIntervalsLink(ctx, bot.IntervalsLink{MemberID: m.ID, AthleteID: "i42", KeySealed: sealed}, now); err != nil {
		t.Fatal(err)
	}
	l, err := s.IntervalsLink(ctx, m.ID)
	if err != nil || !bytes.Equal(l.KeySealed, sealed) || l.State != "ok" || !l.LastSync.IsZero() {
		t.Fatalf("link: %+v, %v", l, err)
	}
	l.LastSync, l.BrokenTold, l.WellnessThrough = now, true, coach.DateOf(now)
	if err := s.UpdateIntervalsLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIntervalsLink(ctx, bot.IntervalsLink{MemberID: m.ID, AthleteID: "i42", KeySealed: sealed}, now); err != nil {
		t.Fatal(err)
	}
	if l, err = s.IntervalsLink(ctx, m.ID); err != nil || !l.LastSync.Equal(now) || l.BrokenTold || l.WellnessThrough != coach.DateOf(now) {
		t.Fatalf("the same athlete again should keep the sync marks and clear the notes: %+v, %v", l, err)
	}
	if err := s.SaveIntervalsLink(ctx, bot.IntervalsLink{MemberID: m.ID, AthleteID: "i43", KeySealed: sealed}, now); err != nil {
		t.Fatal(err)
	}
	if l, err = s.IntervalsLink(ctx, m.ID); err != nil || !l.LastSync.IsZero() || !l.WellnessThrough.IsZero() {
		t.Fatalf("another athlete should start afresh: %+v, %v", l, err)
	}
	linked, err := s.LinkedMembers(ctx, []int64{m.ID, m.ID + 1000})
	if _, ok := linked[m.ID]; err != nil || len(linked) != 1 || !ok {
		t.Fatalf("linked members: %v, %v", linked, err)
	}
	for i, want := range []bool{true, false} {
		if took, err := s.TakeIntervalsActivity(ctx, m.ID, "i77", now); err != nil || took != want {
			t.Fatalf("take activity, try %d: %v, %v", i, took, err)
		}
	}
}
