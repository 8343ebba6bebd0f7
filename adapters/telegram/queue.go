package telegram

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// Spool keeps replies that could not be sent before shutdown, for the
// outbox dispatcher to deliver after the next start. *sqlite.Store
// implements it.
type Spool interface {
	Enqueue(ctx context.Context, items []outbox.Item, now time.Time) (int, error)
}

// Reach records what my_chat_member updates say about the bot's own
// membership. *bot.Bot implements it.
type Reach interface {
	ClubReach(ctx context.Context, p chat.Platform, chatID string, reachable bool) error
	MemberReach(ctx context.Context, p chat.Platform, userID string, reachable bool) error
}

// sendGrace is how long a stop waits for queued replies before it stores
// the rest in the outbox; it keeps the whole stop well under the 10 s a
// container runtime allows.
const sendGrace = 4 * time.Second

// job is the replies to one update, sent in order.
type job struct {
	o       origin
	replies []chat.Reply
	first   int // index of replies[0] among the update's replies
}

// chatQueue holds one chat's waiting jobs, one line per member: the
// members take turns, so a member with many replies waiting never holds
// back another member's answer in the same group for long.
type chatQueue struct {
	lines map[int64][]job
	turns []int64 // members with waiting jobs, next first
}

// outQueues sends replies without holding up receiving: each chat has its
// own queue and worker; chats are independent, so a flood in one chat
// delays no other. Stop drains them within sendGrace and stores the rest.
type outQueues struct {
	a      *Adapter
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	chats    map[int64]*chatQueue
	leftover []job
	workers  sync.WaitGroup
	stopped  bool
}

func newOutQueues(a *Adapter) *outQueues {
	ctx, cancel := context.WithCancel(context.Background())
	return &outQueues{a: a, ctx: ctx, cancel: cancel, chats: map[int64]*chatQueue{}}
}

// deliver queues the replies to one update for sending.
func (a *Adapter) deliver(o origin, replies []chat.Reply) {
	if len(replies) == 0 {
		return
	}
	q := a.out
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		q.leftover = append(q.leftover, job{o: o, replies: replies})
		return
	}
	cq, running := q.chats[o.chatID]
	if !running {
		cq = &chatQueue{lines: map[int64][]job{}}
		q.chats[o.chatID] = cq
	}
	if len(cq.lines[o.userID]) == 0 {
		cq.turns = append(cq.turns, o.userID)
	}
	cq.lines[o.userID] = append(cq.lines[o.userID], job{o: o, replies: replies})
	if !running {
		q.workers.Add(1)
		go q.work(o.chatID)
	}
}

// next takes the chat's next job in turn; false when the queue is empty,
// which also ends the worker.
func (q *outQueues) next(chatID int64) (job, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	cq := q.chats[chatID]
	if cq == nil || len(cq.turns) == 0 {
		delete(q.chats, chatID)
		return job{}, false
	}
	member := cq.turns[0]
	cq.turns = cq.turns[1:]
	line := cq.lines[member]
	j := line[0]
	if len(line) > 1 {
		cq.lines[member] = line[1:]
		cq.turns = append(cq.turns, member)
	} else {
		delete(cq.lines, member)
	}
	return j, true
}

func (q *outQueues) work(chatID int64) {
	defer q.workers.Done()
	for {
		j, ok := q.next(chatID)
		if !ok {
			return
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					q.a.log.Error("reply sender panicked", "chat_id", chatID, "error", panicError{p})
				}
			}()
			var rest []chat.Reply
			if q.ctx.Err() != nil {
				rest = j.replies
			} else {
				rest = q.a.deliverNow(q.ctx, j.o, j.replies)
			}
			if len(rest) > 0 {
				j.first += len(j.replies) - len(rest)
				j.replies = rest
				q.mu.Lock()
				q.leftover = append(q.leftover, j)
				q.mu.Unlock()
			}
		}()
	}
}

// stop waits up to grace for the queues to empty, then cancels the sends
// in progress and stores every reply not sent in the outbox, so that
// nothing the bot answered is lost.
func (q *outQueues) stop(grace time.Duration) {
	done := make(chan struct{})
	go func() { q.workers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		q.a.log.Warn("replies still queued at shutdown; storing them to send after the restart")
	}
	q.cancel()
	q.workers.Wait()
	q.mu.Lock()
	q.stopped = true
	left := q.leftover
	q.leftover = nil
	q.mu.Unlock()
	q.store(left)
}

// store puts unsent replies in the outbox under keys derived from their
// update, so a second stop of the same process cannot store one twice.
func (q *outQueues) store(jobs []job) {
	if len(jobs) == 0 {
		return
	}
	var items []outbox.Item
	for _, j := range jobs {
		for i, r := range j.replies {
			to := chat.Recipient{Platform: chat.PlatformTelegram, ChatID: strconv.FormatInt(j.o.chatID, 10)}
			if j.o.thread != 0 {
				to.ThreadID = strconv.Itoa(j.o.thread)
			}
			if r.Private && !j.o.private {
				uid := strconv.FormatInt(j.o.userID, 10)
				to = chat.Recipient{Platform: chat.PlatformTelegram, ChatID: uid, UserID: uid, Private: true}
			}
			key := fmt.Sprintf("telegram-reply:%d:%d", j.o.updateID, j.first+i)
			if j.o.updateID == 0 {
				key = fmt.Sprintf("telegram-reply:%d:%d:%d", j.o.chatID, time.Now().UnixNano(), j.first+i)
			}
			items = append(items, outbox.Item{Key: key, To: to, Reply: r})
		}
	}
	if q.a.spool == nil {
		q.a.log.Error("replies lost at shutdown: no outbox to keep them", "count", len(items))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	n, err := q.a.spool.Enqueue(ctx, items, time.Now())
	if err != nil {
		q.a.log.Error("replies lost at shutdown: storing them failed", "count", len(items), "error", err)
		return
	}
	q.a.log.Info("replies stored to send after the restart", "count", n)
}

// idle reports whether no reply is waiting or being sent.
func (q *outQueues) idle() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.chats) == 0
}
