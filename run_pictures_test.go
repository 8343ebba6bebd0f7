package main

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot/chart"
)

// TestRunSendsWeekPictures: the real program, on both fakes. /week asked
// in a Telegram group arrives in the member's private chat as a multipart
// photo with a caption of at most 1,024 UTF-16 units, then the text, and
// nothing in the group; /week on Discord in a server is an ephemeral answer
// with the chart as an attachment shown in an embed.
func TestRunSendsWeekPictures(t *testing.T) {
	tg := telegramtest.New(t)
	dc := discordtest.New(t)
	const guildID, channelID = "930000000000000001", "930000000000000002"
	ann := discordtest.Member{User: discordtest.User{ID: "930000000000000004", Username: "ann", GlobalName: "Ann"}}
	dc.AddGuild(discordtest.Guild{ID: guildID, Name: "Harriers", OwnerID: "930000000000000009", Members: []discordtest.Member{ann}})
	dc.AddChannel(guildID, channelID)
	vars := map[string]string{
		"SHAKEOUT_DB":               testDB(t, "run.db"),
		"SHAKEOUT_TELEGRAM_TOKEN":   tg.Token(),
		"SHAKEOUT_TELEGRAM_API_URL": tg.URL(),
		"SHAKEOUT_DISCORD_TOKEN":    dc.Token(),
		"SHAKEOUT_DISCORD_API_URL":  dc.URL(),
		"SHAKEOUT_HTTP_ADDR":        "127.0.0.1:0",
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, logs syncBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("program output:\n%s\nlogs:\n%s", out.String(), logs.String())
		}
	})
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run"}, env(vars), nil, &out, &logs) }()

	maya := telegramtest.User{ID: 4242, FirstName: "Maya"}
	group := telegramtest.Chat{ID: -1004240001, Type: telegramtest.ChatSupergroup, Title: "Harriers"}
	tg.SendUpdate(telegramtest.PrivateText(maya, "/start"))
	tg.WaitSent(t, 1, 10*time.Second)
	me := tg.Bot().Username
	tg.SendUpdate(telegramtest.GroupText(group, maya, "/log@"+me+" intervals 8km 45min rpe 8"))
	tg.WaitSent(t, 2, 10*time.Second)
	tg.SendUpdate(telegramtest.GroupText(group, maya, "/week@"+me))
	discordtest.WaitFor(t, func() bool { return len(tg.Photos()) > 0 && len(tg.SentTo(maya.ID)) >= 2 }, 10*time.Second)
	p := tg.Photos()[0]
	if p.ChatID != maya.ID || !p.Multipart || p.FileName != "week.png" || p.Width != chart.Width {
		t.Fatalf("photo to %d, multipart %v, %q, %d wide", p.ChatID, p.Multipart, p.FileName, p.Width)
	}
	if n := len(utf16.Encode([]rune(p.Caption))); n == 0 || n > 1024 || !strings.Contains(p.Caption, "1 hard") {
		t.Errorf("caption (%d units): %q", n, p.Caption)
	}
	if strings.Contains(p.Caption, "Maya") {
		t.Errorf("a picture asked for in a group names the member: %q", p.Caption)
	}
	for _, m := range tg.SentTo(group.ID) {
		if strings.Contains(m.PlainText, "Your last 7 days") {
			t.Errorf("the week went to the group: %q", m.PlainText)
		}
	}
	if ps := tg.PhotosTo(group.ID); len(ps) != 0 {
		t.Errorf("%d photos in the group", len(ps))
	}
	dm := tg.SentTo(maya.ID)
	if last := dm[len(dm)-1]; !strings.HasPrefix(last.PlainText, "Your last 7 days") || last.MessageID < p.MessageID {
		t.Errorf("the text after the photo: %q", last.PlainText)
	}

	discordtest.WaitFor(t, func() bool { return len(dc.Commands("")) > 0 }, 10*time.Second)
	i := dc.SlashCommand("week").InGuild(guildID, channelID, ann)
	dc.DispatchInteraction(i)
	var answer discordtest.Message
	discordtest.WaitFor(t, func() bool {
		for _, m := range dc.Messages(channelID) {
			if m.InteractionToken == i.Token && m.Files > 0 {
				answer = m
				return true
			}
		}
		return false
	}, 10*time.Second)
	if answer.Flags&64 == 0 || answer.EmbedImage() != "attachment://week.png" || !strings.HasPrefix(answer.Content, "Your last 7 days") {
		t.Errorf("discord answer: flags %d, image %q, content %q", answer.Flags, answer.EmbedImage(), answer.Content)
	}
	ups := dc.UploadsTo(i.Token)
	if len(ups) != 1 {
		t.Fatalf("%d uploads for /week", len(ups))
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(ups[0].Data)); err != nil || cfg.Width != chart.Width {
		t.Errorf("upload: %v, %d wide", err, cfg.Width)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop within 15 s")
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("telegram limits violated: %v", v)
	}
	if v := dc.Violations(); len(v) > 0 {
		t.Errorf("discord limits violated: %v", v)
	}
}
