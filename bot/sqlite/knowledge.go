package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

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
		for _, e := range entries {
			if _, err := tx.ExecContext(ctx, `INSERT INTO knowledge (id, title, phrasings, tags, answer) VALUES (?, ?, ?, ?, ?)`,
				e.ID, e.Title, strings.Join(e.Phrasings, "\n"), strings.Join(e.Tags, ", "), e.Answer); err != nil {
				return fmt.Errorf("knowledge index %s: %w", e.ID, err)
			}
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
	rows, err := s.rowsR(ctx, `SELECT id, -bm25(knowledge, 0, 4.0, 6.0, 3.0, 1.0) AS rel
		FROM knowledge WHERE knowledge MATCH ? ORDER BY rel DESC LIMIT ?`, match, limit)
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
