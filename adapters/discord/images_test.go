package discord_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// checkUpload checks that calls to route carried one PNG named name.
func checkUpload(t *testing.T, e *env, route discordtest.Route, pathPart, name string) {
	t.Helper()
	var ups []discordtest.Upload
	for _, c := range e.srv.CallsTo(route) {
		if strings.Contains(c.Path, pathPart) {
			ups = append(ups, c.Uploads...)
		}
	}
	if len(ups) != 1 || ups[0].Name != name || ups[0].ContentType != "image/png" {
		t.Fatalf("uploads = %d %+v", len(ups), ups)
	}
	if _, err := png.DecodeConfig(bytes.NewReader(ups[0].Data)); err != nil {
		t.Errorf("the upload is not a PNG: %v", err)
	}
}

// /week in a server: the answer is ephemeral and carries the chart as a
// file attachment shown in an embed whose description is its caption,
// with the text answer as the message content.
func TestWeekPictureIsAnEphemeralAttachment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{guildCmds: true})
	needCommand(t, e, "week")
	i := e.command(member(), "week")
	if r := e.response(i); r.Type != 5 || r.Flags&ephemeral == 0 {
		t.Errorf("callback = type %d flags %d; /week is personal and must be ephemeral", r.Type, r.Flags)
	}
	msgs := e.answer(i, channelID)
	if len(msgs) == 0 {
		t.Fatal("no answer")
	}
	m := msgs[0]
	if m.Flags&ephemeral == 0 || m.Files != 1 || m.EmbedImage() != "attachment://week.png" {
		t.Errorf("answer: flags %d, files %d, embed image %q", m.Flags, m.Files, m.EmbedImage())
	}
	if !strings.Contains(m.EmbedDescription(), "Training load, last 28 days") || strings.Contains(m.EmbedDescription(), "Ann") {
		t.Errorf("embed description %q", m.EmbedDescription())
	}
	if !strings.HasPrefix(m.Content, "Your last 7 days") {
		t.Errorf("content %q", m.Content)
	}
	checkUpload(t, e, discordtest.RouteEditOriginal, i.Token, "week.png")
	e.srv.AssertNoViolations(t)
}

// A scheduled message with a picture (the club picture on the morning
// post) is one message with the file and its embed, under the outbox
// nonce; a resend after a lost response does not post it twice.
func TestPictureFromTheOutbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t, setup{noRun: true})
	pic := pngBytes(t)
	o := outbox.Outgoing{ID: 21, Key: "club_post", To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: channelID},
		Reply: chat.Reply{Text: "Good morning, harriers! Tuesday: HARD.", Image: &chat.Image{PNG: pic, Name: "club.png", Caption: "The club today: EASY 6, HARD 5."}}}
	e.srv.QueueFault(discordtest.RouteCreateMessage, discordtest.CreatedThenFailed(500))
	if err := e.a.Send(t.Context(), o); err == nil {
		t.Fatal("the lost response was not reported")
	}
	if err := e.a.Send(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	msgs := e.srv.Messages(channelID)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want one", len(msgs))
	}
	m := msgs[0]
	if m.Nonce != "o21" || m.Files != 1 || m.EmbedImage() != "attachment://club.png" || m.EmbedDescription() != "The club today: EASY 6, HARD 5." ||
		m.Content != "Good morning, harriers! Tuesday: HARD." {
		t.Errorf("message = nonce %q, files %d, image %q, description %q, content %q", m.Nonce, m.Files, m.EmbedImage(), m.EmbedDescription(), m.Content)
	}
	e.srv.AssertNoViolations(t)
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 108, 70))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
