package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

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
	return s.searches.Search(match, limit, func() ([]coach.Hit, error) {
		return sqlstore.ScanHits(s.rowsR(ctx, sqlstore.SearchKnowledgeQuery, match, limit))
	})
}
