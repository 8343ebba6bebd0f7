package bot

import (
	"context"
	"sync"

	"github.com/shakeoutbot/shakeout/coach"
)

// maxAnswers bounds the remembered answers; when full they are all
// forgotten and the cache fills again.
const maxAnswers = 2048

// answerCache remembers /ask's answers by the question's exact text. An
// answer depends only on the question and the knowledge base, which the
// store indexes when it opens and does not change after, and members ask
// the same few questions again and again: parsing a question and searching
// for it cost most of an /ask.
type answerCache struct {
	mu sync.Mutex
	m  map[string]coach.Answer
}

// ask is Ask through the bot's cache.
func (b *Bot) ask(ctx context.Context, question string) (coach.Answer, error) {
	c := &b.answers
	c.mu.Lock()
	a, ok := c.m[question]
	c.mu.Unlock()
	if ok {
		return a, nil
	}
	a, err := Ask(ctx, b.store, question)
	if err != nil {
		return a, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxAnswers {
		c.m = make(map[string]coach.Answer)
	}
	c.m[question] = a
	c.mu.Unlock()
	return a, nil
}
