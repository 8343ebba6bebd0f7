package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// env is a getenv over a map, so tests never read the real environment.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// chatScript runs `shakeout chat` with the given flags and script on db and
// returns what it printed.
func chatScript(t *testing.T, db string, script string, flags ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	args := append([]string{"chat", "--db", db}, flags...)
	if !slices.Contains(flags, "--images") {
		// Pictures go to the test's folder, not a new temporary one.
		args = append(args, "--images", t.TempDir())
	}
	if err := run(t.Context(), args, env(nil), strings.NewReader(script), &out, &errOut); err != nil {
		t.Fatalf("chat %v: %v\nstderr: %s", flags, err, errOut.String())
	}
	return out.String()
}

func TestChatAnswersFromAPipe(t *testing.T) {
	db := testDB(t, "t.db")
	out := chatScript(t, db, "how slow should my recovery run be?\n")
	low := strings.ToLower(out)
	if !strings.Contains(low, "conversation") && !strings.Contains(low, "65%") {
		t.Fatalf("answer lacks the conversation test or 65%%:\n%s", out)
	}
}

func TestChatDirectives(t *testing.T) {
	db := testDB(t, "t.db")
	script := ":as tom coach\n/help\n:at 2026-06-09 07:00\n:now\n:at 2026-06-01 07:00\n:bogus\n:quit\n/help\n"
	out := chatScript(t, db, script, "--club", "harriers", "--tz", "Europe/Berlin", "--now", "2026-06-08 09:00")
	for _, want := range []string{"tom> /help", "For coaches", "it is Tue 2026-06-09 07:00 CEST", "only moves forward", "unknown directive"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "tom> /help") != 1 {
		t.Errorf("input after :quit was read:\n%s", out)
	}
}

func TestAskJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"ask", "--json", "I'm 40 with resting HR 60, recovery run heart rate?"}, env(nil), nil, &out, &errOut)
	if err != nil {
		t.Fatalf("ask: %v (%s)", err, errOut.String())
	}
	var got struct {
		Answer, Topic, Source string
		Score                 float64
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if !strings.Contains(got.Answer, "138") || got.Source == "" || got.Topic == "" {
		t.Fatalf("answer = %+v", got)
	}
}

func TestAskUnknownHasEmptyTopic(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"ask", "--json", "what is the capital of France?"}, env(nil), nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	var got struct{ Topic string }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.Topic != "" {
		t.Fatalf("topic = %q (%v); want empty for an unanswerable question\n%s", got.Topic, err, out.String())
	}
}

func TestRunWithoutTokenExplains(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"run"}, env(map[string]string{"SHAKEOUT_DB": testDB(t, "x.db")}), nil, &out, &errOut)
	if err == nil {
		t.Fatal("run without a token succeeded")
	}
	for _, want := range []string{"SHAKEOUT_TELEGRAM_TOKEN", "SHAKEOUT_DISCORD_TOKEN", "shakeout chat"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"no subcommand", nil},
		{"unknown subcommand", []string{"fly"}},
		{"ask without question", []string{"ask"}},
		{"chat bad now", []string{"chat", "--now", "tomorrow"}},
		{"chat bad tz", []string{"chat", "--tz", "Mars/Olympus"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			args := c.args
			if len(args) > 0 && args[0] == "chat" {
				args = append(args, "--db", testDB(t, "x.db"))
			}
			err := run(t.Context(), args, env(nil), strings.NewReader(""), &out, &out)
			var u usageError
			if err == nil || !asUsage(err, &u) {
				t.Fatalf("err = %v; want a usage error", err)
			}
		})
	}
}

func asUsage(err error, u *usageError) bool {
	v, ok := err.(usageError)
	if ok {
		*u = v
	}
	return ok
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"version"}, env(nil), nil, &out, &out); err != nil || !strings.HasPrefix(out.String(), "shakeout ") {
		t.Fatalf("version: %q, %v", out.String(), err)
	}
}
