package schedules

import (
	"fmt"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/coach"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func date(y int, m time.Month, d int) coach.Date { return coach.Date{Year: y, Month: m, Day: d} }

func TestSlotTimeDST(t *testing.T) {
	cases := []struct {
		zone string
		day  coach.Date
		at   string
		want string // UTC
		why  string
	}{
		{"America/New_York", date(2026, 3, 8), "01:30", "2026-03-08T06:30:00Z", "before the gap, EST"},
		{"America/New_York", date(2026, 3, 8), "02:30", "2026-03-08T07:00:00Z", "in the gap: 03:00 EDT, the first instant after it"},
		{"America/New_York", date(2026, 3, 8), "07:00", "2026-03-08T11:00:00Z", "after the change, EDT"},
		{"America/New_York", date(2026, 11, 1), "01:30", "2026-11-01T05:30:00Z", "repeated hour: the first 01:30, EDT"},
		{"America/New_York", date(2026, 11, 1), "02:30", "2026-11-01T07:30:00Z", "after the repeat, EST"},
		{"America/New_York", date(2026, 11, 1), "07:00", "2026-11-01T12:00:00Z", "EST"},
		{"Europe/London", date(2026, 10, 25), "01:30", "2026-10-25T00:30:00Z", "repeated hour: the first 01:30, BST"},
		{"Europe/London", date(2026, 10, 25), "02:30", "2026-10-25T02:30:00Z", "GMT"},
		{"Europe/London", date(2026, 10, 25), "07:00", "2026-10-25T07:00:00Z", "GMT"},
		{"Europe/London", date(2026, 3, 29), "01:30", "2026-03-29T01:00:00Z", "in the gap: 02:00 BST"},
		{"Europe/Berlin", date(2026, 6, 8), "06:30", "2026-06-08T04:30:00Z", "an ordinary summer day"},
		{"UTC", date(2026, 1, 1), "00:00", "2026-01-01T00:00:00Z", "midnight"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %s %s", c.zone, c.day, c.at), func(t *testing.T) {
			clk, err := input.ParseClock(c.at)
			if err != nil {
				t.Fatal(err)
			}
			h, m := clk.Hour, clk.Minute
			got := SlotTime(c.day, h, m, mustZone(t, c.zone)).UTC().Format(time.RFC3339)
			if got != c.want {
				t.Errorf("SlotTime = %s; want %s (%s)", got, c.want, c.why)
			}
		})
	}
}

// TestOneSendPerLocalDay ticks every minute across the daylight-saving
// days and the days around them, as the scheduler does, remembering keys
// already sent: each local day gets exactly one send, at SlotTime.
func TestOneSendPerLocalDay(t *testing.T) {
	cases := []struct {
		zone string
		day  coach.Date
	}{
		{"America/New_York", date(2026, 3, 8)},
		{"America/New_York", date(2026, 11, 1)},
		{"Europe/London", date(2026, 10, 25)},
		{"Europe/London", date(2026, 3, 29)},
	}
	for _, c := range cases {
		for _, at := range []string{"00:00", "01:30", "02:30", "07:00", "23:59"} {
			t.Run(fmt.Sprintf("%s %s %s", c.zone, c.day, at), func(t *testing.T) {
				loc := mustZone(t, c.zone)
				clk, err := input.ParseClock(at)
				if err != nil {
					t.Fatal(err)
				}
				job := bot.Job{Kind: bot.JobClubPost, Club: bot.Club{ID: 1}, Zone: loc, At: clk}
				from := c.day.AddDays(-2).At(0, 0, loc)
				to := c.day.AddDays(3).At(0, 0, loc)
				sent := map[string]time.Time{}
				perDay := map[coach.Date]int{}
				for now := from; now.Before(to); now = now.Add(time.Minute) {
					for _, s := range DueSlots([]bot.Job{job}, now) {
						if _, ok := sent[s.Key()]; ok || bot.TooLate(s.Due, now, bot.DefaultCatchUp) {
							continue
						}
						sent[s.Key()] = now
						perDay[s.Date]++
						if !now.Equal(s.Due) && !s.Due.Before(from) {
							t.Errorf("%s sent at %s, due %s: a minute tick should send on time", s.Key(), now, s.Due)
						}
					}
				}
				h, m := clk.Hour, clk.Minute
				for d := c.day.AddDays(-1); d.Before(c.day.AddDays(3)); d = d.AddDays(1) {
					if perDay[d] != 1 {
						t.Errorf("%s: %d sends; want exactly 1", d, perDay[d])
					}
					key := bot.Slot{Job: &job, Date: d}.Key()
					if got, want := sent[key], SlotTime(d, h, m, loc); !got.Equal(want) {
						t.Errorf("%s sent at %s; want %s", d, got, want)
					}
				}
			})
		}
	}
}

func TestLatestAndDecide(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	now := time.Date(2026, 6, 8, 6, 29, 0, 0, loc)
	d, due := Latest(loc, 6, 30, now)
	if d != date(2026, 6, 7) || !due.Equal(time.Date(2026, 6, 7, 6, 30, 0, 0, loc)) {
		t.Fatalf("a minute before the slot: Latest = %s %s; want yesterday's", d, due)
	}
	d, _ = Latest(loc, 6, 30, now.Add(time.Minute))
	if d != date(2026, 6, 8) {
		t.Fatalf("at the slot: Latest = %s; want today", d)
	}
	slot := time.Date(2026, 6, 8, 6, 30, 0, 0, loc)
	for _, c := range []struct {
		late time.Duration
		want bool
	}{{0, false}, {40 * time.Minute, false}, {2 * time.Hour, false}, {2*time.Hour + time.Minute, true}, {3 * time.Hour, true}} {
		if got := bot.TooLate(slot, slot.Add(c.late), bot.DefaultCatchUp); got != c.want {
			t.Errorf("%s late: %v; want %v", c.late, got, c.want)
		}
	}
}

func TestDueSlotsSkipsSlotsBeforeTheJobExisted(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 6, 8, 9, 0, 0, 0, loc)
	jobs := []bot.Job{
		{Kind: bot.JobMorning, Member: bot.Member{ID: 1}, Zone: loc, At: input.Clock{Hour: 7}, Since: now.Add(-time.Hour)},
		{Kind: bot.JobMorning, Member: bot.Member{ID: 2}, Zone: loc, At: input.Clock{Hour: 7}, Since: now.Add(-48 * time.Hour)},
	}
	got := DueSlots(jobs, now)
	if len(got) != 1 || got[0].Key() != "morning:m2:2026-06-08" {
		t.Fatalf("DueSlots = %+v; want only member 2's slot of today", got)
	}
}

func TestParseSpecRecoversFromPanics(t *testing.T) {
	if _, err := parseSpec("CRON_TZ=UTC"); err == nil {
		t.Fatal("a spec that makes the parser panic should be an error")
	}
	if _, err := parseSpec(everyMinute); err != nil {
		t.Fatal(err)
	}
}
