package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/internal/storetest"
	"github.com/shakeoutbot/shakeout/outbox"
	"github.com/shakeoutbot/shakeout/schedules"
)

// harness is a bot on a real SQLite file with a clock the test moves.
type harness struct {
	t     *testing.T
	bot   *bot.Bot
	store storetest.Store
	mu    sync.Mutex
	now   time.Time
	club  string
}

// newHarness starts a bot whose clock reads start, in club "harriers".
func newHarness(t *testing.T, start time.Time) *harness {
	t.Helper()
	h := &harness{t: t, now: start, club: "harriers"}
	s := storetest.Open(t, h.Now)
	b, err := bot.New(bot.Deps{Store: s, Now: h.Now, DefaultTZ: start.Location()})
	if err != nil {
		t.Fatal(err)
	}
	h.bot, h.store = b, s
	return h
}

func (h *harness) Now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) set(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = t
}

// msg builds a console message from member `as` in the club.
func (h *harness) msg(as, text string) chat.Message {
	m := chat.Message{Platform: chat.PlatformConsole, ClubChatID: h.club, ChatID: h.club, UserID: as, UserName: as, UserHandle: as}
	if strings.HasPrefix(text, "/") {
		name, args, _ := strings.Cut(text[1:], " ")
		m.Command, m.Args = name, args
	} else {
		m.Args = text
	}
	return m
}

// say sends text as member `as` and returns all reply texts joined.
func (h *harness) say(as, text string) string {
	h.t.Helper()
	return joinReplies(h.bot.Handle(h.t.Context(), h.msg(as, text)))
}

// sayCoach is say with platform admin rights.
func (h *harness) sayCoach(as, text string) string {
	h.t.Helper()
	m := h.msg(as, text)
	m.PlatformAdmin = true
	return joinReplies(h.bot.Handle(h.t.Context(), m))
}

// press presses a button as member `as`.
func (h *harness) press(as, data string) string {
	h.t.Helper()
	m := h.msg(as, "")
	m.Args, m.Button = "", data
	return joinReplies(h.bot.Handle(h.t.Context(), m))
}

func joinReplies(rs []chat.Reply) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.Text)
	}
	return strings.Join(parts, "\n---\n")
}

// replies sends text as member `as` and returns the replies themselves.
func (h *harness) replies(as, text string) []chat.Reply {
	h.t.Helper()
	return h.bot.Handle(h.t.Context(), h.msg(as, text))
}

// pressReplies presses a button as member `as` and returns the replies.
func (h *harness) pressReplies(as, data string) []chat.Reply {
	h.t.Helper()
	m := h.msg(as, "")
	m.Args, m.Button = "", data
	return h.bot.Handle(h.t.Context(), m)
}

// member returns the stored member `as` (creating it if it never spoke).
func (h *harness) member(as string) bot.Member {
	h.t.Helper()
	m, err := h.store.EnsureMember(h.t.Context(), chat.PlatformConsole, as, as, 0, "")
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

// stored is everything stored about member `as`, as JSON, for comparing
// before and after a command that must not store anything.
func (h *harness) stored(as string) string {
	h.t.Helper()
	tables, err := h.store.ExportMember(h.t.Context(), h.member(as).ID)
	if err != nil {
		h.t.Fatal(err)
	}
	raw, err := json.Marshal(tables)
	if err != nil {
		h.t.Fatal(err)
	}
	return string(raw)
}

// buttonData returns the data of the first button labelled label in rs.
func buttonData(t *testing.T, rs []chat.Reply, label string) string {
	t.Helper()
	for _, r := range rs {
		for _, row := range r.Buttons {
			for _, b := range row {
				if b.Label == label {
					return b.Data
				}
			}
		}
	}
	t.Fatalf("no button %q in %+v", label, rs)
	return ""
}

// schedRig runs the scheduler and dispatcher of a harness by hand, on the
// harness clock, and records what they deliver.
type schedRig struct {
	h     *harness
	sched *schedules.Scheduler
	mu    sync.Mutex
	sent  []outbox.Outgoing
}

func newSchedRig(h *harness) *schedRig {
	h.t.Helper()
	r := &schedRig{h: h}
	d, err := outbox.NewDispatcher(outbox.Deps{Outbox: h.store, Now: h.Now,
		Senders: map[chat.Platform]outbox.Sender{chat.PlatformConsole: r}})
	if err != nil {
		h.t.Fatal(err)
	}
	s, err := schedules.New(schedules.Deps{Core: h.bot, Dispatcher: d, Now: h.Now})
	if err != nil {
		h.t.Fatal(err)
	}
	r.sched = s
	return r
}

// Send records a delivery.
func (r *schedRig) Send(_ context.Context, o outbox.Outgoing) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, o)
	return nil
}

// at moves the clock to t, runs every slot due then, delivers the outbox
// and returns what was delivered.
func (r *schedRig) at(t time.Time) []outbox.Outgoing {
	r.h.t.Helper()
	r.mu.Lock()
	n := len(r.sent)
	r.mu.Unlock()
	r.h.set(t)
	if err := r.sched.Flush(r.h.t.Context()); err != nil {
		r.h.t.Fatal(err)
	}
	if err := r.sched.RunDue(r.h.t.Context(), t); err != nil {
		r.h.t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]outbox.Outgoing(nil), r.sent[n:]...)
}

// rejects sends input that must be refused as member `as`: the reply must
// name the problem (want) and show a correct example of the command, and
// nothing stored about the member may change. It returns the reply.
func (h *harness) rejects(as, in, want string) string {
	h.t.Helper()
	name, _, _ := strings.Cut(strings.TrimPrefix(in, "/"), " ")
	before := h.stored(as)
	got := h.say(as, in)
	if !strings.Contains(got, want) || !strings.Contains(got, "For example: /"+name) {
		h.t.Fatalf("%s: reply = %q; want %q and an example of /%s", in, got, want, name)
	}
	if after := h.stored(as); after != before {
		h.t.Fatalf("a rejected %s stored something:\nbefore %s\nafter  %s", in, before, after)
	}
	return got
}
