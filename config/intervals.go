package config

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// The intervals.icu link's variables.
const (
	envSecretKey          = "SHAKEOUT_SECRET_KEY"
	envIntervalsAPIURL    = "SHAKEOUT_INTERVALS_API_URL"
	defaultIntervalsURL   = "https://intervals.icu"
	secretKeyBytes        = 32
	secretKeyGenerateHint = "generate one with `openssl rand -hex 32`"
)

// DecodeSecretKey reads SHAKEOUT_SECRET_KEY's value: 32 bytes written as 64
// hex digits or in standard or URL-safe base64. The error never holds the
// value.
func DecodeSecretKey(v string) ([]byte, error) {
	v = strings.TrimSpace(v)
	if len(v) == 2*secretKeyBytes {
		if b, err := hex.DecodeString(v); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(v); err == nil && len(b) == secretKeyBytes {
			return b, nil
		}
	}
	return nil, errors.New("not a 32-byte key written as 64 hex digits or base64 (the value is not shown)")
}

func (l *loader) secretKey() Secret {
	v, source := l.secret(envSecretKey)
	if v == "" {
		return ""
	}
	if _, err := DecodeSecretKey(v); err != nil {
		l.problem(source, "%v; %s", err, secretKeyGenerateHint)
		return ""
	}
	return Secret(v)
}
