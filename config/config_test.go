package config_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // timezone tests must not depend on the host's zoneinfo

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
)

// Distinctive fake secrets, so a leak is easy to spot.
const (
	tgToken       = "123456789:Tg7kLEAKtgLEAKtgLEAKtgLEAKtgLEAK_-x"
	dcToken       = "MTIzNDU2.DcLEAKdc.LEAKdcLEAKdcLEAK"
	webhookSecret = "WhLEAKwhLEAKwh_-42"
)

// leaks are substrings of the fake secrets that must never be printed.
var leaks = []string{"LEAK", tgToken, dcToken, webhookSecret}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func noFiles(path string) ([]byte, error) {
	return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
}

func mustLoad(t *testing.T, m map[string]string) config.Config {
	t.Helper()
	c, err := config.LoadWith(env(m), noFiles)
	if err != nil {
		t.Fatalf("LoadWith: %v", err)
	}
	return c
}

func problems(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

func assertNoLeak(t *testing.T, what, s string) {
	t.Helper()
	for _, l := range leaks {
		if strings.Contains(s, l) {
			t.Errorf("%s leaks a secret (%q) in:\n%s", what, l, s)
		}
	}
}

func TestLoadDefaults(t *testing.T) {
	c := mustLoad(t, nil)
	if c.DBPath != "./shakeout.db" {
		t.Errorf("DBPath = %q", c.DBPath)
	}
	if c.DefaultTZ != time.UTC || c.DefaultTZName != "UTC" {
		t.Errorf("DefaultTZ = %v, %q", c.DefaultTZ, c.DefaultTZName)
	}
	if c.LogLevel != slog.LevelInfo || c.LogFormat != config.LogFormatText {
		t.Errorf("log = %v %q", c.LogLevel, c.LogFormat)
	}
	if c.TelegramWebhookListen != ":8443" {
		t.Errorf("TelegramWebhookListen = %q", c.TelegramWebhookListen)
	}
	if c.TelegramToken.IsSet() || c.DiscordToken.IsSet() || c.TelegramWebhookSecret.IsSet() {
		t.Error("a secret is set by default")
	}
	if c.HTTPAddr != "" || c.TelegramAPIURL != "" || c.DiscordAPIURL != "" || c.TelegramWebhookURL != "" || c.DiscordGuildID != "" || c.DiscordCoachRole != "" {
		t.Errorf("optional values set by default: %+v", c)
	}
	if p := c.Platforms(); len(p) != 0 {
		t.Errorf("Platforms() = %v", p)
	}
}

func TestLoadValues(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c config.Config)
	}{
		{"everything set", map[string]string{
			"SHAKEOUT_DB":                      " /data/club.db ",
			"SHAKEOUT_TELEGRAM_TOKEN":          tgToken + "\n",
			"SHAKEOUT_TELEGRAM_API_URL":        "http://127.0.0.1:8081/",
			"SHAKEOUT_TELEGRAM_WEBHOOK_URL":    "https://bot.example.org:8443/tg",
			"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET": webhookSecret,
			"SHAKEOUT_TELEGRAM_WEBHOOK_LISTEN": "0.0.0.0:9443",
			"SHAKEOUT_DISCORD_TOKEN":           dcToken,
			"SHAKEOUT_DISCORD_API_URL":         "https://discord.test/api",
			"SHAKEOUT_DISCORD_GUILD_ID":        "123456789012345678",
			"SHAKEOUT_DISCORD_COACH_ROLE":      "Coaches",
			"SHAKEOUT_TZ":                      "Europe/Berlin",
			"SHAKEOUT_LOG_LEVEL":               "DEBUG",
			"SHAKEOUT_LOG_FORMAT":              "JSON",
			"SHAKEOUT_HTTP_ADDR":               "127.0.0.1:9090",
			"SHAKEOUT_MEMBER_BURST":            "5",
			"SHAKEOUT_MEMBER_PER_MINUTE":       "6.5",
			"SHAKEOUT_MEMBER_COOLDOWN":         "90s",
			"SHAKEOUT_RETENTION_DAYS":          "7",
			"SHAKEOUT_TELEGRAM_RATE":           "100",
			"SHAKEOUT_SECRET_KEY":              strings.Repeat("ab", 32),
			"SHAKEOUT_INTERVALS_API_URL":       "http://127.0.0.1:8083/",
		}, func(t *testing.T, c config.Config) {
			want := config.Config{
				DBPath:                "/data/club.db",
				TelegramToken:         tgToken,
				TelegramAPIURL:        "http://127.0.0.1:8081",
				TelegramWebhookURL:    "https://bot.example.org:8443/tg",
				TelegramWebhookSecret: webhookSecret,
				TelegramWebhookListen: "0.0.0.0:9443",
				DiscordToken:          dcToken,
				DiscordAPIURL:         "https://discord.test/api",
				DiscordGuildID:        "123456789012345678",
				DiscordCoachRole:      "Coaches",
				DefaultTZ:             c.DefaultTZ,
				DefaultTZName:         "Europe/Berlin",
				LogLevel:              slog.LevelDebug,
				LogFormat:             "json",
				HTTPAddr:              "127.0.0.1:9090",
				MemberBurst:           5,
				MemberPerMinute:       6.5,
				MemberCooldown:        90 * time.Second,
				RetentionDays:         7,
				TelegramPerSecond:     100,
				SecretKey:             config.Secret(strings.Repeat("ab", 32)),
				IntervalsAPIURL:       "http://127.0.0.1:8083",
			}
			if c != want {
				t.Errorf("got  %#v\nwant %#v", c, want)
			}
			if c.TelegramToken.Reveal() != tgToken || c.DiscordToken.Reveal() != dcToken {
				t.Error("tokens not kept")
			}
			if c.DefaultTZ.String() != "Europe/Berlin" {
				t.Errorf("DefaultTZ = %v", c.DefaultTZ)
			}
			if p := c.Platforms(); !slices.Equal(p, []chat.Platform{chat.PlatformTelegram, chat.PlatformDiscord}) {
				t.Errorf("Platforms() = %v", p)
			}
		}},
		{"discord Bot prefix stripped", map[string]string{"SHAKEOUT_DISCORD_TOKEN": "  Bot " + dcToken + " "},
			func(t *testing.T, c config.Config) {
				if c.DiscordToken.Reveal() != dcToken {
					t.Errorf("DiscordToken not stripped (len %d)", len(c.DiscordToken.Reveal()))
				}
				if p := c.Platforms(); !slices.Equal(p, []chat.Platform{chat.PlatformDiscord}) {
					t.Errorf("Platforms() = %v", p)
				}
			}},
		{"coach role mention reduced to id", map[string]string{"SHAKEOUT_DISCORD_COACH_ROLE": "<@&987654321>"},
			func(t *testing.T, c config.Config) {
				if c.DiscordCoachRole != "987654321" {
					t.Errorf("DiscordCoachRole = %q", c.DiscordCoachRole)
				}
			}},
		{"warning is warn", map[string]string{"SHAKEOUT_LOG_LEVEL": "warning"},
			func(t *testing.T, c config.Config) {
				if c.LogLevel != slog.LevelWarn {
					t.Errorf("LogLevel = %v", c.LogLevel)
				}
			}},
		{"error level and port zero", map[string]string{"SHAKEOUT_LOG_LEVEL": "error", "SHAKEOUT_HTTP_ADDR": ":0"},
			func(t *testing.T, c config.Config) {
				// A bare port listens on loopback only.
				if c.LogLevel != slog.LevelError || c.HTTPAddr != "127.0.0.1:0" {
					t.Errorf("LogLevel = %v, HTTPAddr = %q", c.LogLevel, c.HTTPAddr)
				}
			}},
		{"defaults for retention and Telegram rate", map[string]string{},
			func(t *testing.T, c config.Config) {
				if c.RetentionDays != 30 || c.TelegramPerSecond != 30 || c.HTTPAddr != "" {
					t.Errorf("RetentionDays = %d, TelegramPerSecond = %d, HTTPAddr = %q", c.RetentionDays, c.TelegramPerSecond, c.HTTPAddr)
				}
			}},
		{"webhook on default port", map[string]string{
			"SHAKEOUT_TELEGRAM_TOKEN":          tgToken,
			"SHAKEOUT_TELEGRAM_WEBHOOK_URL":    "https://bot.example.org/tg",
			"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET": "a",
		}, func(t *testing.T, c config.Config) {
			if c.TelegramWebhookURL != "https://bot.example.org/tg" || c.TelegramWebhookSecret.Reveal() != "a" {
				t.Errorf("webhook = %q", c.TelegramWebhookURL)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, mustLoad(t, tt.env))
		})
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // substrings of the single problem reported
	}{
		{"unknown timezone", map[string]string{"SHAKEOUT_TZ": "Europe/Berln"},
			[]string{`SHAKEOUT_TZ: unknown timezone "Europe/Berln"; use an IANA name such as Europe/Berlin`}},
		{"Local timezone", map[string]string{"SHAKEOUT_TZ": "Local"},
			[]string{"SHAKEOUT_TZ", `"Local"`, "Europe/Berlin"}},
		{"blank timezone", map[string]string{"SHAKEOUT_TZ": "   "},
			[]string{"SHAKEOUT_TZ: is set but blank", "Europe/Berlin"}},
		{"quoted value", map[string]string{"SHAKEOUT_DB": `"/data/x.db"`},
			[]string{"SHAKEOUT_DB", `"/data/x.db"`, "quotes", "/data/shakeout.db"}},
		{"log level", map[string]string{"SHAKEOUT_LOG_LEVEL": "verbose"},
			[]string{"SHAKEOUT_LOG_LEVEL", `"verbose"`, "debug, info, warn or error"}},
		{"log format", map[string]string{"SHAKEOUT_LOG_FORMAT": "yaml"},
			[]string{"SHAKEOUT_LOG_FORMAT", `"yaml"`, "text or json"}},
		{"member burst zero", map[string]string{"SHAKEOUT_MEMBER_BURST": "0"},
			[]string{"SHAKEOUT_MEMBER_BURST", `"0"`, "1 to 100", "8"}},
		{"member rate not a number", map[string]string{"SHAKEOUT_MEMBER_PER_MINUTE": "lots"},
			[]string{"SHAKEOUT_MEMBER_PER_MINUTE", `"lots"`, "1 to 600"}},
		{"member cooldown without unit", map[string]string{"SHAKEOUT_MEMBER_COOLDOWN": "60"},
			[]string{"SHAKEOUT_MEMBER_COOLDOWN", `"60"`, "1s to 1h", "1m"}},
		{"http addr without port", map[string]string{"SHAKEOUT_HTTP_ADDR": "8080"},
			[]string{"SHAKEOUT_HTTP_ADDR", `"8080"`, "host:port", "127.0.0.1:9090"}},
		{"http addr bad port", map[string]string{"SHAKEOUT_HTTP_ADDR": "localhost:http"},
			[]string{"SHAKEOUT_HTTP_ADDR", `"localhost:http"`, "port must be a number"}},
		{"retention not a number", map[string]string{"SHAKEOUT_RETENTION_DAYS": "a month"},
			[]string{"SHAKEOUT_RETENTION_DAYS", `"a month"`, "whole number from 1 to 3650", "such as 30"}},
		{"telegram rate over paid limit", map[string]string{"SHAKEOUT_TELEGRAM_RATE": "5000"},
			[]string{"SHAKEOUT_TELEGRAM_RATE", `"5000"`, "from 1 to 1000", "such as 30"}},
		{"webhook listen", map[string]string{"SHAKEOUT_TELEGRAM_WEBHOOK_LISTEN": ":99999"},
			[]string{"SHAKEOUT_TELEGRAM_WEBHOOK_LISTEN", `":99999"`, ":8443"}},
		{"guild id not digits", map[string]string{"SHAKEOUT_DISCORD_GUILD_ID": "my-club"},
			[]string{"SHAKEOUT_DISCORD_GUILD_ID", `"my-club"`, "123456789012345678"}},
		{"guild id too large", map[string]string{"SHAKEOUT_DISCORD_GUILD_ID": "99999999999999999999999"},
			[]string{"SHAKEOUT_DISCORD_GUILD_ID", "123456789012345678"}},
		{"telegram api url relative", map[string]string{"SHAKEOUT_TELEGRAM_API_URL": "localhost:8081"},
			[]string{"SHAKEOUT_TELEGRAM_API_URL", `"localhost:8081"`, "http://localhost:8081"}},
		{"discord api url scheme", map[string]string{"SHAKEOUT_DISCORD_API_URL": "ftp://discord.test"},
			[]string{"SHAKEOUT_DISCORD_API_URL", `"ftp://discord.test"`, "http(s)"}},
		{"api url password not echoed", map[string]string{"SHAKEOUT_DISCORD_API_URL": "ftp://u:LEAKpw@discord.test"},
			[]string{"SHAKEOUT_DISCORD_API_URL", "xxxxx"}},
		{"api url with credentials", map[string]string{"SHAKEOUT_TELEGRAM_API_URL": "http://u:LEAKpw@127.0.0.1:8081"},
			[]string{"SHAKEOUT_TELEGRAM_API_URL", "user or password", "http://localhost:8081"}},
		{"webhook url with credentials", map[string]string{"SHAKEOUT_TELEGRAM_WEBHOOK_URL": "https://u:LEAKpw@bot.example.org/tg", "SHAKEOUT_TELEGRAM_WEBHOOK_SECRET": "s"},
			[]string{"SHAKEOUT_TELEGRAM_WEBHOOK_URL", "user or password"}},
		{"unparsable url with @ not echoed", map[string]string{"SHAKEOUT_DISCORD_API_URL": "http://u:LEAK%zz@host"},
			[]string{"SHAKEOUT_DISCORD_API_URL", "not shown"}},
		{"webhook url http", map[string]string{"SHAKEOUT_TELEGRAM_WEBHOOK_URL": "http://bot.example.org/tg", "SHAKEOUT_TELEGRAM_WEBHOOK_SECRET": "s"},
			[]string{"SHAKEOUT_TELEGRAM_WEBHOOK_URL", `"http://bot.example.org/tg"`, "https://bot.example.org/telegram"}},
		{"webhook url port", map[string]string{"SHAKEOUT_TELEGRAM_WEBHOOK_URL": "https://bot.example.org:9000/tg", "SHAKEOUT_TELEGRAM_WEBHOOK_SECRET": "s"},
			[]string{"SHAKEOUT_TELEGRAM_WEBHOOK_URL", "port 9000", "443, 80, 88 and 8443"}},
		{"webhook secret required", map[string]string{"SHAKEOUT_TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg"},
			[]string{"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET: required when SHAKEOUT_TELEGRAM_WEBHOOK_URL is set"}},
		{"webhook secret charset", map[string]string{"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET": "LEAK/with/slashes"},
			[]string{"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET", "1-256", "not shown"}},
		{"webhook secret too long", map[string]string{"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET": strings.Repeat("LEAK", 65)},
			[]string{"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET", "longer than 256"}},
		{"telegram token malformed", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN": "LEAKnotatoken"},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN: not a Telegram bot token (the value is not shown)", "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"}},
		{"telegram token with bot prefix", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN": "bot" + tgToken},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN", `drop the leading "bot"`}},
		{"telegram token as url", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN": "https://api.telegram.org/bot" + tgToken},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN", "looks like a URL"}},
		{"telegram token with space", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN": "123456789:Tg7kLEAK tgLEAKtgLEAKtgLEAKtgLEAK_-x"},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN", "whitespace"}},
		{"telegram token quoted", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN": `"` + tgToken + `"`},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN", "quotes", "not shown"}},
		{"telegram token blank", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN": " \t"},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN: is set but blank"}},
		{"discord token with space", map[string]string{"SHAKEOUT_DISCORD_TOKEN": "MTIz LEAK.abc"},
			[]string{"SHAKEOUT_DISCORD_TOKEN", "whitespace", "not shown"}},
		{"discord token only prefix", map[string]string{"SHAKEOUT_DISCORD_TOKEN": "Bot "},
			[]string{"SHAKEOUT_DISCORD_TOKEN", `only the "Bot " prefix`}},
		{"token and file both set", map[string]string{"SHAKEOUT_DISCORD_TOKEN": dcToken, "SHAKEOUT_DISCORD_TOKEN_FILE": "/run/secrets/dc"},
			[]string{"SHAKEOUT_DISCORD_TOKEN: both SHAKEOUT_DISCORD_TOKEN and SHAKEOUT_DISCORD_TOKEN_FILE are set"}},
		{"webhook secret and file both set", map[string]string{
			"SHAKEOUT_TELEGRAM_WEBHOOK_URL":         "https://bot.example.org/tg",
			"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET":      webhookSecret,
			"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET_FILE": "/run/secrets/wh",
		}, []string{"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET: both"}},
		{"missing secret file", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN_FILE": "/run/secrets/nope"},
			[]string{`SHAKEOUT_TELEGRAM_TOKEN_FILE: cannot read "/run/secrets/nope": file does not exist`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.LoadWith(env(tt.env), noFiles)
			ps := problems(err)
			if len(ps) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(ps), err)
			}
			msg := ps[0].Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("problem %q\ndoes not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("problem spans lines: %q", msg)
			}
			assertNoLeak(t, "problem", msg)
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := config.LoadWith(env(map[string]string{
		"SHAKEOUT_TZ":                   "Europe/Berln",
		"SHAKEOUT_LOG_LEVEL":            "loud",
		"SHAKEOUT_LOG_FORMAT":           "xml",
		"SHAKEOUT_TELEGRAM_TOKEN":       "LEAK",
		"SHAKEOUT_DISCORD_GUILD_ID":     "abc",
		"SHAKEOUT_TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg",
		"SHAKEOUT_HTTP_ADDR":            "nope",
	}), noFiles)
	ps := problems(err)
	var names []string
	for _, p := range ps {
		name, _, _ := strings.Cut(p.Error(), ":")
		names = append(names, name)
	}
	want := []string{
		"SHAKEOUT_TELEGRAM_TOKEN",
		"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET",
		"SHAKEOUT_DISCORD_GUILD_ID",
		"SHAKEOUT_TZ",
		"SHAKEOUT_LOG_LEVEL",
		"SHAKEOUT_LOG_FORMAT",
		"SHAKEOUT_HTTP_ADDR",
	}
	if !slices.Equal(names, want) {
		t.Errorf("problems for %v, want %v\n%v", names, want, err)
	}
	assertNoLeak(t, "error", err.Error())
}

func TestSecretFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tg := write("tg", tgToken+"\n")
	dc := write("dc", "Bot "+dcToken+"\r\n")
	wh := write("wh", webhookSecret+"\n\n")
	empty := write("empty", " \n")
	bad := write("bad", "LEAK not a token\n")

	t.Run("all three from files", func(t *testing.T) {
		c, err := config.Load(env(map[string]string{
			"SHAKEOUT_TELEGRAM_TOKEN_FILE":          tg,
			"SHAKEOUT_DISCORD_TOKEN_FILE":           dc,
			"SHAKEOUT_TELEGRAM_WEBHOOK_URL":         "https://bot.example.org/tg",
			"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET_FILE": wh,
		}))
		if err != nil {
			t.Fatal(err)
		}
		if c.TelegramToken.Reveal() != tgToken || c.DiscordToken.Reveal() != dcToken || c.TelegramWebhookSecret.Reveal() != webhookSecret {
			t.Error("secrets not read from files")
		}
	})

	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"empty file", map[string]string{"SHAKEOUT_DISCORD_TOKEN_FILE": empty},
			[]string{"SHAKEOUT_DISCORD_TOKEN_FILE", "is empty", empty}},
		{"missing file", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN_FILE": filepath.Join(dir, "missing")},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN_FILE", filepath.Join(dir, "missing"), "no such file"}},
		{"directory", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN_FILE": dir},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN_FILE", "cannot read"}},
		{"malformed token in file names the file", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN_FILE": bad},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN_FILE", bad, "not a Telegram bot token"}},
		{"both set", map[string]string{"SHAKEOUT_TELEGRAM_TOKEN": tgToken, "SHAKEOUT_TELEGRAM_TOKEN_FILE": tg},
			[]string{"SHAKEOUT_TELEGRAM_TOKEN: both"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Load(env(tt.env))
			ps := problems(err)
			if len(ps) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(ps), err)
			}
			for _, w := range tt.want {
				if !strings.Contains(ps[0].Error(), w) {
					t.Errorf("problem %q\ndoes not contain %q", ps[0], w)
				}
			}
			assertNoLeak(t, "problem", ps[0].Error())
		})
	}

	t.Run("read error keeps its cause", func(t *testing.T) {
		_, err := config.LoadWith(env(map[string]string{"SHAKEOUT_TELEGRAM_TOKEN_FILE": "/x"}), noFiles)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("errors.Is(err, fs.ErrNotExist) = false for %v", err)
		}
	})
}

func TestSecretRendering(t *testing.T) {
	s := config.Secret(tgToken)
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"String", s.String(), "REDACTED"},
		{"GoString", s.GoString(), `"REDACTED"`},
		{"%v", fmt.Sprintf("%v", s), "REDACTED"},
		{"%+v", fmt.Sprintf("%+v", s), "REDACTED"},
		{"%#v", fmt.Sprintf("%#v", s), `"REDACTED"`},
		{"%s", fmt.Sprintf("%s", s), "REDACTED"},
		{"%q", fmt.Sprintf("%q", s), `"REDACTED"`},
		{"%x", fmt.Sprintf("%x", s), fmt.Sprintf("%x", "REDACTED")},
		{"%10s", fmt.Sprintf("%10s", s), "  REDACTED"},
		{"%d", fmt.Sprintf("%d", s), "%!d(string=REDACTED)"},
		{"pointer %v", fmt.Sprintf("%v", &s), "REDACTED"},
		{"Sprint", fmt.Sprint(s), "REDACTED"},
		{"in a slice", fmt.Sprintf("%v", []config.Secret{s}), "[REDACTED]"},
		{"in a map %#v", fmt.Sprintf("%#v", map[string]config.Secret{"k": s}), `map[string]config.Secret{"k":"REDACTED"}`},
		{"empty %v", fmt.Sprintf("%v", config.Secret("")), ""},
		{"empty %q", fmt.Sprintf("%q", config.Secret("")), `""`},
		{"Reveal", s.Reveal(), tgToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}

	j, err := json.Marshal(map[string]config.Secret{"t": s, "e": ""})
	if err != nil || string(j) != `{"e":"","t":"REDACTED"}` {
		t.Errorf("json = %s, %v", j, err)
	}
	txt, err := s.MarshalText()
	if err != nil || string(txt) != "REDACTED" {
		t.Errorf("MarshalText = %s, %v", txt, err)
	}
	if !s.IsSet() || config.Secret("").IsSet() {
		t.Error("IsSet wrong")
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "token", s)
	if strings.Contains(buf.String(), "LEAK") || !strings.Contains(buf.String(), "token=REDACTED") {
		t.Errorf("slog line: %s", buf.String())
	}
}

func TestConfigNeverLeaksSecrets(t *testing.T) {
	c := mustLoad(t, map[string]string{
		"SHAKEOUT_TELEGRAM_TOKEN":          tgToken,
		"SHAKEOUT_DISCORD_TOKEN":           dcToken,
		"SHAKEOUT_TELEGRAM_WEBHOOK_URL":    "https://bot.example.org/tg",
		"SHAKEOUT_TELEGRAM_WEBHOOK_SECRET": webhookSecret,
		"SHAKEOUT_TELEGRAM_API_URL":        "http://127.0.0.1:8081",
	})
	assertNoLeak(t, "fmt", fmt.Sprintf("%v %+v %#v %s %q", c, c, c, c.TelegramToken, c.DiscordToken))
	assertNoLeak(t, "fmt pointer", fmt.Sprintf("%v %+v %#v", &c, &c, &c))

	j, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	assertNoLeak(t, "json", string(j))
	if !strings.Contains(string(j), `"TelegramToken":"REDACTED"`) {
		t.Errorf("json: %s", j)
	}

	for _, format := range []string{"json", "text"} {
		var buf bytes.Buffer
		c := c
		c.LogFormat = format
		c.NewLogger(&buf).Info("starting", "config", c, "raw", c.DiscordToken)
		line := buf.String()
		assertNoLeak(t, format+" log", line)
		for _, want := range []string{"telegram_token_set", "discord", "127.0.0.1:8081"} {
			if !strings.Contains(line, want) {
				t.Errorf("%s log line lacks %q: %s", format, want, line)
			}
		}
	}
}

func TestNewLogger(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		prefix string
		debug  bool
	}{
		{"text at info", nil, "time=", false},
		{"json at debug", map[string]string{"SHAKEOUT_LOG_FORMAT": "json", "SHAKEOUT_LOG_LEVEL": "debug"}, "{", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := mustLoad(t, tt.env).NewLogger(&buf)
			log.Debug("d")
			log.Info("i")
			out := buf.String()
			if !strings.HasPrefix(out, tt.prefix) {
				t.Errorf("output %q does not start with %q", out, tt.prefix)
			}
			if got := strings.Count(out, "\n"); got != map[bool]int{false: 1, true: 2}[tt.debug] {
				t.Errorf("%d lines: %q", got, out)
			}
		})
	}
}

func TestVariables(t *testing.T) {
	vars := config.Variables()
	listed := map[string]bool{}
	for _, v := range vars {
		if !strings.HasPrefix(v.Name, "SHAKEOUT_") || listed[v.Name] {
			t.Errorf("bad or duplicate name %q", v.Name)
		}
		listed[v.Name] = true
		if v.Description == "" || strings.Contains(v.Description, "\n") || len(v.Description) > 100 {
			t.Errorf("%s: description must be one short line: %q", v.Name, v.Description)
		}
	}

	// Every variable Load reads is listed, and every listed one is read.
	read := map[string]bool{}
	getenv := func(k string) string { read[k] = true; return "" }
	if _, err := config.Load(getenv); err != nil {
		t.Fatal(err)
	}
	for name := range read {
		if !listed[name] {
			t.Errorf("Load reads %s, which Variables does not list", name)
		}
	}
	for name := range listed {
		if !read[name] {
			t.Errorf("Variables lists %s, which Load does not read", name)
		}
	}

	// Defaults are what Load produces.
	c := mustLoad(t, nil)
	defaults := map[string]string{
		"SHAKEOUT_DB":                      c.DBPath,
		"SHAKEOUT_TZ":                      c.DefaultTZName,
		"SHAKEOUT_LOG_LEVEL":               strings.ToLower(c.LogLevel.String()),
		"SHAKEOUT_LOG_FORMAT":              c.LogFormat,
		"SHAKEOUT_TELEGRAM_WEBHOOK_LISTEN": c.TelegramWebhookListen,
	}
	for _, v := range vars {
		if want, ok := defaults[v.Name]; ok && v.Default != want {
			t.Errorf("%s: Default %q, Load uses %q", v.Name, v.Default, want)
		}
	}

	// The slice is a copy.
	vars[0].Name = "changed"
	if config.Variables()[0].Name == "changed" {
		t.Error("Variables returns shared state")
	}
}
