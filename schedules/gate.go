package schedules

import (
	"context"

	"github.com/shakeoutbot/shakeout/bot"
)

// Gate says whether this instance is the one that ticks now; several
// instances on one database run the minute's jobs on one of them at a
// time (bot/postgres.TickLease).
type Gate interface {
	Held(ctx context.Context) (bool, error)
}

// Gated is core with its jobs run only while the gate is held: on another
// instance's minute it finds no jobs, so it enqueues nothing. The slot
// keys' unique constraint still makes a tick that slipped through on two
// instances enqueue each message once.
func Gated(core JobRunner, g Gate) JobRunner { return gated{core, g} }

type gated struct {
	JobRunner
	g Gate
}

func (x gated) Jobs(ctx context.Context) ([]bot.Job, error) {
	held, err := x.g.Held(ctx)
	if err != nil || !held {
		return nil, err
	}
	return x.JobRunner.Jobs(ctx)
}
