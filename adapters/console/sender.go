package console

import (
	"context"

	"github.com/shakeoutbot/shakeout/outbox"
)

// Sender delivers scheduled messages to the console by printing them with
// the console's clock reading; it never fails.
type Sender struct{ c *Console }

// NewSender returns the outbox.Sender of a console.
func NewSender(c *Console) *Sender { return &Sender{c: c} }

// Send implements outbox.Sender.
func (s *Sender) Send(_ context.Context, o outbox.Outgoing) error {
	s.c.Send(o.To, o.Reply)
	return nil
}

// Flusher is a Scheduler that can also deliver, right after a line was
// handled, what that line put in the outbox (a coach's announcement).
type Flusher interface {
	Flush(ctx context.Context) error
}
