package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/shakeoutbot/shakeout/bot/sqlstore"
	"github.com/shakeoutbot/shakeout/coach"
)

// knowledgeHash fingerprints the embedded knowledge base so the index is
// rebuilt only when an entry changed.
func knowledgeHash(entries []coach.Entry) string {
	h := sha256.New()
	for _, e := range entries {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00", e.ID, e.Title, strings.Join(e.Phrasings, "\x01"), strings.Join(e.Tags, "\x01"), e.Answer)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// indexKnowledge (re)builds the full-text index when the knowledge base in
// this binary differs from the one indexed.
func (s *Store) indexKnowledge(ctx context.Context) error {
	entries := coach.Entries()
	want := knowledgeHash(entries)
	return s.tx(ctx, func(tx *sql.Tx) error {
		var have string
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'knowledge_hash'`).Scan(&have)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("knowledge index: %w", err)
		}
		if have == want {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM knowledge`); err != nil {
			return fmt.Errorf("knowledge index: %w", err)
		}
		if err := sqlstore.IndexKnowledge(ctx, tx, entries); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('knowledge_hash', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, want)
		return err
	})
}

// SearchKnowledge implements bot.KnowledgeSearcher: entries matching the FTS5
// expression, best first, weighting titles and phrasings above answers.
func (s *Store) SearchKnowledge(ctx context.Context, match string, limit int) ([]coach.Hit, error) {
	if strings.TrimSpace(match) == "" {
		return nil, nil
	}
	if hits, ok := s.searches.get(match, limit); ok {
		return hits, nil
	}
	hits, err := s.searchKnowledge(ctx, match, limit)
	if err == nil {
		s.searches.put(match, limit, hits)
	}
	return hits, err
}

// searchKnowledge runs the full-text search.
func (s *Store) searchKnowledge(ctx context.Context, match string, limit int) ([]coach.Hit, error) {
	return sqlstore.ScanHits(s.rowsR(ctx, sqlstore.SearchKnowledgeQuery, match, limit))
}

// maxSearches bounds the remembered searches; when full, they are all
// forgotten and the cache fills again.
const maxSearches = 4096

// searchCache remembers knowledge searches: the index is built at Open and
// not written after, so the same expression finds the same entries for as
// long as the store is open. Questions repeat (the same few dozen
// phrasings of the usual worries), and the full-text search was about half
// of an answer's cost.
type searchCache struct {
	mu sync.Mutex
	m  map[searchKey][]coach.Hit
}

type searchKey struct {
	match string
	limit int
}

// get returns a copy of the remembered hits: callers may reorder them.
func (c *searchCache) get(match string, limit int) ([]coach.Hit, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	hits, ok := c.m[searchKey{match, limit}]
	return slices.Clone(hits), ok
}

func (c *searchCache) put(match string, limit int, hits []coach.Hit) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxSearches {
		c.m = make(map[searchKey][]coach.Hit)
	}
	c.m[searchKey{match, limit}] = slices.Clone(hits)
}
