package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shakeoutbot/shakeout/chat"
)

// MaxDownload is the largest file the Bot API lets a bot download
// (getFile refuses bigger ones).
const MaxDownload = 20 << 20

// fileClient downloads files a member sent, from the link getFile leads
// to. The link holds the token: it is never logged, and errors drop it.
var fileClient = &http.Client{Timeout: 60 * time.Second}

// documentIntent is what a message carrying a document asks of the bot: to
// log the file (the import command). In a private chat every document is
// for the bot; in a group only one whose caption addresses the bot (a
// mention or a command for it) or that replies to the bot.
func documentIntent(m *models.Message, me models.User, private, repliedToBot bool) (intent, bool) {
	if _, ok := parseText(m.Caption, m.CaptionEntities, me, private, repliedToBot); ok || private || repliedToBot {
		return intent{command: "import"}, true
	}
	return intent{}, false
}

// documentAttachment is the document as the core sees it; its bytes are
// fetched through getFile only when the core asks.
func (a *Adapter) documentAttachment(d *models.Document) *chat.Attachment {
	id := d.FileID
	return &chat.Attachment{Name: d.FileName, Size: d.FileSize,
		Fetch: func(ctx context.Context, limit int64) ([]byte, error) {
			return a.fetchFile(ctx, id, min(limit, MaxDownload))
		}}
}

// fetchFile downloads a file by its file_id, refusing more than limit
// bytes with chat.ErrAttachmentTooLarge.
func (a *Adapter) fetchFile(ctx context.Context, fileID string, limit int64) ([]byte, error) {
	f, err := a.tg.GetFile(ctx, &tgbot.GetFileParams{FileID: fileID})
	if err != nil {
		if strings.Contains(err.Error(), "file is too big") {
			return nil, chat.ErrAttachmentTooLarge
		}
		return nil, fmt.Errorf("telegram: getFile: %w", a.scrub(err))
	}
	if f.FileSize > limit {
		return nil, chat.ErrAttachmentTooLarge
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.tg.FileDownloadLink(f), nil)
	if err != nil {
		return nil, errors.New("telegram: file download: bad link")
	}
	resp, err := fileClient.Do(req)
	if err != nil {
		var ue *neturl.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the link, which holds the token
		}
		return nil, fmt.Errorf("telegram: file download: %w", a.scrub(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram: file download: HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > limit {
		return nil, chat.ErrAttachmentTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("telegram: file download: %w", a.scrub(err))
	}
	if int64(len(data)) > limit {
		return nil, chat.ErrAttachmentTooLarge
	}
	return data, nil
}
