package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/shakeoutbot/shakeout/config"
)

// CheckToken asks the Bot API whose token this is (getMe), for `shakeout
// doctor`, and returns the bot's username. Its errors say what to do and
// never contain the token.
func CheckToken(ctx context.Context, token config.Secret, apiURL string) (string, error) {
	a := &Adapter{token: token.Reveal()} // for scrub
	if apiURL == "" {
		apiURL = "https://api.telegram.org"
	}
	client := &http.Client{Timeout: 15 * time.Second}
	tg, err := tgbot.New(a.token, tgbot.WithServerURL(strings.TrimRight(apiURL, "/")), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(10*time.Second, client))
	if err != nil {
		return "", fmt.Errorf("telegram: %w", a.scrub(err))
	}
	me, err := tg.GetMe(ctx)
	switch {
	case errors.Is(err, tgbot.ErrorUnauthorized), errors.Is(err, tgbot.ErrorNotFound):
		return "", errors.New("telegram: the Bot API rejected the token; copy it again from @BotFather (/mybots → API Token)")
	case err != nil:
		return "", fmt.Errorf("telegram: could not reach the Bot API at %s: %w", apiURL, a.scrub(err))
	}
	return me.Username, nil
}
