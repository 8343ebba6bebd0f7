package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmts caches prepared statements: parsing SQL was the largest single cost
// of handling a message, and the same few dozen statements run all the time.
// Reads, and the few single-statement writes run outside a transaction, are
// cached; a statement is re-prepared by database/sql on each connection it
// meets and reused after that. Statements inside write transactions are
// not: preparing one on the writer pool would wait for its only connection,
// which the transaction holds.
type stmts struct {
	mu sync.Mutex
	m  map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	db    *sql.DB
	query string
}

// prepared returns the cached statement for query on db, preparing it the
// first time; nil when it cannot be prepared (the caller then runs the query
// unprepared, which reports the error).
func (s *Store) prepared(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	k := stmtKey{db, query}
	s.cache.mu.Lock()
	st, ok := s.cache.m[k]
	s.cache.mu.Unlock()
	if ok {
		return st
	}
	// Prepared without the lock held: on the writer pool it waits for the
	// one connection, and the transaction holding it may need the cache.
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	if have, ok := s.cache.m[k]; ok {
		st.Close()
		return have
	}
	if s.cache.m == nil {
		s.cache.m = map[stmtKey]*sql.Stmt{}
	}
	s.cache.m[k] = st
	return st
}

// execW runs one statement on the writer on its own, which SQLite makes a
// transaction of itself: for the single-statement writes on the hot path
// (the inbox, a logged session), prepared once and without BEGIN/COMMIT.
// Never call it from inside s.tx: it needs the writer's only connection.
func (s *Store) execW(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if st := s.prepared(ctx, s.w, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = s.w.ExecContext(ctx, query, args...)
	}
	return res, s.explain(err)
}

// closeStmts closes every cached statement.
func (s *Store) closeStmts() error {
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	var errs []error
	for k, st := range s.cache.m {
		errs = append(errs, st.Close())
		delete(s.cache.m, k)
	}
	return errors.Join(errs...)
}

// rowR runs a one-row query on the read pool.
func (s *Store) rowR(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.prepared(ctx, s.r, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, query, args...)
}

// rowsR runs a query on the read pool.
func (s *Store) rowsR(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.prepared(ctx, s.r, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, query, args...)
}
