package postgres_test

import (
	"bytes"
	"database/sql"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to look into the schema

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

// TestImportsLinksPicturesRoundTrip covers the tables added after the first
// port (imported sessions, intervals.icu links and activities, outbox
// pictures, club pictures): what is written comes back whole, /mydata
// hides sealed keys and describes pictures, and /forgetme leaves no row
// that names the member in any table of the schema.
func TestImportsLinksPicturesRoundTrip(t *testing.T) {
	pgOnly(t, func(t *testing.T, url string) {
		ctx := t.Context()
		s := open(t, url, 0)
		now := time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)
		club, err := s.EnsureClub(ctx, chat.PlatformTelegram, "-100", "Harriers", "UTC")
		if err != nil {
			t.Fatal(err)
		}
		m, err := s.EnsureMember(ctx, chat.PlatformTelegram, "42", "Maya", club.ID, "42")
		if err != nil {
			t.Fatal(err)
		}

		// Imported session: the session and its recording together.
		start := now.Add(-3 * time.Hour)
		ls := bot.LoggedSession{Session: coach.Session{Date: coach.DateOf(start), Kind: coach.KindEasy, Minutes: 45, RPE: 3}, TZ: "UTC", RPEGiven: true}
		im := bot.ImportedSession{Source: bot.ImportIntervals, SourceID: "i77", Format: "fit", Sport: "Run", Start: start,
			Elapsed: 47 * time.Minute, Moving: 45 * time.Minute, DistanceM: 8123.5, AvgHR: 141, MaxHR: 163, TRIMP: 61.5, BandMinutes: 12.25}
		id, err := s.AddImported(ctx, m.ID, ls, im, now)
		if err != nil {
			t.Fatal(err)
		}
		near, err := s.ImportedNear(ctx, m.ID, start.Add(2*time.Minute), 5*time.Minute)
		if err != nil || len(near) != 1 || near[0].SessionID != id || near[0].DistanceM != 8123.5 || !near[0].Start.Equal(start) {
			t.Fatalf("imported near: %+v, %v", near, err)
		}
		if far, err := s.ImportedNear(ctx, m.ID, start.Add(time.Hour), 5*time.Minute); err != nil || len(far) != 0 {
			t.Fatalf("imported an hour away: %+v, %v", far, err)
		}
		gotLS, gotIm, err := s.ImportedByID(ctx, m.ID, id)
		if err != nil || gotLS.Minutes != 45 || !gotLS.RPEGiven || gotLS.Date != ls.Date || gotIm.Moving != im.Moving || gotIm.BandMinutes != 12.25 {
			t.Fatalf("imported by id: %+v %+v, %v", gotLS, gotIm, err)
		}
		since, err := s.ImportedSince(ctx, m.ID, ls.Date)
		if err != nil || since[id].SourceID != "i77" {
			t.Fatalf("imported since: %+v, %v", since, err)
		}

		// intervals.icu link and one activity taken (their round trip is
		// bot/sqlstore's TestIntervalsLinkRoundTrip, on either store).
		sealed := []byte{0x00, 0xff, 0xfe, 'k', 0x80, 0x01}
		if err := s.SaveIntervalsLink(ctx, bot.IntervalsLink{MemberID: m.ID, AthleteID: "i42", KeySealed: sealed}, now); err != nil {
			t.Fatal(err)
		}
		if took, err := s.TakeIntervalsActivity(ctx, m.ID, "i77", now); err != nil || !took {
			t.Fatalf("take activity: %v, %v", took, err)
		}

		// Club picture setting.
		if on, err := s.ClubPictureMorning(ctx, club.ID); err != nil || on {
			t.Fatalf("club picture before any setting: %v, %v", on, err)
		}
		if err := s.SetClubPictureMorning(ctx, club.ID, true); err != nil {
			t.Fatal(err)
		}
		if on, err := s.ClubPictureMorning(ctx, club.ID); err != nil || !on {
			t.Fatalf("club picture after on: %v, %v", on, err)
		}

		// Outbox picture: bytes apart from the body, back whole when claimed.
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\xff"), bytes.Repeat([]byte("week-"), 50)...)
		items := []outbox.Item{
			{Key: "week:m", To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "42", UserID: "42", Private: true}, MemberID: m.ID,
				Reply: chat.Reply{Text: "Your week", Private: true, Image: &bot.Image{PNG: png, Name: "week.png", Caption: "Load"}}},
			{Key: "plain", To: chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "-100"}, Reply: chat.Reply{Text: "Good morning"}},
		}
		if n, err := s.Enqueue(ctx, items, now); err != nil || n != 2 {
			t.Fatalf("enqueue: %d, %v", n, err)
		}
		export, err := s.ExportMember(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rows := export["intervals_links"]; len(rows) != 1 || rows[0]["key_sealed"] != "(kept encrypted; not shown)" {
			t.Errorf("/mydata intervals link: %v", rows)
		}
		if rows := export["outbox"]; len(rows) != 1 || rows[0]["image"] != "a PNG picture of 260 bytes, sent with this message" {
			t.Errorf("/mydata outbox: %v", rows)
		}
		if len(export["imported_sessions"]) != 1 || len(export["intervals_activities"]) != 1 {
			t.Errorf("/mydata imports: %v / %v", export["imported_sessions"], export["intervals_activities"])
		}
		claimed, err := s.Claim(ctx, []chat.Platform{chat.PlatformTelegram}, "tok", now, now.Add(time.Minute), 10)
		if err != nil || len(claimed) != 2 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		for _, c := range claimed {
			switch c.Key {
			case "week:m":
				if c.Reply.Image == nil || !bytes.Equal(c.Reply.Image.PNG, png) || c.Reply.Image.Caption != "Load" {
					t.Errorf("claimed picture: %+v", c.Reply.Image)
				}
			default:
				if c.Reply.Image != nil {
					t.Errorf("a reply without a picture came back with one: %+v", c.Reply.Image)
				}
			}
		}

		// /forgetme: no row names the member anywhere; the club's setting stays.
		if err := s.ForgetMember(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.QueryContext(ctx, `SELECT table_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND column_name = 'member_id'`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			tables = append(tables, n)
		}
		rows.Close()
		if len(tables) < 5 {
			t.Fatalf("only %d tables with member_id: %v", len(tables), tables)
		}
		for _, tb := range tables {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM "`+tb+`" WHERE member_id = $1`, m.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s: %d rows of the forgotten member", tb, n)
			}
		}
		var images int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE image IS NOT NULL`).Scan(&images); err != nil || images != 0 {
			t.Errorf("outbox pictures after /forgetme: %d, %v", images, err)
		}
		if on, err := s.ClubPictureMorning(ctx, club.ID); err != nil || !on {
			t.Errorf("the club's picture setting after a member's /forgetme: %v, %v", on, err)
		}
	})
}
