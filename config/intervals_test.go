package config_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/config"
)

func TestSecretKey(t *testing.T) {
	hexKey := strings.Repeat("0f", 32)
	b64Key := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32)))
	files := map[string][]byte{"/run/secrets/key": []byte(hexKey + "\n")}
	read := func(p string) ([]byte, error) { return files[p], nil }
	for _, v := range []string{hexKey, b64Key} {
		c, err := config.LoadWith(env(map[string]string{"SHAKEOUT_SECRET_KEY": v}), read)
		if err != nil || c.SecretKey.Reveal() != v {
			t.Errorf("key %q: %v", v, err)
		}
		if k, err := config.DecodeSecretKey(v); err != nil || len(k) != 32 {
			t.Errorf("DecodeSecretKey(%q) = %d bytes, %v", v, len(k), err)
		}
	}
	c, err := config.LoadWith(env(map[string]string{"SHAKEOUT_SECRET_KEY_FILE": "/run/secrets/key"}), read)
	if err != nil || c.SecretKey.Reveal() != hexKey {
		t.Errorf("from a file: %v", err)
	}
	if c.IntervalsAPIURL != "https://intervals.icu" {
		t.Errorf("default intervals URL = %q", c.IntervalsAPIURL)
	}
	for _, bad := range []string{"tooshort-s3cr3t", strings.Repeat("0f", 31), strings.Repeat("zz", 32)} {
		_, err := config.LoadWith(env(map[string]string{"SHAKEOUT_SECRET_KEY": bad}), read)
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, bad) || !strings.Contains(msg, "SHAKEOUT_SECRET_KEY") || !strings.Contains(msg, "openssl rand -hex 32") {
			t.Errorf("error for a bad key: %q; want the variable and how to generate one, never the value", msg)
		}
	}
}
