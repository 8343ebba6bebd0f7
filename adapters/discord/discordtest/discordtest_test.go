package discordtest

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

const (
	guildID   = "900000000000000001"
	channelID = "900000000000000002"
	ownerID   = "900000000000000003"
	memberID  = "900000000000000004"
)

// messageWithNonce adds the nonce fields discordgo v0.29.0's MessageSend lacks.
type messageWithNonce struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

func sendWithNonce(s *discordgo.Session, ch, content, nonce string, opts ...discordgo.RequestOption) (*discordgo.Message, error) {
	ep := discordgo.EndpointChannelMessages(ch)
	body := messageWithNonce{
		MessageSend:  &discordgo.MessageSend{Content: content, AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}},
		Nonce:        nonce,
		EnforceNonce: true,
	}
	resp, err := s.RequestWithBucketID("POST", ep, body, ep, opts...)
	if err != nil {
		return nil, err
	}
	var m discordgo.Message
	return &m, discordgo.Unmarshal(resp, &m)
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func openSession(t *testing.T, srv *Server) *discordgo.Session {
	t.Helper()
	s := srv.NewSession()
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenReadyHeartbeat(t *testing.T) {
	t.Parallel()
	srv := New(t, WithHeartbeatInterval(20*time.Millisecond))
	addChannels(srv)
	srv.AddGuild(Guild{ID: guildID, Name: "Club", OwnerID: ownerID})
	s := srv.NewSession()
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages
	// discordgo's State mutates event structs after handlers start, so
	// handlers copy what they need instead of passing the pointer on.
	// Reading Ready.Guilds in a handler races with the State applying
	// GUILD_CREATE (state.go *g = *guild), so it is not read here.
	type readyInfo struct {
		userID, session, appID string
		bot                    bool
	}
	ready := make(chan readyInfo, 1)
	guildCreate := make(chan string, 1) // owner ID
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		ready <- readyInfo{userID: r.User.ID, bot: r.User.Bot, session: r.SessionID, appID: r.Application.ID}
	})
	s.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { guildCreate <- g.OwnerID })
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	select {
	case r := <-ready:
		if r.userID != srv.ApplicationID() || !r.bot || r.session == "" || r.appID != srv.ApplicationID() {
			t.Errorf("READY = %+v", r)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no READY")
	}
	select {
	case owner := <-guildCreate:
		if owner != ownerID {
			t.Errorf("GUILD_CREATE owner = %q", owner)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no GUILD_CREATE")
	}
	WaitFor(t, func() bool { return srv.Heartbeats() >= 2 }, 2*time.Second)
	if n := srv.IdentifyCount(); n != 1 {
		t.Errorf("IdentifyCount = %d, want 1", n)
	}
	if got := srv.Identifies()[0].Intents; got != int(s.Identify.Intents) {
		t.Errorf("intents = %d, want %d", got, s.Identify.Intents)
	}
	if srv.Connections() != 1 {
		t.Errorf("Connections = %d", srv.Connections())
	}
	srv.AssertNoViolations(t)
}

func TestInteractionRoundTrip(t *testing.T) {
	t.Parallel()
	srv := New(t)
	addChannels(srv)
	srv.AddGuild(Guild{ID: guildID, OwnerID: ownerID, Roles: []Role{{ID: "77", Name: "Coach", Permissions: "8"}}})
	s := openSession(t, srv)

	type seen struct {
		kind, when string
		km         int64
		perms      int64
	}
	got := make(chan seen, 2)
	s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		switch ic.Type {
		case discordgo.InteractionApplicationCommand:
			d := ic.ApplicationCommandData()
			got <- seen{kind: d.Name, when: d.Options[0].StringValue(), km: d.Options[1].IntValue(), perms: ic.Member.Permissions}
			err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{
					Content:         "Run <@1> tomorrow",
					AllowedMentions: noMentions(),
					Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.Button{Label: "Join", Style: discordgo.PrimaryButton, CustomID: "join:42"},
					}}},
				},
			})
			if err != nil {
				t.Errorf("InteractionRespond: %v", err)
			}
			if _, err := s.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{Content: "follow-up", AllowedMentions: noMentions()}); err != nil {
				t.Errorf("FollowupMessageCreate: %v", err)
			}
		case discordgo.InteractionMessageComponent:
			got <- seen{kind: ic.MessageComponentData().CustomID}
			err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseUpdateMessage,
				Data: &discordgo.InteractionResponseData{Content: "1 runner"},
			})
			if err != nil {
				t.Errorf("InteractionRespond update: %v", err)
			}
		}
	})

	member := Member{User: User{ID: memberID, Username: "ann"}, Permissions: "8"}
	cmd := srv.SlashCommand("run", StringOption("when", "tomorrow"), IntegerOption("km", 10)).InGuild(guildID, channelID, member)
	if n := srv.DispatchInteraction(cmd); n != 1 {
		t.Fatalf("dispatched to %d sessions", n)
	}
	select {
	case g := <-got:
		if g.kind != "run" || g.when != "tomorrow" || g.km != 10 || g.perms != 8 {
			t.Errorf("handler saw %+v", g)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("handler not called")
	}
	WaitFor(t, func() bool { return len(srv.Messages(channelID)) == 2 }, 2*time.Second)
	rs := srv.InteractionResponses()
	if len(rs) != 1 || rs[0].Type != 4 || rs[0].Status != http.StatusNoContent || rs[0].Content != "Run <@1> tomorrow" ||
		len(rs[0].CustomIDs) != 1 || rs[0].CustomIDs[0] != "join:42" || rs[0].Elapsed <= 0 {
		t.Fatalf("InteractionResponses = %+v", rs)
	}
	original := srv.Messages(channelID)[0]

	press := srv.ButtonPress("join:42", original.ID).InGuild(guildID, channelID, member)
	srv.DispatchInteraction(press)
	<-got
	WaitFor(t, func() bool { m, _ := srv.Message(original.ID); return m.Content == "1 runner" }, 2*time.Second)
	if ids := srv.Messages(channelID)[0].CustomIDs(); len(ids) != 1 || ids[0] != "join:42" {
		t.Errorf("components after update = %v", ids)
	}
	srv.AssertNoViolations(t)
}

func TestNonceDedupesCreatedThenFailed(t *testing.T) {
	t.Parallel()
	srv := New(t)
	addChannels(srv)
	s := srv.NewSession()
	srv.QueueFault(RouteCreateMessage, CreatedThenFailed(500))

	_, err := sendWithNonce(s, channelID, "Run at 7", "run-42-reminder")
	var rerr *discordgo.RESTError
	if !errors.As(err, &rerr) || rerr.Response.StatusCode != 500 {
		t.Fatalf("first send err = %v, want HTTP 500", err)
	}
	m, err := sendWithNonce(s, channelID, "Run at 7", "run-42-reminder")
	if err != nil {
		t.Fatalf("resend: %v", err)
	}
	msgs := srv.Messages(channelID)
	if len(msgs) != 1 || msgs[0].ID != m.ID || msgs[0].Nonce != "run-42-reminder" || !msgs[0].EnforceNonce {
		t.Fatalf("messages = %+v, resend id %s", msgs, m.ID)
	}

	// A 502 after creating is resent by discordgo itself; the nonce keeps one message.
	srv.QueueFault(RouteCreateMessage, CreatedThenFailed(http.StatusBadGateway))
	if _, err := sendWithNonce(s, "42", "hello", "n2"); err != nil {
		t.Fatalf("send after 502: %v", err)
	}
	if n := len(srv.Messages("42")); n != 1 {
		t.Errorf("messages after 502 retry = %d, want 1", n)
	}
	srv.AssertNoViolations(t)
}

func TestRateLimitErrors(t *testing.T) {
	t.Parallel()
	srv := New(t)
	addChannels(srv)
	s := srv.NewSession()
	srv.QueueFault(RouteCreateMessage, RateLimited(1.5))
	_, err := s.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()},
		discordgo.WithRetryOnRatelimit(false))
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 1500*time.Millisecond {
		t.Fatalf("err = %v, want RateLimitError retry 1.5s", err)
	}

	srv.QueueFault(RouteCreateMessage, CannotMessageUser())
	_, err = s.ChannelMessageSendComplex("43", &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()})
	var rerr *discordgo.RESTError
	if !errors.As(err, &rerr) || rerr.Message == nil || rerr.Message.Code != 50007 {
		t.Fatalf("err = %v, want RESTError 50007", err)
	}
	if srv.InvalidRequests() != 2 {
		t.Errorf("InvalidRequests = %d, want 2", srv.InvalidRequests())
	}
	srv.AssertNoViolations(t) // injected faults are not the client's fault
}

func TestDiscordgoHonoursBucketHeaders(t *testing.T) {
	t.Parallel()
	srv := New(t, WithRouteLimit(RouteCreateMessage, 2, 300*time.Millisecond))
	addChannels(srv)
	s := srv.NewSession()
	start := time.Now()
	for range 5 {
		if _, err := s.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()}); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 500*time.Millisecond {
		t.Errorf("5 sends at 2 per 300ms took %v; discordgo ignored the headers?", el)
	}
	srv.AssertNoViolations(t)
}

func TestBucketAndGlobalViolations(t *testing.T) {
	t.Parallel()
	srv := New(t, WithRouteLimit(RouteCreateMessage, 2, time.Minute), WithGlobalLimit(4))
	addChannels(srv)
	c := srv.HTTPClient()
	post := func(ch string) *http.Response {
		req, _ := http.NewRequest("POST", "https://discord.com/api/v9/channels/"+ch+"/messages",
			strings.NewReader(`{"content":"x","allowed_mentions":{"parse":[]}}`))
		req.Header.Set("Authorization", "Bot "+srv.Token())
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i := range 2 {
		if r := post("1"); r.StatusCode != 200 || r.Header.Get("X-RateLimit-Remaining") != []string{"1", "0"}[i] {
			t.Fatalf("send %d: %d remaining %q", i, r.StatusCode, r.Header.Get("X-RateLimit-Remaining"))
		}
	}
	r := post("1")
	if r.StatusCode != 429 || r.Header.Get("X-RateLimit-Bucket") == "" || r.Header.Get("X-RateLimit-Global") != "" {
		t.Fatalf("over bucket: %d %v", r.StatusCode, r.Header)
	}
	if r := post("2"); r.StatusCode != 200 { // a different channel is a different bucket
		t.Fatalf("other channel: %d", r.StatusCode)
	}
	if r := post("3"); r.StatusCode != 429 || r.Header.Get("X-RateLimit-Global") != "true" {
		t.Fatalf("over global: %d %v", r.StatusCode, r.Header)
	}
	vs := srv.Violations()
	if len(vs) != 2 || vs[0].Kind != ViolationRateLimit || vs[1].Kind != ViolationGlobalRateLimit {
		t.Fatalf("violations = %v", vs)
	}
	// Interaction callbacks are outside the global limit.
	req, _ := http.NewRequest("POST", "https://discord.com/api/v9/interactions/5/tok/callback", strings.NewReader(`{"type":6}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("callback under global limit: %d", resp.StatusCode)
	}
	// Other hosts are refused rather than reached.
	if _, err := c.Get("https://example.com/"); err == nil {
		t.Error("request to example.com was not refused")
	}
}

func TestContentViolations(t *testing.T) {
	t.Parallel()
	srv := New(t)
	addChannels(srv)
	s := srv.NewSession()
	if _, err := s.ChannelMessageSend(channelID, "no allowed_mentions"); err != nil {
		t.Fatal(err)
	}
	_, err := s.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: strings.Repeat("a", 2001), AllowedMentions: noMentions()})
	var rerr *discordgo.RESTError
	if !errors.As(err, &rerr) || rerr.Message.Code != 50035 {
		t.Fatalf("long content err = %v", err)
	}
	_, err = s.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{
		Content: "x", AllowedMentions: noMentions(),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "b", CustomID: strings.Repeat("c", 101)},
		}}},
	})
	if err == nil {
		t.Fatal("long custom_id accepted")
	}
	if _, err := sendWithNonce(s, channelID, "x", strings.Repeat("n", 26)); err == nil {
		t.Fatal("long nonce accepted")
	}
	var kinds []ViolationKind
	for _, v := range srv.Violations() {
		kinds = append(kinds, v.Kind)
	}
	want := []ViolationKind{ViolationAllowedMentions, ViolationContentLength, ViolationCustomID, ViolationNonce}
	if len(kinds) != len(want) {
		t.Fatalf("violations = %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("violations = %v, want %v", kinds, want)
		}
	}
	if n := len(srv.Messages(channelID)); n != 1 {
		t.Errorf("stored %d messages, want 1", n)
	}
}

func TestLateAndDoubleInteractionCallback(t *testing.T) {
	t.Parallel()
	srv := New(t, WithInteractionWindow(30*time.Millisecond))
	addChannels(srv)
	s := srv.NewSession()
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}

	onTime := srv.SlashCommand("ping").InDM("555", User{ID: memberID})
	srv.DispatchInteraction(onTime) // no session connected: only recorded
	if err := s.InteractionRespond(&discordgo.Interaction{ID: onTime.ID, Token: onTime.Token}, resp); err != nil {
		t.Fatal(err)
	}
	if err := s.InteractionRespond(&discordgo.Interaction{ID: onTime.ID, Token: onTime.Token}, resp); err == nil {
		t.Fatal("second callback accepted")
	}
	// The deferred response is then edited through the webhook.
	content := "pong"
	if _, err := s.InteractionResponseEdit(&discordgo.Interaction{AppID: srv.ApplicationID(), Token: onTime.Token},
		&discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}); err != nil {
		t.Fatalf("InteractionResponseEdit: %v", err)
	}
	if ms := srv.Messages("555"); len(ms) != 1 || ms[0].Content != "pong" {
		t.Fatalf("DM messages = %+v", ms)
	}
	if ch, err := s.UserChannelCreate(memberID); err != nil || ch.ID != "555" {
		t.Fatalf("UserChannelCreate = %v, %v; want the DM of the interaction", ch, err)
	}

	late := srv.SlashCommand("ping").InDM("555", User{ID: memberID})
	srv.DispatchInteraction(late)
	time.Sleep(60 * time.Millisecond)
	err := s.InteractionRespond(&discordgo.Interaction{ID: late.ID, Token: late.Token}, resp)
	var rerr *discordgo.RESTError
	if !errors.As(err, &rerr) || rerr.Message.Code != 10062 {
		t.Fatalf("late callback err = %v, want 10062", err)
	}
	vs := srv.Violations()
	if len(vs) != 2 || vs[0].Kind != ViolationDoubleAck || vs[1].Kind != ViolationLateInteraction {
		t.Fatalf("violations = %v", vs)
	}
}

func TestRESTRoutes(t *testing.T) {
	t.Parallel()
	srv := New(t)
	addChannels(srv)
	srv.AddGuild(Guild{ID: guildID, OwnerID: ownerID, Roles: []Role{{ID: "77", Name: "Coach", Permissions: "32"}},
		Members: []Member{{User: User{ID: memberID, Username: "ann"}, Roles: []string{"77"}}}})
	s := srv.NewSession()

	me, err := s.User("@me")
	if err != nil || me.ID != srv.ApplicationID() || !me.Bot {
		t.Fatalf("User(@me) = %+v, %v", me, err)
	}
	g, err := s.Guild(guildID)
	if err != nil || g.OwnerID != ownerID || len(g.Roles) != 2 || g.Roles[1].Permissions != 32 {
		t.Fatalf("Guild = %+v, %v", g, err)
	}
	m, err := s.GuildMember(guildID, memberID)
	if err != nil || m.User.Username != "ann" || len(m.Roles) != 1 {
		t.Fatalf("GuildMember = %+v, %v", m, err)
	}
	roles, err := s.GuildRoles(guildID)
	if err != nil || len(roles) != 2 {
		t.Fatalf("GuildRoles = %v, %v", roles, err)
	}
	var rerr *discordgo.RESTError
	if _, err := s.GuildMember(guildID, "1"); !errors.As(err, &rerr) || rerr.Message.Code != 10007 {
		t.Fatalf("unknown member err = %v", err)
	}

	dm1, err := s.UserChannelCreate(memberID)
	if err != nil {
		t.Fatal(err)
	}
	dm2, _ := s.UserChannelCreate(memberID)
	if dm1.ID != dm2.ID || srv.DMChannel(memberID) != dm1.ID {
		t.Fatalf("DM channels %s %s", dm1.ID, dm2.ID)
	}
	srv.BlockDMs(memberID)
	if _, err := s.ChannelMessageSendComplex(dm1.ID, &discordgo.MessageSend{Content: "hi", AllowedMentions: noMentions()}); !errors.As(err, &rerr) || rerr.Message.Code != 50007 {
		t.Fatalf("blocked DM err = %v", err)
	}

	msg, err := s.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: "a", AllowedMentions: noMentions()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChannelMessageEdit(channelID, msg.ID, "b"); err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.Message(msg.ID); got.Content != "b" || got.Edits != 1 {
		t.Fatalf("edited message = %+v", got)
	}

	cmds := []*discordgo.ApplicationCommand{{Name: "run", Description: "Plan a run", Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionString, Name: "when", Description: "When"},
	}}}
	created, err := s.ApplicationCommandBulkOverwrite(srv.ApplicationID(), guildID, cmds)
	if err != nil || len(created) != 1 || created[0].ID == "" {
		t.Fatalf("bulk overwrite = %v, %v", created, err)
	}
	again, _ := s.ApplicationCommandBulkOverwrite(srv.ApplicationID(), guildID, cmds)
	if again[0].ID != created[0].ID {
		t.Errorf("command ID changed on overwrite: %s → %s", created[0].ID, again[0].ID)
	}
	listed, err := s.ApplicationCommands(srv.ApplicationID(), guildID)
	if err != nil || len(listed) != 1 || listed[0].Name != "run" || len(srv.Commands(guildID)) != 1 || len(srv.Commands("")) != 0 {
		t.Fatalf("ApplicationCommands = %v, %v", listed, err)
	}
	if srv.SlashCommand("run").Data["id"] != created[0].ID {
		t.Error("SlashCommand does not use the registered command ID")
	}
	srv.AssertNoViolations(t)

	if _, err := s.ApplicationCommandBulkOverwrite(srv.ApplicationID(), "", []*discordgo.ApplicationCommand{{Name: "Run", Description: "x"}}); err == nil {
		t.Error("upper-case command name accepted")
	}
	if _, err := s.Request("GET", discordgo.EndpointAPI+"nope", nil); !errors.As(err, &rerr) || rerr.Response.StatusCode != 404 ||
		!strings.Contains(string(rerr.ResponseBody), `"404: Not Found"`) {
		t.Errorf("unknown route err = %v", err)
	}
	vs := srv.Violations()
	if len(vs) != 2 || vs[0].Kind != ViolationCommand || vs[1].Kind != ViolationUnknownRoute {
		t.Errorf("violations = %v", vs)
	}

	bad, _ := discordgo.New("Bot wrong")
	srv.Attach(bad)
	if _, err := bad.User("@me"); !errors.As(err, &rerr) || rerr.Response.StatusCode != 401 {
		t.Errorf("wrong token err = %v", err)
	}
	resp, err := srv.HTTPClient().Get(srv.URL() + "/api/v9/gateway")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"url":"ws://127.0.0.1:`) {
		t.Errorf("gateway body = %s", body)
	}
}

func TestFatalCloseCodes(t *testing.T) {
	t.Parallel()
	srv := New(t)
	addChannels(srv)

	bad, _ := discordgo.New("Bot wrong")
	bad.ShouldReconnectOnError = false
	srv.Attach(bad)
	var ce *websocket.CloseError
	if err := bad.Open(); !errors.As(err, &ce) || ce.Code != 4004 {
		t.Fatalf("Open with wrong token err = %v, want close 4004", err)
	}

	privileged := srv.NewSession()
	privileged.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsMessageContent
	if err := privileged.Open(); !errors.As(err, &ce) || ce.Code != 4014 {
		t.Fatalf("Open with MESSAGE_CONTENT err = %v, want close 4014", err)
	}

	s := openSession(t, srv)
	gone := make(chan struct{}, 1)
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { gone <- struct{}{} })
	srv.RejectIdentify(4004, "Authentication failed.")
	if n := srv.CloseGateway(4004, "Authentication failed."); n != 1 {
		t.Fatalf("closed %d connections", n)
	}
	select {
	case <-gone:
	case <-time.After(3 * time.Second):
		t.Fatal("client did not notice the close")
	}
	// discordgo does not surface the close code of a running connection;
	// reopening (a RESUME here) gets it as Open's error.
	if err := s.Open(); !errors.As(err, &ce) || ce.Code != 4004 {
		t.Fatalf("reopen err = %v, want close 4004", err)
	}
	if n := srv.IdentifyCount(); n != 3 {
		t.Errorf("IdentifyCount = %d, want 3 (no reconnect loop)", n)
	}
}

func TestResumeReplaysMissedEvents(t *testing.T) {
	t.Parallel()
	srv := New(t)
	addChannels(srv)
	s := openSession(t, srv)
	gone := make(chan struct{}, 1)
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { gone <- struct{}{} })
	created := make(chan string, 1)
	s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { created <- m.Content })

	srv.CloseGateway(4000, "Unknown error.")
	<-gone
	if n := srv.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "1", "channel_id": channelID, "content": "missed", "timestamp": "2024-01-01T00:00:00Z",
		"author": map[string]any{"id": memberID, "username": "ann"},
	}); n != 0 {
		t.Fatalf("dispatched to %d live connections while disconnected", n)
	}
	if err := s.Open(); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	select {
	case c := <-created:
		if c != "missed" {
			t.Errorf("content = %q", c)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("missed event not replayed")
	}
	if srv.Resumes() != 1 || srv.IdentifyCount() != 1 {
		t.Errorf("resumes %d identifies %d, want 1 and 1", srv.Resumes(), srv.IdentifyCount())
	}
	srv.AssertNoViolations(t)
}

// addChannels creates the channels the tests post to.
func addChannels(srv *Server) {
	for _, ch := range []string{channelID, "1", "2", "3", "42", "43"} {
		srv.AddChannel(guildID, ch)
	}
}

func TestUnknownChannelAndMissingPermission(t *testing.T) {
	t.Parallel()
	srv := New(t)
	s := srv.NewSession()
	send := func(ch string) int {
		_, err := s.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()})
		var rerr *discordgo.RESTError
		if err == nil {
			return 0
		}
		if !errors.As(err, &rerr) || rerr.Message == nil {
			t.Fatalf("send to %s: %v", ch, err)
		}
		return rerr.Message.Code
	}
	if code := send(guildID); code != 10003 {
		t.Errorf("a guild id as a channel: code %d, want 10003 Unknown Channel", code)
	}
	srv.AddChannel(guildID, channelID)
	if code := send(channelID); code != 0 {
		t.Errorf("an existing channel: code %d", code)
	}
	srv.DenySend(channelID, true)
	if code := send(channelID); code != 50013 {
		t.Errorf("without Send Messages: code %d, want 50013", code)
	}
	srv.DenySend(channelID, false)
	srv.DeleteChannel(channelID)
	if code := send(channelID); code != 10003 {
		t.Errorf("a deleted channel: code %d, want 10003", code)
	}
}
