package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // the in-process full-text engine of the knowledge index

	"github.com/shakeoutbot/shakeout/coach"
)

// knowledgeIndex is the full-text index of the knowledge base. The
// knowledge base is compiled into the binary and never written by the bot,
// so it is not shared state: each instance indexes it in memory, with the
// same engine (SQLite's FTS5, porter stemming, bm25 with the same column
// weights, pure Go) as the SQLite store. A question therefore gets the same
// hits, in the same order, with either store; PostgreSQL's own ts_rank
// would rank differently and change answers on the evaluation sets.
type knowledgeIndex struct{ db *sql.DB }

func newKnowledgeIndex(ctx context.Context) (*knowledgeIndex, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("knowledge index: %w", err)
	}
	// One connection: an in-memory database lives as long as its
	// connection, and each connection would have its own.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	k := &knowledgeIndex{db: db}
	if _, err := db.ExecContext(ctx, `CREATE VIRTUAL TABLE knowledge USING fts5 (
		id UNINDEXED, title, phrasings, tags, answer, tokenize = 'porter unicode61')`); err != nil {
		db.Close()
		return nil, fmt.Errorf("knowledge index: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("knowledge index: %w", err)
	}
	defer tx.Rollback()
	for _, e := range coach.Entries() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO knowledge (id, title, phrasings, tags, answer) VALUES (?, ?, ?, ?, ?)`,
			e.ID, e.Title, strings.Join(e.Phrasings, "\n"), strings.Join(e.Tags, ", "), e.Answer); err != nil {
			db.Close()
			return nil, fmt.Errorf("knowledge index %s: %w", e.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		db.Close()
		return nil, fmt.Errorf("knowledge index: %w", err)
	}
	return k, nil
}

func (k *knowledgeIndex) close() error { return k.db.Close() }

// SearchKnowledge implements bot.KnowledgeSearcher: entries matching the FTS5
// expression, best first, weighting titles and phrasings above answers.
func (s *Store) SearchKnowledge(ctx context.Context, match string, limit int) ([]coach.Hit, error) {
	if strings.TrimSpace(match) == "" {
		return nil, nil
	}
	rows, err := s.kb.db.QueryContext(ctx, `SELECT id, -bm25(knowledge, 0, 4.0, 6.0, 3.0, 1.0) AS rel
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
