package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shakeoutbot/shakeout/bot/input"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// logListMax is how many entries /log list shows and numbers; edit and
// delete reach the same entries by the same numbers.
const logListMax = 20

// recentLog is the member's numbered entries, newest first: number n is
// entries[n-1].
func (b *Bot) recentLog(ctx context.Context, r *Request) ([]LoggedSession, error) {
	return b.store.RecentSessions(ctx, r.Member.ID, r.Today().AddDays(-input.MaxDaysBack), logListMax)
}

func (b *Bot) listLog(ctx context.Context, r *Request, rest string) ([]chat.Reply, error) {
	if strings.TrimSpace(rest) != "" {
		return nil, Invalidf("/log list", "/log list takes nothing after it.")
	}
	entries, err := b.recentLog(ctx, r)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return []chat.Reply{{Text: fmt.Sprintf("Your log has nothing from the last %d days. Log a session like this: %s", input.MaxDaysBack, logExample)}}, nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Your log, newest first (the last %d entries at most, %d days back):\n", logListMax, input.MaxDaysBack)
	for i, s := range entries {
		fmt.Fprintf(&sb, "%d. %s\n", i+1, describeSession(s, r.Member.Units, r.Today()))
	}
	sb.WriteString("/log edit 2 rpe 6 changes entry 2 (kind, distance, duration, rpe or day); /log delete 2 removes it.")
	return []chat.Reply{{Text: sb.String()}}, nil
}

// logEntry reads an entry number and finds the entry.
func (b *Bot) logEntry(ctx context.Context, r *Request, word, example string) (LoggedSession, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(word, "#"))
	if word == "" || err != nil || n < 1 || n > logListMax {
		return LoggedSession{}, Invalidf(example, "Give the entry's number from /log list (1 is your newest), e.g. %s.", example)
	}
	entries, err := b.recentLog(ctx, r)
	if err != nil {
		return LoggedSession{}, err
	}
	if n > len(entries) {
		return LoggedSession{}, Errorf(CodeNotFound, "Your log has %s from the last %d days, so there's no entry %d. /log list shows them numbered.",
			input.Plural(len(entries), "entry"), input.MaxDaysBack, n)
	}
	return entries[n-1], nil
}

func (b *Bot) deleteLog(ctx context.Context, r *Request, rest string) ([]chat.Reply, error) {
	f := strings.Fields(rest)
	word := ""
	if len(f) > 0 {
		word = f[0]
	}
	if len(f) > 1 {
		return nil, Invalidf("/log delete 3", "/log delete takes one entry number; /log list shows them.")
	}
	s, err := b.logEntry(ctx, r, word, "/log delete 3")
	if err != nil {
		return nil, err
	}
	gone, err := b.store.DeleteSession(ctx, r.Member.ID, s.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeNotFound, "That entry is already gone. /log list shows what's there now.")
	}
	if err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: "Removed from your log: " + describeSession(gone, r.Member.Units, r.Today())}}, nil
}

const logEditExample = "/log edit 3 rpe 6"

func (b *Bot) editLog(ctx context.Context, r *Request, rest string) ([]chat.Reply, error) {
	toks := input.Tokens(rest)
	if len(toks) < 2 {
		return nil, Invalidf(logEditExample, "Give the entry's number from /log list, then what to change: a kind, a distance, a duration, rpe N or a day.")
	}
	old, err := b.logEntry(ctx, r, toks[0], logEditExample)
	if err != nil {
		return nil, err
	}
	s := old
	fields := toks[1:]
	if k, ok := coach.ParseKind(fields[0]); ok {
		s.Kind = k
		fields = fields[1:]
		if k == coach.KindRest {
			s.DistanceKm, s.Minutes, s.RPE, s.RPEGiven = 0, 0, 0, false
		} else if old.Kind == coach.KindRest || !s.RPEGiven {
			s.RPE, s.RPEGiven = k.DefaultRPE(), false
		}
	}
	var g logGiven
	if err := parseLogFields(&s, &g, fields, r.Today()); err != nil {
		return nil, err
	}
	if err := checkLogSession(s, g); err != nil {
		return nil, err
	}
	if s == old {
		return nil, Invalidf(logEditExample, "That's what entry %s already says: %s. Give what should change.", toks[0], describeSession(old, r.Member.Units, r.Today()))
	}
	if err := b.store.UpdateSession(ctx, r.Member.ID, s); errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeNotFound, "That entry is gone. /log list shows what's there now.")
	} else if err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: "Changed: " + describeSession(s, r.Member.Units, r.Today()) + "\nIt was: " + describeSession(old, r.Member.Units, r.Today())}}, nil
}

// sameDayNote says what is odd about a new session beside what the member
// already logged that day: the same session again, or a rest day with a
// session. The session is still logged: only the member knows whether they
// ran twice.
func (b *Bot) sameDayNote(ctx context.Context, r *Request, s LoggedSession) (string, error) {
	logged, err := b.store.SessionsSince(ctx, r.Member.ID, s.Date)
	if err != nil {
		return "", err
	}
	for _, o := range logged {
		if o.Date != s.Date {
			continue
		}
		switch {
		case o.Kind == s.Kind && s.Kind == coach.KindRest:
			return fmt.Sprintf("\nNote: you had already logged a rest day on %s, so this is a second one. If that was a slip, /log undo removes it.",
				shortDate(s.Date)), nil
		case o.Kind == s.Kind && math.Abs(o.DistanceKm-s.DistanceKm) < 0.05 && math.Abs(o.Minutes-s.Minutes) < 0.5:
			return fmt.Sprintf("\nNote: this is the same as a session you had already logged on %s. If you did it twice, all's well; if not, /log undo removes this one.",
				shortDate(s.Date)), nil
		case o.Kind == coach.KindRest && s.Kind != coach.KindRest:
			return fmt.Sprintf("\nNote: you had logged %s as a rest day, and a day with a session isn't one. /log list and /log delete N remove the entry that's wrong.",
				shortDate(s.Date)), nil
		case s.Kind == coach.KindRest:
			return fmt.Sprintf("\nNote: you had already logged a session on %s (%s), so it wasn't a rest day. /log undo removes this rest day if it was meant for another day.",
				shortDate(s.Date), describeSession(o, r.Member.Units, r.Today())), nil
		}
	}
	return "", nil
}
