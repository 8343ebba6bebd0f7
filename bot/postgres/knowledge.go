package postgres

import (
	"context"
	"database/sql"
	"fmt"

	_ "modernc.org/sqlite" // the in-process full-text engine of the knowledge index

	"github.com/shakeoutbot/shakeout/bot/sqlstore"
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
	if err := sqlstore.IndexKnowledge(ctx, tx, coach.Entries()); err != nil {
		db.Close()
		return nil, err
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
	return s.searches.Search(match, limit, func() ([]coach.Hit, error) {
		return sqlstore.ScanHits(s.kb.db.QueryContext(ctx, sqlstore.SearchKnowledgeQuery, match, limit))
	})
}
