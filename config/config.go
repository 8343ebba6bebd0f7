package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shakeoutbot/shakeout/chat"
)

// Names of the environment variables.
const (
	envDB                = "SHAKEOUT_DB"
	envTelegramToken     = "SHAKEOUT_TELEGRAM_TOKEN"
	envTelegramAPIURL    = "SHAKEOUT_TELEGRAM_API_URL"
	envWebhookURL        = "SHAKEOUT_TELEGRAM_WEBHOOK_URL"
	envWebhookSecret     = "SHAKEOUT_TELEGRAM_WEBHOOK_SECRET"
	envWebhookListen     = "SHAKEOUT_TELEGRAM_WEBHOOK_LISTEN"
	envDiscordToken      = "SHAKEOUT_DISCORD_TOKEN"
	envDiscordAPIURL     = "SHAKEOUT_DISCORD_API_URL"
	envDiscordGuildID    = "SHAKEOUT_DISCORD_GUILD_ID"
	envDiscordCoachRole  = "SHAKEOUT_DISCORD_COACH_ROLE"
	envDiscordShardID    = "SHAKEOUT_DISCORD_SHARD_ID"
	envDiscordShardCount = "SHAKEOUT_DISCORD_SHARD_COUNT"
	envTZ                = "SHAKEOUT_TZ"
	envLogLevel          = "SHAKEOUT_LOG_LEVEL"
	envLogFormat         = "SHAKEOUT_LOG_FORMAT"
	envHTTPAddr          = "SHAKEOUT_HTTP_ADDR"
	envMemberBurst       = "SHAKEOUT_MEMBER_BURST"
	envMemberPerMinute   = "SHAKEOUT_MEMBER_PER_MINUTE"
	envMemberCooldown    = "SHAKEOUT_MEMBER_COOLDOWN"
	defaultMemberBurst   = 8
	defaultMemberPerMin  = 10
	defaultMemberCool    = time.Minute
	envRetentionDays     = "SHAKEOUT_RETENTION_DAYS"
	envTelegramRate      = "SHAKEOUT_TELEGRAM_RATE"
	envDiscordRate       = "SHAKEOUT_DISCORD_RATE"
	maxDiscordRate       = 50
	defaultRetentionDays = 30
	defaultTelegramRate  = 30
	maxTelegramRate      = 1000
	fileSuffix           = "_FILE"
	defaultDBPath        = "./shakeout.db"
	defaultWebhookListen = ":8443"
	defaultTZ            = "UTC"
)

// Log formats accepted by SHAKEOUT_LOG_FORMAT.
const (
	LogFormatText = "text"
	LogFormatJSON = "json"
)

// Config is the validated configuration. Secrets are [Secret]s, so a Config
// can be printed, logged or marshalled without leaking them.
type Config struct {
	// DBPath is the SQLite database file (SHAKEOUT_DB).
	DBPath string

	// TelegramToken is the Telegram bot token; unset disables Telegram.
	TelegramToken Secret
	// TelegramAPIURL is the Bot API base URL without a trailing slash;
	// empty means the SDK's default (api.telegram.org).
	TelegramAPIURL string
	// TelegramWebhookURL is the public https URL Telegram posts updates to;
	// empty means long polling.
	TelegramWebhookURL string
	// TelegramWebhookSecret is sent by Telegram in every webhook request;
	// set whenever TelegramWebhookURL is.
	TelegramWebhookSecret Secret
	// TelegramWebhookListen is the host:port the webhook server listens on.
	TelegramWebhookListen string

	// DiscordToken is the Discord bot token without a "Bot " prefix; unset
	// disables Discord.
	DiscordToken Secret
	// DiscordAPIURL is the Discord REST/gateway base URL without a trailing
	// slash; empty means the SDK's default.
	DiscordAPIURL string
	// DiscordGuildID is the server (guild) snowflake slash commands are
	// registered in; empty means global commands.
	DiscordGuildID string
	// DiscordCoachRole is the name or id of the role that marks coaches; a
	// pasted role mention (<@&id>) is reduced to its id.
	DiscordCoachRole string
	// DiscordShardID and DiscordShardCount split the bot's servers over
	// gateway connections: this process opens shard DiscordShardID of
	// DiscordShardCount (Discord requires shards past 2,500 servers).
	// A count of 0 or 1 means one connection for all.
	DiscordShardID, DiscordShardCount int
	// DiscordRate is this process's share of the bot's 50 Discord
	// requests a second (several instances split it); 0 means all 50.
	DiscordRate int

	// DefaultTZ is the timezone for clubs and runners that have not set
	// their own; DefaultTZName is its IANA name.
	DefaultTZ     *time.Location
	DefaultTZName string

	// LogLevel is the minimum level logged.
	LogLevel slog.Level
	// LogFormat is LogFormatText or LogFormatJSON.
	LogFormat string
	// HTTPAddr is the host:port for health and metrics; empty turns it off.
	// A bare :port is bound to the loopback address.
	HTTPAddr string

	// MemberBurst, MemberPerMinute and MemberCooldown are the inbound
	// limits per member: a burst of messages, then an average rate; past
	// it one notice and silence for the cool-down.
	MemberBurst     int
	MemberPerMinute float64
	MemberCooldown  time.Duration
	// RetentionDays is how long inbox records and finished outbox messages
	// are kept.
	RetentionDays int
	// TelegramPerSecond is the bot's Telegram sending rate in total.
	TelegramPerSecond int

	// SecretKey seals secrets kept at rest (members' intervals.icu API
	// keys): 32 bytes as hex or base64 (DecodeSecretKey). Unset turns the
	// intervals.icu link off.
	SecretKey Secret
	// IntervalsAPIURL is the intervals.icu base URL without a trailing
	// slash (tests point it at a fake).
	IntervalsAPIURL string
}

// Variable describes one environment variable, for the README's table.
type Variable struct {
	Name        string
	Default     string
	Description string
}

// variables is the source of truth for [Variables]; example feeds error
// messages.
var variables = []struct {
	Variable
	example string
}{
	{Variable{envDB, defaultDBPath, "SQLite database file, or a postgres:// URL"}, "/data/shakeout.db"},
	{Variable{envTelegramToken, "", "Telegram bot token from @BotFather; unset disables Telegram"}, "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"},
	{Variable{envTelegramToken + fileSuffix, "", "File holding the Telegram bot token (instead of " + envTelegramToken + ")"}, "/run/secrets/telegram_token"},
	{Variable{envTelegramAPIURL, "", "Telegram Bot API base URL (local Bot API server, tests)"}, "http://localhost:8081"},
	{Variable{envWebhookURL, "", "Public https URL for Telegram webhooks; unset uses long polling"}, "https://bot.example.org/telegram"},
	{Variable{envWebhookSecret, "", "Webhook secret token, 1-256 of A-Z a-z 0-9 _ -; required with a webhook URL"}, "use the output of `openssl rand -hex 32`"},
	{Variable{envWebhookSecret + fileSuffix, "", "File holding the webhook secret (instead of " + envWebhookSecret + ")"}, "/run/secrets/telegram_webhook_secret"},
	{Variable{envWebhookListen, defaultWebhookListen, "host:port the webhook server listens on"}, ":8443"},
	{Variable{envDiscordToken, "", "Discord bot token; unset disables Discord"}, "the token from the Developer Portal's Bot page"},
	{Variable{envDiscordToken + fileSuffix, "", "File holding the Discord bot token (instead of " + envDiscordToken + ")"}, "/run/secrets/discord_token"},
	{Variable{envDiscordAPIURL, "", "Discord API base URL (proxies, tests)"}, "http://localhost:8082"},
	{Variable{envDiscordGuildID, "", "Server id to register slash commands in; unset registers them globally"}, "123456789012345678"},
	{Variable{envDiscordCoachRole, "", "Name or id of the Discord role that marks coaches"}, "Coach"},
	{Variable{envDiscordShardID, "0", "This process's Discord gateway shard, 0 to SHAKEOUT_DISCORD_SHARD_COUNT-1"}, "0"},
	{Variable{envDiscordShardCount, "1", "Discord gateway shards in all, one process each (needed past 2,500 servers)"}, "2"},
	{Variable{envTZ, defaultTZ, "Default IANA timezone for clubs and runners"}, "Europe/Berlin"},
	{Variable{envLogLevel, "info", "Log level: debug, info, warn or error"}, "info"},
	{Variable{envLogFormat, LogFormatText, "Log format: text or json"}, "json"},
	{Variable{envMemberBurst, strconv.Itoa(defaultMemberBurst), "Messages one member may send at once before the limit applies (1-100)"}, "8"},
	{Variable{envMemberPerMinute, strconv.Itoa(defaultMemberPerMin), "Messages a minute one member may send on average after the burst (1-600)"}, "10"},
	{Variable{envMemberCooldown, "1m", "Silence after a member passed the limit and got one notice (1s-1h)"}, "1m"},
	{Variable{envHTTPAddr, "", "host:port for health and metrics (:port alone means 127.0.0.1); unset turns them off"}, "127.0.0.1:9090"},
	{Variable{envRetentionDays, strconv.Itoa(defaultRetentionDays), "Days handled-update records and finished outgoing messages are kept"}, "30"},
	{Variable{envTelegramRate, strconv.Itoa(defaultTelegramRate), "Telegram messages per second in total; raise only with paid broadcasts (max 1000)"}, "30"},
	{Variable{envDiscordRate, strconv.Itoa(maxDiscordRate), "Discord requests a second for this process, 1-50 (instances share 50)"}, "25"},
	{Variable{envSecretKey, "", "Key sealing intervals.icu API keys: 64 hex digits (openssl rand -hex 32); unset turns /connect off"}, "the output of `openssl rand -hex 32`"},
	{Variable{envSecretKey + fileSuffix, "", "File holding the secret key (instead of " + envSecretKey + ")"}, "/run/secrets/shakeout_secret_key"},
	{Variable{envIntervalsAPIURL, defaultIntervalsURL, "intervals.icu base URL (tests)"}, "http://localhost:8083"},
}

// Variables returns every environment variable [Load] reads, in the order
// the README lists them.
func Variables() []Variable {
	out := make([]Variable, len(variables))
	for i, v := range variables {
		out[i] = v.Variable
	}
	return out
}

func example(name string) string {
	for _, v := range variables {
		if v.Name == name {
			return v.example
		}
	}
	return ""
}

// Load reads the configuration through getenv (main passes os.Getenv) and
// secret files through os.ReadFile. See [LoadWith].
func Load(getenv func(string) string) (Config, error) {
	return LoadWith(getenv, os.ReadFile)
}

// LoadWith reads the configuration through getenv and the files named by
// *_FILE variables through readFile. Values are trimmed of surrounding
// whitespace; an empty variable counts as unset. It checks every variable
// and returns all problems joined with errors.Join, one per problem, each
// naming its variable, the bad value (never a secret's) and a valid example.
// On error the returned Config is incomplete and must not be used.
func LoadWith(getenv func(string) string, readFile func(string) ([]byte, error)) (Config, error) {
	l := &loader{getenv: getenv, readFile: readFile}
	c := Config{
		DBPath:                defaultDBPath,
		TelegramWebhookListen: defaultWebhookListen,
		DefaultTZName:         defaultTZ,
		DefaultTZ:             time.UTC,
		LogLevel:              slog.LevelInfo,
		LogFormat:             LogFormatText,
		MemberBurst:           defaultMemberBurst,
		MemberPerMinute:       defaultMemberPerMin,
		MemberCooldown:        defaultMemberCool,
		RetentionDays:         defaultRetentionDays,
		TelegramPerSecond:     defaultTelegramRate,
		IntervalsAPIURL:       defaultIntervalsURL,
	}

	if v, ok := l.value(envDB); ok {
		c.DBPath = v
	}

	c.TelegramToken = l.telegramToken()
	c.TelegramAPIURL = l.apiURL(envTelegramAPIURL)
	c.TelegramWebhookURL = l.webhookURL()
	c.TelegramWebhookSecret = l.webhookSecret(c.TelegramWebhookURL != "")
	if v, ok := l.value(envWebhookListen); ok && l.hostPort(envWebhookListen, v) {
		c.TelegramWebhookListen = v
	}

	c.DiscordToken = l.discordToken()
	c.DiscordAPIURL = l.apiURL(envDiscordAPIURL)
	if v, ok := l.value(envDiscordGuildID); ok {
		if _, err := strconv.ParseUint(v, 10, 64); err != nil || !isDigits(v) {
			l.problem(envDiscordGuildID, "%q is not a server id; use the number from Copy Server ID (Developer Mode), such as %s", v, example(envDiscordGuildID))
		} else {
			c.DiscordGuildID = v
		}
	}
	if v, ok := l.value(envDiscordCoachRole); ok {
		if id, found := strings.CutPrefix(v, "<@&"); found && strings.HasSuffix(id, ">") && isDigits(strings.TrimSuffix(id, ">")) {
			v = strings.TrimSuffix(id, ">")
		}
		c.DiscordCoachRole = v
	}

	if v, ok := l.value(envTZ); ok {
		if strings.EqualFold(v, "Local") {
			l.problem(envTZ, "%q depends on the machine; use an IANA name such as %s", v, example(envTZ))
		} else if loc, err := time.LoadLocation(v); err != nil {
			l.problem(envTZ, "unknown timezone %q; use an IANA name such as %s", v, example(envTZ))
		} else {
			c.DefaultTZ, c.DefaultTZName = loc, v
		}
	}

	if v, ok := l.value(envLogLevel); ok {
		switch strings.ToLower(v) {
		case "debug":
			c.LogLevel = slog.LevelDebug
		case "info":
			c.LogLevel = slog.LevelInfo
		case "warn", "warning":
			c.LogLevel = slog.LevelWarn
		case "error":
			c.LogLevel = slog.LevelError
		default:
			l.problem(envLogLevel, "unknown level %q; use debug, info, warn or error, such as %s", v, example(envLogLevel))
		}
	}
	if v, ok := l.value(envLogFormat); ok {
		switch f := strings.ToLower(v); f {
		case LogFormatText, LogFormatJSON:
			c.LogFormat = f
		default:
			l.problem(envLogFormat, "unknown format %q; use text or json, such as %s", v, example(envLogFormat))
		}
	}

	if v, ok := l.value(envHTTPAddr); ok && l.hostPort(envHTTPAddr, v) {
		if host, port, _ := net.SplitHostPort(v); host == "" {
			v = net.JoinHostPort("127.0.0.1", port)
		}
		c.HTTPAddr = v
	}
	if n, ok := l.count(envRetentionDays, 1, 3650); ok {
		c.RetentionDays = n
	}
	if n, ok := l.count(envTelegramRate, 1, maxTelegramRate); ok {
		c.TelegramPerSecond = n
	}
	if n, ok := l.count(envDiscordRate, 1, maxDiscordRate); ok {
		c.DiscordRate = n
	}
	c.SecretKey = l.secretKey()
	if v := l.apiURL(envIntervalsAPIURL); v != "" {
		c.IntervalsAPIURL = v
	}

	if v, ok := l.value(envDiscordShardCount); ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 4096 {
			l.problem(envDiscordShardCount, "%q is not a whole number from 1 to 4096; use one such as %s", v, example(envDiscordShardCount))
		} else {
			c.DiscordShardCount = n
		}
	}
	if v, ok := l.value(envDiscordShardID); ok {
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n >= max(1, c.DiscordShardCount) {
			l.problem(envDiscordShardID, "%q is not a shard from 0 to %d (SHAKEOUT_DISCORD_SHARD_COUNT less one); use one such as %s",
				v, max(1, c.DiscordShardCount)-1, example(envDiscordShardID))
		} else {
			c.DiscordShardID = n
		}
	}
	if v, ok := l.value(envMemberBurst); ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 100 {
			l.problem(envMemberBurst, "%q is not a whole number from 1 to 100; use one such as %s", v, example(envMemberBurst))
		} else {
			c.MemberBurst = n
		}
	}
	if v, ok := l.value(envMemberPerMinute); ok {
		if n, err := strconv.ParseFloat(v, 64); err != nil || !(n >= 1 && n <= 600) {
			l.problem(envMemberPerMinute, "%q is not a number from 1 to 600; use one such as %s", v, example(envMemberPerMinute))
		} else {
			c.MemberPerMinute = n
		}
	}
	if v, ok := l.value(envMemberCooldown); ok {
		if d, err := time.ParseDuration(v); err != nil || d < time.Second || d > time.Hour {
			l.problem(envMemberCooldown, "%q is not a duration from 1s to 1h; use one such as %s or 90s", v, example(envMemberCooldown))
		} else {
			c.MemberCooldown = d
		}
	}

	return c, errors.Join(l.problems...)
}

// Platforms returns the chat platforms that have a token, in a fixed order.
func (c Config) Platforms() []chat.Platform {
	var p []chat.Platform
	if c.TelegramToken.IsSet() {
		p = append(p, chat.PlatformTelegram)
	}
	if c.DiscordToken.IsSet() {
		p = append(p, chat.PlatformDiscord)
	}
	return p
}

// NewLogger returns a logger writing to w in c's format at c's level.
func (c Config) NewLogger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == LogFormatJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// LogValue summarises the configuration for a startup log line: which
// secrets are set, never their values.
func (c Config) LogValue() slog.Value {
	db := c.DBPath
	if u, err := url.Parse(db); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		db = u.Redacted() // a PostgreSQL URL may carry a password
	}
	attrs := []slog.Attr{
		slog.String("db", db),
		slog.String("tz", c.DefaultTZName),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("log_format", c.LogFormat),
		slog.Any("platforms", c.Platforms()),
		slog.Bool("telegram_token_set", c.TelegramToken.IsSet()),
		slog.Bool("discord_token_set", c.DiscordToken.IsSet()),
		slog.Bool("secret_key_set", c.SecretKey.IsSet()),
	}
	addURL := func(key, raw string) {
		if raw == "" {
			return
		}
		if u, err := url.Parse(raw); err == nil {
			attrs = append(attrs, slog.String(key, u.Redacted()))
		}
	}
	addURL("telegram_api_url", c.TelegramAPIURL)
	if c.TelegramWebhookURL != "" {
		addURL("telegram_webhook_url", c.TelegramWebhookURL)
		attrs = append(attrs,
			slog.String("telegram_webhook_listen", c.TelegramWebhookListen),
			slog.Bool("telegram_webhook_secret_set", c.TelegramWebhookSecret.IsSet()))
	}
	addURL("discord_api_url", c.DiscordAPIURL)
	if c.DiscordGuildID != "" {
		attrs = append(attrs, slog.String("discord_guild_id", c.DiscordGuildID))
	}
	if c.DiscordCoachRole != "" {
		attrs = append(attrs, slog.String("discord_coach_role", c.DiscordCoachRole))
	}
	if c.DiscordShardCount > 1 {
		attrs = append(attrs, slog.Int("discord_shard_id", c.DiscordShardID), slog.Int("discord_shard_count", c.DiscordShardCount))
	}
	if c.HTTPAddr != "" {
		attrs = append(attrs, slog.String("http_addr", c.HTTPAddr))
	}
	return slog.GroupValue(attrs...)
}

type loader struct {
	getenv   func(string) string
	readFile func(string) ([]byte, error)
	problems []error
}

func (l *loader) problem(name, format string, args ...any) {
	l.problems = append(l.problems, fmt.Errorf("%s: %w", name, fmt.Errorf(format, args...)))
}

// value returns name's trimmed value and whether it is set and usable. A
// blank or quoted value is reported here, because echoing it is safe.
func (l *loader) value(name string) (string, bool) {
	raw := l.getenv(name)
	if raw == "" {
		return "", false
	}
	v := strings.TrimSpace(raw)
	switch {
	case v == "":
		l.problem(name, "is set but blank; unset it or give a value such as %s", example(name))
		return "", false
	case isQuoted(v):
		l.problem(name, "%s is wrapped in quotes, which docker --env-file keeps; remove them, as in %s", v, example(name))
		return "", false
	}
	return v, true
}

// secret returns the value of name or of the file named by name_FILE, and
// the variable to blame for a bad value. It never puts the value in a message.
func (l *loader) secret(name string) (value, source string) {
	fileVar := name + fileSuffix
	raw := l.getenv(name)
	path, havePath := l.value(fileVar)
	switch {
	case raw != "" && havePath:
		l.problem(name, "both %s and %s are set; set only one", name, fileVar)
		return "", name
	case havePath:
		b, err := l.readFile(path)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			l.problem(fileVar, "cannot read %q: %w; point it at a readable file such as %s", path, err, example(fileVar))
			return "", fileVar
		}
		v := strings.TrimSpace(string(b))
		if v == "" {
			l.problem(fileVar, "file %q is empty; put the secret in it or unset %s", path, fileVar)
		}
		return v, fileVar + " (" + strconv.Quote(path) + ")"
	case raw == "":
		return "", ""
	}
	v := strings.TrimSpace(raw)
	switch {
	case v == "":
		l.problem(name, "is set but blank; unset it or set the secret")
	case isQuoted(v):
		l.problem(name, "the value is wrapped in quotes, which docker --env-file keeps; remove them (the value is not shown)")
		v = ""
	}
	return v, name
}

// telegramToken is "<bot id>:<about 35 characters>".
var telegramToken = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{30,64}$`)

func (l *loader) telegramToken() Secret {
	v, source := l.secret(envTelegramToken)
	if v == "" || telegramToken.MatchString(v) {
		return Secret(v)
	}
	hint := ""
	switch {
	case strings.Contains(v, "://"):
		hint = "it looks like a URL, use only the token; "
	case strings.ContainsFunc(v, unicode.IsSpace):
		hint = "it contains whitespace; "
	case strings.HasPrefix(strings.ToLower(v), "bot") && telegramToken.MatchString(v[3:]):
		hint = `drop the leading "bot", which belongs in the API path; `
	}
	l.problem(source, "not a Telegram bot token (the value is not shown); %sa token from @BotFather is digits, a colon and about 35 letters, digits, _ or -, such as %s", hint, example(envTelegramToken))
	return ""
}

func (l *loader) discordToken() Secret {
	v, source := l.secret(envDiscordToken)
	if lower := strings.ToLower(v); lower == "bot" || strings.HasPrefix(lower, "bot ") {
		v = strings.TrimSpace(v[3:])
		if v == "" {
			l.problem(source, `holds only the "Bot " prefix; use %s`, example(envDiscordToken))
		}
	}
	if strings.ContainsFunc(v, unicode.IsSpace) {
		l.problem(source, "not a Discord bot token: it contains whitespace (the value is not shown); use %s", example(envDiscordToken))
		return ""
	}
	return Secret(v)
}

// webhookSecret is Telegram's rule for secret_token.
var webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (l *loader) webhookSecret(required bool) Secret {
	v, source := l.secret(envWebhookSecret)
	switch {
	case v == "" && required && source == "":
		l.problem(envWebhookSecret, "required when %s is set, so forged updates are refused; %s", envWebhookURL, example(envWebhookSecret))
	case v == "":
	case !webhookSecret.MatchString(v):
		hint := ""
		if len(v) > 256 {
			hint = "it is longer than 256 characters; "
		}
		l.problem(source, "Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - (the value is not shown); %s%s", hint, example(envWebhookSecret))
		return ""
	}
	return Secret(v)
}

// apiURL checks an absolute http(s) base URL and drops a trailing slash.
func (l *loader) apiURL(name string) string {
	v, ok := l.value(name)
	if !ok {
		return ""
	}
	u, err := url.Parse(v)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "":
		l.problem(name, "%q is not an absolute http(s) base URL; use one such as %s", shown(v, u, err), example(name))
		return ""
	case u.User != nil:
		// The field is not a Secret, so it must not carry credentials.
		l.problem(name, "%q holds a user or password, which would be logged; use one such as %s", u.Redacted(), example(name))
		return ""
	}
	return strings.TrimRight(v, "/")
}

// webhookPorts are the only ports Telegram delivers webhooks to.
var webhookPorts = map[string]bool{"": true, "443": true, "80": true, "88": true, "8443": true}

func (l *loader) webhookURL() string {
	v, ok := l.value(envWebhookURL)
	if !ok {
		return ""
	}
	u, err := url.Parse(v)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "" || u.Fragment != "":
		l.problem(envWebhookURL, "%q is not an https URL; Telegram needs one such as %s", shown(v, u, err), example(envWebhookURL))
	case u.User != nil:
		l.problem(envWebhookURL, "%q holds a user or password, which would be logged; use one such as %s", u.Redacted(), example(envWebhookURL))
	case !webhookPorts[u.Port()]:
		l.problem(envWebhookURL, "%q uses port %s; Telegram only delivers to ports 443, 80, 88 and 8443, as in %s", u.Redacted(), u.Port(), example(envWebhookURL))
	default:
		return v
	}
	return ""
}

func (l *loader) hostPort(name, v string) bool {
	_, port, err := net.SplitHostPort(v)
	if err == nil {
		n, perr := strconv.ParseUint(port, 10, 16)
		if perr == nil && isDigits(port) && n <= 65535 {
			return true
		}
		err = errors.New("port must be a number from 0 to 65535")
	}
	var ae *net.AddrError
	if errors.As(err, &ae) {
		err = errors.New(ae.Err)
	}
	l.problem(name, "%q is not host:port (%v); use one such as %s", v, err, example(name))
	return false
}

// count reads a whole number from lo to hi.
func (l *loader) count(name string, lo, hi int) (int, bool) {
	v, ok := l.value(name)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		l.problem(name, "%q is not a whole number from %d to %d; use one such as %s", v, lo, hi, example(name))
		return 0, false
	}
	return n, true
}

// shown is the form of a URL safe to echo: without its password.
func shown(raw string, u *url.URL, err error) string {
	if err != nil || u == nil {
		if strings.Contains(raw, "@") {
			return "(not shown: it may hold a password)"
		}
		return raw
	}
	return u.Redacted()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isQuoted(s string) bool {
	return len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0]
}
