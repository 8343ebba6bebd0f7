package postgres_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
)

// copyMembers is how many members TestCopyKeepsAnswersAndVerdicts seeds;
// the measured run in the notes used -copy-members 10000.
var copyMembers = flag.Int("copy-members", 40, "members seeded for the SQLite → PostgreSQL copy test")

// seedScript is what each member does before the copy: a varied history,
// so verdicts differ from member to member.
func seedScript(i int) []string {
	sleep, sore, energy := 1+i%5, 1+(i/5)%5, 1+(i/25)%5
	out := []string{"/settings consent yes age " + fmt.Sprint(20+i%50)}
	for d := 1; d <= 1+i%6; d++ {
		out = append(out, fmt.Sprintf("/log %s %dmin 2026-06-%02d", []string{"easy", "tempo", "long", "intervals"}[(i+d)%4], 20+10*((i+d)%7), 10-d))
	}
	if i%3 == 0 { // a post-race plan with an answer kept (plan_answers)
		out = append(out, "/raced half 2026-06-08", "/recovery sore")
	}
	return append(out, fmt.Sprintf("/checkin sleep %d soreness %d energy %d", sleep, sore, energy))
}

// probes are the commands whose answers must be the same before and after.
var probes = []string{"/today", "/week", "/mydata", "/ask how long to recover after a marathon", "/settings"}

type console struct {
	b *bot.Bot
	n int
}

func (c *console) say(ctx context.Context, club, as, text string) string {
	c.n++
	m := chat.Message{Platform: chat.PlatformConsole, ClubChatID: club, ChatID: club, UserID: as, UserName: as,
		UpdateID: fmt.Sprint(c.n)}
	if strings.HasPrefix(text, "/") {
		m.Command, m.Args, _ = strings.Cut(text[1:], " ")
	} else {
		m.Args = text
	}
	var parts []string
	for _, r := range c.b.Handle(ctx, m) {
		parts = append(parts, r.Text)
	}
	return strings.Join(parts, "\n---\n")
}

// A seeded SQLite database copied to PostgreSQL gives the same answers and
// verdicts, and a second copy adds nothing.
func TestCopyKeepsAnswersAndVerdicts(t *testing.T) {
	pgOnly(t, func(t *testing.T, url string) {
		ctx := t.Context()
		now := time.Date(2026, 6, 10, 7, 30, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		file := filepath.Join(t.TempDir(), "seed.db")
		src, err := sqlite.Open(ctx, file, sqlite.Options{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		sb, err := bot.New(bot.Deps{Store: src, Now: clock, DefaultTZ: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		sc := &console{b: sb}
		member := func(i int) (string, string) { return fmt.Sprintf("club%d", i%7), fmt.Sprintf("m%05d", i) }
		start := time.Now()
		for i := range *copyMembers {
			club, as := member(i)
			for _, line := range seedScript(i) {
				sc.say(ctx, club, as, line)
			}
		}
		t.Logf("seeded %d members in %v", *copyMembers, time.Since(start).Round(time.Millisecond))
		sample := func(c *console) map[string]string {
			out := map[string]string{}
			step := max(1, *copyMembers/200)
			for i := 0; i < *copyMembers; i += step {
				club, as := member(i)
				for _, p := range probes {
					out[as+" "+p] = c.say(ctx, club, as, p)
				}
			}
			return out
		}
		before := sample(sc)
		extra := seedLaterTables(t, src, now)
		src.Close()

		raw, err := sql.Open("sqlite", sqlite.FileURI(file)+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		dst := open(t, url, 0)
		start = time.Now()
		rep, err := dst.CopyFrom(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("copied %d members (%d sessions, %d check-ins) in %v", rep.Read["members"], rep.Read["sessions"], rep.Read["checkins"],
			time.Since(start).Round(time.Millisecond))
		if rep.Read["plan_answers"] == 0 {
			t.Error("the seed has no plan answers to copy")
		}
		for _, tn := range rep.Tables {
			if rep.Read[tn] != rep.Added[tn] {
				t.Errorf("%s: read %d rows, added %d", tn, rep.Read[tn], rep.Added[tn])
			}
		}
		again, err := dst.CopyFrom(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, tn := range again.Tables {
			if again.Added[tn] != 0 {
				t.Errorf("second copy added %d rows to %s", again.Added[tn], tn)
			}
		}
		dst.Close()

		pgStore := open(t, url, 0)
		pb, err := bot.New(bot.Deps{Store: pgStore, Now: clock, DefaultTZ: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		// Update ids go on from the SQLite run's, as a platform's would.
		after := sample(&console{b: pb, n: sc.n})
		for k, want := range before {
			if after[k] != want {
				t.Errorf("%s changed:\nbefore: %q\nafter:  %q", k, want, after[k])
			}
		}
		extra.check(t, pgStore, now)
		// New rows get ids after the copied ones: a newcomer can log.
		if got := (&console{b: pb, n: sc.n + 100000}).say(ctx, "newclub", "newcomer", "/log easy 30min"); strings.Contains(got, "Sorry") {
			t.Fatalf("a newcomer's /log after the copy: %q", got)
		}
	})
}
