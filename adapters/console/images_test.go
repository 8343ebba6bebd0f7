package console_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/console"
	"github.com/shakeoutbot/shakeout/chat"
)

// pictureCore answers every message with a picture and a text.
type pictureCore struct{ png []byte }

func (p pictureCore) Handle(ctx context.Context, m chat.Message) []chat.Reply {
	return []chat.Reply{{Text: "Your last 7 days", Private: true,
		Image: &chat.Image{PNG: p.png, Name: "week.png", Caption: "Training load, last 28 days.\nThis week: 3 hard."}}}
}

func TestConsoleWritesPictures(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nnot really a picture")
	dir := filepath.Join(t.TempDir(), "pics", "here")
	out := &bytes.Buffer{}
	c := console.New(pictureCore{png}, nil, out, console.Options{Club: "harriers", As: "maya",
		Clock: console.NewClock(time.Date(2026, 6, 9, 9, 0, 0, 0, time.UTC))})
	script := strings.Join([]string{":images", ":images " + dir, "/week", "/week"}, "\n")
	if err := c.Run(t.Context(), strings.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "usage: :images DIR") {
		t.Errorf(":images without a folder should say how to use it:\n%s", got)
	}
	for _, name := range []string{"week.png", "week-2.png"} {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(b, png) {
			t.Errorf("%s: %v (%d bytes)", path, err, len(b))
		}
		if !strings.Contains(got, "\n    [picture: "+path+"]\n") {
			t.Errorf("the path %s is not printed:\n%s", path, got)
		}
	}
	if !strings.Contains(got, "shakeout (private to maya): Your last 7 days\n    [picture: ") ||
		!strings.Contains(got, "]\n    Training load, last 28 days.\n    This week: 3 hard.\n") {
		t.Errorf("caption or text missing:\n%s", got)
	}
}

func TestConsolePicturesDefaultToATempFolder(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	out := &bytes.Buffer{}
	c := console.New(pictureCore{[]byte("png")}, nil, out, console.Options{Club: "harriers", As: "maya"})
	if _, err := c.Line(t.Context(), "/week"); err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(out.String(), "[picture: ")
	path, _, _ := strings.Cut(rest, "]")
	if !ok || !strings.HasPrefix(path, os.Getenv("TMPDIR")) {
		t.Fatalf("picture not in the temporary folder:\n%s", out.String())
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "png" {
		t.Errorf("%s: %v", path, err)
	}
}
