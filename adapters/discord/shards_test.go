package discord_test

import (
	"context"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/discord"
	"github.com/shakeoutbot/shakeout/adapters/discord/discordtest"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/internal/storetest"
)

// Two adapters as shards 0 and 1 of 2 identify with their shard, and only
// shard 0 registers the slash commands.
func TestShardsIdentifyWithTheirShard(t *testing.T) {
	srv := discordtest.New(t)
	store := storetest.Open(t, nil)
	b, err := bot.New(bot.Deps{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 2)
	for shard := range 2 {
		a, err := discord.New(discord.Deps{Token: config.Secret(srv.Token()), APIURL: srv.URL(), Core: &recordingCore{Core: b},
			Shard: shard, Shards: 2})
		if err != nil {
			t.Fatal(err)
		}
		go func() { done <- a.Run(ctx) }()
	}
	defer func() {
		cancel()
		for range 2 {
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Error("Run did not return after cancel")
			}
		}
	}()
	discordtest.WaitFor(t, func() bool { return len(srv.Identifies()) == 2 && len(srv.Commands("")) > 0 }, 30*time.Second)
	seen := map[int]bool{}
	for _, id := range srv.Identifies() {
		if id.Shard == nil || id.Shard[1] != 2 {
			t.Fatalf("identify shard = %v, want [n 2]", id.Shard)
		}
		seen[id.Shard[0]] = true
	}
	if !seen[0] || !seen[1] {
		t.Fatalf("shards identified: %v, want 0 and 1", seen)
	}
}

func TestShardOutsideTheCountIsRefused(t *testing.T) {
	store := storetest.Open(t, nil)
	b, err := bot.New(bot.Deps{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	_, err = discord.New(discord.Deps{Token: "token", Core: &recordingCore{Core: b}, Shard: 2, Shards: 2})
	if err == nil {
		t.Fatal("shard 2 of 2 was accepted")
	}
}
