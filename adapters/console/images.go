package console

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shakeoutbot/shakeout/chat"
)

// images writes the pictures of a session into one folder: the one set by
// Options.ImagesDir or ":images DIR", or else a new temporary folder made
// for the first picture.
type images struct {
	dir     string
	written map[string]int // how many pictures of each name this session wrote
}

// setDir makes dir (and its parents) and writes later pictures there.
func (im *images) setDir(dir string) error {
	if dir == "" {
		return errors.New("usage: :images DIR, e.g. :images ./pictures")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("can't use %s for pictures: %w", dir, err)
	}
	im.dir = dir
	return nil
}

// write stores the picture and returns its path. A name written before in
// this session gets a number (week-2.png), so no picture overwrites
// another of the same session.
func (im *images) write(img *chat.Image) (string, error) {
	if im.dir == "" {
		dir, err := os.MkdirTemp("", "shakeout-pictures-")
		if err != nil {
			return "", err
		}
		im.dir = dir
	}
	if im.written == nil {
		im.written = map[string]int{}
	}
	name := filepath.Base(img.Name)
	if name == "." || name == string(filepath.Separator) || name == "" {
		name = "picture.png"
	}
	im.written[name]++
	if n := im.written[name]; n > 1 {
		ext := filepath.Ext(name)
		name = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, ext), n, ext)
	}
	if err := os.MkdirAll(im.dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(im.dir, name)
	if err := os.WriteFile(path, img.PNG, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// pictureLines are the lines the console prints for a reply's picture,
// each indented: where it was written, then its caption.
func (c *Console) pictureLines(img *chat.Image, indent string) string {
	path, err := c.pictures.write(img)
	if err != nil {
		return fmt.Sprintf("%s[picture %s not written: %v]\n", indent, img.Name, err)
	}
	return fmt.Sprintf("%s[picture: %s]\n%s%s\n", indent, path, indent, strings.ReplaceAll(img.Caption, "\n", "\n"+indent))
}
