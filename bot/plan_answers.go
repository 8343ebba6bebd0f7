package bot

import (
	"context"
	"errors"

	"github.com/shakeoutbot/shakeout/coach"
)

// PlanAnswerStore keeps the Fresh / Sore / Hurting answer that counted on
// each day of a post-race plan, for /recovery's strip. Answers are health
// data: the store erases them with the member, with the plan, and when the
// member withdraws consent.
type PlanAnswerStore interface {
	// SavePlanAnswer records the member's answer for the plan's day,
	// replacing an earlier one that day.
	SavePlanAnswer(ctx context.Context, memberID, planID int64, day coach.Date, answer coach.Feedback) error
	// PlanAnswers returns the plan's answers by day.
	PlanAnswers(ctx context.Context, planID int64) (map[coach.Date]coach.Feedback, error)
	// ForgetPlanAnswers erases the plan's answers (the plan has ended).
	ForgetPlanAnswers(ctx context.Context, planID int64) error
}

// planAnswerStore is the store's PlanAnswerStore, or an error saying the
// store keeps no plan answers.
func (b *Bot) planAnswerStore() (PlanAnswerStore, error) {
	ps, ok := b.store.(PlanAnswerStore)
	if !ok {
		return nil, errors.New("the store does not implement bot.PlanAnswerStore")
	}
	return ps, nil
}

// planAnswers reads the plan's answers by day for its picture.
func (b *Bot) planAnswers(ctx context.Context, planID int64) (map[coach.Date]coach.Feedback, error) {
	ps, err := b.planAnswerStore()
	if err != nil {
		return nil, err
	}
	return ps.PlanAnswers(ctx, planID)
}

// savePlanAnswer records the answer that counted today.
func (b *Bot) savePlanAnswer(ctx context.Context, memberID, planID int64, today coach.Date, fb coach.Feedback) error {
	ps, err := b.planAnswerStore()
	if err != nil {
		return err
	}
	return ps.SavePlanAnswer(ctx, memberID, planID, today, fb)
}

// forgetPlanAnswers erases an ended plan's answers: only the strip of a
// running plan shows them.
func (b *Bot) forgetPlanAnswers(ctx context.Context, planID int64) error {
	ps, err := b.planAnswerStore()
	if err != nil {
		return err
	}
	return ps.ForgetPlanAnswers(ctx, planID)
}
