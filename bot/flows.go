package bot

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// FlowKind names a button conversation. Its values are stored.
type FlowKind string

// The button conversations.
const (
	FlowCheckIn FlowKind = "checkin"
	FlowForget  FlowKind = "forget"
)

// Flow is a button conversation in progress: its state lives here, in the
// database, and the buttons carry only the flow's id.
type Flow struct {
	ID       int64
	MemberID int64
	Kind     FlowKind
	// State is the conversation's answers so far, as the command encodes them.
	State   string
	Expires time.Time
}

// FlowStore keeps button conversations, one per member and kind.
type FlowStore interface {
	// StartFlow saves f as the member's flow of its kind, replacing an
	// earlier one, drops flows expired before now and returns the new id.
	StartFlow(ctx context.Context, f Flow, now time.Time) (int64, error)
	// FlowOf returns the member's flow of a kind, or ErrNotFound.
	FlowOf(ctx context.Context, memberID int64, kind FlowKind) (Flow, error)
	// UpdateFlow saves a flow's state and expiry.
	UpdateFlow(ctx context.Context, f Flow) error
	// EndFlow deletes a flow.
	EndFlow(ctx context.Context, id int64) error
}

// errStaleFlow is what a press on a finished, replaced or expired
// conversation gets: what happened and how to start again.
func errStaleFlow(what, command string) error {
	return Errorf(CodeNotFound, "That %s has expired or was already finished, so the button no longer works. Send %s to start again.", what, command)
}

// activeFlow returns the member's flow of kind whose id is idText, if it
// has not expired by r.Now; anything else is a stale press.
func (b *Bot) activeFlow(ctx context.Context, r *Request, kind FlowKind, idText, what, command string) (Flow, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return Flow{}, errStaleFlow(what, command)
	}
	f, err := b.store.FlowOf(ctx, r.Member.ID, kind)
	if errors.Is(err, ErrNotFound) || (err == nil && f.ID != id) {
		return Flow{}, errStaleFlow(what, command)
	}
	if err != nil {
		return Flow{}, err
	}
	if !r.Now.Before(f.Expires) {
		if err := b.store.EndFlow(ctx, f.ID); err != nil {
			return Flow{}, err
		}
		return Flow{}, errStaleFlow(what, command)
	}
	return f, nil
}
