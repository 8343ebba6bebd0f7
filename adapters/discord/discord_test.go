package discord_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord"
	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/internal/storetest"
	"github.com/shakeoutbot/shakeout/outbox"
)

const (
	guildID    = "910000000000000001"
	channelID  = "910000000000000002"
	ownerID    = "910000000000000003"
	memberID   = "910000000000000004"
	coachID    = "910000000000000005"
	roleID     = "910000000000000006"
	roleCoach  = "910000000000000007"
	dmChanID   = "910000000000000008"
	canaryTok  = "canary-Tok3n-DO-NOT-LOG-4f9a1c"
	ephemeral  = 64
	manageGuid = "32"
)

// syncBuffer is a log sink that tests read while the adapter writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is a fake Discord, a real core on a temp SQLite file, and an adapter
// running against both.
type env struct {
	t    *testing.T
	srv  *discordtest.Server
	core *recordingCore
	a    *discord.Adapter
	logs *syncBuffer
	done chan error
	stop context.CancelFunc
}

// recordingCore wraps the real core, remembering the messages it saw and
// optionally holding each one until released.
type recordingCore struct {
	discord.Core
	mu   sync.Mutex
	seen []chat.Message
	gate chan struct{} // when set, Handle waits for a value
	// mutate, when set, rewrites the core's replies.
	mutate func([]chat.Reply) []chat.Reply
}

func (c *recordingCore) Handle(ctx context.Context, m chat.Message) []chat.Reply {
	c.mu.Lock()
	c.seen = append(c.seen, m)
	gate, mutate := c.gate, c.mutate
	c.mu.Unlock()
	if gate != nil {
		<-gate
	}
	rs := c.Core.Handle(ctx, m)
	if mutate != nil {
		rs = mutate(rs)
	}
	return rs
}

func (c *recordingCore) messages() []chat.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]chat.Message(nil), c.seen...)
}

func (c *recordingCore) last(t *testing.T) chat.Message {
	t.Helper()
	ms := c.messages()
	if len(ms) == 0 {
		t.Fatal("the core saw no message")
	}
	return ms[len(ms)-1]
}

type setup struct {
	noRun     bool
	token     string // the adapter's token when not the fake's
	guildCmds bool   // register commands globally when false
	opts      []discordtest.Option
	before    func(*discordtest.Server)
	reach     discord.Reach
	dms       discord.DMStore
}

func newEnv(t *testing.T, s setup) *env {
	t.Helper()
	srv := discordtest.New(t, append([]discordtest.Option{discordtest.WithToken(canaryTok)}, s.opts...)...)
	srv.AddGuild(discordtest.Guild{
		ID: guildID, Name: "Riverside Harriers", OwnerID: ownerID,
		Roles: []discordtest.Role{{ID: roleCoach, Name: "Coach", Permissions: "0"}, {ID: roleID, Name: "Runner", Permissions: "0"}},
		Members: []discordtest.Member{
			{User: discordtest.User{ID: memberID, Username: "ann", GlobalName: "Ann"}},
			{User: discordtest.User{ID: coachID, Username: "cora"}, Roles: []string{roleCoach}},
		},
	})
	srv.AddChannel(guildID, channelID)
	srv.AddDMChannel(memberID, dmChanID)
	if s.before != nil {
		s.before(srv)
	}
	store := storetest.Open(t, nil)
	b, err := bot.New(bot.Deps{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	core := &recordingCore{Core: b}
	d := discord.Deps{
		Token: config.Secret(cmp.Or(s.token, srv.Token())), APIURL: srv.URL(), AdminRole: "Coach", Core: core, Reach: s.reach, DMs: s.dms,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if s.guildCmds {
		d.GuildID = guildID
	}
	a, err := discord.New(d)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, core: core, a: a, logs: logs, done: make(chan error, 1)}
	t.Cleanup(func() {
		if strings.Contains(logs.String(), canaryTok) {
			t.Errorf("the token appears in the logs:\n%s", logs.String())
		}
	})
	if s.noRun {
		return e
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.stop = cancel
	go func() { e.done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-e.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	scope := ""
	if s.guildCmds {
		scope = guildID
	}
	discordtest.WaitFor(t, func() bool { return len(srv.Commands(scope)) > 0 }, 20*time.Second)
	return e
}

func member() discordtest.Member {
	return discordtest.Member{User: discordtest.User{ID: memberID, Username: "ann", GlobalName: "Ann"}}
}

// command dispatches a slash command in the club channel and waits until
// its answer is complete (the deferred response edited, plus follow-ups).
func (e *env) command(m discordtest.Member, name string, opts ...discordtest.CommandOption) *discordtest.Interaction {
	e.t.Helper()
	i := e.srv.SlashCommand(name, opts...).InGuild(guildID, channelID, m)
	if n := e.srv.DispatchInteraction(i); n != 1 {
		e.t.Fatalf("dispatched to %d sessions", n)
	}
	e.waitAnswered(i)
	return i
}

// waitAnswered waits until the deferred response of i was edited.
func (e *env) waitAnswered(i *discordtest.Interaction) {
	e.t.Helper()
	discordtest.WaitFor(e.t, func() bool {
		for _, c := range e.srv.CallsTo(discordtest.RouteEditOriginal) {
			if strings.Contains(c.Path, i.Token) {
				return true
			}
		}
		return false
	}, 20*time.Second)
}

// answer returns the messages created for interaction i, in order.
func (e *env) answer(i *discordtest.Interaction, channel string) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range e.srv.Messages(channel) {
		if m.InteractionToken == i.Token {
			out = append(out, m)
		}
	}
	return out
}

func (e *env) response(i *discordtest.Interaction) discordtest.InteractionResponse {
	e.t.Helper()
	for _, r := range e.srv.InteractionResponses() {
		if r.InteractionID == i.ID {
			return r
		}
	}
	e.t.Fatalf("no callback for interaction %s", i.ID)
	return discordtest.InteractionResponse{}
}

func needCommand(t *testing.T, e *env, name string) chat.Command {
	t.Helper()
	c, ok := e.core.Catalog().Lookup(name)
	if !ok {
		t.Fatalf("/%s is not in the core's registry", name)
	}
	return c
}

func TestAskInChannel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	i := e.command(member(), "ask", discordtest.StringOption("question", "how slow should my recovery run be?"))
	r := e.response(i)
	if r.Type != 5 || r.Flags&ephemeral != 0 || r.Elapsed > time.Second {
		t.Errorf("callback = type %d flags %d after %v; want a public deferral at once", r.Type, r.Flags, r.Elapsed)
	}
	msgs := e.answer(i, channelID)
	if len(msgs) != 1 || msgs[0].Content == "" || msgs[0].Edits != 1 {
		t.Fatalf("answer = %+v", msgs)
	}
	m := e.core.last(t)
	want := chat.Message{Platform: chat.PlatformDiscord, UpdateID: i.ID, ClubChatID: guildID, ClubName: "Riverside Harriers",
		ChatID: channelID, UserID: memberID, UserName: "Ann", Command: "ask", Args: "how slow should my recovery run be?"}
	if m != want {
		t.Errorf("message = %+v\nwant      %+v", m, want)
	}
	e.srv.AssertNoViolations(t)
}

func TestToday(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	needCommand(t, e, "today")
	i := e.command(member(), "today")
	if r := e.response(i); r.Type != 5 || r.Flags&ephemeral == 0 {
		t.Errorf("callback = type %d flags %d; /today is personal and must be ephemeral", r.Type, r.Flags)
	}
	msgs := e.answer(i, channelID)
	if len(msgs) == 0 {
		t.Fatal("no answer")
	}
	first := strings.Fields(msgs[0].Content)
	if len(first) == 0 || !map[string]bool{"EASY": true, "REST": true, "HARD": true}[strings.Trim(first[0], ".:,!")] {
		t.Errorf("/today answer starts %q; want EASY, REST or HARD", msgs[0].Content)
	}
	for _, m := range msgs {
		if m.Flags&ephemeral == 0 {
			t.Errorf("a /today message is visible to the channel: %q", m.Content)
		}
	}
	e.srv.AssertNoViolations(t)
}

func TestRacedWithChoices(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	cmd := needCommand(t, e, "raced")
	var def struct {
		Options []struct {
			Name     string `json:"name"`
			Type     int    `json:"type"`
			Required bool   `json:"required"`
			Choices  []struct {
				Value any `json:"value"`
			} `json:"choices"`
			Autocomplete bool `json:"autocomplete"`
		} `json:"options"`
	}
	for _, c := range e.srv.Commands(guildID) {
		if c.Name == "raced" {
			if err := json.Unmarshal(c.Raw, &def); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(def.Options) != len(cmd.Options) {
		t.Fatalf("registered options = %+v, registry has %d", def.Options, len(cmd.Options))
	}
	for _, o := range cmd.Options {
		for _, d := range def.Options {
			if d.Name == o.Name && len(o.Choices) > 0 && len(o.Choices) <= 25 && len(d.Choices) != len(o.Choices) {
				t.Errorf("option %s: %d choices registered, registry has %d", o.Name, len(d.Choices), len(o.Choices))
			}
		}
	}
	// Every fixed list in the registry (session kinds, units, levels…) is
	// registered as Discord choices.
	for _, c := range e.srv.Commands(guildID) {
		cmd, _ := e.core.Catalog().Lookup(c.Name)
		var got struct {
			Options []struct {
				Name    string `json:"name"`
				Choices []any  `json:"choices"`
			} `json:"options"`
		}
		json.Unmarshal(c.Raw, &got)
		for _, o := range cmd.Options {
			if len(o.Choices) == 0 || len(o.Choices) > 25 || o.Autocomplete {
				continue
			}
			for _, g := range got.Options {
				if g.Name == o.Name && len(g.Choices) != len(o.Choices) {
					t.Errorf("/%s %s: %d choices registered, registry has %d", c.Name, o.Name, len(g.Choices), len(o.Choices))
				}
			}
		}
	}
	i := e.command(member(), "raced", discordtest.StringOption("distance", "half"))
	if got := e.core.last(t); got.Command != "raced" || !strings.HasPrefix(got.Args, "half") {
		t.Errorf("core saw /%s %q", got.Command, got.Args)
	}
	msgs := e.answer(i, channelID)
	if len(msgs) == 0 || msgs[0].Content == "" {
		t.Fatalf("answer = %+v", msgs)
	}
	e.srv.AssertNoViolations(t)
}

func TestButtonPress(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	// A post with a button the core no longer knows: the press still reaches
	// the core, which answers that the button expired.
	err := e.a.Send(t.Context(), outbox.Outgoing{ID: 1, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: channelID},
		Reply: chat.Reply{Text: "How do you feel today?", Buttons: [][]chat.Button{{{Label: "Fresh", Data: "gone:fresh"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	posts := e.srv.Messages(channelID)
	if len(posts) != 1 || len(posts[0].CustomIDs()) != 1 {
		t.Fatalf("posts = %+v", posts)
	}
	press := e.srv.ButtonPress("gone:fresh", posts[0].ID).InGuild(guildID, channelID, member())
	e.srv.DispatchInteraction(press)
	discordtest.WaitFor(t, func() bool { return len(e.answer(press, channelID)) == 1 }, 20*time.Second)
	if r := e.response(press); r.Type != 6 {
		t.Errorf("button callback type %d, want 6 (deferred update)", r.Type)
	}
	got := e.answer(press, channelID)[0]
	if got.Flags&ephemeral == 0 || !strings.Contains(got.Content, "expired") {
		t.Errorf("button answer = %q flags %d; want an ephemeral follow-up", got.Content, got.Flags)
	}
	if m := e.core.last(t); m.Button != "gone:fresh" || m.UpdateID != press.ID || m.UserID != memberID {
		t.Errorf("core saw %+v", m)
	}
	if p, _ := e.srv.Message(posts[0].ID); p.Content != "How do you feel today?" || len(p.CustomIDs()) != 1 {
		t.Errorf("the post changed: %+v", p)
	}
	e.srv.AssertNoViolations(t)
}

func TestCheckInButtons(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	needCommand(t, e, "checkin")
	i := e.command(member(), "checkin")
	var ids []string
	var msgID string
	discordtest.WaitFor(t, func() bool {
		for _, m := range e.answer(i, channelID) {
			if len(m.CustomIDs()) > 0 {
				ids, msgID = m.CustomIDs(), m.ID
				return true
			}
		}
		return false
	}, 20*time.Second)
	press := e.srv.ButtonPress(ids[0], msgID).InGuild(guildID, channelID, member())
	e.srv.DispatchInteraction(press)
	discordtest.WaitFor(t, func() bool { return len(e.answer(press, channelID)) > 0 }, 20*time.Second)
	if m := e.core.last(t); m.Button != ids[0] {
		t.Errorf("core saw button %q, want %q", m.Button, ids[0])
	}
	for _, m := range e.answer(press, channelID) {
		if m.Flags&ephemeral == 0 {
			t.Errorf("check-in answer visible to the channel: %q", m.Content)
		}
	}
	e.srv.AssertNoViolations(t)
}

func TestDeferredBeforeSlowCore(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	gate := make(chan struct{})
	released := false
	t.Cleanup(func() {
		if !released {
			close(gate)
		}
	})
	e.core.mu.Lock()
	e.core.gate = gate
	e.core.mu.Unlock()
	i := e.srv.SlashCommand("ask", discordtest.StringOption("question", "what should I eat after a long run?")).InGuild(guildID, channelID, member())
	e.srv.DispatchInteraction(i)
	// The core is blocked; the deferral must already be there.
	discordtest.WaitFor(t, func() bool { return len(e.srv.InteractionResponses()) == 1 }, 2*time.Second)
	if r := e.srv.InteractionResponses()[0]; r.Type != 5 || r.Status != 204 {
		t.Fatalf("callback = %+v", r)
	}
	discordtest.WaitFor(t, func() bool { return len(e.core.messages()) == 1 }, 2*time.Second)
	if len(e.srv.CallsTo(discordtest.RouteEditOriginal)) != 0 {
		t.Fatal("answered before the core returned")
	}
	close(gate)
	released = true
	e.waitAnswered(i)
	if msgs := e.answer(i, channelID); len(msgs) != 1 || msgs[0].Content == "" {
		t.Fatalf("answer = %+v", msgs)
	}
	e.srv.AssertNoViolations(t)
}

func TestCoachRights(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	manager := discordtest.Member{User: discordtest.User{ID: ownerID, Username: "olga"}, Permissions: manageGuid}
	admin := discordtest.Member{User: discordtest.User{ID: "910000000000000011", Username: "adam"}, Permissions: "8"}
	roleByName := discordtest.Member{User: discordtest.User{ID: coachID, Username: "cora"}, Roles: []string{roleCoach}}
	plain := discordtest.Member{User: discordtest.User{ID: memberID, Username: "ann"}, Roles: []string{roleID}}
	for _, c := range []struct {
		name string
		m    discordtest.Member
		want bool
	}{{"manage server", manager, true}, {"administrator", admin, true}, {"coach role by name", roleByName, true}, {"member", plain, false}} {
		e.command(c.m, "help")
		if got := e.core.last(t).PlatformAdmin; got != c.want {
			t.Errorf("%s: PlatformAdmin = %v, want %v", c.name, got, c.want)
		}
	}

	var coachCmd string
	for _, c := range e.core.Catalog().Commands() {
		if c.ClubAdmin {
			coachCmd = c.Name
			break
		}
	}
	if coachCmd == "" {
		t.Fatal("the registry has no coach command")
	}
	for _, c := range e.srv.Commands(guildID) {
		var def struct {
			Perms *string `json:"default_member_permissions"`
		}
		json.Unmarshal(c.Raw, &def)
		cmd, _ := e.core.Catalog().Lookup(c.Name)
		if cmd.ClubAdmin && (def.Perms == nil || *def.Perms != manageGuid) {
			t.Errorf("/%s default_member_permissions = %v, want %s", c.Name, def.Perms, manageGuid)
		}
		if !cmd.ClubAdmin && def.Perms != nil {
			t.Errorf("/%s is a member command but has default_member_permissions %s", c.Name, *def.Perms)
		}
	}
	i := e.command(plain, coachCmd)
	msgs := e.answer(i, channelID)
	if len(msgs) == 0 || !strings.Contains(msgs[0].Content, "coach") {
		t.Errorf("refusal = %+v", msgs)
	}
	e.srv.AssertNoViolations(t)
}

func TestRecoveryWeekPostedToChannel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	cmd := needCommand(t, e, "recoveryweek")
	d := time.Now().UTC().AddDate(0, 0, 7)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	opt := "what"
	if len(cmd.Options) > 0 {
		opt = cmd.Options[0].Name
	}
	coach := discordtest.Member{User: discordtest.User{ID: ownerID, Username: "olga"}, Permissions: manageGuid}
	i := e.command(coach, "recoveryweek", discordtest.StringOption(opt, d.Format("2006-01-02")+" Easy week before the club race"))
	msgs := e.answer(i, channelID)
	if len(msgs) == 0 {
		t.Fatal("no answer")
	}
	if msgs[0].Flags&ephemeral != 0 || !strings.Contains(strings.ToLower(msgs[0].Content), "recovery week") {
		t.Errorf("announcement = %q flags %d; want it public in the channel", msgs[0].Content, msgs[0].Flags)
	}
	e.srv.AssertNoViolations(t)
}

func TestNudgeByDM(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true})
	ctx := t.Context()
	for id := int64(10); id < 12; id++ {
		err := e.a.Send(ctx, outbox.Outgoing{ID: id, Key: "nudge", To: chat.Recipient{Platform: chat.PlatformDiscord, UserID: memberID, Private: true},
			Reply: chat.Reply{Text: "Good morning! Today: EASY.", Private: true, Buttons: [][]chat.Button{{{Label: "Fresh", Data: "plan:fresh"}}}}})
		if err != nil {
			t.Fatalf("Send %d: %v", id, err)
		}
	}
	if n := len(e.srv.CallsTo(discordtest.RouteCreateDM)); n != 1 {
		t.Errorf("DM channel opened %d times, want once", n)
	}
	dm := e.srv.DMChannel(memberID)
	msgs := e.srv.Messages(dm)
	var am struct {
		Parse []string `json:"parse"`
	}
	if len(msgs) > 0 {
		json.Unmarshal(msgs[0].AllowedMentions, &am)
	}
	if len(msgs) != 2 || msgs[0].Nonce != "o10" || !msgs[0].EnforceNonce || am.Parse == nil || len(am.Parse) != 0 ||
		len(msgs[0].CustomIDs()) != 1 {
		t.Fatalf("DM messages = %+v", msgs)
	}
	e.srv.AssertNoViolations(t)
}

func TestUnreachableThenHint(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	e.srv.BlockDMs(memberID)
	err := e.a.Send(t.Context(), outbox.Outgoing{ID: 20, To: chat.Recipient{Platform: chat.PlatformDiscord, UserID: memberID, Private: true},
		Reply: chat.Reply{Text: "Good morning!"}})
	if !errors.Is(err, outbox.ErrUnreachable) {
		t.Fatalf("Send err = %v, want ErrUnreachable", err)
	}
	i := e.command(member(), "help")
	discordtest.WaitFor(t, func() bool { return len(e.answer(i, channelID)) == 2 }, 20*time.Second)
	hint := e.answer(i, channelID)[1]
	if hint.Flags&ephemeral == 0 || !strings.Contains(hint.Content, "couldn't send you a direct message") {
		t.Errorf("hint = %q flags %d", hint.Content, hint.Flags)
	}
	j := e.command(member(), "help")
	time.Sleep(100 * time.Millisecond)
	if n := len(e.answer(j, channelID)); n != 1 {
		t.Errorf("second command got %d messages; the hint is shown once", n)
	}
	e.srv.AssertNoViolations(t)
}

func TestDMQuestion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	e.srv.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "920000000000000001", "channel_id": dmChanID, "content": "how slow should my recovery run be?",
		"timestamp": time.Now().UTC().Format(time.RFC3339), "type": 0,
		"author": map[string]any{"id": memberID, "username": "ann", "global_name": "Ann"},
	})
	discordtest.WaitFor(t, func() bool { return len(e.srv.Messages(dmChanID)) > 0 }, 20*time.Second)
	m := e.core.last(t)
	if !m.Private || m.ChatID != dmChanID || m.ClubChatID != "" || m.Command != "" || m.Args != "how slow should my recovery run be?" ||
		m.UpdateID != "920000000000000001" || m.UserName != "Ann" {
		t.Errorf("core saw %+v", m)
	}
	reply := e.srv.Messages(dmChanID)[0]
	if reply.Content == "" || reply.Nonce == "" || !reply.EnforceNonce {
		t.Errorf("reply = %+v", reply)
	}
	// A typed /command in a DM runs the command.
	e.srv.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "920000000000000002", "channel_id": dmChanID, "content": "/help ask",
		"timestamp": time.Now().UTC().Format(time.RFC3339), "type": 0,
		"author": map[string]any{"id": memberID, "username": "ann"},
	})
	discordtest.WaitFor(t, func() bool { return len(e.core.messages()) == 2 }, 20*time.Second)
	if m := e.core.last(t); m.Command != "help" || m.Args != "ask" {
		t.Errorf("typed command seen as /%s %q", m.Command, m.Args)
	}
	e.srv.AssertNoViolations(t)
}

func TestMentionQuestion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	botID := e.srv.BotUser().ID
	msg := func(id, content string, mentions []any) map[string]any {
		return map[string]any{
			"id": id, "channel_id": channelID, "guild_id": guildID, "content": content,
			"timestamp": time.Now().UTC().Format(time.RFC3339), "type": 0, "mentions": mentions,
			"author": map[string]any{"id": memberID, "username": "ann"},
			"member": map[string]any{"roles": []any{}},
		}
	}
	// Without the Message Content intent, other messages arrive empty and
	// are ignored.
	e.srv.Dispatch("MESSAGE_CREATE", msg("920000000000000010", "", []any{}))
	e.srv.Dispatch("MESSAGE_CREATE", msg("920000000000000011", "<@"+botID+"> is a recovery run worth it?",
		[]any{map[string]any{"id": botID, "username": "shakeout", "bot": true}}))
	discordtest.WaitFor(t, func() bool { return len(e.srv.Messages(channelID)) > 0 }, 20*time.Second)
	if ms := e.core.messages(); len(ms) != 1 || ms[0].Args != "is a recovery run worth it?" || ms[0].Command != "" ||
		ms[0].Private || ms[0].ClubChatID != guildID || ms[0].UpdateID != "920000000000000011" {
		t.Errorf("core saw %+v", ms)
	}
	calls := e.srv.CallsTo(discordtest.RouteCreateMessage)
	if len(calls) == 0 || !strings.Contains(string(calls[0].Body), `"message_reference":{"message_id":"920000000000000011"`) {
		t.Errorf("reply body = %s", calls[0].Body)
	}
	e.srv.AssertNoViolations(t)
}

func TestFanOutStaysUnderGlobalLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true})
	const n = 500
	ids := make(chan int, n)
	for i := range n {
		ids <- i
	}
	close(ids)
	for i := range n {
		e.srv.AddChannel(guildID, fmt.Sprintf("93%016d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range 8 {
		wg.Go(func() {
			for i := range ids {
				ch := fmt.Sprintf("93%016d", i)
				errs <- e.a.Send(t.Context(), outbox.Outgoing{ID: int64(1000 + i), To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: ch},
					Reply: chat.Reply{Text: "Good morning, club: today is EASY."}})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	calls := e.srv.CallsTo(discordtest.RouteCreateMessage)
	if len(calls) != n {
		t.Fatalf("%d calls, want %d", len(calls), n)
	}
	for i := range calls {
		j := i
		for j < len(calls) && calls[j].At.Sub(calls[i].At) < time.Second {
			j++
		}
		if j-i > 50 {
			t.Fatalf("%d requests within one second from %v", j-i, calls[i].At)
		}
	}
	if v := e.srv.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestCreatedThenFailedResendIsOneMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true})
	e.srv.QueueFault(discordtest.RouteCreateMessage, discordtest.CreatedThenFailed(500))
	o := outbox.Outgoing{ID: 42, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: channelID}, Reply: chat.Reply{Text: "Recovery week starts Monday."}}
	err := e.a.Send(t.Context(), o)
	var ra *outbox.RetryAfterError
	if err == nil || errors.Is(err, outbox.ErrUnreachable) || errors.As(err, &ra) {
		t.Fatalf("first send err = %v, want a transient error", err)
	}
	if err := e.a.Send(t.Context(), o); err != nil {
		t.Fatalf("resend: %v", err)
	}
	if msgs := e.srv.Messages(channelID); len(msgs) != 1 {
		t.Fatalf("%d messages on the fake, want 1", len(msgs))
	}
	e.srv.AssertNoViolations(t)
}

func TestRateLimitIsReturnedNotSlept(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true})
	e.srv.QueueFault(discordtest.RouteCreateMessage, discordtest.RateLimited(30))
	start := time.Now()
	err := e.a.Send(t.Context(), outbox.Outgoing{ID: 5, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: channelID}, Reply: chat.Reply{Text: "hi"}})
	var ra *outbox.RetryAfterError
	if !errors.As(err, &ra) || ra.After != 30*time.Second {
		t.Fatalf("err = %v, want RetryAfterError 30s", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("Send took %v; it must not sleep out a 429", el)
	}
}

func TestLongReplySplitInOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true})
	para := strings.TrimSpace(strings.Repeat("Easy running builds the base. ", 30)) // ~900 characters
	text := strings.Join([]string{para, para, para, para, para}, "\n\n")
	err := e.a.Send(t.Context(), outbox.Outgoing{ID: 77, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: channelID},
		Reply: chat.Reply{Text: text, Buttons: [][]chat.Button{{{Label: "OK", Data: "x:ok"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := e.srv.Messages(channelID)
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want 3", len(msgs))
	}
	var joined []string
	for i, m := range msgs {
		if len([]rune(m.Content)) > 2000 {
			t.Errorf("part %d has %d characters", i, len([]rune(m.Content)))
		}
		if (len(m.CustomIDs()) > 0) != (i == len(msgs)-1) {
			t.Errorf("part %d buttons %v; buttons belong on the last part", i, m.CustomIDs())
		}
		joined = append(joined, m.Content)
	}
	if strings.Join(joined, "\n\n") != strings.TrimSpace(text) {
		t.Error("the parts do not add up to the text, in order")
	}
	e.srv.AssertNoViolations(t)
}

func TestFatalCloseCodeAtStart(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true})
	e.srv.RejectIdentify(4004, "Authentication failed.")
	start := time.Now()
	err := e.a.Run(t.Context())
	var gc *discord.GatewayClosedError
	if !errors.As(err, &gc) || gc.Code != 4004 {
		t.Fatalf("Run err = %v, want GatewayClosedError 4004", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("Run took %v to give up", el)
	}
	if n := strings.Count(e.logs.String(), "close_code=4004"); n != 1 {
		t.Errorf("close code logged %d times, want once:\n%s", n, e.logs.String())
	}
	if n := e.srv.IdentifyCount(); n != 1 {
		t.Errorf("%d identifies, want 1", n)
	}
}

func TestFatalCloseCodeWhileRunning(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true})
	done := make(chan error, 1)
	go func() { done <- e.a.Run(t.Context()) }()
	discordtest.WaitFor(t, func() bool { return len(e.srv.Commands("")) > 0 }, 20*time.Second)
	e.srv.RejectIdentify(4014, "Disallowed intent(s).")
	e.srv.CloseGateway(4014, "Disallowed intent(s).")
	select {
	case err := <-done:
		var gc *discord.GatewayClosedError
		if !errors.As(err, &gc) || gc.Code != 4014 {
			t.Fatalf("Run err = %v, want GatewayClosedError 4014", err)
		}
	case <-time.After(8 * time.Second):
		t.Fatal("Run did not stop after a fatal close code")
	}
	if n := strings.Count(e.logs.String(), "close_code=4014"); n != 1 {
		t.Errorf("close code logged %d times, want once:\n%s", n, e.logs.String())
	}
	if ids := e.srv.Identifies(); len(ids) != 1 || ids[0].Intents != int(discord.Intents) || ids[0].Intents&(1<<15) != 0 {
		t.Errorf("identifies = %+v; want one, without privileged intents", ids)
	}
}

func TestReconnectAfterDrop(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	e.srv.CloseGateway(4000, "Unknown error.")
	discordtest.WaitFor(t, func() bool { return e.srv.Resumes()+e.srv.IdentifyCount() >= 2 && e.srv.Connections() == 1 }, 8*time.Second)
	i := e.command(member(), "help")
	if len(e.answer(i, channelID)) == 0 {
		t.Error("no answer after reconnecting")
	}
	e.srv.AssertNoViolations(t)
}

func TestAutocompleteTimezones(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	cmd, opt := "", ""
	for _, c := range e.core.Catalog().Commands() {
		for _, o := range c.Options {
			if o.Autocomplete && len(o.Choices) == 0 {
				cmd, opt = c.Name, o.Name
			}
		}
	}
	if cmd == "" {
		t.Fatal("the registry has no autocompleted timezone option")
	}
	i := e.srv.SlashCommand(cmd).InGuild(guildID, channelID, member())
	i.Type = 4
	i.Data["options"] = []any{map[string]any{"name": opt, "type": 3, "value": "berl", "focused": true}}
	e.srv.DispatchInteraction(i)
	discordtest.WaitFor(t, func() bool { return len(e.srv.InteractionResponses()) == 1 }, 20*time.Second)
	r := e.srv.InteractionResponses()[0]
	var data struct {
		Choices []struct{ Name, Value string } `json:"choices"`
	}
	json.Unmarshal(r.Data, &data)
	if r.Type != 8 || len(data.Choices) == 0 || data.Choices[0].Value != "Europe/Berlin" {
		t.Errorf("autocomplete = type %d %+v", r.Type, data.Choices)
	}
	e.srv.AssertNoViolations(t)
}

func TestGlobalRegistration(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{})
	if len(e.srv.Commands(guildID)) != 0 {
		t.Error("commands registered in a guild without SHAKEOUT_DISCORD_GUILD_ID")
	}
	got := e.srv.Commands("")
	if len(got) != len(e.core.Catalog().Commands()) {
		t.Errorf("%d global commands, registry has %d", len(got), len(e.core.Catalog().Commands()))
	}
	for _, c := range got {
		var def struct {
			Contexts []int `json:"contexts"`
		}
		json.Unmarshal(c.Raw, &def)
		cmd, _ := e.core.Catalog().Lookup(c.Name)
		want := 2
		if cmd.ClubAdmin {
			want = 1
		}
		if len(def.Contexts) != want {
			t.Errorf("/%s contexts %v", c.Name, def.Contexts)
		}
	}
	e.srv.AssertNoViolations(t)
}

func TestRouteBucketsRespected(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true, opts: []discordtest.Option{discordtest.WithRouteLimit(discordtest.RouteCreateMessage, 2, 300*time.Millisecond)}})
	start := time.Now()
	for id := range int64(6) {
		err := e.a.Send(t.Context(), outbox.Outgoing{ID: 300 + id, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: channelID}, Reply: chat.Reply{Text: "post"}})
		if err != nil {
			t.Fatalf("Send %d: %v", id, err)
		}
	}
	if el := time.Since(start); el < 500*time.Millisecond {
		t.Errorf("6 sends at 2 per 300 ms took %v; the bucket headers were ignored", el)
	}
	if n := len(e.srv.Messages(channelID)); n != 6 {
		t.Errorf("%d messages, want 6", n)
	}
	e.srv.AssertNoViolations(t)
}

func TestWrongTokenStaysOutOfLogs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true, token: canaryTok, opts: []discordtest.Option{discordtest.WithToken("the-right-token")}})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	err := e.a.Run(ctx)
	var gc *discord.GatewayClosedError
	if !errors.As(err, &gc) || gc.Code != 4004 {
		t.Fatalf("Run err = %v, want GatewayClosedError 4004", err)
	}
	serr := e.a.Send(t.Context(), outbox.Outgoing{ID: 1, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: channelID}, Reply: chat.Reply{Text: "x"}})
	if serr == nil {
		t.Fatal("Send with a wrong token succeeded")
	}
	for _, s := range []string{err.Error(), serr.Error()} {
		if strings.Contains(s, canaryTok) {
			t.Errorf("error shows the token: %s", s)
		}
	}
	// newEnv's cleanup checks the logs for the token.
}

func TestPersonalReplyToPublicCommand(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	e.core.mu.Lock()
	e.core.mutate = func(rs []chat.Reply) []chat.Reply {
		for i := range rs {
			rs[i].Private = true
		}
		return rs
	}
	e.core.mu.Unlock()
	i := e.command(member(), "help")
	discordtest.WaitFor(t, func() bool { return len(e.answer(i, channelID)) == 2 }, 20*time.Second)
	msgs := e.answer(i, channelID)
	if msgs[0].Flags&ephemeral != 0 || msgs[0].Content != "I've answered you privately." {
		t.Errorf("public original = %q flags %d", msgs[0].Content, msgs[0].Flags)
	}
	if msgs[1].Flags&ephemeral == 0 || msgs[1].Content == "" {
		t.Errorf("personal answer = %q flags %d; want it ephemeral", msgs[1].Content, msgs[1].Flags)
	}

	e.core.mu.Lock()
	e.core.mutate = func([]chat.Reply) []chat.Reply { return nil }
	e.core.mu.Unlock()
	j := e.command(member(), "help")
	if msgs := e.answer(j, channelID); len(msgs) != 1 || msgs[0].Content != "Done." {
		t.Errorf("answer without replies = %+v", msgs)
	}
	e.srv.AssertNoViolations(t)
}

func TestPersonalAnswerToMentionGoesByDM(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	e.core.mu.Lock()
	e.core.mutate = func(rs []chat.Reply) []chat.Reply {
		for i := range rs {
			rs[i].Private = true
		}
		return rs
	}
	e.core.mu.Unlock()
	botID := e.srv.BotUser().ID
	mention := func(id, user string) {
		e.srv.Dispatch("MESSAGE_CREATE", map[string]any{
			"id": id, "channel_id": channelID, "guild_id": guildID, "content": "<@" + botID + "> am I ready for intervals?",
			"timestamp": time.Now().UTC().Format(time.RFC3339), "type": 0,
			"mentions": []any{map[string]any{"id": botID, "username": "shakeout", "bot": true}},
			"author":   map[string]any{"id": user, "username": "someone"},
		})
	}
	mention("920000000000000020", memberID)
	discordtest.WaitFor(t, func() bool {
		return e.srv.DMChannel(memberID) != "" && len(e.srv.Messages(e.srv.DMChannel(memberID))) > 0
	}, 20*time.Second)
	if n := len(e.srv.Messages(channelID)); n != 0 {
		t.Errorf("%d personal messages went to the channel", n)
	}

	e.srv.BlockDMs(coachID)
	mention("920000000000000021", coachID)
	discordtest.WaitFor(t, func() bool { return len(e.srv.Messages(channelID)) == 1 }, 20*time.Second)
	if m := e.srv.Messages(channelID)[0]; !strings.Contains(m.Content, "direct message") {
		t.Errorf("channel note = %q", m.Content)
	}
	e.srv.AssertNoViolations(t)
}
