package outbox

import (
	"context"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
)

// Status is the state of an outbox row. Its values are stored.
type Status string

// The outbox states.
const (
	Pending     Status = "pending"
	Sending     Status = "sending"
	Sent        Status = "sent"
	Failed      Status = "failed"
	Unreachable Status = "unreachable"
)

// Item is a message waiting to be delivered, under its idempotency
// key: a second item with the same key is dropped.
type Item struct {
	Key   string
	To    chat.Recipient
	Reply chat.Reply
	// ClubID is the club the message goes to or comes from; MemberID is set
	// for a personal message. They say who becomes unreachable when the
	// platform refuses the message for good.
	ClubID   int64
	MemberID int64
	// NotBefore holds the message back until then; zero means now.
	NotBefore time.Time
}

// Claimed is an outbox row a dispatcher holds under its claim token.
type Claimed struct {
	Outgoing
	Attempts int
	// Moved is set once the row was resent after its chat moved.
	Moved bool
}

// Outbox stores messages until they are delivered. A row is sent by the one
// dispatcher that claimed it: every outcome is recorded only under the claim
// token, so a row claimed twice (it never is) could not be marked twice.
type Store interface {
	// Enqueue inserts the items whose keys are new and reports how many were.
	Enqueue(ctx context.Context, items []Item, now time.Time) (int, error)
	// Claim moves up to limit due rows on the given platforms to sending
	// under token until leaseUntil, oldest first. Rows left in sending by a
	// dispatcher whose lease ran out are due again.
	Claim(ctx context.Context, platforms []chat.Platform, token string, now, leaseUntil time.Time, limit int) ([]Claimed, error)
	// MarkSent records a delivery.
	MarkSent(ctx context.Context, id int64, token string, now time.Time) error
	// Retry puts the row back to pending until notBefore; attempt says
	// whether this failure counts towards giving up.
	Retry(ctx context.Context, id int64, token string, notBefore time.Time, attempt bool, reason string) error
	// Fail gives up on the row.
	Fail(ctx context.Context, id int64, token string, reason string) error
	// MarkUnreachable gives up on the row and on its recipient: the member
	// (a personal message) or the club is marked unreachable, and their other
	// waiting rows too (pending ones, and those claimed under the same
	// token), until they speak again.
	MarkUnreachable(ctx context.Context, id int64, token string, reason string) error
	// MoveChat moves every stored reference to a chat (clubs, members' direct
	// chats, waiting outbox rows) to its new id in one transaction and puts
	// the row back to pending for one resend.
	MoveChat(ctx context.Context, id int64, token string, p chat.Platform, oldID, newID string, now time.Time) error
	// NextDue returns when the earliest waiting row on the platforms falls
	// due (a pending row's not-before, or a claim's lease running out);
	// false when nothing waits.
	NextDue(ctx context.Context, platforms []chat.Platform) (time.Time, bool, error)
	// Release puts claimed rows that were not tried back to pending.
	Release(ctx context.Context, ids []int64, token string) error
	// Requeue puts every row left in sending back to pending; it runs once
	// at start-up, before any dispatcher of this process claims.
	Requeue(ctx context.Context) (int, error)
}
