package bot_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
)

// countingStore counts knowledge searches.
type countingStore struct {
	*sqlite.Store
	searches atomic.Int64
}

func (c *countingStore) SearchKnowledge(ctx context.Context, match string, limit int) ([]coach.Hit, error) {
	c.searches.Add(1)
	return c.Store.SearchKnowledge(ctx, match, limit)
}

// TestAskAgainIsAnsweredAlike: a question asked again gets the same answer
// without another search; another question is searched for.
func TestAskAgainIsAnsweredAlike(t *testing.T) {
	ctx := t.Context()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "a.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs := &countingStore{Store: s}
	b, err := bot.New(bot.Deps{Store: cs})
	if err != nil {
		t.Fatal(err)
	}
	ask := func(id, q string) string {
		rs := b.Handle(ctx, chat.Message{Platform: chat.PlatformTelegram, UpdateID: id, ChatID: "5", UserID: "5",
			UserName: "Ann", Private: true, Command: "ask", Args: q})
		if len(rs) != 1 {
			t.Fatalf("/ask %s: %d replies", q, len(rs))
		}
		return rs[0].Text
	}
	first := ask("1", "how slow should my recovery run be?")
	n := cs.searches.Load()
	if n == 0 {
		t.Fatal("the first question was not searched for")
	}
	if again := ask("2", "how slow should my recovery run be?"); again != first {
		t.Errorf("asked again: %q, want %q", again, first)
	}
	if m := cs.searches.Load(); m != n {
		t.Errorf("asked again: %d more searches, want none", m-n)
	}
	if other := ask("3", "what should I eat after a long run?"); other == first || cs.searches.Load() == n {
		t.Errorf("another question: %q after %d searches", other, cs.searches.Load())
	}
}
