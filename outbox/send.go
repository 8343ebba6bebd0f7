package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
)

// Outgoing is one scheduled message handed to an adapter for delivery.
type Outgoing struct {
	// ID is the outbox row; adapters derive idempotency nonces from it.
	ID int64
	// Key is the idempotency key: what, who and the local date.
	Key   string
	To    chat.Recipient
	Reply chat.Reply
}

// Sender delivers scheduled messages on one platform, pacing itself within
// the platform's limits. Send returns nil once the platform accepted the
// message, or an error that says what to do next:
//   - a *RetryAfterError: the platform asked us to wait; try again later;
//   - an error wrapping ErrUnreachable: blocked, deleted or removed; never retry;
//   - a *ChatMovedError: the chat has a new id; move every reference and resend;
//   - any other error: a transient failure, retried with capped backoff.
type Sender interface {
	Send(ctx context.Context, o Outgoing) error
}

// ErrUnreachable marks a recipient who cannot be messaged any more (blocked
// the bot, deleted the account, removed the bot from the group).
var ErrUnreachable = errors.New("recipient unreachable")

// RetryAfterError asks the dispatcher to retry no sooner than After.
type RetryAfterError struct {
	After time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("rate limited: retry after %s", e.After)
}

// ChatMovedError reports that a chat now lives under a new id (a Telegram
// group that became a supergroup).
type ChatMovedError struct {
	Platform chat.Platform
	OldID    string
	NewID    string
}

func (e *ChatMovedError) Error() string {
	return fmt.Sprintf("chat %s on %s moved to %s", e.OldID, e.Platform, e.NewID)
}

// RefusedError reports that a platform refused a post to a group or
// channel for a reason a coach can fix (the channel was deleted, the bot
// lacks a permission, the bot was removed). It is not retried; the
// coaches are told once.
type RefusedError struct {
	// Fix says, in the coaches' words, what happened and what to do.
	Fix string
	Err error
}

func (e *RefusedError) Error() string { return "post refused: " + e.Err.Error() }
func (e *RefusedError) Unwrap() error { return e.Err }
