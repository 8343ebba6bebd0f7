package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/outbox"
)

// The rhythm of recovery weeks a coach can ask for, in weeks: every
// second week at the most, every twelfth at the least.
const recoveryEveryMin, recoveryEveryMax = 2, 12

const recoveryExample = "/recoveryweek 2026-07-06 Easy week before the club race"

func recoveryWeekCommand(b *Bot) Command {
	return Command{
		Name:     "recoveryweek",
		Summary:  "Declare a club recovery week, set a rhythm, or cancel (coaches)",
		Usage:    "/recoveryweek <start date> [note] | every <N> | every off | cancel [start date]",
		Examples: []string{recoveryExample, "/recoveryweek monday", "/recoveryweek every 4", "/recoveryweek cancel", "/recoveryweek cancel 2026-07-06"},
		Help: "Declares a week of easy running for the whole club, starting on the date you give (YYYY-MM-DD, today, tomorrow, or a weekday name for the next such day). " +
			"I announce it to the club straight away and remind everyone the evening before; that week the morning posts say EASY or REST only " +
			"and members' daily verdicts stay at EASY or below. /recoveryweek every 4 (2 to 12) reminds you every 4th week; /recoveryweek cancel calls off the one coming up, or with its start date the one you name.",
		Options:   []chat.Option{{Name: "what", Description: "start date and note, every N, or cancel", Type: chat.OptionString, Required: true}},
		ClubAdmin: true,
		Handler: HandlerFunc(func(ctx context.Context, r *Request) ([]chat.Reply, error) {
			args := strings.TrimSpace(r.Args)
			first, rest, _ := strings.Cut(args, " ")
			today := coach.DateOf(r.Now.In(b.zoneOf(r.Club.TZ)))
			switch strings.ToLower(first) {
			case "":
				return nil, Invalidf(recoveryExample, "Tell me the day the recovery week starts, and optionally a note for the club.")
			case "cancel":
				return b.cancelRecoveryWeek(ctx, r, today, strings.TrimSpace(rest))
			case "every":
				return b.recoveryRhythm(ctx, r, strings.TrimSpace(rest), today)
			}
			start, err := recoveryStart(first, today)
			if err != nil {
				return nil, err
			}
			return b.declareRecoveryWeek(ctx, r, start, strings.TrimSpace(rest))
		}),
	}
}

// recoveryStart reads the first day of a recovery week: a date, today,
// tomorrow or a weekday name (the next such day after today), from today up
// to about six months ahead.
func recoveryStart(s string, today coach.Date) (coach.Date, error) {
	w := strings.ToLower(s)
	var d coach.Date
	switch {
	case w == "today":
		d = today
	case w == "tomorrow":
		d = today.AddDays(1)
	case len(w) == 10 && w[4] == '-':
		var err error
		if d, err = coach.ParseDate(w); err != nil {
			return d, Invalidf(recoveryExample, "%s", upperFirstRune(err.Error()))
		}
	default:
		wd, ok := coach.ParseWeekday(w)
		if !ok {
			return d, Invalidf(recoveryExample, "I can't read %q as the start of a week: give a date as YYYY-MM-DD, today, tomorrow or a weekday name.", s)
		}
		ahead := (int(wd) - int(today.Weekday()) + 7) % 7
		if ahead == 0 {
			ahead = 7 // "monday" on a Monday means next week's
		}
		d = today.AddDays(ahead)
	}
	if d.Before(today) {
		return d, Invalidf(recoveryExample, "%s has already begun or passed; a recovery week can start today at the earliest.", d)
	}
	if d.Sub(today) > recoveryMaxAhead {
		return d, Invalidf(recoveryExample, "%s is more than %d days away; declare it nearer the time.", d, recoveryMaxAhead)
	}
	return d, nil
}

func (b *Bot) declareRecoveryWeek(ctx context.Context, r *Request, start coach.Date, note string) ([]chat.Reply, error) {
	if n := utf8.RuneCountInString(note); n > recoveryNoteLimit {
		return nil, Invalidf(recoveryExample, "The note is %d characters; please keep it under %d.", n, recoveryNoteLimit)
	}
	w, err := b.store.DeclareRecoveryWeek(ctx, RecoveryWeek{ClubID: r.Club.ID, Start: start, Note: note, CreatedBy: r.Member.ID})
	if err != nil {
		return nil, err
	}
	item := outbox.Item{
		Key:    fmt.Sprintf("recovery_announce:c%d:%s:%d", r.Club.ID, w.Start, r.Now.Unix()),
		To:     clubRecipient(r.Club),
		Reply:  chat.Reply{Text: recoveryAnnounceText(w)},
		ClubID: r.Club.ID,
	}
	if _, err := b.store.Enqueue(ctx, []outbox.Item{item}, r.Now); err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: fmt.Sprintf("Recovery week declared: %s to %s. I'm announcing it to the club now and will remind everyone at %s the evening before. /preview shows the posts.",
		longDate(w.Start), longDate(w.End()), RecoveryEveTime)}}, nil
}

// cancelRecoveryWeek calls off a week: the one whose dates include the
// day given, or with no day the only one coming up; with several coming up
// and no day it lists them and cancels nothing.
func (b *Bot) cancelRecoveryWeek(ctx context.Context, r *Request, today coach.Date, arg string) ([]chat.Reply, error) {
	weeks, err := b.store.RecoveryWeeksFrom(ctx, r.Club.ID, today)
	if err != nil {
		return nil, err
	}
	if len(weeks) == 0 {
		return nil, Errorf(CodeNotFound, "There's no recovery week coming up to cancel. Declare one with %s", recoveryExample)
	}
	list := func() string {
		var sb strings.Builder
		for _, w := range weeks {
			fmt.Fprintf(&sb, "\n- %s to %s", longDate(w.Start), longDate(w.End()))
			if w.Note != "" {
				fmt.Fprintf(&sb, " (%s)", w.Note)
			}
		}
		return sb.String()
	}
	ex := "/recoveryweek cancel " + weeks[0].Start.String()
	var w RecoveryWeek
	switch {
	case arg != "":
		d, err := recoveryCancelDay(arg, today)
		if err != nil {
			return nil, Invalidf(ex, "I can't read %q as a day: give the date the week starts, as YYYY-MM-DD. The weeks coming up:%s", arg, list())
		}
		found := false
		for _, x := range weeks {
			if !d.Before(x.Start) && !d.After(x.End()) {
				w, found = x, true
				break
			}
		}
		if !found {
			return nil, Errorf(CodeNotFound, "No recovery week of the club's includes %s. The weeks coming up:%s\nCancel one like this: %s", longDate(d), list(), ex)
		}
	case len(weeks) > 1:
		return nil, Invalidf(ex, "There are %d recovery weeks coming up; say which to cancel by its start date:%s", len(weeks), list())
	default:
		w = weeks[0]
	}
	w, err = b.store.CancelRecoveryWeekByID(ctx, r.Club.ID, w.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeNotFound, "That recovery week was already cancelled. /club lists the ones still on.")
	}
	if err != nil {
		return nil, err
	}
	item := outbox.Item{
		Key:    fmt.Sprintf("recovery_cancel:c%d:%s:%d", r.Club.ID, w.Start, r.Now.Unix()),
		To:     clubRecipient(r.Club),
		Reply:  chat.Reply{Text: recoveryCancelText(w)},
		ClubID: r.Club.ID,
	}
	if _, err := b.store.Enqueue(ctx, []outbox.Item{item}, r.Now); err != nil {
		return nil, err
	}
	return []chat.Reply{{Text: fmt.Sprintf("Cancelled the recovery week of %s to %s; I'm letting the club know.", longDate(w.Start), longDate(w.End()))}}, nil
}

// recoveryCancelDay reads the day that picks a week to cancel: a date,
// today, tomorrow, or a weekday name (the next such day, as when declaring).
func recoveryCancelDay(s string, today coach.Date) (coach.Date, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	switch {
	case w == "today":
		return today, nil
	case w == "tomorrow":
		return today.AddDays(1), nil
	case len(w) == 10 && w[4] == '-':
		return coach.ParseDate(w)
	}
	wd, ok := coach.ParseWeekday(w)
	if !ok {
		return coach.Date{}, fmt.Errorf("%q is not a day", s)
	}
	ahead := (int(wd) - int(today.Weekday()) + 7) % 7
	if ahead == 0 {
		ahead = 7
	}
	return today.AddDays(ahead), nil
}

func (b *Bot) recoveryRhythm(ctx context.Context, r *Request, arg string, today coach.Date) ([]chat.Reply, error) {
	c := r.Club
	switch strings.ToLower(arg) {
	case "off", "never":
		c.RecoveryEvery, c.RecoveryAnchor = 0, coach.Date{}
		if err := b.store.SetRecoveryRhythm(ctx, c, 0); err != nil {
			return nil, err
		}
		return []chat.Reply{{Text: "No more recovery-week reminders. /recoveryweek every 4 turns them back on."}}, nil
	}
	n, err := strconv.Atoi(arg)
	if err != nil || n < recoveryEveryMin || n > recoveryEveryMax {
		what := "Give"
		if arg != "" {
			what = fmt.Sprintf("%q is not a rhythm I can keep. Give", arg)
		}
		return nil, Invalidf("/recoveryweek every 4", "%s the rhythm as a number of weeks from %d to %d, or off to stop the reminders.", what, recoveryEveryMin, recoveryEveryMax)
	}
	c.RecoveryEvery = n
	c.RecoveryAnchor = today.AddDays(-((int(today.Weekday()) + 6) % 7))
	if err := b.store.SetRecoveryRhythm(ctx, c, r.Member.ID); err != nil {
		return nil, err
	}
	first := c.RecoveryAnchor.AddDays(7 * (n - 1))
	return []chat.Reply{{Text: fmt.Sprintf("Every %d weeks, counted from this week (Monday %s), I'll remind you privately on the Monday before the recovery week is due, at %s. "+
		"The first reminder comes on %s. /recoveryweek every off stops them.", n, c.RecoveryAnchor, RecoveryRhythmAt, longDate(first))}}, nil
}
