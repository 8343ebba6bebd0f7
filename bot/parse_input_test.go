package bot_test

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/coach"
)

func TestParseRaceDistance(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want float64 // 0: an error
		err  string  // part of the error
	}{
		{"half", "half", coach.KmHalf, ""},
		{"half-marathon", "half-marathon", coach.KmHalf, ""},
		{"full-marathon", "full-marathon", coach.KmMarathon, ""},
		{"km", "50km", 50, ""},
		{"metres", "3000m", 3, ""},
		{"metres word", "1500metres", 1.5, ""},
		{"negative", "-5k", 0, "positive number"},
		{"plus", "+5k", 0, "positive number"},
		{"m could be miles", "26m", 0, "miles or metres"},
		{"never suggests km for metres", "3000m", 3, ""},
		{"too far in metres", "500000m", 0, "between 0.1 km and 400 km"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := input.ParseRaceDistance(c.in)
			if c.want == 0 {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("ParseRaceDistance(%q) = %v, %v; want an error saying %q", c.in, got, err, c.err)
				}
				if strings.Contains(err.Error(), "000km") {
					t.Fatalf("ParseRaceDistance(%q) suggests kilometres for metres: %v", c.in, err)
				}
				return
			}
			if err != nil || math.Abs(got-c.want) > 1e-9 {
				t.Fatalf("ParseRaceDistance(%q) = %v, %v; want %v", c.in, got, err, c.want)
			}
		})
	}
}

func TestParseDayTomorrowIsReadThenRefused(t *testing.T) {
	today := coach.Date{Year: 2026, Month: time.June, Day: 9}
	d, err := input.ParseDay("Tomorrow", today)
	if err != nil || d != today.AddDays(1) || !input.IsDayWord("tomorrow") {
		t.Fatalf("ParseDay(tomorrow) = %v, %v", d, err)
	}
	if err := input.CheckPastDay(d, today, "The race"); err == nil || !strings.Contains(err.Error(), "can't be in the future") {
		t.Fatalf("CheckPastDay(tomorrow) = %v", err)
	}
}

func TestTokensJoinRepeatsAndRaceNames(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"intervals 6 x 800 m 45 min", []string{"intervals", "6x800m", "45min"}},
		{"intervals 6 x 800", []string{"intervals", "6x800"}},
		{"race half marathon 1:45:00", []string{"race", "half-marathon", "1:45:00"}},
		{"full marathon sunday", []string{"full-marathon", "sunday"}},
		{"easy 5000 metres", []string{"easy", "5000metres"}},
		{"easy 8 km rpe 4", []string{"easy", "8km", "rpe4"}},
	}
	for _, c := range cases {
		if got := input.Tokens(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokens(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"easy\t8km", "easy 8km"},
		{"easy\u00a08\u202fkm", "easy 8 km"},
		{"\u200beasy 8km\u200d\ufeff", "easy 8km"},
		{"line one\nline two", "line one\nline two"},
		{"plain text", "plain text"},
		{"Ünïcödé stays", "Ünïcödé stays"},
	}
	for _, c := range cases {
		if got := input.NormalizeText(c.in); got != c.want {
			t.Errorf("NormalizeText(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestPluralAndPace(t *testing.T) {
	if got := input.Plural(1, "extra day"); got != "1 extra day" {
		t.Errorf("Plural(1) = %q", got)
	}
	if got := input.Plural(3, "extra day"); got != "3 extra days" {
		t.Errorf("Plural(3) = %q", got)
	}
	for n, want := range map[int]string{0: "0 entries", 1: "1 entry", 2: "2 entries"} {
		if got := input.Plural(n, "entry"); got != want {
			t.Errorf("Plural(%d, entry) = %q; want %q", n, got, want)
		}
	}
	if got := input.PaceText(48.5/10, coach.UnitsKm); got != "4:51 /km" {
		t.Errorf("PaceText = %q", got)
	}
	if got := input.PaceText(48.5/10, coach.UnitsMi); got != "7:48 /mi" {
		t.Errorf("PaceText in miles = %q", got)
	}
	for in, want := range map[float64]string{48.5: "48:30", 65: "1:05:00", 105.25: "1:45:15"} {
		if got := input.ClockText(in); got != want {
			t.Errorf("ClockText(%v) = %q; want %q", in, got, want)
		}
	}
}

// Every command gets text cleaned where it enters the core: odd spaces and
// invisible characters, also in or right after the command name, and a
// command after an emoji, as Telegram's menu buttons send it.
func TestMessagesAreNormalisedWhereTheyEnterTheCore(t *testing.T) {
	h := newHarness(t, tuesday)
	send := func(cmd, args string) string {
		m := h.msg("maya", "")
		m.Command, m.Args = cmd, args
		return joinReplies(h.bot.Handle(t.Context(), m))
	}
	if got := send("log\u200b", "easy 8km"); !strings.HasPrefix(got, "Logged: easy") {
		t.Errorf("zero-width space after the command: %q", got)
	}
	if got := send("log\u200beasy", "8km"); !strings.HasPrefix(got, "Logged: easy") {
		t.Errorf("zero-width space joining the command and its first word: %q", got)
	}
	if got := send("log\teasy", "8km"); !strings.HasPrefix(got, "Logged: easy") {
		t.Errorf("tab after the command: %q", got)
	}
	if got := send("settings", "age\u00a035"); !strings.Contains(got, "Saved: age 35") {
		t.Errorf("non-breaking space in the arguments: %q", got)
	}
	if got := send("", "🏃 /today"); !strings.HasPrefix(got, "EASY") && !strings.HasPrefix(got, "HARD") && !strings.HasPrefix(got, "REST") {
		t.Errorf("🏃 /today is a command: %q", got)
	}
	if got := send("", "what does /today do?"); strings.HasPrefix(got, "EASY") || strings.HasPrefix(got, "HARD") || strings.HasPrefix(got, "REST") {
		t.Errorf("a question mentioning /today ran it: %q", got)
	}
}
