package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/shakeoutbot/shakeout/chat"
)

// fileClient downloads attachments from Discord's CDN. It is not the REST
// client: CDN downloads are outside the API's rate limits, and the API base
// URL of tests does not apply to them (a fake serves its own attachment
// URLs).
var fileClient = &http.Client{Timeout: 60 * time.Second}

// messageAttachment is the first file of a message, for the core; nil when
// the message has none.
func messageAttachment(atts []*discordgo.MessageAttachment) *chat.Attachment {
	for _, at := range atts {
		if at != nil && at.URL != "" {
			return attachmentOf(at)
		}
	}
	return nil
}

// interactionAttachment is the file given in a slash command's attachment
// option (Discord sends its id as the value and the file in resolved).
func interactionAttachment(cmd chat.Command, known bool, data discordgo.ApplicationCommandInteractionData) *chat.Attachment {
	if !known || data.Resolved == nil {
		return nil
	}
	for _, spec := range cmd.Options {
		if spec.Type != chat.OptionAttachment {
			continue
		}
		for _, o := range data.Options {
			if o.Name != spec.Name || o.Type != discordgo.ApplicationCommandOptionAttachment {
				continue
			}
			if at := data.Resolved.Attachments[optionValue(o)]; at != nil && at.URL != "" {
				return attachmentOf(at)
			}
		}
	}
	return nil
}

func attachmentOf(at *discordgo.MessageAttachment) *chat.Attachment {
	url := at.URL
	return &chat.Attachment{Name: at.Filename, Size: int64(at.Size),
		Fetch: func(ctx context.Context, limit int64) ([]byte, error) { return download(ctx, url, limit) }}
}

// download fetches url, refusing more than limit bytes.
func download(ctx context.Context, url string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("discord: attachment: %w", err)
	}
	resp, err := fileClient.Do(req)
	if err != nil {
		// Not the *url.Error itself: the signed URL stays out of logs.
		var ue *neturl.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("discord: attachment download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("discord: attachment: HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > limit {
		return nil, chat.ErrAttachmentTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("discord: attachment: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, chat.ErrAttachmentTooLarge
	}
	return data, nil
}
