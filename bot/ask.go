package bot

import (
	"context"
	"regexp"
	"strings"

	"github.com/shakeoutbot/shakeout/coach"
)

// KnowledgeSearcher is the full-text search over the knowledge base.
type KnowledgeSearcher interface {
	// SearchKnowledge returns entries matching an FTS5 expression, best first.
	SearchKnowledge(ctx context.Context, match string, limit int) ([]coach.Hit, error)
}

// searchDepth is how many search hits are re-ranked.
const searchDepth = 30

// maxAnswerLen keeps an answer inside one Discord message.
const maxAnswerLen = 2000

// questionBreak separates the parts of a two-in-one question: a question
// mark, or "and"/"also" before a new question word.
var questionBreak = regexp.MustCompile(`(?i)\?\s*|[,;]?\s+(?:and|also|plus)\s+(?:also\s+)?(?:what|how|when|should|can|could|do|does|is|are|why|which|where)\b`)

// Ask answers a recovery question: the path behind /ask, free text in a
// direct message, a mention in a group, and `shakeout ask`. A question that
// asks two things gets both answers when both are known.
func Ask(ctx context.Context, s KnowledgeSearcher, question string) (coach.Answer, error) {
	whole, err := askOne(ctx, s, question)
	if err != nil {
		return coach.Answer{}, err
	}
	parts := splitQuestion(question)
	if len(parts) < 2 || whole.Computed {
		return whole, nil
	}
	var answers []coach.Answer
	topics := map[string]bool{}
	for _, p := range parts {
		a, err := askOne(ctx, s, p)
		if err != nil {
			return coach.Answer{}, err
		}
		if a.Known && a.Topic != "" && !topics[a.Topic] {
			topics[a.Topic] = true
			answers = append(answers, a)
		}
	}
	if len(answers) < 2 {
		return whole, nil
	}
	combined := answers[0]
	if len(answers) > 3 {
		answers = answers[:3]
	}
	for _, a := range answers[1:] {
		text := combined.Text + "\n\n" + strings.TrimPrefix(a.Text, coach.RedFlagLead+"\n\n")
		if len(text) > maxAnswerLen {
			break
		}
		combined.Text = text
		combined.RedFlag = combined.RedFlag || a.RedFlag
	}
	return combined, nil
}

func askOne(ctx context.Context, s KnowledgeSearcher, question string) (coach.Answer, error) {
	q := coach.ParseQuestion(question)
	hits, err := s.SearchKnowledge(ctx, q.MatchExpr(), searchDepth)
	if err != nil {
		return coach.Answer{}, err
	}
	return coach.Compose(q, hits), nil
}

// splitQuestion cuts a question into its parts; a part keeps the question
// word that starts it.
func splitQuestion(q string) []string {
	var parts []string
	last := 0
	for _, loc := range questionBreak.FindAllStringIndex(q, -1) {
		cut := q[loc[0]:loc[1]]
		end := loc[0]
		next := loc[1]
		if !strings.HasPrefix(strings.TrimSpace(cut), "?") {
			// keep the question word with the next part
			fields := strings.Fields(cut)
			next = loc[1] - len(fields[len(fields)-1])
		}
		if p := strings.TrimSpace(q[last:end]); coach.HasContent(p) {
			parts = append(parts, p)
		}
		last = next
	}
	if p := strings.TrimSpace(q[last:]); coach.HasContent(p) {
		parts = append(parts, p)
	}
	return parts
}
