package config

import (
	"fmt"
	"log/slog"
	"strconv"
)

// redacted is what a set Secret renders as everywhere.
const redacted = "REDACTED"

// Secret is a credential such as a bot token. Every way of printing,
// encoding or logging it (String, GoString, all fmt verbs, JSON, text and
// slog) renders "REDACTED"; an empty Secret renders as the empty string so
// "unset" stays visible. Only [Secret.Reveal] returns the value.
type Secret string

// Reveal returns the secret's value. Call it only where the value is handed
// to the platform SDK.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether the secret has a value.
func (s Secret) IsSet() bool { return s != "" }

// String returns "REDACTED", or "" when the secret is unset.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString returns the redacted value as a quoted Go string, for %#v.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// Format applies any verb, flag and width to the redacted value, so no verb
// (not even %x or %q) can reach the real one.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
}

// MarshalJSON encodes the redacted value as a JSON string.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(s.String())), nil }

// MarshalText returns the redacted value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// LogValue makes slog record the redacted value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
