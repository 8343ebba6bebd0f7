package telegram

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// testPNG is a small real PNG, which the fake decodes like Telegram does.
func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 108, 70))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	img.Set(3, 3, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// longCaption is a caption past the 1,024-unit limit with characters that
// take two UTF-16 units, so bytes, runes and units all differ.
func longCaption() string {
	var sb strings.Builder
	for i := 0; sb.Len() < 3000; i++ {
		sb.WriteString("Tuesday 🏃 hard day, load 420. ")
	}
	return strings.TrimSpace(sb.String())
}

func units(s string) int { return len(utf16.Encode([]rune(s))) }

func TestCutCaption(t *testing.T) {
	c := longCaption()
	head, rest := cutCaption(c)
	if units(head) > maxCaptionUTF16 || units(head) < maxCaptionUTF16-40 {
		t.Errorf("head is %d UTF-16 units", units(head))
	}
	if !strings.HasPrefix(c, head) || strings.Join(strings.Fields(head+" "+rest), " ") != strings.Join(strings.Fields(c), " ") {
		t.Error("head and rest are not the caption cut in two")
	}
	if c[len(head)] != ' ' {
		t.Errorf("cut inside a word or character: …%q | %q…", head[len(head)-12:], rest[:12])
	}
	if h, r := cutCaption("short"); h != "short" || r != "" {
		t.Errorf("cutCaption(short) = %q, %q", h, r)
	}
	parts := replyParts(chat.Reply{Text: "the text", Image: &chat.Image{PNG: []byte{1}, Caption: c}})
	if len(parts) != 2 || parts[0].photo == nil || parts[0].text != head || !strings.HasPrefix(parts[1].text, rest) ||
		!strings.HasSuffix(parts[1].text, "\n\nthe text") {
		t.Errorf("replyParts = %d parts", len(parts))
	}
}

// A private reply with a picture, asked in a group, arrives in the member's
// DM as a multipart photo with at most 1,024 units of caption, followed by
// the rest of the caption and the text; the group gets nothing.
func TestPhotoReplyGoesPrivate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pic := testPNG(t)
	caption := longCaption()
	sc := newScripted(t, e.core, map[string][]chat.Reply{
		"chart": {{Text: "Your last 7 days: 3 hard days.", Private: true,
			Image: &chat.Image{PNG: pic, Name: "week.png", Caption: caption}}},
	}, map[string]bool{"chart": true})
	e.a.core = sc
	e.run()
	e.dm(alice, "/start") // so the bot may write to her

	before := len(e.srv.SentTo(alice.ID))
	if got := e.group(harriers, alice, "/chart@"+e.srv.Bot().Username); len(got) != 0 {
		t.Fatalf("the group got %q", texts(got))
	}
	if ps := e.srv.PhotosTo(harriers.ID); len(ps) != 0 {
		t.Fatalf("the group got %d photos", len(ps))
	}
	ps := e.srv.PhotosTo(alice.ID)
	if len(ps) != 1 {
		t.Fatalf("alice got %d photos, want 1", len(ps))
	}
	p := ps[0]
	if !p.Multipart || p.FileName != "week.png" || !bytes.Equal(p.Data, pic) || p.Width != 108 || p.Height != 70 {
		t.Errorf("photo: multipart %v, name %q, %d bytes, %d×%d", p.Multipart, p.FileName, len(p.Data), p.Width, p.Height)
	}
	if n := units(p.Caption); n > maxCaptionUTF16 || n < 900 || !strings.HasPrefix(caption, p.Caption) {
		t.Errorf("caption of %d units: %q…", n, p.Caption[:40])
	}
	after := e.srv.SentTo(alice.ID)[before:]
	if len(after) != 1 {
		t.Fatalf("alice got %d texts after the photo, want 1: %q", len(after), texts(after))
	}
	rest := strings.TrimSpace(strings.TrimPrefix(caption, p.Caption))
	if !strings.HasPrefix(after[0].PlainText, rest[:60]) || !strings.HasSuffix(after[0].PlainText, "Your last 7 days: 3 hard days.") {
		t.Errorf("the text after the photo: %q", after[0].PlainText)
	}
	if after[0].MessageID < p.MessageID {
		t.Error("the text came before the photo")
	}
}

// A scheduled message with a picture (the club picture in the morning
// post) goes through Send as a photo with its caption, then the text; a
// retry after the photo went does not send it again.
func TestSendPhotoFromOutbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	pic := testPNG(t)
	o := outbox.Outgoing{ID: 7, To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "-1005550000009"},
		Reply: chat.Reply{Text: "Good morning, harriers! Tuesday: HARD", Image: &chat.Image{PNG: pic, Name: "club.png", Caption: "The club today: EASY 6."}}}
	e.srv.FailNext("sendMessage", telegramtest.InternalError())
	if err := e.a.Send(t.Context(), o); err == nil {
		t.Fatal("Send succeeded though the text after the photo failed")
	}
	if err := e.a.Send(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	ps := e.srv.PhotosTo(-1005550000009)
	sent := e.srv.SentTo(-1005550000009)
	if len(ps) != 1 || ps[0].Caption != "The club today: EASY 6." || len(sent) != 1 || sent[0].PlainText != "Good morning, harriers! Tuesday: HARD" {
		t.Fatalf("photos %+v, texts %q", len(ps), texts(sent))
	}
}

// With the SDK faked: the photo is an upload of the picture's bytes with
// the caption, the buttons ride on the last text part, and a closed topic
// sends the photo and the text to General.
func TestUnitPhotoThenTextToGeneral(t *testing.T) {
	closed := fmt.Errorf("%w, Bad Request: TOPIC_CLOSED", tgbot.ErrorBadRequest)
	api := newFakeAPI()
	api.photoErr = func(p *tgbot.SendPhotoParams) error {
		if p.MessageThreadID != 0 {
			return closed
		}
		return nil
	}
	api.sendErr = func(p *tgbot.SendMessageParams) error {
		if p.MessageThreadID != 0 {
			return closed
		}
		return nil
	}
	a := newUnit(t, api, &fixedCore{catalog: unitCatalog}, nil)
	post := outbox.Outgoing{ID: 8, To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "-100200", ThreadID: "17"},
		Reply: chat.Reply{Text: "Club run at 7", Buttons: [][]chat.Button{{{Label: "Going", Data: "rsvp:yes"}}},
			Image: &chat.Image{PNG: []byte("png bytes"), Name: "club.png", Caption: "The club today."}}}
	if err := a.Send(context.Background(), post); err != nil {
		t.Fatal(err)
	}
	if len(api.photos) != 1 || len(api.sentMessages()) != 1 {
		t.Fatalf("%d photos and %d texts, want one of each", len(api.photos), len(api.sentMessages()))
	}
	p, m := api.photos[0], api.sentMessages()[0]
	up, ok := p.Photo.(*models.InputFileUpload)
	if !ok || up.Filename != "club.png" || p.Caption != "The club today." || p.MessageThreadID != 0 || p.ReplyMarkup != nil {
		t.Fatalf("photo = %+v", p)
	}
	if data, _ := io.ReadAll(up.Data); string(data) != "png bytes" {
		t.Errorf("uploaded %q", data)
	}
	if m.Text != "Club run at 7" || m.MessageThreadID != 0 || m.ReplyMarkup == nil {
		t.Errorf("text = %+v", m)
	}
}
