// Package config reads and validates Shakeout's configuration from the
// environment.
//
// It owns the list of SHAKEOUT_* variables (see [Variables]), their defaults,
// the checks on every value, and the [Secret] type that keeps tokens out of
// logs, error messages, fmt output and JSON. [Load] reports every problem it
// finds at once, so an operator can fix a deployment in one pass.
//
// It must not keep globals, read the process environment other than through
// the getenv function it is given (main passes os.Getenv), talk to a chat
// platform, or print, log or echo a secret, even in an error message.
// Secrets can come from files named by *_FILE variables; [Load] reads those
// with os.ReadFile and [LoadWith] takes the file reader as an argument.
package config
