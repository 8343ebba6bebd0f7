package postgres_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/postgres"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

// laterRows are rows written into the SQLite file in the tables added after
// the first port (imports, intervals.icu, pictures), to find again after a
// copy.
type laterRows struct {
	member, club, session int64
	sealed, png           []byte
}

func seedLaterTables(t *testing.T, src *sqlite.Store, now time.Time) laterRows {
	t.Helper()
	ctx := t.Context()
	m, err := src.EnsureMember(ctx, chat.PlatformTelegram, "copy-later", "Later", 0, "copy-later")
	if err != nil {
		t.Fatal(err)
	}
	club, err := src.EnsureClub(ctx, chat.PlatformTelegram, "-4242", "Later club", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	r := laterRows{member: m.ID, club: club.ID, sealed: []byte{0x00, 0xff, 0x80, 's'},
		png: append([]byte("\x89PNG\r\n\x1a\n\x00\xfe"), bytes.Repeat([]byte("later-"), 20)...)}
	start := now.Add(-2 * time.Hour)
	ls := bot.LoggedSession{Session: coach.Session{Date: coach.DateOf(start), Kind: coach.KindEasy, Minutes: 40, RPE: 3}, TZ: "UTC"}
	if r.session, err = src.AddImported(ctx, m.ID, ls, bot.ImportedSession{Source: bot.ImportFile, Format: "fit", Sport: "Run",
		Start: start, Elapsed: 41 * time.Minute, Moving: 40 * time.Minute, DistanceM: 7000.5, TRIMP: 44.5}, now); err != nil {
		t.Fatal(err)
	}
	if err := src.SaveIntervalsLink(ctx, bot.IntervalsLink{MemberID: m.ID, AthleteID: "i9", KeySealed: r.sealed}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := src.TakeIntervalsActivity(ctx, m.ID, "i900", now); err != nil {
		t.Fatal(err)
	}
	if err := src.SetClubPictureMorning(ctx, club.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Enqueue(ctx, []outbox.Item{{Key: "copy-later:week", MemberID: m.ID,
		To:    chat.Recipient{Platform: chat.PlatformTelegram, ChatID: "copy-later", UserID: "copy-later", Private: true},
		Reply: chat.Reply{Text: "Your week", Private: true, Image: &bot.Image{PNG: r.png, Name: "week.png", Caption: "Load"}}}}, now); err != nil {
		t.Fatal(err)
	}
	return r
}

// check finds the rows on PostgreSQL, bytes and all.
func (r laterRows) check(t *testing.T, s *postgres.Store, now time.Time) {
	t.Helper()
	ctx := t.Context()
	ls, im, err := s.ImportedByID(ctx, r.member, r.session)
	if err != nil || ls.Minutes != 40 || im.DistanceM != 7000.5 || im.TRIMP != 44.5 || im.Moving != 40*time.Minute {
		t.Errorf("imported session after the copy: %+v %+v, %v", ls, im, err)
	}
	l, err := s.IntervalsLink(ctx, r.member)
	if err != nil || !bytes.Equal(l.KeySealed, r.sealed) || l.AthleteID != "i9" {
		t.Errorf("intervals link after the copy: %+v, %v", l, err)
	}
	if took, err := s.TakeIntervalsActivity(ctx, r.member, "i900", now); err != nil || took {
		t.Errorf("an activity taken before the copy was taken again: %v, %v", took, err)
	}
	if on, err := s.ClubPictureMorning(ctx, r.club); err != nil || !on {
		t.Errorf("club picture setting after the copy: %v, %v", on, err)
	}
	claimed, err := s.Claim(ctx, []chat.Platform{chat.PlatformTelegram}, "copy", now, now.Add(time.Minute), 100)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range claimed {
		if c.Key == "copy-later:week" {
			found = c.Reply.Image != nil && bytes.Equal(c.Reply.Image.PNG, r.png)
		}
	}
	if !found {
		t.Errorf("the outbox picture did not come through the copy whole (%d rows claimed)", len(claimed))
	}
}
