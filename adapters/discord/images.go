package discord

import (
	"bytes"
	"context"
	"net/http"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// maxEmbedDescription is Discord's limit on an embed's description.
const maxEmbedDescription = 4096

// embedColour is the embeds' side bar: the dark slate of the pictures.
const embedColour = 0x1b212c

// imageName is the file name a part's picture is uploaded and shown under.
func (p part) imageName() string {
	if p.image == nil || p.image.Name == "" {
		return "picture.png"
	}
	return p.image.Name
}

// files is the part's picture as a file to upload, read from its start;
// nil without a picture.
func (p part) files() []*discordgo.File {
	if p.image == nil || len(p.image.PNG) == 0 {
		return nil
	}
	return []*discordgo.File{{Name: p.imageName(), ContentType: "image/png", Reader: bytes.NewReader(p.image.PNG)}}
}

// embeds shows the part's uploaded picture in an embed whose description is
// the picture's caption, so the picture's content is there in words too;
// nil without a picture.
func (p part) embeds() []*discordgo.MessageEmbed {
	if p.image == nil || len(p.image.PNG) == 0 {
		return nil
	}
	desc := p.image.Caption
	if utf8.RuneCountInString(desc) > maxEmbedDescription {
		desc = truncate(desc, maxEmbedDescription)
	}
	return []*discordgo.MessageEmbed{{
		Description: desc,
		Color:       embedColour,
		Image:       &discordgo.MessageEmbedImage{URL: "attachment://" + p.imageName()},
	}}
}

// postMessage creates a message from body on endpoint ep: as JSON, or, when
// the part has a picture, as multipart/form-data with the picture as a
// file and the body (nonce included) as payload_json.
func (a *Adapter) postMessage(ctx context.Context, ep string, body messageCreate, p part) ([]byte, error) {
	files := p.files()
	if len(files) == 0 {
		return a.rest.RequestWithBucketID(http.MethodPost, ep, body, ep,
			discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	}
	body.Embeds = p.embeds()
	contentType, raw, err := discordgo.MultipartBodyWithJSON(body, files)
	if err != nil {
		return nil, err
	}
	return a.rest.RequestRaw(http.MethodPost, ep, contentType, raw, ep, 0,
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
}

// editOriginalPart edits a deferred interaction response into the part:
// its text, buttons and, when it has one, its picture in an embed.
func (a *Adapter) editOriginalPart(ctx context.Context, ic *discordgo.InteractionCreate, p part) error {
	if p.image == nil {
		return a.editOriginal(ctx, ic, p.text, p.components)
	}
	text := p.text
	embeds := p.embeds()
	edit := &discordgo.WebhookEdit{Content: &text, AllowedMentions: noMentions(), Embeds: &embeds, Files: p.files()}
	if len(p.components) > 0 {
		edit.Components = &p.components
	}
	_, err := a.rest.InteractionResponseEdit(ic.Interaction, edit, discordgo.WithContext(ctx))
	return err
}
