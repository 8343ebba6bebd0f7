package telegram

import (
	"bytes"
	"context"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/chat"
)

// maxCaptionUTF16 is Telegram's photo caption limit in UTF-16 code units.
const maxCaptionUTF16 = 1024

// part is one message a reply is sent as: a photo with its caption, or a
// text.
type part struct {
	photo *chat.Image
	text  string // the caption of a photo
}

// replyParts is a reply as the messages Telegram gets, in order. A picture
// goes first, as a photo whose caption is as much of the picture's caption
// as fits in 1,024 UTF-16 units; the rest of the caption and then the
// reply's text follow as text messages, split at Telegram's text limit.
// Blank text has no text parts.
func replyParts(r chat.Reply) []part {
	var parts []part
	text := r.Text
	if r.Image != nil && len(r.Image.PNG) > 0 {
		head, rest := cutCaption(r.Image.Caption)
		parts = append(parts, part{photo: r.Image, text: head})
		if rest != "" {
			text = rest + "\n\n" + strings.TrimSpace(text)
		}
	}
	for _, t := range splitText(text, maxTextUTF16) {
		parts = append(parts, part{text: t})
	}
	return parts
}

// cutCaption splits a caption at Telegram's caption limit, at a paragraph
// break, line break or space when there is one, never inside a character.
func cutCaption(caption string) (head, rest string) {
	caption = strings.TrimSpace(caption)
	if utf16Len(caption) <= maxCaptionUTF16 {
		return caption, ""
	}
	first := splitText(caption, maxCaptionUTF16)[0]
	return first, strings.TrimSpace(strings.TrimPrefix(caption, first))
}

// sendPartTo sends one part of a reply: a text as sendToTopic does, a photo
// as a multipart upload, both paced alike and moved to General when their
// forum topic is closed or gone.
func (a *Adapter) sendPartTo(ctx context.Context, chatID int64, thread *int, p part, kb *inlineKeyboard, replyTo int) error {
	if p.photo == nil {
		return a.sendToTopic(ctx, chatID, thread, p.text, kb, replyTo)
	}
	err := a.sendPhoto(ctx, chatID, *thread, p, kb, replyTo)
	if *thread != 0 && topicGone(err) {
		a.log.Info("forum topic closed or gone; sending to General", "chat_id", chatID, "thread_id", *thread)
		*thread = 0
		err = a.sendPhoto(ctx, chatID, 0, p, kb, replyTo)
	}
	return err
}

// sendPhoto uploads one picture within the pacing limits, with the same
// handling of a 429 as sendPart: waited out when short, returned when long.
func (a *Adapter) sendPhoto(ctx context.Context, chatID int64, thread int, p part, kb *inlineKeyboard, replyTo int) error {
	name := p.photo.Name
	if name == "" {
		name = "picture.png"
	}
	params := &tgbot.SendPhotoParams{
		ChatID:          chatID,
		MessageThreadID: thread,
		Caption:         p.text,
	}
	if kb != nil {
		params.ReplyMarkup = kb
	}
	if replyTo != 0 {
		params.ReplyParameters = &models.ReplyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
	}
	return a.paced(ctx, chatID, photoTimeout, func(sctx context.Context) error {
		// Each try reads the picture from its start.
		params.Photo = &models.InputFileUpload{Filename: name, Data: bytes.NewReader(p.photo.PNG)}
		_, err := a.tg.SendPhoto(sctx, params)
		return err
	})
}

// photoTimeout bounds one sendPhoto request: an upload of up to a few
// hundred kilobytes takes longer than a text.
const photoTimeout = 2 * sendTimeout
