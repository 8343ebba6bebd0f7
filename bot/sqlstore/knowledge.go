package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/shakeoutbot/shakeout/coach"
)

// The knowledge base's full-text index is SQLite's FTS5 table knowledge
// (porter stemming, bm25) with either store: the SQLite store keeps it in
// its file, the PostgreSQL store in memory. These are the statements both
// run on it.

// IndexKnowledge inserts the entries into the knowledge table, in tx.
func IndexKnowledge(ctx context.Context, tx Tx, entries []coach.Entry) error {
	for _, e := range entries {
		if _, err := tx.ExecContext(ctx, `INSERT INTO knowledge (id, title, phrasings, tags, answer) VALUES (?, ?, ?, ?, ?)`,
			e.ID, e.Title, strings.Join(e.Phrasings, "\n"), strings.Join(e.Tags, ", "), e.Answer); err != nil {
			return fmt.Errorf("knowledge index %s: %w", e.ID, err)
		}
	}
	return nil
}

// SearchKnowledgeQuery finds the entries matching an FTS5 expression (the
// first argument), best first, weighting titles and phrasings above
// answers, at most the second argument of them.
const SearchKnowledgeQuery = `SELECT id, -bm25(knowledge, 0, 4.0, 6.0, 3.0, 1.0) AS rel
		FROM knowledge WHERE knowledge MATCH ? ORDER BY rel DESC LIMIT ?`

// ScanHits reads the rows of SearchKnowledgeQuery, or reports the query's
// error; it closes rows.
func ScanHits(rows *sql.Rows, err error) ([]coach.Hit, error) {
	if err != nil {
		return nil, fmt.Errorf("search knowledge: %w", err)
	}
	defer rows.Close()
	var hits []coach.Hit
	for rows.Next() {
		var h coach.Hit
		if err := rows.Scan(&h.ID, &h.Relevance); err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// maxSearches bounds the remembered searches; when full, they are all
// forgotten and the cache fills again.
const maxSearches = 4096

// SearchCache remembers knowledge searches: the index is built at Open and
// not written after, so the same expression finds the same entries for as
// long as the store is open. Questions repeat (the same few dozen
// phrasings of the usual worries), and the full-text search was about half
// of an answer's cost. The zero value is ready to use.
type SearchCache struct {
	mu sync.Mutex
	m  map[searchKey][]coach.Hit
}

type searchKey struct {
	match string
	limit int
}

// Search returns the hits remembered for (match, limit), or runs search
// and remembers what it found. An empty expression finds nothing. Callers
// get a copy: they may reorder it.
func (c *SearchCache) Search(match string, limit int, search func() ([]coach.Hit, error)) ([]coach.Hit, error) {
	if strings.TrimSpace(match) == "" {
		return nil, nil
	}
	key := searchKey{match, limit}
	c.mu.Lock()
	hits, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return slices.Clone(hits), nil
	}
	hits, err := search()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxSearches {
		c.m = make(map[searchKey][]coach.Hit)
	}
	c.m[key] = slices.Clone(hits)
	c.mu.Unlock()
	return hits, nil
}
