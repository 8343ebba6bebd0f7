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
const searchDepth = 15

// maxAnswerLen keeps an answer inside one Discord message.
const maxAnswerLen = 2000

// questionBreak separates the parts of a two-in-one question: a question
// mark, or "and"/"also" before a new question word.
var questionBreak = regexp.MustCompile(`(?i)\?\s*|[,;]?\s+(?:and|also|plus)\s+(?:also\s+|for\s+|then\s+)?(?:what|how|when|should|can|could|do|does|is|are|why|which|where)\b`)

// Ask answers a recovery question: the path behind /ask, free text in a
// direct message, a mention in a group, and `shakeout ask`. Red flags,
// small talk and requests outside recovery are settled on the whole
// question first; a question that asks two things gets both answers when
// both are known, each part keeping the race distance and day the whole
// question named.
func Ask(ctx context.Context, s KnowledgeSearcher, question string) (coach.Answer, error) {
	q := coach.ParseQuestion(question)
	whole, err := search(ctx, s, q)
	if err != nil {
		return coach.Answer{}, err
	}
	if whole.Kind != coach.KindAnswer && whole.Kind != coach.KindUnknown {
		return whole, nil
	}
	parts := splitQuestion(question)
	if len(parts) < 2 {
		return whole, nil
	}
	var answers []coach.Answer
	topics := map[string]bool{}
	prev := ""
	for _, p := range parts {
		pq := coach.ParseQuestion(p)
		if pq.Tier != coach.TierNone || pq.Computed() {
			return whole, nil
		}
		a, err := search(ctx, s, pq.Within(q))
		if err != nil {
			return coach.Answer{}, err
		}
		if (a.Kind != coach.KindAnswer || topics[a.Topic]) && prev != "" {
			// A part that leans on the rest ("…and when can I run
			// again?", "…and how slow?") is about the race the question
			// named, or else the previous part's subject.
			var retries []string
			if d := q.Slots.Distance; d != "" {
				retries = append(retries, p+" after a "+coach.DistanceName(d))
			}
			retries = append(retries, p+" "+coach.Topic(prev))
			for _, r := range retries {
				rq := coach.ParseQuestion(r).Within(q)
				rq.Skip = topics
				if a, err = search(ctx, s, rq); err != nil {
					return coach.Answer{}, err
				}
				if a.Kind == coach.KindAnswer {
					break
				}
			}
		}
		prev = p
		if a.Kind == coach.KindAnswer && !topics[a.Topic] {
			topics[a.Topic] = true
			answers = append(answers, a)
		}
	}
	if len(answers) < 2 {
		return whole, nil
	}
	if len(answers) > 3 {
		answers = answers[:3]
	}
	combined := answers[0]
	combined.Slots = whole.Slots
	for _, a := range answers[1:] {
		text := combined.Text + "\n\n" + a.Text
		if len(text) > maxAnswerLen {
			break
		}
		combined.Text = text
	}
	return combined, nil
}

func search(ctx context.Context, s KnowledgeSearcher, q coach.Question) (coach.Answer, error) {
	var hits []coach.Hit
	if q.NeedsSearch() {
		var err error
		if hits, err = s.SearchKnowledge(ctx, q.MatchExpr(), searchDepth); err != nil {
			return coach.Answer{}, err
		}
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
		if p := strings.TrimSpace(q[last:end]); askable(p) {
			parts = append(parts, p)
		}
		last = next
	}
	if p := strings.TrimSpace(q[last:]); askable(p) {
		parts = append(parts, p)
	}
	return parts
}

// askable reports whether a piece of a question asks something: a word of
// its own, or a question of three words or more that leans on the part
// before it ("what should I do on them").
func askable(p string) bool {
	return coach.HasContent(p) || len(strings.Fields(p)) >= 3
}
