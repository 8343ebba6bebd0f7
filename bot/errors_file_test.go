package bot

import (
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/bot/activity"
)

// Every kind of file failure has its own words and a way forward.
func TestFileErrorWordsForEveryKind(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range activity.Kinds() {
		err := fileError(&activity.Error{Kind: k, Format: activity.FormatGPX}, "Morning Run.gpx")
		if CodeOf(err) != CodeInvalid {
			t.Fatalf("%v: code %s", k, CodeOf(err))
		}
		msg := replyText(err)
		problem, _, _ := strings.Cut(msg, " Nothing was logged.")
		if seen[problem] || strings.Contains(problem, "could not be read") {
			t.Errorf("%v has no words of its own: %q", k, msg)
		}
		seen[problem] = true
		if !strings.Contains(msg, `"Morning Run.gpx"`) || !strings.Contains(msg, "Nothing was logged.\n") {
			t.Errorf("%v: %q", k, msg)
		}
		if fix := fileFix(k); fix == fileFix(nil) {
			t.Errorf("%v has the generic fix", k)
		}
	}
}
