package discord_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// recorder keeps what the adapter reported about servers and DM channels.
type recorder struct {
	mu     sync.Mutex
	guilds []string
	dms    map[string]string
}

func (r *recorder) ClubReach(_ context.Context, _ chat.Platform, chatID string, reachable bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	state := "out"
	if reachable {
		state = "in"
	}
	r.guilds = append(r.guilds, chatID+" "+state)
	return nil
}

func (r *recorder) SetDMChat(_ context.Context, _ chat.Platform, userID, chatID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.dms == nil {
		r.dms = map[string]string{}
	}
	r.dms[userID] = chatID
	return nil
}

func (r *recorder) seen() (guilds []string, dms map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]string{}
	for k, v := range r.dms {
		out[k] = v
	}
	return append([]string(nil), r.guilds...), out
}

// A post Discord refuses for a reason a coach can fix comes back as a
// *outbox.RefusedError saying what to fix, never as an unreachable club.
func TestRefusedClubPosts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true})
	send := func(id int64, channel string) error {
		return e.a.Send(t.Context(), outbox.Outgoing{ID: id, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: channel},
			Reply: chat.Reply{Text: "Good morning, Riverside Harriers!"}})
	}
	if err := send(1, channelID); err != nil {
		t.Fatalf("post to the club channel: %v", err)
	}
	cases := []struct {
		name, channel, want string
		before              func()
	}{
		{"the server's id", guildID, "/club channel", nil},
		{"no Send Messages", channelID, "Send Messages", func() { e.srv.DenySend(channelID, true) }},
		{"deleted channel", channelID, "no longer exists", func() { e.srv.DeleteChannel(channelID) }},
	}
	for i, c := range cases {
		if c.before != nil {
			c.before()
		}
		err := send(int64(10+i), c.channel)
		var refused *outbox.RefusedError
		if !errors.As(err, &refused) || errors.Is(err, outbox.ErrUnreachable) || !strings.Contains(refused.Fix, c.want) {
			t.Errorf("%s: %v; want a refusal saying %q", c.name, err, c.want)
		}
	}
}

// 50278 (no mutual server) makes a member unreachable with the one-time
// hint; 40003 holds DM opening back instead of failing the message; DM
// channels the adapter opens are stored.
func TestDMRefusals(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	e := newEnv(t, setup{noRun: true, dms: rec})
	nudge := func(id int64, user, channel string) error {
		return e.a.Send(t.Context(), outbox.Outgoing{ID: id, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: channel, UserID: user, Private: true},
			Reply: chat.Reply{Text: "Morning! Today is EASY.", Private: true}})
	}
	e.srv.QueueFault(discordtest.RouteCreateMessage, discordtest.NoMutualGuilds())
	if err := nudge(1, memberID, dmChanID); !errors.Is(err, outbox.ErrUnreachable) {
		t.Errorf("50278: %v; want unreachable", err)
	}

	if err := nudge(2, coachID, ""); err != nil {
		t.Fatalf("a nudge opening a DM: %v", err)
	}
	if _, dms := rec.seen(); dms[coachID] == "" || dms[coachID] != e.srv.DMChannel(coachID) {
		t.Errorf("stored DM channels %v; want %s's", dms, coachID)
	}

	e.srv.QueueFault(discordtest.RouteCreateDM, discordtest.OpeningDMsTooFast())
	opened := len(e.srv.CallsTo(discordtest.RouteCreateDM))
	var retry *outbox.RetryAfterError
	if err := nudge(3, ownerID, ""); !errors.As(err, &retry) || retry.After < time.Second {
		t.Fatalf("40003: %v; want a retry later", err)
	}
	if err := nudge(4, "910000000000000099", ""); !errors.As(err, &retry) {
		t.Errorf("the next DM right after a 40003: %v; want it held back", err)
	}
	if n := len(e.srv.CallsTo(discordtest.RouteCreateDM)) - opened; n != 1 {
		t.Errorf("%d DM channels requested after a 40003, want only the refused one", n)
	}
}

// GUILD_DELETE (not an outage) and GUILD_CREATE report the bot leaving and
// joining a server.
func TestGuildRemovedAndAdded(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	e := newEnv(t, setup{reach: rec})
	discordtest.WaitFor(t, func() bool { g, _ := rec.seen(); return len(g) > 0 }, 20*time.Second)
	e.srv.Dispatch("GUILD_DELETE", map[string]any{"id": guildID, "unavailable": true})
	e.srv.Dispatch("GUILD_DELETE", map[string]any{"id": guildID})
	e.srv.Dispatch("GUILD_CREATE", map[string]any{"id": guildID, "name": "Riverside Harriers"})
	discordtest.WaitFor(t, func() bool { g, _ := rec.seen(); return len(g) >= 3 }, 20*time.Second)
	time.Sleep(50 * time.Millisecond)
	g, _ := rec.seen()
	if strings.Join(g, ", ") != guildID+" in, "+guildID+" out, "+guildID+" in" {
		t.Errorf("reachability reported: %v; want in (connect), out (removed), in (added back), and nothing for the outage", g)
	}
}

// /coach add takes the member from a user option; someone who is not in
// the server is refused, whatever their name.
func TestCoachByUserOption(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	admin := discordtest.Member{User: discordtest.User{ID: ownerID, Username: "olly"}, Permissions: "32"}
	stranger := discordtest.User{ID: "910000000000000077", Username: "ann", GlobalName: "Ann"}
	i := e.command(admin, "coach", discordtest.StringOption("action", "add"), discordtest.UserOption("member", stranger))
	if got := e.answer(i, channelID); len(got) == 0 || !strings.Contains(got[0].Content, "don't know Ann") {
		t.Errorf("adding someone outside the server: %+v", got)
	}
	i = e.command(admin, "coach", discordtest.StringOption("action", "add"), discordtest.UserOption("member", member().User))
	if got := e.answer(i, channelID); len(got) == 0 || !strings.Contains(got[0].Content, "Ann is now a coach") {
		t.Errorf("adding a member of the server: %+v", got)
	}
}
