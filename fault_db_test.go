package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shakeoutbot/shakeout/adapters/telegram"
	"github.com/shakeoutbot/shakeout/adapters/telegram/telegramtest"
	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/bot/sqlite"
	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/config"
	"github.com/shakeoutbot/shakeout/internal/faulttest"
	"github.com/shakeoutbot/shakeout/outbox"
	"github.com/shakeoutbot/shakeout/schedules"
)

// storeDownText is the start of the answer to a command that needs the
// database while it cannot be written.
const storeDownText = "Sorry, I can't reach my records right now"

// checkClearFailure checks a child that could not use its database: it
// exited with status 1 and said, in one line without a stack trace, which
// file and what is wrong with it.
func checkClearFailure(t *testing.T, p *faulttest.Proc, db, problem string) {
	t.Helper()
	code, _ := p.Wait(30 * time.Second)
	stderr := p.Stderr.String()
	if code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	for _, crash := range []string{"panic", "goroutine ", "fatal error", "WARNING: DATA RACE"} {
		if strings.Contains(stderr, crash) {
			t.Errorf("stderr has %q: a crash, not a clear error:\n%s", crash, stderr)
		}
	}
	last := lastLines(stderr, 1)
	if !strings.HasPrefix(last, "shakeout: ") || !strings.Contains(last, db) || !strings.Contains(last, problem) {
		t.Errorf("the last line should name the file %s and say it is %s; stderr:\n%s", db, problem, stderr)
	}
	t.Logf("exit %d: %s", code, last)
}

// TestFaultDatabaseLockedAtStart starts `shakeout run` on a database whose
// write lock another program holds: it waits out the busy timeout and exits
// with a clear error, not a crash.
func TestFaultDatabaseLockedAtStart(t *testing.T) {
	t.Parallel()
	bin := faulttest.Binary(t)
	f := newFakes(t, 0, 0)
	// SQLite only: a second program holding the file's write lock.
	db := filepath.Join(t.TempDir(), "locked.db")
	faulttest.SeedDue(t, db, nil)
	faulttest.Lock(t, db)
	p := faulttest.Start(t, bin, faulttest.Options{Env: f.env(db)}, "run")
	checkClearFailure(t, p, db, "locked by another program")
}

// asUnprivileged returns how to run a child so that file permissions apply:
// as is for an ordinary user, as nobody for root (root writes read-only
// files). It makes dirs traversable for nobody and skips the test when the
// binary cannot run as nobody here.
func asUnprivileged(t *testing.T, bin string, dirs ...string) *syscall.Credential {
	t.Helper()
	if os.Geteuid() != 0 {
		return nil
	}
	for _, d := range dirs {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	nobody := &syscall.Credential{Uid: 65534, Gid: 65534}
	p := faulttest.Start(t, bin, faulttest.Options{Credential: nobody}, "version")
	if code, _ := p.Wait(30 * time.Second); code != 0 {
		t.Skipf("running as root, and the binary cannot run as nobody here: %s", p.Stderr.String())
	}
	return nobody
}

// TestFaultDatabaseReadOnly starts `shakeout run` and `shakeout chat` on a
// database the user may read but not write: the file read-only, or the
// folder (where SQLite keeps its -wal and -shm files). Each exits with a
// clear error at once instead of running on without being able to record
// anything.
func TestFaultDatabaseReadOnly(t *testing.T) {
	t.Parallel()
	bin := faulttest.Binary(t)
	f := newFakes(t, 0, 0)
	for _, c := range []struct {
		name    string
		lockDir bool
		args    []string
	}{
		{"run, file read-only", false, []string{"run"}},
		{"run, folder read-only", true, []string{"run"}},
		{"chat, file read-only", false, []string{"chat"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "ro.db") // SQLite only: file and folder permissions
			faulttest.SeedDue(t, db, faulttest.TelegramMembers(1))
			cred := asUnprivileged(t, bin, filepath.Dir(dir), dir)
			if err := os.Chmod(db, 0o444); err != nil {
				t.Fatal(err)
			}
			mode := os.FileMode(0o777)
			if c.lockDir {
				mode = 0o555
			}
			if err := os.Chmod(dir, mode); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
			p := faulttest.Start(t, bin, faulttest.Options{Env: f.env(db), Credential: cred, Stdin: strings.NewReader("/today\n")}, c.args...)
			checkClearFailure(t, p, db, "read-only")
		})
	}
}

// TestFaultDatabaseLockedWhileRunning locks the database while the bot runs
// (a backup, an sqlite3 shell): a morning message falls due and cannot be
// recorded, and a member sends a command and a question meanwhile. The
// command gets the apology for a lost database, the question its answer
// (the knowledge base is only read), the scheduler reports the lock
// clearly, and once the lock is gone the next tick sends the morning
// message, once.
//
// The scheduler is driven by hand here (RunDue, as the console does) so the
// test need not wait for the wall clock's next minute.
func TestFaultDatabaseLockedWhileRunning(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	member := faulttest.TelegramMembers(1)[0]
	// SQLite only: the file's write lock held by another program (losing PostgreSQL: fault_dblost_test.go).
	db := filepath.Join(t.TempDir(), "busy.db")
	faulttest.SeedDue(t, db, []faulttest.Recipient{member})

	var logs faulttest.Buffer
	log := newTestLogger(&logs)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
	})
	store, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	b, err := bot.New(bot.Deps{Store: store, Logger: log, StoreUnavailable: storeUnavailable})
	if err != nil {
		t.Fatal(err)
	}
	fake := telegramtest.New(t)
	tg, err := telegram.New(telegram.Deps{Token: config.Secret(fake.Token()), APIURL: fake.URL(), Core: b, State: store, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- tg.Run(runCtx) }()
	defer func() { stop(); <-ran }()
	disp, err := outbox.NewDispatcher(outbox.Deps{Outbox: store, Logger: log,
		Senders: map[chat.Platform]outbox.Sender{chat.PlatformTelegram: tg.Sender()}})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := schedules.New(schedules.Deps{Core: b, Dispatcher: disp, Logger: log})
	if err != nil {
		t.Fatal(err)
	}

	// The adapter reads its polling offset in a write transaction: start
	// polling before the lock is taken, as a running bot would have.
	faulttest.Eventually(t, nil, 10*time.Second, "Telegram polling", func() bool {
		return strings.Contains(logs.String(), "polling for updates")
	})
	release := faulttest.Lock(t, db)
	start := time.Now()
	tickErr := make(chan error, 1)
	go func() { tickErr <- sched.RunDue(ctx, time.Now()) }()
	user := telegramtest.User{ID: 5000001, FirstName: "Maya"}
	fake.SendUpdate(telegramtest.PrivateText(user, "/today"))
	fake.SendUpdate(telegramtest.PrivateText(user, "how slow should my recovery run be?"))

	got := fake.WaitSent(t, 2, 60*time.Second)
	if !strings.HasPrefix(got[0].Text, storeDownText) {
		t.Errorf("reply to /today while the database is locked = %q, want the apology for a lost database", got[0].Text)
	}
	// The knowledge base is read, not written: the question is answered.
	if low := strings.ToLower(got[1].Text); strings.HasPrefix(got[1].Text, "Sorry") || (!strings.Contains(low, "conversation") && !strings.Contains(low, "65")) {
		t.Errorf("reply to a question while the database is locked = %q, want the answer", got[1].Text)
	}
	if err := b.StoreTrouble(); err == nil {
		t.Error("StoreTrouble is nil while the database is locked")
	}
	var err1 error
	select {
	case err1 = <-tickErr:
	case <-time.After(30 * time.Second):
		t.Fatal("the scheduler tick did not return within 30 s")
	}
	t.Logf("locked for %v: the member got %q; the tick said: %v", time.Since(start).Round(100*time.Millisecond), got[0].Text, err1)
	if err1 == nil || !strings.Contains(err1.Error(), db) || !strings.Contains(err1.Error(), "locked by another program") {
		t.Errorf("tick error = %v, want one naming %s and the lock", err1, db)
	}
	if n := len(faulttest.OutboxRows(t, db)); n != 0 {
		t.Errorf("%d outbox rows while the database was locked", n)
	}

	release()
	// The next ticks: the slot is still within the catch-up window, and the
	// dispatcher's clock is the real one, so the ticks read it too.
	for i := 1; i <= 2; i++ {
		if err := sched.RunDue(ctx, time.Now()); err != nil {
			t.Fatalf("tick %d after the lock went: %v", i, err)
		}
	}
	fake.WaitSent(t, 3, 10*time.Second)
	sent := fake.SentTo(user.ID)
	if len(sent) != 3 || strings.HasPrefix(sent[2].Text, "Sorry") {
		t.Errorf("messages to the member: %d (%v), want the apology, the answer, then the morning message", len(sent), sent)
	}
	c := faulttest.CountStatus(faulttest.OutboxRows(t, db))[chat.PlatformTelegram]
	if c[outbox.Sent] != 1 || len(c) != 1 {
		t.Errorf("outbox after the lock: %v, want the one morning message sent", c)
	}
	if v := fake.Violations(); len(v) > 0 {
		t.Errorf("telegram limits violated: %v", v)
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("a panic was logged:\n%s", logs.String())
	}
}

// newTestLogger logs everything as text to w.
func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
