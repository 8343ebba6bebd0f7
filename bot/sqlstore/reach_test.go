package sqlstore_test

import (
	"testing"

	"github.com/shakeoutbot/shakeout/chat"
)

func TestReachStore(t *testing.T) {
	ctx := t.Context()
	s := open(t)
	c, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-100", "Harriers", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.EnsureMember(ctx, chat.PlatformTelegram, "1", "Ada", c.ID, "")
	b, _ := s.EnsureMember(ctx, chat.PlatformTelegram, "2", "Ada", c.ID, "")

	// Handles are unique: the newest holder keeps one.
	if err := s.SeenInClub(ctx, c.ID, a.ID, "runner"); err != nil {
		t.Fatal(err)
	}
	if err := s.SeenInClub(ctx, c.ID, b.ID, "runner"); err != nil {
		t.Fatal(err)
	}
	if m, err := s.MemberByUsername(ctx, chat.PlatformTelegram, "runner"); err != nil || m.ID != b.ID {
		t.Errorf("@runner = %+v, %v; want the member who has it now", m, err)
	}
	if m, _ := s.MemberByID(ctx, a.ID); m.Username != "" {
		t.Errorf("the old holder kept @%s", m.Username)
	}
	if ok, _ := s.IsClubMember(ctx, c.ID, a.ID); !ok {
		t.Error("a member who spoke in the club is not a member")
	}
	other, _ := s.EnsureClub(ctx, chat.PlatformTelegram, "-200", "Otters", "UTC")
	if ok, _ := s.IsClubMember(ctx, other.ID, a.ID); ok {
		t.Error("a member of another club counts as a member")
	}

	// A refusal is news once per chat, until the post target changes or
	// the club is added back.
	for i, want := range []bool{true, false} {
		if got, err := s.FirstRefusal(ctx, c.ID, "-100"); err != nil || got != want {
			t.Errorf("refusal %d: %v, %v; want %v", i, got, err, want)
		}
	}
	c.PostThread = "7"
	if err := s.UpdateClub(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FirstRefusal(ctx, c.ID, "-100"); !got {
		t.Error("a refusal after a new post target is not news")
	}
	if _, changed, err := s.SetClubReachable(ctx, chat.PlatformTelegram, "-100", false); err != nil || !changed {
		t.Errorf("removal: changed %v, %v", changed, err)
	}
	if _, changed, _ := s.SetClubReachable(ctx, chat.PlatformTelegram, "-100", false); changed {
		t.Error("a second removal changed something")
	}
	if cl, changed, _ := s.SetClubReachable(ctx, chat.PlatformTelegram, "-100", true); !changed || cl.Unreachable {
		t.Errorf("added back: %+v changed %v", cl, changed)
	}
	if got, _ := s.FirstRefusal(ctx, c.ID, "-100"); !got {
		t.Error("a refusal after the bot was added back is not news")
	}

	// Blocking and unblocking; a DM channel the bot opened changes nothing else.
	if changed, _ := s.SetMemberReachable(ctx, chat.PlatformTelegram, "1", false); !changed {
		t.Error("block not recorded")
	}
	if err := s.SetDMChat(ctx, chat.PlatformTelegram, "1", "555"); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.MemberByUserID(ctx, chat.PlatformTelegram, "1"); !m.Unreachable || m.DMChatID != "555" {
		t.Errorf("after SetDMChat: %+v", m)
	}
	if changed, _ := s.SetMemberReachable(ctx, chat.PlatformTelegram, "1", true); !changed {
		t.Error("unblock not recorded")
	}
}
