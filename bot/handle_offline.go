package bot

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
)

// Losing the database. An update is recorded in the inbox before its
// command runs (BeginUpdate or FirstDelivery); when that write fails, the
// database is unreachable or refuses writes (PostgreSQL gone, a SQLite file
// locked or read-only). The bot then answers what it can from memory (a
// recovery question, /help) and apologises for everything else, storing
// nothing. It recovers by itself as soon as the database answers: one
// update tries the database again every offlineRetry (meanwhile the others
// are answered at once, without waiting on a database that may not answer
// at all), and every health check tries it in the background.
//
// Exactly once: an update answered this way has no inbox row, so its id is
// kept in memory and written to the inbox once the database takes writes
// again. A redelivery of it (a Telegram webhook retry, a restart before
// the polling offset was saved) is then dropped like any other. If the
// process stops before the ids are written, a redelivered question is
// answered a second time (the same answer, nothing stored), and a
// redelivered command that was refused with the apology now runs once.

// offlineCommands answer without the member's record: their replies come
// from what the bot holds in memory.
var offlineCommands = map[string]bool{"ask": true, "help": true}

// maxOfflineIDs bounds the update ids kept while the database is down.
const maxOfflineIDs = 10_000

// offlineRetry is how long after a failed attempt updates are answered
// from memory without trying the database: one update at a time tries it
// again (the probe), so a database that does not answer at all (a
// firewall dropping packets) costs the driver's connect timeout once per
// probe, not once per message.
const offlineRetry = 2 * time.Second

// offlineState is what the bot remembers while its database is down.
type offlineState struct {
	mu      sync.Mutex
	ids     map[offlineID]bool // answered without an inbox row
	failed  error              // the last inbox write's failure; nil once one works
	since   time.Time          // when the writes started failing
	dropped int                // ids not kept (over maxOfflineIDs)
	tried   time.Time          // the last failed attempt to reach the database
	probing bool               // an update is trying the database

	// flushing is set while StoreTrouble's attempt runs.
	flushing atomic.Bool
}

type offlineID struct {
	platform chat.Platform
	update   string
}

// StoreTrouble is nil while the database takes writes, or the last failure
// to record an update, with how long writes have been failing: the health
// check shows it, since a locked or read-only SQLite file still answers a
// ping. While there is trouble each call starts (in the background, one at
// a time, so a health check never waits on a locked database) an attempt
// to write the ids of the updates answered meanwhile, so the bot also
// notices the database's return when no message comes.
func (b *Bot) StoreTrouble() error {
	o := &b.offline
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failed == nil {
		return nil
	}
	if o.flushing.CompareAndSwap(false, true) {
		go func() {
			defer o.flushing.Store(false)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			b.flushOffline(ctx, false)
		}()
	}
	return &storeTroubleError{since: o.since, err: o.failed}
}

type storeTroubleError struct {
	since time.Time
	err   error
}

func (e *storeTroubleError) Error() string {
	return "updates cannot be recorded since " + e.since.UTC().Format(time.RFC3339) + ": " + e.err.Error()
}

func (e *storeTroubleError) Unwrap() error { return e.err }

// seenOffline reports whether the update was already answered while the
// database was down (a redelivery during the outage).
func (b *Bot) seenOffline(m chat.Message) bool {
	o := &b.offline
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.ids[offlineID{m.Platform, m.UpdateID}]
}

// stillDown reports whether the database is known to be down and was
// tried less than offlineRetry ago, or is being tried by another update:
// the update is then answered from memory at once (answerFromMemory).
// Otherwise probe says whether the caller is the one update trying the
// database again; it calls endProbe when done.
func (b *Bot) stillDown() (down, probe bool) {
	o := &b.offline
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failed == nil {
		return false, false
	}
	if o.probing || b.now().Sub(o.tried) < offlineRetry {
		return true, false
	}
	o.probing = true
	return false, true
}

// endProbe ends an update's try of the database (stillDown).
func (b *Bot) endProbe() {
	o := &b.offline
	o.mu.Lock()
	defer o.mu.Unlock()
	o.probing = false
}

// answerOffline answers m without the database, after recording that
// the attempt to reach it failed with cause.
func (b *Bot) answerOffline(ctx context.Context, m chat.Message, cause error) []chat.Reply {
	o := &b.offline
	o.mu.Lock()
	if o.failed == nil {
		o.since = b.now()
		b.log.Error("database unavailable: answering from memory only", "platform", m.Platform, "error", cause)
	}
	o.failed, o.tried = cause, b.now()
	o.mu.Unlock()
	return b.answerFromMemory(ctx, m)
}

// answerFromMemory answers m without the database, keeping its update id
// for the inbox.
func (b *Bot) answerFromMemory(ctx context.Context, m chat.Message) []chat.Reply {
	o := &b.offline
	o.mu.Lock()
	if m.UpdateID != "" {
		if o.ids == nil {
			o.ids = map[offlineID]bool{}
		}
		if len(o.ids) < maxOfflineIDs {
			o.ids[offlineID{m.Platform, m.UpdateID}] = true
		} else {
			o.dropped++
		}
	}
	o.mu.Unlock()

	n := normalizeMessage(m)
	name := n.Command
	if name == "" && n.Attachment == nil {
		name = "ask"
	}
	cmd, ok := b.registry.Lookup(name)
	if n.Button != "" || !ok || !offlineCommands[cmd.Name] {
		b.log.Debug("refused while the database is down", "platform", m.Platform, "chat_id", m.ChatID, "command", name)
		return []chat.Reply{{Text: storeDownText, Private: m.Private || b.personal(m), Alert: m.Button != "" && !m.Private}}
	}
	r := &Request{Msg: n, Now: b.now(), Args: n.Args, bot: b, offline: true}
	replies, err := cmd.Handler.Handle(ctx, r)
	if err != nil {
		if CodeOf(err) == CodeInternal {
			b.log.Error("command failed", "platform", m.Platform, "chat_id", m.ChatID, "user_id", m.UserID,
				"command", name, "error", err)
			return []chat.Reply{{Text: storeDownText, Private: m.Private || b.personal(m)}}
		}
		return []chat.Reply{{Text: replyText(err), Private: m.Private || b.personal(m)}}
	}
	return markPrivate(replies, cmd.Private)
}

// backOnline notes that an update was recorded: the database takes writes
// again. Call it outside any update's unit of work.
func (b *Bot) backOnline(ctx context.Context) { b.flushOffline(ctx, true) }

// flushOffline writes the ids of the updates answered while the database
// was down to the inbox, so their redeliveries are dropped from now on.
// The trouble is over once they are written, or when recorded (an update
// was just recorded).
func (b *Bot) flushOffline(ctx context.Context, recorded bool) {
	o := &b.offline
	o.mu.Lock()
	if o.failed == nil && len(o.ids) == 0 {
		o.mu.Unlock()
		return
	}
	ids := make([]offlineID, 0, len(o.ids))
	for id := range o.ids {
		ids = append(ids, id)
	}
	o.mu.Unlock()

	var err error
	written := 0
	for _, id := range ids {
		if _, err = b.store.FirstDelivery(ctx, id.platform, id.update); err != nil {
			break
		}
		written++
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, id := range ids[:written] {
		delete(o.ids, id)
	}
	if err != nil && !recorded {
		return
	}
	if o.failed != nil {
		b.log.Info("database available again", "down_for", b.now().Sub(o.since).Round(time.Second).String(),
			"answered_meanwhile", written, "not_remembered", o.dropped)
		o.failed, o.dropped = nil, 0
	}
	if err != nil {
		b.log.Warn("could not record the updates answered while the database was down; will retry",
			"count", len(o.ids), "error", err)
	}
}

// isCanceled reports whether err is the caller giving up, not the database.
func isCanceled(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled)
}

// unavailable is err when it says the database cannot be reached or
// written now (Deps.StoreUnavailable), the ping's error when the database
// does not answer, and nil otherwise.
func (b *Bot) unavailable(ctx context.Context, err error) error {
	if isCanceled(ctx, err) {
		return nil
	}
	if b.downErr != nil && b.downErr(err) {
		return err
	}
	return b.storeDown(ctx)
}

// storeDown is nil when the database answers a ping, or why it does not.
// A store that cannot be pinged counts as up.
func (b *Bot) storeDown(ctx context.Context) error {
	p, ok := b.store.(interface{ Ping(context.Context) error })
	if !ok {
		return nil
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return p.Ping(pctx)
}
