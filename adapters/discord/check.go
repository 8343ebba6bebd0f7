package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// CheckToken asks Discord whose bot token this is (GET /users/@me), for
// `shakeout doctor`, and returns the bot's username. Its errors say what to
// do and never contain the token.
func CheckToken(ctx context.Context, token, apiURL string) (string, error) {
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		return "", errors.New("discord: could not create a session")
	}
	tr, err := newTransport(http.DefaultTransport, apiURL)
	if err != nil {
		return "", err
	}
	s.Client = &http.Client{Timeout: 15 * time.Second, Transport: tr}
	s.LogLevel = -1
	u, err := s.User("@me", discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	var rest *discordgo.RESTError
	switch {
	case errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized:
		return "", errors.New("discord: Discord rejected the token; reset it on the Bot page of the Developer Portal and set SHAKEOUT_DISCORD_TOKEN again")
	case err != nil:
		return "", fmt.Errorf("discord: could not reach Discord: %s", strings.ReplaceAll(err.Error(), token, "REDACTED"))
	case !u.Bot:
		return "", fmt.Errorf("discord: the token belongs to %s, a user account, not a bot; use the token from the Bot page", u.Username)
	}
	return u.Username, nil
}
