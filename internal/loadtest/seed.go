package main

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// clock is the bot's and the store's clock in the in-process phases: the
// tool moves it, so seeding can write three weeks of history and the
// fan-out can fall due exactly when it is measured.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func newClock(t time.Time) *clock    { c := &clock{}; c.Set(t); return c }
func (c *clock) Add(d time.Duration) { c.ns.Add(int64(d)) }

// seeded describes what seed wrote, for the phases that follow.
type seeded struct {
	clubs   []bot.Club
	members []seedMember
}

type seedMember struct {
	id       int64
	platform chat.Platform
	userID   string
	name     string // as seeded
	club     bot.Club
	consent  bool
}

// The ids the seeded data uses: Telegram users are positive numbers and
// groups -100..., Discord ids are snowflake-sized numbers.
func clubChat(p chat.Platform, c int) string {
	if p == chat.PlatformTelegram {
		return fmt.Sprintf("-100%010d", c+1)
	}
	return strconv.Itoa(900000000000000000 + c)
}

// postChannel is the text channel a seeded Discord club posts to.
func postChannel(c int) string { return strconv.Itoa(910000000000000000 + c) }

// dmChannel is a seeded Discord member's DM channel.
func dmChannel(i int) string { return strconv.Itoa(820000000000000000 + i) }

func userID(p chat.Platform, i int) string {
	if p == chat.PlatformTelegram {
		return strconv.Itoa(700000000 + i)
	}
	return strconv.Itoa(810000000000000000 + i)
}

// seed writes clubs and members through the store's own methods (each one
// transaction, as the bot writes them):
//   - clubs alternate between Telegram and Discord, post time postAt (UTC);
//   - members are spread evenly over the clubs, on their club's platform;
//     17 in 20 have morning messages on, at postAt; half said yes to
//     health data; Discord members have a known DM channel;
//   - 3 in 10 have logged a session every other day for three weeks
//     (about 11 each), and 1 in 10 of those with consent checked in on the
//     last five days.
//
// The clock is set to three weeks before `at` while members are created
// (so their slots at `at` exist), and left at `at` minus one hour.
func seed(ctx context.Context, s *sqlite.Store, clk *clock, at time.Time, members, clubs int, platforms []chat.Platform) (seeded, error) {
	var out seeded
	clk.Set(at.AddDate(0, 0, -22))
	postAt := input.ClockOf(at)
	for c := range clubs {
		p := platforms[c%len(platforms)]
		club, err := s.EnsureClub(ctx, p, clubChat(p, c), fmt.Sprintf("Club %d", c), "UTC")
		if err != nil {
			return out, err
		}
		club.PostTime, club.PostOn = postAt, true
		if p == chat.PlatformDiscord {
			// A Discord server is no channel: its posts go to a channel.
			club.PostChat = postChannel(c)
		}
		if err := s.UpdateClub(ctx, club); err != nil {
			return out, err
		}
		out.clubs = append(out.clubs, club)
	}
	kinds := []coach.Kind{coach.KindEasy, coach.KindLong, coach.KindTempo, coach.KindIntervals, coach.KindRecovery, coach.KindEasy}
	today := coach.DateOf(at)
	for i := range members {
		club := out.clubs[i%clubs]
		uid := userID(club.Platform, i)
		dm := ""
		if club.Platform == chat.PlatformDiscord {
			dm = dmChannel(i)
		}
		m, err := s.EnsureMember(ctx, club.Platform, uid, "runner "+strconv.Itoa(i), club.ID, dm)
		if err != nil {
			return out, err
		}
		m.Nudges, m.NudgeTime = i%20 < 17, postAt
		if i%2 == 0 {
			m.Consent = bot.ConsentYes
		}
		if err := s.UpdateMember(ctx, m, false); err != nil {
			return out, err
		}
		out.members = append(out.members, seedMember{id: m.ID, platform: club.Platform, userID: uid, name: m.Name, club: club, consent: m.Consent == bot.ConsentYes})
		if i%10 >= 3 {
			continue
		}
		for d := 21; d >= 1; d -= 2 {
			k := kinds[(i+d)%len(kinds)]
			x := bot.LoggedSession{Session: coach.Session{Date: today.AddDays(-d), Kind: k, DistanceKm: 6 + float64((i+d)%10),
				Minutes: 35 + float64((i*7+d)%50), RPE: 3 + (i+d)%6}, TZ: "UTC", RPEGiven: true}
			if _, err := s.AddSession(ctx, m.ID, x, at.AddDate(0, 0, -d)); err != nil {
				return out, err
			}
		}
		if m.Consent == bot.ConsentYes && i%100 < 10 {
			for d := 5; d >= 1; d-- {
				ci := coach.CheckIn{Date: today.AddDays(-d), Sleep: 1 + (i+d)%5, Soreness: 1 + (i+2*d)%5, Energy: 1 + (i+3*d)%5}
				if err := s.AddCheckIn(ctx, m.ID, ci, "UTC", at.AddDate(0, 0, -d)); err != nil {
					return out, err
				}
			}
		}
	}
	clk.Set(at.Add(-time.Hour))
	return out, nil
}
