package sqlstore

import (
	"context"
	"fmt"

	"github.com/shakeoutbot/shakeout/coach"
)

// SavePlanAnswer implements bot.PlanAnswerStore: the day's answer, replacing
// an earlier one that day.
func (s *Core) SavePlanAnswer(ctx context.Context, memberID, planID int64, day coach.Date, answer coach.Feedback) error {
	_, err := s.execW(ctx, `INSERT INTO plan_answers (plan_id, member_id, day, answer) VALUES (?, ?, ?, ?)
		ON CONFLICT (plan_id, day) DO UPDATE SET answer = excluded.answer`, planID, memberID, dateText(day), string(answer))
	if err != nil {
		return fmt.Errorf("save plan answer: %w", err)
	}
	return nil
}

// PlanAnswers implements bot.PlanAnswerStore: the plan's answers by day.
func (s *Core) PlanAnswers(ctx context.Context, planID int64) (map[coach.Date]coach.Feedback, error) {
	rows, err := s.rowsR(ctx, `SELECT day, answer FROM plan_answers WHERE plan_id = ?`, planID)
	if err != nil {
		return nil, fmt.Errorf("plan answers: %w", err)
	}
	defer rows.Close()
	answers := map[coach.Date]coach.Feedback{}
	for rows.Next() {
		var day, answer string
		if err := rows.Scan(&day, &answer); err != nil {
			return nil, fmt.Errorf("plan answers: %w", err)
		}
		d, err := coach.ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("plan answers: %w", err)
		}
		answers[d] = coach.Feedback(answer)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("plan answers: %w", err)
	}
	return answers, nil
}

// ForgetPlanAnswers implements bot.PlanAnswerStore: erases the plan's answers.
func (s *Core) ForgetPlanAnswers(ctx context.Context, planID int64) error {
	if _, err := s.execW(ctx, `DELETE FROM plan_answers WHERE plan_id = ?`, planID); err != nil {
		return fmt.Errorf("forget plan answers: %w", err)
	}
	return nil
}
