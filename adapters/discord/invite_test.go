package discord_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/adapters/discord"
)

// The README's invite link asks for exactly the permissions the bot uses.
func TestReadmeInvitePermissions(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := "permissions=" + strconv.FormatInt(discord.InvitePermissions, 10) + "\n"
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md's invite link lacks %q", strings.TrimSpace(want))
	}
	if n := strings.Count(string(readme), "permissions="); n != 1 {
		t.Errorf("README.md has %d invite links, want one", n)
	}
}
