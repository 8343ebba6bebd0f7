package sqlstore

import (
	"context"
	"sync"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
)

// ArrivalMemo remembers arrivals between messages: the club, the member and
// whether the member was seen in the club, as ArriveInGroup reads them for
// every group message. Reading them is one statement, but the most costly
// one of a short command (over thirty columns through the driver), and
// nearly every message comes from a member who wrote before.
//
// A memo is only right while its store knows of every change to clubs,
// members and club_members: a backend offers one (ArrivalMemos) only when
// its process is the database's one writer, and calls Changed after every
// commit (or rollback) that wrote one of those tables. Changed forgets
// everything, so nothing of an erased member stays in memory; an arrival
// read before a change and remembered after it is dropped (the version).
type ArrivalMemo struct {
	mu      sync.Mutex
	version uint64
	// members holds each arrival's member and the id of its club, kept
	// once in clubs (a club is shared by its members' arrivals).
	members map[arrivalKey]memberArrival
	clubs   map[int64]bot.Club
}

// maxArrivals bounds the memo (about 470 bytes an arrival, its strings
// included: 8,192 take under 4 MB); it starts again empty when full.
const maxArrivals = 8192

type memberArrival struct {
	member bot.Member
	club   int64
	seen   bool
}

type arrivalKey struct {
	p              chat.Platform
	chatID, userID string
}

type arrival struct {
	club   bot.Club
	member bot.Member
	seen   bool
}

// NewArrivalMemo returns an empty memo.
func NewArrivalMemo() *ArrivalMemo {
	a := &ArrivalMemo{}
	a.clear()
	return a
}

// clear forgets every arrival. With a.mu held (or before a is shared).
func (a *ArrivalMemo) clear() {
	a.members = map[arrivalKey]memberArrival{}
	a.clubs = map[int64]bot.Club{}
}

// Changed forgets every arrival: clubs, members or club_members changed.
func (a *ArrivalMemo) Changed() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.version++
	a.clear()
}

// now is the version an arrival read after this call is remembered under.
func (a *ArrivalMemo) now() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.version
}

func (a *ArrivalMemo) recall(k arrivalKey) (arrival, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.members[k]
	if !ok {
		return arrival{}, false
	}
	c, ok := a.clubs[m.club]
	return arrival{club: c, member: m.member, seen: m.seen}, ok
}

// remember keeps v, read from the database after now returned version,
// unless something changed since.
func (a *ArrivalMemo) remember(version uint64, k arrivalKey, v arrival) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if version != a.version {
		return
	}
	if len(a.members) >= maxArrivals {
		a.clear()
	}
	a.members[k] = memberArrival{member: v.member, club: v.club.ID, seen: v.seen}
	a.clubs[v.club.ID] = v.club
}

// ArrivalMemos is a Backend that remembers arrivals.
type ArrivalMemos interface {
	// ArrivalMemo is the memo for a read made with ctx, nil when that
	// read must go to the database (no memo, or ctx's unit of work has
	// written: its reads see its own uncommitted writes).
	ArrivalMemo(ctx context.Context) *ArrivalMemo
}

// arrivalMemo is the backend's memo for ctx, if any.
func (s *Core) arrivalMemo(ctx context.Context) *ArrivalMemo {
	if am, ok := s.b.(ArrivalMemos); ok {
		return am.ArrivalMemo(ctx)
	}
	return nil
}
