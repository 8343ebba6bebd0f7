package discord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// RequestRaw takes a message with files as discordgo would send it: a
// multipart body whose payload_json is the message and whose other parts
// are the files.
func (f *fakeREST) RequestRaw(method, url, contentType string, b []byte, _ string, _ int, _ ...discordgo.RequestOption) ([]byte, error) {
	channelID, ok := strings.CutSuffix(strings.TrimPrefix(url, discordgo.EndpointChannels), "/messages")
	if method != http.MethodPost || !ok {
		return nil, fmt.Errorf("unit fake: unexpected %s %s", method, url)
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return nil, fmt.Errorf("unit fake: content type %q", contentType)
	}
	var body messageCreate
	var files []discordgo.File
	mr := multipart.NewReader(bytes.NewReader(b), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		data, _ := io.ReadAll(p)
		if p.FormName() == "payload_json" {
			if err := json.Unmarshal(data, &body); err != nil {
				return nil, err
			}
			continue
		}
		files = append(files, discordgo.File{Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Reader: bytes.NewReader(data)})
	}
	f.mu.Lock()
	f.created = append(f.created, createdMessage{channelID: channelID, body: body})
	for len(f.uploads) < len(f.created)-1 {
		f.uploads = append(f.uploads, nil)
	}
	f.uploads = append(f.uploads, files)
	n := len(f.created)
	f.mu.Unlock()
	return json.Marshal(discordgo.Message{ID: fmt.Sprint(n), ChannelID: channelID, Content: body.Content})
}

// A picture on an outbox message goes as one multipart message: the file,
// the embed that shows it with the caption, and the nonce; a reply without
// one stays plain JSON.
func TestCreateMessageWithPicture(t *testing.T) {
	rest := &fakeREST{}
	a := &Adapter{rest: rest, sentParts: map[int64]int{}}
	o := outbox.Outgoing{ID: 5, To: chat.Recipient{Platform: chat.PlatformDiscord, ChatID: "77"},
		Reply: chat.Reply{Text: "Good morning!", Image: &chat.Image{PNG: []byte("\x89PNG fake"), Name: "club.png", Caption: "The club today."}}}
	if err := a.Send(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	if len(rest.created) != 1 || len(rest.uploads) != 1 || len(rest.uploads[0]) != 1 {
		t.Fatalf("created %d, uploads %v", len(rest.created), rest.uploads)
	}
	m, up := rest.created[0].body, rest.uploads[0][0]
	if m.Nonce != "o5" || !m.EnforceNonce || m.Content != "Good morning!" || len(m.Embeds) != 1 ||
		m.Embeds[0].Image == nil || m.Embeds[0].Image.URL != "attachment://club.png" || m.Embeds[0].Description != "The club today." {
		t.Errorf("payload = %+v", m)
	}
	data, _ := io.ReadAll(up.Reader)
	if up.Name != "club.png" || up.ContentType != "image/png" || string(data) != "\x89PNG fake" {
		t.Errorf("file %q %q %q", up.Name, up.ContentType, data)
	}
}
