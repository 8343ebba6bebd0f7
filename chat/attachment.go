package chat

import (
	"context"
	"errors"
)

// Attachment is a file sent with a message (a Telegram document, a Discord
// attachment, a console :file). The adapter fills in what the platform
// says about it; the core fetches the bytes only when it wants them.
type Attachment struct {
	// Name is the file name as sent ("Morning_Run.fit"); it may be empty.
	Name string
	// Size is the size the platform states, in bytes; 0 when unknown.
	Size int64
	// Fetch downloads the file. It reads at most limit bytes and returns
	// ErrAttachmentTooLarge (wrapped or not) when the file is longer; the
	// core calls it at most once per message.
	Fetch func(ctx context.Context, limit int64) ([]byte, error)
}

// ErrAttachmentTooLarge is Fetch's answer for a file over the limit, also
// used by adapters when the platform refuses to hand over a big file
// (Telegram's getFile stops at 20 MB).
var ErrAttachmentTooLarge = errors.New("attachment over the size limit")
