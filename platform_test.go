package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/internal/faulttest"
	"github.com/shakeoutbot/shakeout/internal/storetest"
	"github.com/shakeoutbot/shakeout/outbox"
)

// program is one `shakeout run` in this process.
type program struct {
	t      *testing.T
	cancel context.CancelFunc
	done   chan error
	logs   syncBuffer
	out    syncBuffer
}

// startProgram runs the whole program on the fakes named by vars.
func startProgram(t *testing.T, vars map[string]string) *program {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &program{t: t, cancel: cancel, done: make(chan error, 1)}
	go func() { p.done <- run(ctx, []string{"run"}, env(vars), nil, &p.out, &p.logs) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("logs:\n%s", lastLines(p.logs.String(), 80))
		}
	})
	return p
}

// stop stops the program as SIGTERM does and returns how long it took.
func (p *program) stop() time.Duration {
	if p.cancel == nil {
		return 0
	}
	start := time.Now()
	p.cancel()
	p.cancel = nil
	select {
	case err := <-p.done:
		if err != nil && !errors.Is(err, context.Canceled) {
			p.t.Errorf("run returned %v", err)
		}
	case <-time.After(30 * time.Second):
		p.t.Fatal("run did not stop within 30 s")
	}
	return time.Since(start)
}

// withStore opens the database with its clock two days back (so what it
// creates existed before today's slots), runs f and closes it.
func withStore(t *testing.T, db string, f func(ctx context.Context, s storetest.Store)) {
	t.Helper()
	past := time.Now().Add(-48 * time.Hour)
	s := openTestStore(t.Context(), t, db, func() time.Time { return past })
	defer s.Close()
	f(t.Context(), s)
}

// seedClub creates a club with its morning post off, as if set up days ago.
func seedClub(ctx context.Context, t *testing.T, s storetest.Store, p chat.Platform, chatID, name string) bot.Club {
	t.Helper()
	c, err := s.EnsureClub(ctx, p, chatID, name, "UTC")
	if err != nil {
		t.Fatal(err)
	}
	c.PostOn = false
	if err := s.UpdateClub(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// midMorningZone is a fixed-offset zone where it is about 10:00 now, so a
// test can pick nudge times earlier and later on the same local day.
func midMorningZone(t *testing.T) (string, *time.Location) {
	t.Helper()
	n := 10 - time.Now().UTC().Hour() // hours east of UTC
	if n < -12 {
		// Etc/GMT+13 does not exist (zones run from 12 hours west to 14
		// east): 11 hours east it is about 10:00 too, on the next day.
		n += 24
	}
	name := "Etc/GMT" + strconv.Itoa(-n)
	if n < 0 {
		name = "Etc/GMT+" + strconv.Itoa(-n)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return name, loc
}

// dueClock is a post or nudge time whose slot today has just passed (or,
// right after midnight, yesterday's, still within the catch-up window).
func dueClock() string { return time.Now().UTC().Add(-2 * time.Minute).Format("15:04") }

func containing(ms []discordtest.Message, s string) int {
	n := 0
	for _, m := range ms {
		if strings.Contains(m.Content, s) {
			n++
		}
	}
	return n
}

func tgContaining(ms []telegramtest.SentMessage, s string) []telegramtest.SentMessage {
	var out []telegramtest.SentMessage
	for _, m := range ms {
		if strings.Contains(m.PlainText, s) {
			out = append(out, m)
		}
	}
	return out
}

// TestClubPostsGoWhereCoachesChose: on Discord a coach sets the post time
// in a channel and the morning post arrives in that channel (never at the
// server's id); when a club's channel is deleted its coaches hear about it
// once, in the channel where they last used a coach command. On Telegram a
// forum group gets its post in the topic a coach chose, and every reply
// goes to the topic it was asked in.
func TestClubPostsGoWhereCoachesChose(t *testing.T) {
	t.Parallel()
	const (
		guildA, chanA            = "940000000000000001", "940000000000000002"
		guildB, chanB, chanBdesk = "940000000000000011", "940000000000000012", "940000000000000013"
		forumID                  = int64(-1009400000001)
	)
	dc := discordtest.New(t)
	coachA := discordtest.Member{User: discordtest.User{ID: "940000000000000101", Username: "ana"}, Permissions: "32"}
	coachB := discordtest.Member{User: discordtest.User{ID: "940000000000000102", Username: "bo"}, Permissions: "32"}
	dc.AddGuild(discordtest.Guild{ID: guildA, Name: "Harriers", Members: []discordtest.Member{coachA}})
	dc.AddGuild(discordtest.Guild{ID: guildB, Name: "Otters", Members: []discordtest.Member{coachB}})
	dc.AddChannel(guildA, chanA)
	dc.AddChannel(guildB, chanB)
	dc.AddChannel(guildB, chanBdesk)

	tg := telegramtest.New(t)
	forum := tg.Forum(telegramtest.Chat{ID: forumID, Title: "Harriers TG"})
	tg.OpenTopic(forumID, 7)
	tg.OpenTopic(forumID, 9)
	ada := telegramtest.User{ID: 9401, FirstName: "Ada"}
	ben := telegramtest.User{ID: 9402, FirstName: "Ben"}
	tg.SetChatMember(forumID, ada.ID, telegramtest.StatusCreator)

	db := testDB(t, "posts.db")
	withStore(t, db, func(ctx context.Context, s storetest.Store) {
		seedClub(ctx, t, s, chat.PlatformDiscord, guildA, "Harriers")
		seedClub(ctx, t, s, chat.PlatformDiscord, guildB, "Otters")
		seedClub(ctx, t, s, chat.PlatformTelegram, strconv.FormatInt(forumID, 10), "Harriers TG")
	})
	vars := map[string]string{
		"SHAKEOUT_DB":               db,
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
		"SHAKEOUT_DISCORD_TOKEN":    dc.Token(),
		"SHAKEOUT_DISCORD_API_URL":  dc.URL(),
		"SHAKEOUT_LOG_LEVEL":        "debug",
	}
	at := dueClock()

	// First run: the coaches set things up.
	p := startProgram(t, vars)
	discordtest.WaitFor(t, func() bool { return len(dc.Commands("")) > 0 }, 10*time.Second)
	answered := func(channel, text string) {
		t.Helper()
		discordtest.WaitFor(t, func() bool { return containing(dc.Messages(channel), text) > 0 }, 10*time.Second)
	}
	dc.DispatchInteraction(dc.SlashCommand("club", discordtest.StringOption("settings", "post "+at+" UTC")).InGuild(guildA, chanA, coachA))
	answered(chanA, "goes out at "+at)
	dc.DispatchInteraction(dc.SlashCommand("club", discordtest.ChannelOption("channel", chanB)).InGuild(guildB, chanBdesk, coachB))
	answered(chanBdesk, "<#"+chanB+">")
	dc.DispatchInteraction(dc.SlashCommand("club", discordtest.StringOption("settings", "post "+at+" UTC")).InGuild(guildB, chanBdesk, coachB))
	answered(chanBdesk, "goes out at "+at)
	dc.DeleteChannel(chanB)

	topicOf := map[int]int{} // asking message id → its topic
	for _, q := range []struct {
		topic int
		from  telegramtest.User
		text  string
	}{{7, ada, "/club topic"}, {7, ada, "/club post " + at + " UTC"}, {9, ben, "/help"}} {
		u := tg.SendUpdate(telegramtest.TopicText(forum, q.topic, q.from, q.text))
		topicOf[u.Message.MessageID] = q.topic
	}
	// The post time is already past, so this run's tick may send the
	// morning post before it stops (the second run then sends none): only
	// the replies are checked here.
	replies := func() []telegramtest.SentMessage {
		var out []telegramtest.SentMessage
		for _, m := range tg.SentTo(forumID) {
			if !strings.Contains(m.PlainText, "Good morning") {
				out = append(out, m)
			}
		}
		return out
	}
	tg.Wait(t, 10*time.Second, "three replies in the forum", func() bool { return len(replies()) >= 3 })
	for _, m := range replies() {
		want, ok := topicOf[m.ReplyTo]
		if !ok {
			t.Errorf("reply %q quotes no message of the test", firstLine(m.PlainText))
		} else if m.ThreadID != want {
			t.Errorf("reply %q went to topic %d, want %d (the topic it was asked in)", firstLine(m.PlainText), m.ThreadID, want)
		}
	}
	p.stop()

	// Second run: the morning posts go out on start-up (unless the first
	// run's tick sent them already; either way, once).
	identified := dc.IdentifyCount()
	p = startProgram(t, vars)
	discordtest.WaitFor(t, func() bool { return containing(dc.Messages(chanA), "Good morning") == 1 }, 15*time.Second)
	if n := len(dc.Messages(guildA)); n != 0 {
		t.Errorf("%d messages were sent to the server's id as if it were a channel", n)
	}
	tg.Wait(t, 15*time.Second, "the forum's morning post", func() bool { return len(tgContaining(tg.SentTo(forumID), "Good morning")) == 1 })
	if post := tgContaining(tg.SentTo(forumID), "Good morning")[0]; post.ThreadID != 7 {
		t.Errorf("the forum's post went to topic %d, want 7 (chosen with /club topic)", post.ThreadID)
	}

	// Otters' channel is gone: the coaches hear it once, where they last
	// used a coach command, even when a second post is refused.
	const gone = "no longer exists"
	discordtest.WaitFor(t, func() bool { return containing(dc.Messages(chanBdesk), gone) == 1 }, 15*time.Second)
	// The outbox posts over REST before the gateway is up; an interaction
	// needs the gateway connection of this run.
	discordtest.WaitFor(t, func() bool { return dc.IdentifyCount() > identified }, 15*time.Second)
	dc.DispatchInteraction(dc.SlashCommand("recoveryweek", discordtest.StringOption("what", "tomorrow")).InGuild(guildB, chanBdesk, coachB))
	faulttest.Eventually(t, nil, 15*time.Second, "the recovery-week notice to be refused", func() bool {
		for _, r := range faulttest.OutboxRows(t, db) {
			if strings.HasPrefix(r.Key, "recovery") && r.ChatID == chanB && r.Status == outbox.Failed {
				return true
			}
		}
		return false
	})
	p.stop()
	if n := containing(dc.Messages(chanBdesk), gone); n != 1 {
		t.Errorf("the coaches were told %d times about the deleted channel, want once", n)
	}
	if dm := dc.DMChannel(coachB.User.ID); dm != "" && containing(dc.Messages(dm), gone) != 0 {
		t.Errorf("the coach was also told by DM, though a channel for coach commands was known")
	}
	if v := dc.Violations(); len(v) > 0 {
		t.Errorf("discord violations: %v", v)
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("telegram violations: %v", v)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestCoachIdentityByPlatformID: on Telegram a member renamed to the
// admin's display name cannot be made coach by that name, someone who is
// not in the group cannot be made coach at all, and a member named by a
// real mention (text_mention), a reply or their @username can.
func TestCoachIdentityByPlatformID(t *testing.T) {
	t.Parallel()
	const groupID = int64(-1009400000002)
	tg := telegramtest.New(t)
	group := telegramtest.Chat{ID: groupID, Type: telegramtest.ChatSupergroup, Title: "Harriers"}
	admin := telegramtest.User{ID: 9500, FirstName: "Ada", LastName: "Admin"}
	impostor := telegramtest.User{ID: 9400, FirstName: "Ada", LastName: "Admin"} // a lower id, the admin's name
	sam := telegramtest.User{ID: 9501, FirstName: "Sam", Username: "sam_runs"}
	kim := telegramtest.User{ID: 9502, FirstName: "Kim"} // no username
	lee := telegramtest.User{ID: 9503, FirstName: "Lee"}
	zed := telegramtest.User{ID: 9504, FirstName: "Zed"} // left the group
	tg.SetChatMember(groupID, admin.ID, telegramtest.StatusCreator)
	tg.SetChatMember(groupID, zed.ID, telegramtest.StatusLeft)
	db := testDB(t, "coach.db")
	p := startProgram(t, map[string]string{
		"SHAKEOUT_DB":               db,
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
	})
	say := func(u telegramtest.Update) string {
		t.Helper()
		before := len(tg.SentTo(groupID))
		tg.SendUpdate(u)
		tg.Wait(t, 10*time.Second, "a reply in the group", func() bool { return len(tg.SentTo(groupID)) > before })
		return tg.SentTo(groupID)[before].PlainText
	}
	// Every reply in a group counts against its 20 a minute: the test
	// says no more than it needs to.
	for _, u := range []telegramtest.User{impostor, sam} {
		say(telegramtest.GroupText(group, u, "/help"))
	}
	for _, text := range []string{"/coach add @Ada", "/coach add Ada"} {
		if got := say(telegramtest.GroupText(group, admin, text)); strings.Contains(got, "is now a coach") {
			t.Errorf("%s: %q; a display name made someone coach", text, got)
		}
	}
	if got := say(telegramtest.GroupText(group, impostor, "/club")); !strings.HasPrefix(got, "Not allowed") {
		t.Errorf("the impostor's /club: %q; want a refusal", got)
	}
	if got := say(telegramtest.TextMention(group, admin, "/coach add", zed)); !strings.Contains(got, "don't know Zed") {
		t.Errorf("adding someone who left the group: %q; want a refusal", got)
	}
	if got := say(telegramtest.TextMention(group, admin, "/coach add", kim)); !strings.Contains(got, "Kim is now a coach") {
		t.Errorf("adding Kim by a mention that carries her id: %q", got)
	}
	if got := say(telegramtest.GroupText(group, admin, "/coach add @sam_runs")); !strings.Contains(got, "Sam is now a coach") {
		t.Errorf("adding Sam by @username: %q", got)
	}
	// A reply to one of Lee's messages names Lee.
	leeMsg := tg.SendUpdate(telegramtest.GroupText(group, lee, "/help@"+tg.Bot().Username))
	tg.Wait(t, 10*time.Second, "the answer to Lee", func() bool {
		for _, m := range tg.SentTo(groupID) {
			if m.ReplyTo == leeMsg.Message.MessageID {
				return true
			}
		}
		return false
	})
	reply := tg.ReplyTo(admin, groupID, leeMsg.Message.MessageID, "/coach add")
	if got := say(reply); !strings.Contains(got, "Lee is now a coach") {
		t.Errorf("adding Lee by replying to his message: %q", got)
	}
	p.stop()
	withStore(t, db, func(ctx context.Context, s storetest.Store) {
		c, err := s.ClubByChat(ctx, chat.PlatformTelegram, strconv.FormatInt(groupID, 10))
		if err != nil {
			t.Fatal(err)
		}
		coaches, err := s.ClubAdmins(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range coaches {
			ids = append(ids, m.UserID)
		}
		if got, want := strings.Join(ids, ","), "9501,9502,9503"; got != want {
			t.Errorf("coach list %s, want %s (Sam, Kim, Lee; never the impostor or Zed)", got, want)
		}
	})
}

// memberState reads a member as stored, while the program may be running.
func memberState(t *testing.T, db string, p chat.Platform, userID string) bot.Member {
	t.Helper()
	var m bot.Member
	withStore(t, db, func(ctx context.Context, s storetest.Store) {
		var err error
		if m, err = s.MemberByUserID(ctx, p, userID); err != nil {
			t.Fatal(err)
		}
	})
	return m
}

// TestFloodInOneChatDoesNotDelayAnother: one member sends 100 messages
// while another asks /hr 40 60. The second answer goes out before the
// flood's replies are done (receiving never waits on sending, and chats
// have their own queues); the flood gets its burst of answers and one
// notice, and the rest is dropped by the inbound limiter on purpose.
func TestFloodInOneChatDoesNotDelayAnother(t *testing.T) {
	t.Parallel()
	const burst, flood = 5, 100
	tg := telegramtest.New(t)
	flooder := telegramtest.User{ID: 9701, FirstName: "Flo"}
	other := telegramtest.User{ID: 9702, FirstName: "Otto"}
	p := startProgram(t, map[string]string{
		"SHAKEOUT_DB":                testDB(t, "flood.db"),
		"SHAKEOUT_TELEGRAM_TOKEN":    tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL":  tg.URL(),
		"SHAKEOUT_LOG_LEVEL":         "debug",
		"SHAKEOUT_MEMBER_BURST":      strconv.Itoa(burst),
		"SHAKEOUT_MEMBER_PER_MINUTE": "1",
		"SHAKEOUT_MEMBER_COOLDOWN":   "5m",
	})
	tg.WaitCalls(t, "setMyCommands", 2, 10*time.Second)
	for i := range flood {
		tg.SendUpdate(telegramtest.PrivateText(flooder, "/hr "+strconv.Itoa(20+i%60)+" 60"))
	}
	asked := time.Now()
	tg.SendUpdate(telegramtest.PrivateText(other, "/hr 40 60"))
	tg.Wait(t, 30*time.Second, "the flood's answers and notice", func() bool { return len(tg.SentTo(flooder.ID)) >= burst+1 })
	tg.Wait(t, 10*time.Second, "the other member's answer", func() bool { return len(tg.SentTo(other.ID)) >= 1 })
	answer := tg.SentTo(other.ID)[0]
	floodMsgs := tg.SentTo(flooder.ID)
	t.Logf("the other member's answer was sent %v after the update was queued, behind %d flood updates; the flood's %d messages took %v",
		answer.Time.Sub(asked).Round(time.Millisecond), flood, len(floodMsgs), floodMsgs[len(floodMsgs)-1].Time.Sub(floodMsgs[0].Time).Round(time.Millisecond))
	if !strings.Contains(answer.PlainText, "138 bpm") {
		t.Errorf("the other member's answer: %q; want the ceiling of 138 bpm", answer.PlainText)
	}
	if !answer.Time.Before(floodMsgs[len(floodMsgs)-1].Time) {
		t.Errorf("the other member's answer waited for the whole flood to be answered")
	}
	p.stop()
	floodMsgs = tg.SentTo(flooder.ID)
	notices := tgContaining(floodMsgs, "faster than I can answer")
	if len(notices) != 1 || len(floodMsgs) != burst+1 {
		t.Errorf("the flooder got %d messages with %d notices; want %d answers and one notice", len(floodMsgs), len(notices), burst)
	}
	if n := strings.Count(p.logs.String(), "message dropped: member over the inbound limit"); n != flood-burst-1 {
		t.Errorf("%d flood messages logged as dropped by the limiter, want %d", n, flood-burst-1)
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("telegram violations: %v", v)
	}
}

// TestSIGTERMMidFloodLosesNoReply stops the real binary while a member's
// answers are still going out at Telegram's pace of one a second: the
// process exits within 10 s, every reply was either sent or stored in the
// outbox, and the next start sends the stored ones.
func TestSIGTERMMidFloodLosesNoReply(t *testing.T) {
	t.Parallel()
	const burst = 20
	bin := faulttest.Binary(t)
	tg := telegramtest.New(t)
	flooder := telegramtest.User{ID: 9801, FirstName: "Flo"}
	db := testDB(t, "term.db")
	vars := map[string]string{
		"SHAKEOUT_DB":                db,
		"SHAKEOUT_TELEGRAM_TOKEN":    tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL":  tg.URL(),
		"SHAKEOUT_LOG_LEVEL":         "debug",
		"SHAKEOUT_MEMBER_BURST":      strconv.Itoa(burst),
		"SHAKEOUT_MEMBER_PER_MINUTE": "1",
		"SHAKEOUT_MEMBER_COOLDOWN":   "5m",
	}
	proc := faulttest.Start(t, bin, faulttest.Options{Env: vars}, "run")
	tg.WaitCalls(t, "setMyCommands", 2, 30*time.Second)
	for i := range 60 {
		tg.SendUpdate(telegramtest.PrivateText(flooder, "/hr "+strconv.Itoa(20+i)+" 60"))
	}
	tg.Wait(t, 30*time.Second, "the first answers", func() bool { return len(tg.SentTo(flooder.ID)) >= 3 })
	at := time.Now()
	proc.Signal(syscall.SIGTERM)
	code, ended := proc.Wait(30 * time.Second)
	took := ended.Sub(at)
	sent := len(tg.SentTo(flooder.ID))
	stored := 0
	for _, r := range faulttest.OutboxRows(t, db) {
		if strings.HasPrefix(r.Key, "telegram-reply:") && r.ChatID == strconv.FormatInt(flooder.ID, 10) && r.Status == outbox.Pending {
			stored++
		}
	}
	t.Logf("SIGTERM after %d answers: exited with %d after %v; %d messages sent, %d stored to send", 3, code, took.Round(time.Millisecond), sent, stored)
	if took > 10*time.Second {
		t.Errorf("exit took %v after SIGTERM, want at most 10 s", took)
	}
	if code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if sent+stored != burst+1 {
		t.Errorf("%d sent + %d stored = %d; want the %d answers and the notice, each once", sent, stored, sent+stored, burst)
	}
	if stored == 0 {
		t.Errorf("nothing was left to store: the stop did not land mid-flood")
	}

	// The next start delivers what was stored.
	p := startProgram(t, vars)
	tg.Wait(t, 60*time.Second, "the stored replies", func() bool { return len(tg.SentTo(flooder.ID)) >= burst+1 })
	p.stop()
	if n := len(tg.SentTo(flooder.ID)); n != burst+1 {
		t.Errorf("the flooder got %d messages over two runs, want %d", n, burst+1)
	}
}

// TestBlockedAndUnblockedMemberGetsTheNextMorning: a member who blocks the
// bot is marked unreachable at once (my_chat_member), and after unblocking
// gets the next morning message without writing first; a member who stays
// blocked is not even tried. A group that removes the bot stops its posts,
// its coach hears so once, and adding the bot back makes it reachable.
func TestBlockedAndUnblockedMemberGetsTheNextMorning(t *testing.T) {
	t.Parallel()
	const groupID = int64(-1009400000003)
	tg := telegramtest.New(t)
	mo := telegramtest.User{ID: 9901, FirstName: "Mo"}
	bea := telegramtest.User{ID: 9902, FirstName: "Bea"}
	ada := telegramtest.User{ID: 9903, FirstName: "Ada"}
	group := telegramtest.Chat{ID: groupID, Type: telegramtest.ChatSupergroup, Title: "Harriers"}
	tg.SetChatMember(groupID, ada.ID, telegramtest.StatusCreator)
	db := testDB(t, "block.db")
	// Their nudges are set for late today: the first run has nothing due,
	// and the second run's earlier time is still today's slot.
	zone, loc := midMorningZone(t)
	withStore(t, db, func(ctx context.Context, s storetest.Store) {
		for _, u := range []telegramtest.User{mo, bea} {
			id := strconv.FormatInt(u.ID, 10)
			m, err := s.EnsureMember(ctx, chat.PlatformTelegram, id, u.FirstName, 0, id)
			if err != nil {
				t.Fatal(err)
			}
			m.TZ, m.NudgeTime, m.Nudges = zone, input.Clock{Hour: 23, Minute: 30}, true
			if err := s.UpdateMember(ctx, m, false); err != nil {
				t.Fatal(err)
			}
		}
		seedClub(ctx, t, s, chat.PlatformTelegram, strconv.FormatInt(groupID, 10), "Harriers")
	})
	vars := map[string]string{
		"SHAKEOUT_DB":               db,
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
		"SHAKEOUT_LOG_LEVEL":        "debug",
	}
	reachable := func(u telegramtest.User) bool {
		return !memberState(t, db, chat.PlatformTelegram, strconv.FormatInt(u.ID, 10)).Unreachable
	}
	p := startProgram(t, vars)
	tg.WaitCalls(t, "setMyCommands", 2, 10*time.Second)
	for _, u := range []telegramtest.User{mo, bea} {
		tg.BotMembership(telegramtest.Chat{ID: u.ID, Type: telegramtest.ChatPrivate, FirstName: u.FirstName}, u, telegramtest.StatusKicked)
	}
	faulttest.Eventually(t, nil, 10*time.Second, "both members marked unreachable", func() bool { return !reachable(mo) && !reachable(bea) })
	tg.BotMembership(telegramtest.Chat{ID: mo.ID, Type: telegramtest.ChatPrivate, FirstName: mo.FirstName}, mo, telegramtest.StatusMember)
	faulttest.Eventually(t, nil, 10*time.Second, "Mo reachable again", func() bool { return reachable(mo) })

	// The group: a coach command, then the bot is removed and added back.
	tg.SendUpdate(telegramtest.GroupText(group, ada, "/club plan fri=rest"))
	tg.Wait(t, 10*time.Second, "the coach's answer", func() bool { return len(tg.SentTo(groupID)) == 1 })
	clubReachable := func() bool {
		var ok bool
		withStore(t, db, func(ctx context.Context, s storetest.Store) {
			c, err := s.ClubByChat(ctx, chat.PlatformTelegram, strconv.FormatInt(groupID, 10))
			if err != nil {
				t.Fatal(err)
			}
			ok = !c.Unreachable
		})
		return ok
	}
	tg.BotMembership(group, ada, telegramtest.StatusLeft)
	faulttest.Eventually(t, nil, 10*time.Second, "the group marked unreachable", func() bool { return !clubReachable() })
	tg.Wait(t, 10*time.Second, "the coach told by DM", func() bool { return len(tgContaining(tg.SentTo(ada.ID), "removed from Harriers")) == 1 })
	tg.BotMembership(group, ada, telegramtest.StatusMember)
	faulttest.Eventually(t, nil, 10*time.Second, "the group reachable again", clubReachable)
	p.stop()
	if n := len(tgContaining(tg.SentTo(ada.ID), "removed from")); n != 1 {
		t.Errorf("the coach was told %d times about the removal, want once", n)
	}

	// Next morning: nudges are due for both.
	withStore(t, db, func(ctx context.Context, s storetest.Store) {
		for _, u := range []telegramtest.User{mo, bea} {
			m, err := s.MemberByUserID(ctx, chat.PlatformTelegram, strconv.FormatInt(u.ID, 10))
			if err != nil {
				t.Fatal(err)
			}
			m.NudgeTime = input.ClockOf(time.Now().In(loc).Add(-2 * time.Minute))
			if err := s.UpdateMember(ctx, m, false); err != nil {
				t.Fatal(err)
			}
		}
	})
	before := len(tg.SentTo(mo.ID))
	p = startProgram(t, vars)
	tg.Wait(t, 15*time.Second, "Mo's morning message", func() bool { return len(tg.SentTo(mo.ID)) > before })
	p.stop()
	for _, r := range faulttest.OutboxRows(t, db) {
		if r.ChatID == strconv.FormatInt(bea.ID, 10) {
			t.Errorf("a message was queued for Bea, who still blocks the bot: %s (%s)", r.Key, r.Status)
		}
	}
	if n := len(tg.CallsTo("sendMessage")); n == 0 {
		t.Fatal("no messages at all")
	}
	for _, c := range tg.CallsTo("sendMessage") {
		if c.ChatID() == bea.ID {
			t.Errorf("the bot tried to write to Bea, who blocks it")
		}
	}
}
