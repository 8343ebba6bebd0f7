package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

const (
	broadcastExample      = "/broadcast Saturday's long run starts from the park gate at 8:00."
	broadcastLaterExample = "/broadcast at 2026-06-10 07:00 Track session moved to the park today."
)

// broadcastTTL is how long a broadcast preview can be confirmed: long
// enough to read it twice, short enough that a stale preview found in the
// chat later cannot send yesterday's news.
const broadcastTTL = 15 * time.Minute

// broadcastMaxAhead is how far ahead a broadcast can be scheduled, in days.
const broadcastMaxAhead = 60

// ErrPreviewExpired is a store's answer to a confirmation that came after
// the preview's time ran out.
var ErrPreviewExpired = errors.New("preview expired")

func broadcastCommand(b *Bot) Command {
	return Command{
		Name:     "broadcast",
		Summary:  "Send an announcement to the club now or later, after a preview (coaches)",
		Usage:    "/broadcast [at YYYY-MM-DD HH:MM] <text> | cancel [N]",
		Examples: []string{broadcastExample, broadcastLaterExample, "/broadcast at tomorrow 06:30 Hill reps are on, see you at the bottom.", "/broadcast cancel 1"},
		Help: fmt.Sprintf("Shows your announcement as the club will see it, with a button to send it and one to cancel. "+
			"Nothing goes out until you press Send, and the preview can be confirmed for %d minutes. "+
			"To send it later, start with at and a day and time in the club's timezone (YYYY-MM-DD HH:MM, or today/tomorrow HH:MM), "+
			"up to %d days ahead; /preview lists what is scheduled, and /broadcast cancel calls a scheduled one off (cancel 2 for the second).", int(broadcastTTL/time.Minute), broadcastMaxAhead),
		Options: []chat.Option{
			{Name: "at", Description: "send later: YYYY-MM-DD HH:MM or tomorrow HH:MM, club time", Type: chat.OptionString, Keyword: true},
			{Name: "text", Description: "the announcement", Type: chat.OptionString, Required: true},
		},
		ClubAdmin:    true,
		ButtonPrefix: "bcast",
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			if n, ok := cancelArg(r.Args); ok {
				return b.cancelScheduledBroadcast(ctx, r, n)
			}
			loc := b.zoneOf(r.Club.TZ)
			text, sendAt, err := parseBroadcast(r.Args, r.Now, loc)
			if err != nil {
				return nil, err
			}
			from := "the coaches"
			if r.Club.Name != "" {
				from += " of " + r.Club.Name
			}
			post := fmt.Sprintf("Announcement from %s:\n%s", from, text)
			id, err := b.store.CreateBroadcast(ctx, r.Club.ID, r.Member.ID, post, sendAt, r.Now)
			if err != nil {
				return nil, err
			}
			question := "Send it to the club?"
			if !sendAt.IsZero() {
				question = fmt.Sprintf("Send it to the club on %s at %s (%s)?", longDate(coach.DateOf(sendAt.In(loc))), sendAt.In(loc).Format("15:04"), loc)
			}
			return []chat.Reply{{
				Text: fmt.Sprintf("This is how it will look:\n\n%s\n\n%s (This preview can be confirmed for %d minutes.)", post, question, int(broadcastTTL/time.Minute)),
				Buttons: [][]chat.Button{{
					{Label: "Send", Data: fmt.Sprintf("bcast:send:%d", id)},
					{Label: "Cancel", Data: fmt.Sprintf("bcast:cancel:%d", id)},
				}},
			}}, nil
		}),
		Press: func(ctx context.Context, r *Request, arg string) ([]chat.Reply, error) {
			action, idText, _ := strings.Cut(arg, ":")
			id, err := strconv.ParseInt(idText, 10, 64)
			if err != nil || (action != "send" && action != "cancel") {
				return nil, Errorf(CodeNotFound, "That button has expired. Send /broadcast again.")
			}
			send := action == "send"
			item := outbox.Item{Key: fmt.Sprintf("broadcast:b%d", id), To: clubRecipient(r.Club), ClubID: r.Club.ID}
			_, err = b.store.TakeBroadcast(ctx, r.Club.ID, id, r.Now.Add(-broadcastTTL), send, item, r.Now)
			switch {
			case errors.Is(err, ErrPreviewExpired):
				return nil, Errorf(CodeNotFound, "This preview expired (a preview can be confirmed for %d minutes), so nothing was sent. Send /broadcast again.", int(broadcastTTL/time.Minute))
			case errors.Is(err, ErrNotFound):
				return nil, Errorf(CodeNotFound, "That announcement was already sent or cancelled. Send /broadcast again for a new one.")
			case err != nil:
				return nil, err
			}
			if !send {
				return []chat.Reply{{Text: "Cancelled; nothing was sent."}}, nil
			}
			waiting, err := b.store.ScheduledBroadcasts(ctx, r.Club.ID)
			if err != nil {
				return nil, err
			}
			for _, w := range waiting {
				if w.ID == id {
					loc := b.zoneOf(r.Club.TZ)
					return []chat.Reply{{Text: fmt.Sprintf("Scheduled: it goes to the club on %s at %s (%s). /preview lists it until then.",
						longDate(coach.DateOf(w.SendAt.In(loc))), w.SendAt.In(loc).Format("15:04"), loc)}}, nil
				}
			}
			return []chat.Reply{{Text: "Sent to the club's queue; it goes out in a moment."}}, nil
		},
	}
}

// parseBroadcast reads "[at WHEN] text": WHEN is "YYYY-MM-DD HH:MM",
// "today HH:MM", "tomorrow HH:MM" or "HH:MM" (the next such time), in the
// club's timezone, after now and at most broadcastMaxAhead days ahead. A
// zero time means straight away.
func parseBroadcast(args string, now time.Time, loc *time.Location) (string, time.Time, error) {
	text := strings.TrimSpace(args)
	if text == "" {
		return "", time.Time{}, Invalidf(broadcastExample, "Write the announcement after the command.")
	}
	first, rest, _ := strings.Cut(text, " ")
	if !strings.EqualFold(first, "at") {
		return text, time.Time{}, nil
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return "", time.Time{}, Invalidf(broadcastLaterExample, "After at, give the day and time to send it, then the announcement.")
	}
	local := now.In(loc)
	today := coach.DateOf(local)
	var day coach.Date
	clock := f[0]
	used := 1
	switch low := strings.ToLower(f[0]); {
	case low == "today":
		day = today
	case low == "tomorrow":
		day = today.AddDays(1)
	case len(low) == 10 && low[4] == '-':
		d, err := coach.ParseDate(low)
		if err != nil {
			return "", time.Time{}, Invalidf(broadcastLaterExample, "%s.", upperFirstRune(err.Error()))
		}
		day = d
	}
	if !day.IsZero() {
		if len(f) < 2 {
			return "", time.Time{}, Invalidf(broadcastLaterExample, "Give the time after the day, as HH:MM, then the announcement.")
		}
		clock, used = f[1], 2
	}
	hhmm, err := input.ParseClock(clock)
	if err != nil {
		return "", time.Time{}, Invalidf(broadcastLaterExample, "%s.", upperFirstRune(err.Error()))
	}
	h, m := hhmm.Hour, hhmm.Minute
	if day.IsZero() {
		day = today
		if !input.ClockOf(local).Before(hhmm) {
			day = today.AddDays(1)
		}
	}
	at := time.Date(day.Year, day.Month, day.Day, h, m, 0, 0, loc)
	if !at.After(now) {
		return "", time.Time{}, Invalidf(broadcastLaterExample, "%s %s has already passed in the club's timezone (%s); give a time still to come, or leave out at to send it now.", day, hhmm, loc)
	}
	if day.Sub(today) > broadcastMaxAhead {
		return "", time.Time{}, Invalidf(broadcastLaterExample, "%s is more than %d days away; schedule it nearer the time.", day, broadcastMaxAhead)
	}
	body := strings.TrimSpace(strings.Join(f[used:], " "))
	if body == "" {
		return "", time.Time{}, Invalidf(broadcastLaterExample, "Write the announcement after the time.")
	}
	// Keep the text as typed (line breaks too): cut the prefix off the
	// original instead of re-joining fields.
	if i := strings.Index(rest, f[used-1]); i >= 0 {
		body = strings.TrimSpace(rest[i+len(f[used-1]):])
	}
	return body, at, nil
}

// scheduledBroadcastsText lists the club's scheduled announcements for
// /preview, or is empty when there are none.
func (b *Bot) scheduledBroadcastsText(ctx context.Context, c Club) (string, error) {
	waiting, err := b.store.ScheduledBroadcasts(ctx, c.ID)
	if err != nil || len(waiting) == 0 {
		return "", err
	}
	loc := b.zoneOf(c.TZ)
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n\nScheduled announcements (%d):", len(waiting))
	for _, w := range waiting {
		at := w.SendAt.In(loc)
		fmt.Fprintf(&sb, "\n\n— %s %s %s —\n%s", coach.DateOf(at), at.Format("15:04"), loc, w.Text)
	}
	return sb.String(), nil
}

// cancelArg reads "cancel" or "cancel N" (N from 1); anything longer is an
// announcement that happens to start with the word.
func cancelArg(args string) (int, bool) {
	f := strings.Fields(args)
	if len(f) == 0 || len(f) > 2 || !strings.EqualFold(f[0], "cancel") {
		return 0, false
	}
	if len(f) == 1 {
		return 0, true
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		return 0, false
	}
	return n, true
}

// cancelScheduledBroadcast calls off the nth scheduled announcement (in
// /preview's order), or with n 0 the only one; several and no number lists
// them and cancels nothing.
func (b *Bot) cancelScheduledBroadcast(ctx context.Context, r *Request, n int) ([]chat.Reply, error) {
	waiting, err := b.store.ScheduledBroadcasts(ctx, r.Club.ID)
	if err != nil {
		return nil, err
	}
	if len(waiting) == 0 {
		return nil, Errorf(CodeNotFound, "There's no scheduled announcement to cancel. Schedule one like this: %s", broadcastLaterExample)
	}
	loc := b.zoneOf(r.Club.TZ)
	when := func(w ScheduledBroadcast) string {
		at := w.SendAt.In(loc)
		return fmt.Sprintf("%s at %s", longDate(coach.DateOf(at)), at.Format("15:04"))
	}
	if n == 0 && len(waiting) > 1 || n < 0 || n > len(waiting) {
		var sb strings.Builder
		for i, w := range waiting {
			_, body, _ := strings.Cut(w.Text, "\n") // after "Announcement from ...:"
			first, _, _ := strings.Cut(body, "\n")
			fmt.Fprintf(&sb, "\n%d. %s: %s", i+1, when(w), first)
		}
		verb := "are"
		if len(waiting) == 1 {
			verb = "is"
		}
		return nil, Invalidf("/broadcast cancel 1", "There %s %s scheduled; say which to cancel by its number:%s",
			verb, input.Plural(len(waiting), "announcement"), sb.String())
	}
	w := waiting[max(n, 1)-1]
	if err := b.store.CancelScheduledBroadcast(ctx, r.Club.ID, w.ID); errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeNotFound, "That announcement has already gone out or been cancelled. /preview lists what is still scheduled.")
	} else if err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: fmt.Sprintf("Cancelled the announcement for %s; nothing will be sent.", when(w))}}, nil
}
