package sqlstore

import (
	"errors"

	"github.com/shakeoutbot/shakeout/chat"
)

// imageBytes is what the outbox's image column holds for a reply: the PNG,
// or NULL for a reply without a picture.
func imageBytes(r chat.Reply) any {
	if r.Image == nil || len(r.Image.PNG) == 0 {
		return nil
	}
	return r.Image.PNG
}

// attachImage puts a claimed row's stored picture back on its reply. A body
// that names a picture whose bytes are missing is refused rather than sent
// as text that promises a picture.
func attachImage(r *chat.Reply, png []byte) error {
	switch {
	case r.Image == nil && len(png) == 0:
		return nil
	case r.Image == nil:
		return errors.New("a stored picture without its reply's picture fields")
	case len(png) == 0:
		return errors.New("a reply with a picture whose bytes are missing")
	}
	r.Image.PNG = png
	return nil
}
