package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/bot"
	"github.com/shakeoutbot/shakeout/coach"
)

const planColumns = `id, race, km, extra_days, race_date, tz, delay, hurting, last_feedback, status, holds, restarts, send_steps`

func scanPlan(row interface{ Scan(...any) error }) (bot.Plan, error) {
	var p bot.Plan
	var raceDate, last, holds, restarts string
	var hurting, steps int
	err := row.Scan(&p.ID, &p.State.Race, &p.Km, &p.State.ExtraDays, &raceDate, &p.TZ, &p.State.Delay, &hurting, &last, &p.Status,
		&holds, &restarts, &steps)
	if errors.Is(err, sql.ErrNoRows) {
		return p, bot.ErrNotFound
	}
	if err != nil {
		return p, err
	}
	p.State.Hurting = hurting == 1
	p.SendSteps = steps == 1
	if p.State.Holds, err = parseDates(holds); err != nil {
		return p, err
	}
	if p.State.Restarts, err = parseDates(restarts); err != nil {
		return p, err
	}
	if p.State.RaceDate, err = coach.ParseDate(raceDate); err != nil {
		return p, err
	}
	if last != "" {
		if p.State.LastFeedback, err = coach.ParseDate(last); err != nil {
			return p, err
		}
	}
	return p, nil
}

// datesText stores a list of dates as comma-separated YYYY-MM-DD.
func datesText(ds []coach.Date) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return strings.Join(parts, ",")
}

func parseDates(s string) ([]coach.Date, error) {
	if s == "" {
		return nil, nil
	}
	var out []coach.Date
	for _, part := range strings.Split(s, ",") {
		d, err := coach.ParseDate(part)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func dateText(d coach.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// StartPlan implements bot.PlanStore: the member's plan becomes p, replacing
// any earlier one; the replaced plan is returned when it was still active.
func (s *Core) StartPlan(ctx context.Context, memberID int64, p bot.Plan, at time.Time) (bot.Plan, *bot.Plan, error) {
	var replaced *bot.Plan
	err := s.tx(ctx, func(tx Tx) error {
		old, err := scanPlan(tx.QueryRowContext(ctx, `SELECT `+planColumns+` FROM race_plans WHERE member_id = ?`, memberID))
		switch {
		case err == nil && old.Status == bot.PlanActive:
			replaced = &old
		case err != nil && !errors.Is(err, bot.ErrNotFound):
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM race_plans WHERE member_id = ?`, memberID); err != nil {
			return err
		}
		p.Status = bot.PlanActive
		p.ID, err = s.insert(ctx, tx, `INSERT INTO race_plans (member_id, race, km, extra_days, race_date, tz, delay, hurting,
			last_feedback, status, started_at, holds, restarts, send_steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			memberID, p.State.Race, p.Km, p.State.ExtraDays, p.State.RaceDate.String(), p.TZ, p.State.Delay,
			BoolInt(p.State.Hurting), dateText(p.State.LastFeedback), p.Status, at.UTC().Format(time.RFC3339),
			datesText(p.State.Holds), datesText(p.State.Restarts), BoolInt(p.SendSteps))
		return err
	})
	if err != nil {
		return bot.Plan{}, nil, fmt.Errorf("start plan: %w", err)
	}
	return p, replaced, nil
}

// ActivePlan implements bot.PlanStore.
func (s *Core) ActivePlan(ctx context.Context, memberID int64) (bot.Plan, error) {
	p, err := scanPlan(s.rowR(ctx, `SELECT `+planColumns+` FROM race_plans
		WHERE member_id = ? AND status = ?`, memberID, bot.PlanActive))
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		return p, fmt.Errorf("active plan: %w", err)
	}
	return p, err
}

// SavePlan implements bot.PlanStore: it stores the adapted state of an
// active plan; a plan that is no longer active is not found.
func (s *Core) SavePlan(ctx context.Context, p bot.Plan) error {
	res, err := s.execW(ctx, `UPDATE race_plans SET delay = ?, hurting = ?, last_feedback = ?, holds = ?, restarts = ?, send_steps = ?
		WHERE id = ? AND status = ?`,
		p.State.Delay, BoolInt(p.State.Hurting), dateText(p.State.LastFeedback), datesText(p.State.Holds),
		datesText(p.State.Restarts), BoolInt(p.SendSteps), p.ID, bot.PlanActive)
	if err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return bot.ErrNotFound
	}
	return nil
}

// EndPlan implements bot.PlanStore: an active plan gets its final status;
// it reports whether the plan was still active, so an ending happens once.
func (s *Core) EndPlan(ctx context.Context, id int64, status bot.PlanStatus, at time.Time) (bool, error) {
	var ended bool
	err := s.tx(ctx, func(tx Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE race_plans SET status = ?, ended_at = ? WHERE id = ? AND status = ?`,
			status, at.UTC().Format(time.RFC3339), id, bot.PlanActive)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ended = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("end plan: %w", err)
	}
	return ended, nil
}
