package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/shakeoutbot/shakeout/chat"
)

// FuzzCommandArgs joins any slash-command option values back into the text
// the core parses: it must not panic, every non-blank value appears in the
// text, a keyword option is written "name value", and nothing is added at
// either end.
func FuzzCommandArgs(f *testing.F) {
	for _, s := range []struct {
		kind, dist, rpe string
		minutes         float64
		known           bool
	}{
		{"tempo", "8km", "7", 40, true},
		{" easy ", "", "", 0, true},
		{"", "", "", -1, true},
		{"long run", "18 mi", "6", 1e21, true},
		{"x", "y", "z", 0.000001, false},
		{"rpe", "rpe", "rpe", 3, true},
		{"\n", "\t", " ", 0, true},
	} {
		f.Add(s.kind, s.dist, s.rpe, s.minutes, s.known)
	}
	cmd := chat.Command{Name: "log", Options: []chat.Option{
		{Name: "kind", Type: chat.OptionString},
		{Name: "distance", Type: chat.OptionString},
		{Name: "minutes", Type: chat.OptionInteger},
		{Name: "rpe", Type: chat.OptionString, Keyword: true},
	}}
	f.Fuzz(func(t *testing.T, kind, dist, rpe string, minutes float64, known bool) {
		// Discord sends options in any order; integers arrive as float64.
		opts := []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "rpe", Type: discordgo.ApplicationCommandOptionString, Value: rpe},
			{Name: "minutes", Type: discordgo.ApplicationCommandOptionInteger, Value: minutes},
			{Name: "kind", Type: discordgo.ApplicationCommandOptionString, Value: kind},
			{Name: "distance", Type: discordgo.ApplicationCommandOptionString, Value: dist},
		}
		got := commandArgs(cmd, known, opts)
		if got != strings.TrimSpace(got) {
			t.Fatalf("commandArgs = %q, not trimmed", got)
		}
		for _, o := range opts {
			v := strings.TrimSpace(optionValue(o))
			if v == "" {
				continue
			}
			want := v
			if known && o.Name == "rpe" {
				want = "rpe " + v
			}
			if !strings.Contains(got, want) {
				t.Fatalf("commandArgs = %q, missing %q", got, want)
			}
		}
	})
}
