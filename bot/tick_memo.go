package bot

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/shakeoutbot/shakeout/coach"
)

// tickMemo keeps, for one round of scheduled slots, what is the same for
// every member of a club: the club itself and its recovery weeks around the
// day. A morning fan-out builds one message per member, and each read these
// again from the store (three of a member's seven reads). A round takes a
// moment, and a change made meanwhile (a coach declaring a week) reaches
// the next round.
type tickMemo struct {
	mu        sync.Mutex
	clubs     map[int64]memoClub
	weekOn    map[clubDay]bool
	weeksFrom map[clubDay][]RecoveryWeek
}

type memoClub struct {
	c   Club
	err error // only ErrNotFound is kept
}

type clubDay struct {
	club int64
	day  coach.Date
}

type tickMemoKey struct{}

// withTickMemo gives ctx a fresh memo for one round of slots.
func withTickMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, tickMemoKey{}, &tickMemo{
		clubs: map[int64]memoClub{}, weekOn: map[clubDay]bool{}, weeksFrom: map[clubDay][]RecoveryWeek{}})
}

func tickMemoOf(ctx context.Context) *tickMemo {
	m, _ := ctx.Value(tickMemoKey{}).(*tickMemo)
	return m
}

// clubByID is the store's ClubByID, kept for the round when ctx has a memo.
func (b *Bot) clubByID(ctx context.Context, id int64) (Club, error) {
	memo := tickMemoOf(ctx)
	if memo == nil {
		return b.store.ClubByID(ctx, id)
	}
	memo.mu.Lock()
	got, ok := memo.clubs[id]
	memo.mu.Unlock()
	if ok {
		return got.c, got.err
	}
	c, err := b.store.ClubByID(ctx, id)
	if err == nil || errors.Is(err, ErrNotFound) {
		memo.mu.Lock()
		memo.clubs[id] = memoClub{c, err}
		memo.mu.Unlock()
	}
	return c, err
}

// recoveryWeekOn is the store's RecoveryWeekOn, kept for the round when
// ctx has a memo.
func (b *Bot) recoveryWeekOn(ctx context.Context, clubID int64, d coach.Date) (bool, error) {
	memo := tickMemoOf(ctx)
	if memo == nil {
		return b.store.RecoveryWeekOn(ctx, clubID, d)
	}
	k := clubDay{clubID, d}
	memo.mu.Lock()
	on, ok := memo.weekOn[k]
	memo.mu.Unlock()
	if ok {
		return on, nil
	}
	on, err := b.store.RecoveryWeekOn(ctx, clubID, d)
	if err == nil {
		memo.mu.Lock()
		memo.weekOn[k] = on
		memo.mu.Unlock()
	}
	return on, err
}

// recoveryWeeksFrom is the store's RecoveryWeeksFrom, kept for the round
// when ctx has a memo; callers get their own copy.
func (b *Bot) recoveryWeeksFrom(ctx context.Context, clubID int64, from coach.Date) ([]RecoveryWeek, error) {
	memo := tickMemoOf(ctx)
	if memo == nil {
		return b.store.RecoveryWeeksFrom(ctx, clubID, from)
	}
	k := clubDay{clubID, from}
	memo.mu.Lock()
	ws, ok := memo.weeksFrom[k]
	memo.mu.Unlock()
	if ok {
		return slices.Clone(ws), nil
	}
	ws, err := b.store.RecoveryWeeksFrom(ctx, clubID, from)
	if err == nil {
		memo.mu.Lock()
		memo.weeksFrom[k] = slices.Clone(ws)
		memo.mu.Unlock()
	}
	return ws, err
}
