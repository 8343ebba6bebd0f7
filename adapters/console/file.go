package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
)

// sendFile handles ":file PATH": the file at PATH goes to the bot as an
// attachment of a message from the current speaker, as a document sent in
// a chat would. The bytes are read only when the core fetches them, within
// its size limit.
func (c *Console) sendFile(ctx context.Context, t string) error {
	path := strings.TrimSpace(strings.TrimPrefix(t, ":file"))
	if path == "" {
		return errors.New("usage: :file PATH, e.g. :file ~/Downloads/Morning_Run.fit")
	}
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, rest)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("can't send %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("can't send %s: not a regular file", path)
	}
	m := chat.Message{
		Platform:      chat.PlatformConsole,
		ClubChatID:    c.opts.Club,
		ClubName:      c.opts.Club,
		ChatID:        c.opts.Club,
		UserID:        c.opts.As,
		UserName:      c.opts.As,
		UserHandle:    c.opts.As,
		PlatformAdmin: c.opts.ClubAdmin,
		Time:          c.opts.Clock.Now(),
		Attachment: &chat.Attachment{Name: filepath.Base(path), Size: info.Size(),
			Fetch: func(_ context.Context, limit int64) ([]byte, error) { return readLimited(path, limit) }},
	}
	c.show(c.h.Handle(ctx, m))
	if f, ok := c.sched.(Flusher); ok {
		return f.Flush(ctx)
	}
	return nil
}

// readLimited reads the file at path, or chat.ErrAttachmentTooLarge when it
// holds more than limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, chat.ErrAttachmentTooLarge
	}
	return data, nil
}
