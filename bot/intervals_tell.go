package bot

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// syncTeller carries what one member's intervals.icu sync has to tell
// them: the notes about their link (a refused key, Strava stubs) and the
// questions about new activities (effort buttons, "Was this a race?").
//
// The morning sync queues each one in the outbox the moment it arises,
// before the flag or record saying it was told is stored, under a key of
// its own (member, link or activity, kind): if the process stops between
// the two, the next sync queues it again and the outbox drops the copy.
// Nothing waits in memory, so a restart neither loses nor repeats a note.
// /sync gathers them for its answer instead.
type syncTeller struct {
	b     *Bot
	m     Member
	queue bool
	now   time.Time
	res   *SyncResult
	// link tells this link apart from the member's earlier ones (a new
	// /connect gets a new tag), so a note about an earlier link does not
	// silence one about this link.
	link string
}

// linkTag names a link by a hash of its sealed key: a new /connect seals
// with a fresh nonce, so every link gets its own tag. The hash of the
// ciphertext says nothing about the key.
func linkTag(l IntervalsLink) string {
	h := fnv.New64a()
	_, _ = h.Write(l.KeySealed)
	return fmt.Sprintf("%s-%x", l.AthleteID, h.Sum64())
}

// say tells the member r, under key within their intervals.icu messages.
func (t *syncTeller) say(ctx context.Context, key string, r chat.Reply) error {
	r.Private = true
	if !t.queue {
		t.res.Messages = append(t.res.Messages, r)
		return nil
	}
	if t.m.Unreachable {
		return nil
	}
	item := outbox.Item{Key: fmt.Sprintf("intervals:m%d:%s", t.m.ID, key), To: memberRecipient(t.m), Reply: r,
		ClubID: t.m.ClubID, MemberID: t.m.ID}
	_, err := t.b.store.Enqueue(ctx, []outbox.Item{item}, t.now)
	return err
}
