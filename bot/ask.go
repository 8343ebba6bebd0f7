package bot

import (
	"context"

	"github.com/shakeoutbot/shakeout/coach"
)

// KnowledgeSearcher is the full-text search over the knowledge base.
type KnowledgeSearcher interface {
	// SearchKnowledge returns entries matching an FTS5 expression, best first.
	SearchKnowledge(ctx context.Context, match string, limit int) ([]coach.Hit, error)
}

// searchDepth is how many search hits are re-ranked.
const searchDepth = 12

// Ask answers a recovery question: the path behind /ask, free text in a
// direct message, a mention in a group, and `shakeout ask`.
func Ask(ctx context.Context, s KnowledgeSearcher, question string) (coach.Answer, error) {
	q := coach.ParseQuestion(question)
	hits, err := s.SearchKnowledge(ctx, q.MatchExpr(), searchDepth)
	if err != nil {
		return coach.Answer{}, err
	}
	return coach.Compose(q, hits), nil
}
