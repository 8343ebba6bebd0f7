package sqlite_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
)

// TestConcurrentNewMembersAskAndLog: four goroutines, new members (whose
// first message writes them, so their unit joins a batch early and its
// reads go through the shared transaction) asking and logging at once:
// every message gets its real answer, never the apology. Reads through
// the shared transaction once broke a prepared statement another unit was
// using ("bad parameter or other API misuse").
func TestConcurrentNewMembersAskAndLog(t *testing.T) {
	ctx := t.Context()
	s := open(t, filepath.Join(t.TempDir(), "stress.db"))
	var logs bytes.Buffer
	var lmu sync.Mutex
	h := slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		lmu.Lock()
		defer lmu.Unlock()
		return logs.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug})
	b, err := bot.New(bot.Deps{Store: s, Logger: slog.New(h)})
	if err != nil {
		t.Fatal(err)
	}
	var id atomic.Int64
	var wg sync.WaitGroup
	var bad atomic.Int32
	for g := range 4 {
		wg.Go(func() {
			for i := range 300 {
				m := chat.Message{Platform: chat.PlatformTelegram, UpdateID: fmt.Sprint(id.Add(1)), ClubChatID: "-100",
					ChatID: "-100", UserID: fmt.Sprint(100 + g*1000 + i%50), UserName: fmt.Sprint("r", g*1000+i%50),
					Command: "ask", Args: "how slow should my recovery run be"}
				if i%2 == 1 {
					m.Command, m.Args = "log", "easy 5km"
				}
				rs := b.Handle(ctx, m)
				if len(rs) == 0 || strings.HasPrefix(rs[0].Text, "Sorry") {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if bad.Load() > 0 {
		lmu.Lock()
		var errs []string
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "level=ERROR") {
				errs = append(errs, l)
			}
		}
		lmu.Unlock()
		if len(errs) > 10 {
			errs = errs[:10]
		}
		t.Fatalf("%d apologies; errors:\n%s", bad.Load(), strings.Join(errs, "\n"))
	}
}

// writerFunc is an io.Writer from a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
