package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/coach"
	"github.com/shakeoutbot/shakeout/internal/intervals"
	"github.com/shakeoutbot/shakeout/internal/intervals/icufake"
	"github.com/shakeoutbot/shakeout/internal/seal"
	"github.com/shakeoutbot/shakeout/internal/storetest"
	"github.com/shakeoutbot/shakeout/outbox"
	"github.com/shakeoutbot/shakeout/schedules"
)

// dmPress presses a button in member as's private chat.
func (r *icuRig) dmPress(as, data string) string {
	r.t.Helper()
	m := chat.Message{Platform: chat.PlatformConsole, ChatID: "dm-" + as, UserID: as, UserName: as, UserHandle: as, Private: true, Button: data}
	return joinReplies(r.bot.Handle(r.t.Context(), m))
}

// questionFor returns the sent message whose text holds want, and whether
// there was one.
func questionFor(sent []outbox.Outgoing, want string) (outbox.Outgoing, bool) {
	for _, o := range sent {
		if strings.Contains(o.Reply.Text, want) {
			return o, true
		}
	}
	return outbox.Outgoing{}, false
}

func sentButton(o outbox.Outgoing, label string) string {
	for _, row := range o.Reply.Buttons {
		for _, b := range row {
			if b.Label == label {
				return b.Data
			}
		}
	}
	return ""
}

// A half marathon synced from intervals.icu at race effort (RPE 9 given
// there, no heart rate) gets "Was this a race?" in the member's private
// chat, once; the button starts the recovery plan.
func TestIntervalsRaceGetsTheRaceQuestionOnce(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.AddActivity("i42", icufake.Activity{ID: "i30", Start: time.Date(2026, 6, 8, 8, 0, 0, 0, time.UTC), Type: "Run",
		Name: "City half", MovingSec: 6300, Elapsed: 6400, DistanceM: 21200, RPE: 9})
	sent := r.rig.at(time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC))
	q, ok := questionFor(sent, "Was this a race?")
	if len(sent) != 2 || !ok {
		t.Fatalf("morning = %+v; want the verdict and the race question", sent)
	}
	if !q.To.Private || q.To.ChatID != "dm-maya" || !strings.Contains(q.Reply.Text, "New from intervals.icu") || !strings.Contains(q.Reply.Text, "21.2 km") {
		t.Errorf("race question = %+v; want it in Maya's private chat, naming the run", q)
	}
	if _, rpe := questionFor(sent, "How hard did it feel"); rpe {
		t.Error("RPE buttons for a run whose RPE intervals.icu gave")
	}
	yes := sentButton(q, "Yes, it was a race")
	if yes == "" {
		t.Fatalf("no race button: %+v", q.Reply.Buttons)
	}
	// The next mornings re-read the day (overlap) and ask nothing again.
	for _, day := range []int{10, 11} {
		if sent := r.rig.at(time.Date(2026, 6, day, 7, 0, 0, 0, time.UTC)); len(sent) != 1 {
			t.Fatalf("morning of the %dth = %+v; want the verdict alone", day, sent)
		}
	}
	got := r.dmPress("maya", yes)
	if !strings.Contains(got, "half marathon recovery plan has started") {
		t.Fatalf("race button = %q; want the plan started", got)
	}
	ss, err := r.store.SessionsSince(t.Context(), r.member("maya").ID, mustDate(t, "2026-06-01"))
	if err != nil || len(ss) != 1 || ss[0].Kind != coach.KindRace {
		t.Fatalf("sessions = %+v, %v; want the run, now a race", ss, err)
	}
}

// A run synced without heart rate or an RPE gets the effort buttons, once;
// a tap sets the effort. A named workout is not asked about racing, and
// a run older than the question window (the first sync reads a week back)
// is logged without a question.
func TestIntervalsRunWithoutEffortGetsRPEButtons(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.AddActivity("i42", icufake.Activity{ID: "i40", Start: time.Date(2026, 6, 3, 18, 0, 0, 0, time.UTC), Type: "Run",
		Name: "Morning run", MovingSec: 2400, Elapsed: 2400, DistanceM: 7000})
	r.fake.AddActivity("i42", icufake.Activity{ID: "i41", Start: time.Date(2026, 6, 8, 18, 0, 0, 0, time.UTC), Type: "Run",
		Name: "Tempo 10k", MovingSec: 2700, Elapsed: 2760, DistanceM: 10000})
	sent := r.rig.at(time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC))
	q, ok := questionFor(sent, "How hard did it feel")
	if len(sent) != 2 || !ok || !strings.Contains(q.Reply.Text, "tempo") || !strings.Contains(q.Reply.Text, "10.0 km") {
		t.Fatalf("morning = %+v; want the verdict and one RPE question, about the tempo run", sent)
	}
	if _, race := questionFor(sent, "Was this a race?"); race {
		t.Error("race question for a run named as a workout")
	}
	tap := sentButton(q, "7")
	if tap == "" {
		t.Fatalf("no button 7: %+v", q.Reply.Buttons)
	}
	if got := r.dmPress("maya", tap); !strings.Contains(got, "Effort saved") || !strings.Contains(got, "RPE 7") {
		t.Fatalf("tap = %q", got)
	}
	if sent := r.rig.at(time.Date(2026, 6, 10, 7, 0, 0, 0, time.UTC)); len(sent) != 1 {
		t.Fatalf("second morning = %+v; want the verdict alone", sent)
	}
	ss, err := r.store.SessionsSince(t.Context(), r.member("maya").ID, mustDate(t, "2026-06-01"))
	if err != nil || len(ss) != 2 {
		t.Fatalf("sessions = %+v, %v; want both runs logged", ss, err)
	}
}

// The notes a sync makes go into the outbox under keys of their own
// before the link's told flag is stored: if the process stopped between
// the two (the flag lost), the next sync queues the same note again and
// the outbox drops the copy; the member hears it once.
func TestIntervalsNoteIsNotRepeatedWhenItsFlagWasLost(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.Revoke("i42")
	sent := r.morning("2026-06-09")
	if len(sent) != 2 || !strings.Contains(strings.Join(sent, "\n"), "no longer accepts the API key") {
		t.Fatalf("morning = %q; want the verdict and the note", sent)
	}
	// The told flag and the broken state as if they had never been stored.
	l := r.link(t)
	l.State, l.BrokenTold = bot.LinkOK, false
	if err := r.store.UpdateIntervalsLink(t.Context(), *l); err != nil {
		t.Fatal(err)
	}
	if sent := r.morning("2026-06-10"); len(sent) != 1 || strings.Contains(sent[0], "API key") {
		t.Fatalf("next morning = %q; want the verdict alone", sent)
	}
	if l := r.link(t); l.State != bot.LinkBroken || !l.BrokenTold {
		t.Fatalf("link = %+v; want broken and told again", l)
	}
	// A new link that breaks in turn is a new note.
	r.fake.AddAthlete("i42", "n3wk3yaf7errevoke0000")
	r.dm("maya", "/connect intervals i42 n3wk3yaf7errevoke0000")
	r.fake.Revoke("i42")
	if sent := r.morning("2026-06-11"); len(sent) != 2 {
		t.Fatalf("morning after the new link broke = %q; want the verdict and a note", sent)
	}
}

// A note queued by the morning sync survives a restart: it is in the
// store, not in the process. The first process's sender is down; a second
// Bot over the same store delivers it.
func TestIntervalsNoteSurvivesARestart(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.AddActivity("i42", icufake.Activity{ID: "555", Start: time.Date(2026, 6, 8, 18, 0, 0, 0, time.UTC), Type: "Run", Strava: true})
	down := &schedRig{h: r.harness}
	down.sched = newScheduler(t, r.harness, downSender{})
	if sent := down.at(time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)); len(sent) != 0 {
		t.Fatalf("sent %+v with the platform down", sent)
	}
	if l := r.link(t); l == nil || !l.StubTold {
		t.Fatalf("link = %+v; want the Strava note recorded as told", l)
	}
	// Restart: a new Bot and scheduler over the same store, later on.
	r2 := newICURigOn(t, r)
	sent := r2.rig.at(time.Date(2026, 6, 9, 9, 0, 0, 0, time.UTC))
	if _, ok := questionFor(sent, "from Strava"); !ok {
		t.Fatalf("after the restart sent %+v; want the Strava note", sent)
	}
}

// downSender is a platform that cannot be reached.
type downSender struct{}

func (downSender) Send(context.Context, outbox.Outgoing) error {
	return errors.New("platform unreachable")
}

func newScheduler(t *testing.T, h *harness, s outbox.Sender) *schedules.Scheduler {
	t.Helper()
	d, err := outbox.NewDispatcher(outbox.Deps{Outbox: h.store, Now: h.Now, Senders: map[chat.Platform]outbox.Sender{chat.PlatformConsole: s}})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := schedules.New(schedules.Deps{Core: h.bot, Dispatcher: d, Now: h.Now})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// newICURigOn starts a second process on r's store and intervals.icu fake:
// a new Bot (nothing kept in memory) with the same secret key.
func newICURigOn(t *testing.T, r *icuRig) *icuRig {
	t.Helper()
	return newICURigOver(t, r, r.store)
}

// newICURigOver is newICURigOn over another view of r's store.
func newICURigOver(t *testing.T, r *icuRig, store storetest.Store) *icuRig {
	t.Helper()
	h := &harness{t: t, now: r.Now(), club: r.club, store: store}
	box, err := seal.New(bytes.Repeat([]byte{3}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	client, err := intervals.New(intervals.Options{BaseURL: r.fake.URL(), Now: h.Now})
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Deps{Store: store, Now: h.Now, DefaultTZ: time.UTC, Intervals: client, Sealer: box,
		Logger: slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	h.bot = b
	r2 := &icuRig{harness: h, fake: r.fake, logs: r.logs}
	r2.rig = newSchedRig(h)
	return r2
}

// /sync answers with the same questions, in its reply, and they are not
// queued again for the next morning.
func TestSyncCommandAsksTheQuestions(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.AddActivity("i42", icufake.Activity{ID: "i50", Start: time.Date(2026, 6, 8, 17, 0, 0, 0, time.UTC), Type: "Run",
		Name: "Evening run", MovingSec: 1800, Elapsed: 1800, DistanceM: 5500})
	got := r.dm("maya", "/sync")
	if !strings.Contains(got, "1 new activity logged") || !strings.Contains(got, "How hard did it feel") {
		t.Fatalf("/sync = %q; want the run logged and its effort asked", got)
	}
	if sent := r.rig.at(time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)); len(sent) != 1 {
		t.Fatalf("morning = %+v; want the verdict alone", sent)
	}
}

// failingImports is a store whose imports fail, as a process stopped
// while logging an activity would leave it.
type failingImports struct{ storetest.Store }

func (failingImports) AddImported(context.Context, int64, bot.LoggedSession, bot.ImportedSession, time.Time) (int64, error) {
	return 0, errors.New("stopped while logging")
}

// An activity is marked taken only once it is logged and its questions
// queued: a sync that fails to log it leaves it to the next sync, which
// logs it and asks.
func TestIntervalsActivityNotLoggedIsReadAgain(t *testing.T) {
	r := newICURig(t, june8, true)
	r.dm("maya", "/settings nudge 07:00")
	r.dm("maya", "/connect intervals i42 "+icuKey)
	r.fake.AddActivity("i42", icufake.Activity{ID: "i31", Start: time.Date(2026, 6, 8, 8, 0, 0, 0, time.UTC), Type: "Run",
		Name: "City half", MovingSec: 6300, Elapsed: 6400, DistanceM: 21200, RPE: 9})
	broken := newICURigOver(t, r, failingImports{r.store})
	if _, ok := questionFor(broken.rig.at(time.Date(2026, 6, 9, 7, 0, 0, 0, time.UTC)), "Was this a race?"); ok {
		t.Fatal("a race question for a run that was not logged")
	}
	if taken, err := r.store.IntervalsActivityTaken(t.Context(), r.member("maya").ID, "i31"); err != nil || taken {
		t.Fatalf("taken = %v, %v; want the run not marked taken", taken, err)
	}
	if _, ok := questionFor(r.rig.at(time.Date(2026, 6, 10, 7, 0, 0, 0, time.UTC)), "Was this a race?"); !ok {
		t.Fatal("the next morning's sync did not ask about the run it logged")
	}
	ss, err := r.store.SessionsSince(t.Context(), r.member("maya").ID, mustDate(t, "2026-06-01"))
	if err != nil || len(ss) != 1 {
		t.Fatalf("sessions = %+v, %v; want the run logged by the next sync", ss, err)
	}
	if taken, err := r.store.IntervalsActivityTaken(t.Context(), r.member("maya").ID, "i31"); err != nil || !taken {
		t.Fatalf("taken = %v, %v; want the run marked taken once logged", taken, err)
	}
}
