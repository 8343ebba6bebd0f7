package sqlstore

import (
	"strconv"
	"testing"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
)

func memoArrival(club, member int) (arrivalKey, arrival) {
	c := bot.Club{ID: int64(club), Platform: chat.PlatformTelegram, ChatID: "-100" + strconv.Itoa(club), Name: "Club " + strconv.Itoa(club)}
	m := bot.Member{ID: int64(member), Platform: chat.PlatformTelegram, UserID: strconv.Itoa(member), Name: "runner " + strconv.Itoa(member), ClubID: c.ID}
	return arrivalKey{p: chat.PlatformTelegram, chatID: c.ChatID, userID: m.UserID}, arrival{club: c, member: m, seen: true}
}

// The memo gives back what it was told, with each club kept once; an
// arrival read before a change is not kept; Changed forgets everything;
// a full memo starts again.
func TestArrivalMemo(t *testing.T) {
	a := NewArrivalMemo()
	v := a.now()
	for i := range 10 {
		k, x := memoArrival(i%2, i)
		a.remember(v, k, x)
	}
	if len(a.clubs) != 2 || len(a.members) != 10 {
		t.Fatalf("%d clubs and %d members kept, want 2 and 10", len(a.clubs), len(a.members))
	}
	k, want := memoArrival(1, 7)
	if got, ok := a.recall(k); !ok || got != want {
		t.Fatalf("recall = %+v, %v; want %+v", got, ok, want)
	}

	stale := a.now()
	a.Changed()
	if _, ok := a.recall(k); ok {
		t.Fatal("an arrival was recalled after Changed")
	}
	a.remember(stale, k, want)
	if _, ok := a.recall(k); ok {
		t.Fatal("an arrival read before the change was kept after it")
	}

	v = a.now()
	for i := range maxArrivals + 1 {
		k, x := memoArrival(i%50, i)
		a.remember(v, k, x)
	}
	if len(a.members) != 1 {
		t.Fatalf("%d arrivals after one past the bound, want 1 (started again)", len(a.members))
	}
}
