package telegram_test

import (
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/adapters/telegram"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/config"
)

func TestCheckToken(t *testing.T) {
	srv := telegramtest.New(t)
	name, err := telegram.CheckToken(t.Context(), config.Secret(srv.Token()), srv.URL())
	if err != nil || name != srv.Bot().Username {
		t.Fatalf("CheckToken = %q, %v; want %q", name, err, srv.Bot().Username)
	}
	bad := "123456:" + strings.Repeat("x", 35)
	_, err = telegram.CheckToken(t.Context(), config.Secret(bad), srv.URL())
	if err == nil || !strings.Contains(err.Error(), "rejected the token") || strings.Contains(err.Error(), bad) {
		t.Fatalf("bad token: %v", err)
	}
	_, err = telegram.CheckToken(t.Context(), config.Secret(bad), "http://127.0.0.1:1")
	if err == nil || !strings.Contains(err.Error(), "could not reach") || strings.Contains(err.Error(), bad) {
		t.Fatalf("unreachable API: %v", err)
	}
}
