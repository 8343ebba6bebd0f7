package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
)

// arrive is a group message's arrival from user 42 in chat -100.
func arrive(t *testing.T, s *sqlite.Store, ctx context.Context, name string) (bot.Club, bot.Member) {
	t.Helper()
	c, m, err := s.ArriveInGroup(ctx, chat.PlatformTelegram, "-100", "Harriers", "UTC", "42", name, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return c, m
}

// behindItsBack renames member 42 with a connection of its own, as no
// store method would: a store that answers from memory does not see it.
func behindItsBack(t *testing.T, file, name string) {
	t.Helper()
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE members SET name = ? WHERE user_id = '42'`, name); err != nil {
		t.Fatal(err)
	}
}

func openLeased(t *testing.T, file string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), file, sqlite.Options{Lease: &sqlite.LeaseOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// With the lease, a known member's arrival is answered from memory, and
// every change the store makes to clubs, members or club_members is seen
// at once.
func TestArrivalMemoFollowsTheStoresWrites(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "memo.db")
	s := openLeased(t, file)
	arrive(t, s, ctx, "Ann") // first contact: stored
	club, m := arrive(t, s, ctx, "Ann")

	// Remembered: a change made outside the store is not seen...
	behindItsBack(t, file, "Changed Outside")
	if _, got := arrive(t, s, ctx, ""); got.Name != "Ann" {
		t.Fatalf("arrival after an outside change = %q; want the remembered Ann", got.Name)
	}

	// ...until the store itself writes a member (UpdateMember leaves the
	// name alone): then everything is read again.
	m.Consent = bot.ConsentYes
	if err := s.UpdateMember(ctx, m, false); err != nil {
		t.Fatal(err)
	}
	if _, got := arrive(t, s, ctx, ""); got.Consent != bot.ConsentYes || got.Name != "Changed Outside" {
		t.Fatalf("after UpdateMember: %+v", got)
	}

	// A club change.
	club.PostOn = !club.PostOn
	if err := s.UpdateClub(ctx, club); err != nil {
		t.Fatal(err)
	}
	if c, _ := arrive(t, s, ctx, ""); c.PostOn != club.PostOn {
		t.Fatalf("club after UpdateClub: PostOn %v, want %v", c.PostOn, club.PostOn)
	}

	// A new name in the message: the member is renamed, and the next
	// arrival remembered so.
	if _, got := arrive(t, s, ctx, "Ann B"); got.Name != "Ann B" {
		t.Fatalf("renamed arrival = %q", got.Name)
	}
	arrive(t, s, ctx, "Ann B")
	behindItsBack(t, file, "Outside Again")
	if _, got := arrive(t, s, ctx, ""); got.Name != "Ann B" {
		t.Fatalf("arrival after the rename = %q; want Ann B from memory", got.Name)
	}

	// Erased: nothing of the member is answered from memory.
	if err := s.ForgetMember(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, got := arrive(t, s, ctx, "Newcomer"); got.Consent != bot.ConsentUnasked || got.Name != "Newcomer" {
		t.Fatalf("arrival after /forgetme = %+v; want a new member (no consent)", got)
	}
}

// A unit of work that wrote a member and was discarded leaves nothing in
// memory: its own reads are never remembered, and its rollback clears the
// memo.
func TestArrivalMemoForgetsADiscardedUnit(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "memo.db")
	s := openLeased(t, file)
	arrive(t, s, ctx, "Ann")
	arrive(t, s, ctx, "Ann")

	uctx, u, _, err := s.BeginUpdate(ctx, chat.PlatformTelegram, "7001")
	if err != nil {
		t.Fatal(err)
	}
	if _, got := arrive(t, s, uctx, "Ann Renamed"); got.Name != "Ann Renamed" {
		t.Fatalf("inside the unit: %q", got.Name)
	}
	// Read again inside the unit: it sees its own write.
	if _, got := arrive(t, s, uctx, ""); got.Name != "Ann Renamed" {
		t.Fatalf("inside the unit, again: %q", got.Name)
	}
	if _, err := u.Finish(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, got := arrive(t, s, ctx, ""); got.Name != "Ann" {
		t.Fatalf("after the discarded unit: %q; want Ann", got.Name)
	}
}

// Without the lease another process may write the file: nothing is
// remembered.
func TestNoArrivalMemoWithoutTheLease(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "memo.db")
	s, err := sqlite.Open(ctx, file, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arrive(t, s, ctx, "Ann")
	arrive(t, s, ctx, "Ann")
	behindItsBack(t, file, "Changed Outside")
	if _, got := arrive(t, s, ctx, ""); got.Name != "Changed Outside" {
		t.Fatalf("arrival without the lease = %q; want the database's", got.Name)
	}
}
