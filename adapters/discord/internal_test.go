package discord

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zone names must load without system zoneinfo, as in the binary
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

var _ outbox.Sender = (*Adapter)(nil)

func TestSplitText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"short", "hello", 10, []string{"hello"}},
		{"empty", "  ", 10, nil},
		{"paragraph first", "aaaa bbbb\n\ncccc\ndddd", 16, []string{"aaaa bbbb", "cccc\ndddd"}},
		{"line next", "aaaa\nbbbb cccc", 12, []string{"aaaa", "bbbb cccc"}},
		{"space last", "aaaa bbbb cccc", 11, []string{"aaaa bbbb", "cccc"}},
		{"hard cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"runes not bytes", "ééééé", 2, []string{"éé", "éé", "é"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := splitText(c.in, c.max)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("splitText(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
			}
			for _, p := range got {
				if utf8.RuneCountInString(p) > c.max {
					t.Errorf("part %q longer than %d", p, c.max)
				}
			}
		})
	}
}

func TestNonceFitsDiscord(t *testing.T) {
	t.Parallel()
	for _, n := range []string{nonce("o", strconv.FormatInt(math.MaxInt64, 10), 99), nonce("r", "1300000000000000001", 12), nonce("o", "1", 0)} {
		if len(n) > maxNonce || n == "" {
			t.Errorf("nonce %q: %d characters", n, len(n))
		}
	}
	if nonce("o", "7", 0) == nonce("o", "7", 1) || nonce("o", "7", 1) == nonce("o", "71", 0) {
		t.Error("nonces of different parts or rows collide")
	}
}

func TestComponents(t *testing.T) {
	t.Parallel()
	var row []chat.Button
	for i := range 7 {
		row = append(row, chat.Button{Label: fmt.Sprint(i), Data: fmt.Sprintf("x:%d", i)})
	}
	row = append(row, chat.Button{Label: "too long", Data: strings.Repeat("d", 101)})
	got := components([][]chat.Button{row})
	if len(got) != 2 {
		t.Fatalf("%d rows, want 2 (5 + 2 buttons)", len(got))
	}
	if n := len(got[0].(discordgo.ActionsRow).Components); n != 5 {
		t.Errorf("first row has %d buttons", n)
	}
	if n := len(got[1].(discordgo.ActionsRow).Components); n != 2 {
		t.Errorf("second row has %d buttons; the over-long custom_id must be left out", n)
	}
}

func TestMatchNames(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		typed string
		first string
	}{{"berlin", "Europe/Berlin"}, {"europe/ber", "Europe/Berlin"}, {"new york", "America/New_York"}, {"UTC", "UTC"}, {"kolk", "Asia/Kolkata"}} {
		got := matchNames(timezoneNames, c.typed, maxChoices)
		if len(got) == 0 || got[0] != c.first {
			t.Errorf("matchNames(%q) = %v, want %s first", c.typed, got, c.first)
		}
	}
	if got := matchNames(timezoneNames, "", maxChoices); len(got) != maxChoices {
		t.Errorf("empty query gives %d names, want %d", len(got), maxChoices)
	}
	if got := matchNames(timezoneNames, "zzzz", maxChoices); len(got) != 0 {
		t.Errorf("nonsense query gives %v", got)
	}
}

func TestTimezoneNamesLoad(t *testing.T) {
	t.Parallel()
	for _, n := range timezoneNames {
		if _, err := time.LoadLocation(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}

func noop(context.Context, *bot.Request) ([]chat.Reply, error) { return nil, nil }

func TestSlashCommandRendering(t *testing.T) {
	t.Parallel()
	many := make([]string, 30)
	for i := range many {
		many[i] = fmt.Sprintf("c%d", i)
	}
	reg, err := bot.NewRegistry(
		bot.Command{Name: "log", Summary: "Log a session", Usage: "/log <kind>", Handler: bot.HandlerFunc(noop), Options: []chat.Option{
			{Name: "distance", Description: "how far", Type: chat.OptionString},
			{Name: "kind", Description: "session kind", Type: chat.OptionString, Required: true, Choices: []string{"easy", "tempo"}},
			{Name: "rpe", Description: "effort 1-10", Type: chat.OptionInteger, Keyword: true},
			{Name: "week", Type: chat.OptionInteger, Choices: []string{"1", "2"}},
			{Name: "mode", Type: chat.OptionInteger, Choices: []string{"1", "two"}},
			{Name: "big", Type: chat.OptionString, Choices: many},
			{Name: "tz", Type: chat.OptionString, Autocomplete: true},
		}},
		bot.Command{Name: "club", Summary: "Club settings", Usage: "/club", ClubAdmin: true, Handler: bot.HandlerFunc(noop)},
		bot.Command{Name: "Bad Name", Summary: "x", Usage: "/x", Handler: bot.HandlerFunc(noop)},
	)
	if err != nil {
		t.Fatal(err)
	}
	cmds, skipped := slashCommands(reg.Catalog(), true)
	if len(cmds) != 2 || len(skipped) != 1 {
		t.Fatalf("rendered %d, skipped %v", len(cmds), skipped)
	}
	log := cmds[0]
	if log.Options[0].Name != "kind" || !log.Options[0].Required || len(log.Options[0].Choices) != 2 {
		t.Errorf("required option not first: %+v", log.Options[0])
	}
	byName := map[string]*discordgo.ApplicationCommandOption{}
	for _, o := range log.Options {
		byName[o.Name] = o
	}
	if o := byName["rpe"]; o.Type != discordgo.ApplicationCommandOptionInteger {
		t.Errorf("rpe type %v", o.Type)
	}
	if o := byName["week"]; o.Type != discordgo.ApplicationCommandOptionInteger || o.Choices[1].Value != int64(2) {
		t.Errorf("week = %+v", o)
	}
	if o := byName["mode"]; o.Type != discordgo.ApplicationCommandOptionString || len(o.Choices) != 2 || o.Choices[1].Value != "two" {
		t.Errorf("mode = %+v; a non-numeric choice makes the option text", o)
	}
	if o := byName["big"]; !o.Autocomplete || len(o.Choices) != 0 {
		t.Errorf("30 choices must become autocomplete: %+v", o)
	}
	if o := byName["tz"]; !o.Autocomplete || o.Description != "tz" {
		t.Errorf("tz = %+v", o)
	}
	if log.DefaultMemberPermissions != nil || len(*log.Contexts) != 2 {
		t.Errorf("member command: perms %v contexts %v", log.DefaultMemberPermissions, *log.Contexts)
	}
	club := cmds[1]
	if club.DefaultMemberPermissions == nil || *club.DefaultMemberPermissions != discordgo.PermissionManageGuild ||
		len(*club.Contexts) != 1 || (*club.Contexts)[0] != discordgo.InteractionContextGuild {
		t.Errorf("coach command: perms %v contexts %v", club.DefaultMemberPermissions, *club.Contexts)
	}
	if guild, _ := slashCommands(reg.Catalog(), false); guild[0].Contexts != nil {
		t.Error("guild commands carry contexts")
	}

	c, _ := reg.Catalog().Lookup("log")
	args := commandArgs(c, true, []*discordgo.ApplicationCommandInteractionDataOption{
		{Name: "rpe", Type: discordgo.ApplicationCommandOptionInteger, Value: float64(7)},
		{Name: "kind", Type: discordgo.ApplicationCommandOptionString, Value: "tempo"},
		{Name: "distance", Type: discordgo.ApplicationCommandOptionString, Value: " 8km "},
	})
	if args != "8km tempo rpe 7" {
		t.Errorf("args = %q, want the registry's order with keyword options named", args)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	rest := func(status, code int) error {
		return &discordgo.RESTError{Response: &http.Response{StatusCode: status}, Message: &discordgo.APIErrorMessage{Code: code}}
	}
	rl := &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{TooManyRequests: &discordgo.TooManyRequests{RetryAfter: 1500 * time.Millisecond}}}
	var ra *outbox.RetryAfterError
	if err := classify(rl); !errors.As(err, &ra) || ra.After != 1500*time.Millisecond {
		t.Errorf("429 → %v", err)
	}
	for _, c := range []struct {
		err         error
		unreachable bool
	}{
		{rest(403, 50007), true}, {rest(403, 50001), true}, {rest(404, 10003), true}, {rest(403, 50013), true},
		{rest(500, 0), false}, {rest(400, 50035), false}, {errors.New("connection reset"), false},
	} {
		if got := errors.Is(classify(c.err), outbox.ErrUnreachable); got != c.unreachable {
			t.Errorf("classify(%v) unreachable = %v, want %v", c.err, got, c.unreachable)
		}
	}
}

func TestFatalCloseCodes(t *testing.T) {
	t.Parallel()
	for code, fatal := range map[int]bool{4004: true, 4010: true, 4011: true, 4012: true, 4013: true, 4014: true, 4000: false, 4009: false, 1000: false} {
		_, got := fatalClose(fmt.Errorf("open: %w", &websocket.CloseError{Code: code}))
		if got != fatal {
			t.Errorf("close %d fatal = %v, want %v", code, got, fatal)
		}
	}
}

func TestTransportRewritesAndPaces(t *testing.T) {
	t.Parallel()
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
	}))
	defer srv.Close()
	tr, err := newTransport(http.DefaultTransport, srv.URL+"/proxy/")
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: tr}
	for _, u := range []string{"https://discord.com/api/v9/gateway", "https://discord.com/api/v9/interactions/1/tok/callback"} {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if fmt.Sprint(paths) != "[/proxy/api/v9/gateway /proxy/api/v9/interactions/1/tok/callback]" {
		t.Errorf("paths = %v", paths)
	}
	if tr.global == nil || GlobalRequestsPerSecond > 50 {
		t.Errorf("no global pacing at most 50 requests a second (%d)", GlobalRequestsPerSecond)
	}
	if _, err := newTransport(http.DefaultTransport, "ftp://x"); err == nil {
		t.Error("ftp URL accepted")
	}
}
