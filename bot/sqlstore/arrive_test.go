package sqlstore_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
)

// arrival is one group message's club, member and handle.
type arrival struct {
	chat, club, user, name, dm, handle string
	clubGone                           bool // mark the club unreachable first
}

// threeCalls is what a store without bot.GroupArrivals has done.
func threeCalls(ctx context.Context, s store, a arrival) (bot.Club, bot.Member, error) {
	c, err := s.EnsureClub(ctx, chat.PlatformTelegram, a.chat, a.club, "UTC")
	if err != nil {
		return c, bot.Member{}, err
	}
	m, err := s.EnsureMember(ctx, chat.PlatformTelegram, a.user, a.name, c.ID, a.dm)
	if err != nil {
		return c, m, err
	}
	if err := s.SeenInClub(ctx, c.ID, m.ID, a.handle); err != nil {
		return c, m, err
	}
	// The member as stored now (SeenInClub may change the handle).
	m, err = s.EnsureMember(ctx, chat.PlatformTelegram, a.user, "", 0, "")
	return c, m, err
}

// TestArriveInGroupSameAsThreeCalls: ArriveInGroup leaves the database and
// returns what EnsureClub, EnsureMember and SeenInClub did, through new
// clubs and members, renames, a handle taken over, a club marked
// unreachable, a new home club and a DM chat.
func TestArriveInGroupSameAsThreeCalls(t *testing.T) {
	ctx := t.Context()
	one := open(t)
	three := open(t)
	steps := []arrival{
		{chat: "-1", club: "Harriers", user: "7", name: "Ann"},
		{chat: "-1", club: "Harriers", user: "7", name: "Ann"},
		{chat: "-1", club: "Harriers", user: "7", name: "Ann B"},
		{chat: "-1", club: "Harriers AC", user: "7", name: "Ann B"},
		{chat: "-1", club: "Harriers AC", user: "7", name: "Ann B", handle: "annb"},
		{chat: "-1", club: "Harriers AC", user: "7", name: "Ann B", handle: "annb"},
		{chat: "-1", club: "Harriers AC", user: "8", name: "Bob", handle: "annb"},
		{chat: "-1", club: "Harriers AC", user: "7", name: "Ann B", handle: "ann"},
		{chat: "-1", club: "Harriers AC", user: "7", name: "Ann B", clubGone: true},
		{chat: "-2", club: "Striders", user: "7", name: "Ann B"},
		{chat: "-2", club: "Striders", user: "7", name: "Ann B", dm: "7"},
		{chat: "-2", club: "", user: "8", name: ""},
		{chat: "-1", club: "Harriers AC", user: "8", name: "Bob"},
	}
	for i, a := range steps {
		if a.clubGone {
			for _, s := range []store{one, three} {
				c, err := s.EnsureClub(ctx, chat.PlatformTelegram, a.chat, "", "UTC")
				if err != nil {
					t.Fatal(err)
				}
				c.Unreachable = true
				if err := s.UpdateClub(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
		}
		gc, gm, err := one.ArriveInGroup(ctx, chat.PlatformTelegram, a.chat, a.club, "UTC", a.user, a.name, a.dm, a.handle)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		// ArriveInGroup's member is read before SeenInClub may change the
		// handle; compare the stored member too.
		sm, err := one.EnsureMember(ctx, chat.PlatformTelegram, a.user, "", 0, "")
		if err != nil {
			t.Fatal(err)
		}
		wc, wm, err := threeCalls(ctx, three, a)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if !reflect.DeepEqual(gc, wc) {
			t.Errorf("step %d: club %+v, want %+v", i, gc, wc)
		}
		if gm.ID != wm.ID || gm.Name != wm.Name || gm.ClubID != wm.ClubID || gm.DMChatID != wm.DMChatID {
			t.Errorf("step %d: member %+v, want %+v", i, gm, wm)
		}
		if !reflect.DeepEqual(sm, wm) {
			t.Errorf("step %d: stored member %+v, want %+v", i, sm, wm)
		}
		for _, c := range []string{"-1", "-2"} {
			for _, u := range []string{"7", "8"} {
				if g, w := seen(t, one, c, u), seen(t, three, c, u); g != w {
					t.Errorf("step %d: member %s seen in %s: %v, want %v", i, u, c, g, w)
				}
			}
		}
	}
}

func seen(t *testing.T, s store, chatID, user string) bool {
	t.Helper()
	ctx := t.Context()
	c, err := s.EnsureClub(ctx, chat.PlatformTelegram, chatID, "", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.EnsureMember(ctx, chat.PlatformTelegram, user, "", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	ok, err := s.IsClubMember(ctx, c.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}
