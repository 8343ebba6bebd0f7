package bot

import (
	"context"

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
