package discord_test

import (
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/adapters/discord"
	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
)

func TestCheckToken(t *testing.T) {
	srv := discordtest.New(t)
	name, err := discord.CheckToken(t.Context(), srv.Token(), srv.URL())
	if err != nil || name != srv.BotUser().Username {
		t.Fatalf("CheckToken = %q, %v; want %q", name, err, srv.BotUser().Username)
	}
	const bad = "not-the-token.canary-0123456789"
	_, err = discord.CheckToken(t.Context(), bad, srv.URL())
	if err == nil || !strings.Contains(err.Error(), "rejected the token") || strings.Contains(err.Error(), bad) {
		t.Fatalf("bad token: %v", err)
	}
	_, err = discord.CheckToken(t.Context(), bad, "http://127.0.0.1:1")
	if err == nil || !strings.Contains(err.Error(), "could not reach") || strings.Contains(err.Error(), bad) {
		t.Fatalf("unreachable: %v", err)
	}
}
