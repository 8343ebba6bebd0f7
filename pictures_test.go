package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shakeoutbot/shakeout/bot/chart"
)

// TestPicturesScenario runs the console scenario behind the pictures under
// docs/ (testdata/pictures.txt): /week, /recovery and a coach's /club today
// each write a PNG into the --images folder and print its path, and
// `shakeout chart` draws the same pictures from the database afterwards.
// SHAKEOUT_DOCS_PICTURES=1 writes the three pictures into docs/.
func TestPicturesScenario(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("testdata", "pictures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if os.Getenv("SHAKEOUT_DOCS_PICTURES") == "1" {
		dir = "docs"
	}
	db := testDB(t, "pictures.db")
	out := chatScript(t, db, string(script), "--club", "harriers", "--tz", "Europe/London",
		"--now", "2026-06-08 07:30", "--images", dir)
	for _, want := range []struct{ who, line, name string }{
		{"maya", "/week", "week.png"},
		{"maya", "/recovery", "recovery.png"},
		{"tom", "/club today", "club.png"},
	} {
		path := filepath.Join(dir, want.name)
		if got := replyTo(t, out, want.who, want.line); !strings.Contains(got, "\n[picture: "+path+"]\n") {
			t.Errorf("the reply to %s's %s does not show %s:\n%s", want.who, want.line, path, got)
		}
		checkPNG(t, path)
	}
	if strings.Contains(out, "\n! ") {
		t.Errorf("the scenario has a line the console refused:\n%s", out)
	}
	if n := strings.Count(out, "[picture: "); n != 3 {
		t.Errorf("%d pictures in the chat, want 3", n)
	}

	for _, c := range []struct {
		args    []string
		caption string
	}{
		{[]string{"chart", "week", "--member", "maya"}, "maya's training load, last 28 days"},
		{[]string{"chart", "recovery", "--member", "maya"}, "maya's marathon recovery"},
		{[]string{"chart", "club", "--club", "harriers"}, "The club today, Tue 9 Jun, from 10–14 members"},
	} {
		file := filepath.Join(t.TempDir(), c.args[1]+".png")
		var stdout, stderr bytes.Buffer
		args := append(c.args, "--db", db, "--now", "2026-06-09 07:30", "--out", file)
		if err := run(t.Context(), args, env(nil), nil, &stdout, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, stderr.String())
		}
		if !strings.HasPrefix(stdout.String(), file+"\n"+c.caption) {
			t.Errorf("%v printed %q", c.args, stdout.String())
		}
		checkPNG(t, file)
	}
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if cfg.Width != chart.Width || cfg.Height < chart.Height {
		t.Errorf("%s is %d×%d", path, cfg.Width, cfg.Height)
	}
}

func TestChartCommandMistakes(t *testing.T) {
	db := testDB(t, "t.db")
	chatScript(t, db, "/settings consent yes\n", "--club", "harriers", "--as", "maya")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"chart"}, "say which picture"},
		{[]string{"chart", "pie"}, `unknown picture "pie"`},
		{[]string{"chart", "week"}, "needs --member"},
		{[]string{"chart", "club", "--db", db}, "needs --club"},
		{[]string{"chart", "week", "--member", "maya", "--platform", "irc"}, "is not console, telegram or discord"},
		{[]string{"chart", "week", "--member", "nobody", "--db", db}, `no member "nobody"`},
		{[]string{"chart", "recovery", "--member", "maya", "--db", db}, "no recovery plan running"},
		{[]string{"chart", "club", "--club", "harriers", "--db", db}, "fewer than 5 members"},
		{[]string{"chart", "week", "--member", "maya", "--db", filepath.Join(t.TempDir(), "none.db")}, "no database at"}, // only a file can be missing
	} {
		var stdout, stderr bytes.Buffer
		args := append(c.args, "--out", filepath.Join(t.TempDir(), "x.png"))
		if len(c.args) < 2 {
			args = c.args
		}
		err := run(t.Context(), args, env(nil), nil, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
}

// TestMorningPostCarriesTheClubPicture: once a coach turns it on, the
// morning club post comes with the club picture when at least five members
// share health data, and as text alone when fewer do.
func TestMorningPostCarriesTheClubPicture(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(":as tom coach\n/club post 06:30\n/club picture on\n")
	for _, n := range []string{"ann", "ben", "cat", "dan"} {
		sb.WriteString(":as " + n + "\n/settings consent yes\n")
	}
	sb.WriteString(":at 2026-06-10 06:31\n:as eve\n/settings consent yes\n:at 2026-06-11 06:31\n")
	dir := t.TempDir()
	out := chatScript(t, testDB(t, "t.db"), sb.String(), "--club", "harriers", "--tz", "Europe/London",
		"--now", "2026-06-09 12:00", "--images", dir)
	first, second, ok := strings.Cut(out, "eve> /settings consent yes")
	if !ok {
		t.Fatalf("the scenario did not run:\n%s", out)
	}
	if !strings.Contains(first, "[Wed 2026-06-10 06:30] to club harriers: Good morning") || strings.Contains(first, "[picture:") {
		t.Errorf("with four members sharing health data the post should go as text only:\n%s", first)
	}
	path := filepath.Join(dir, "club.png")
	post, _, _ := strings.Cut(second[strings.Index(second, "[Thu 2026-06-11 06:30] to club harriers: Good morning"):], "\n[")
	if !strings.Contains(post, "\n    [picture: "+path+"]\n") {
		t.Errorf("with five the post should carry the club picture:\n%s", second)
	}
	checkPNG(t, path)
}
