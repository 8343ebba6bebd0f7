package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmts caches prepared statements: parsing SQL was the largest single cost
// of handling a message, and the same few dozen statements run all the time.
// Only reads are cached: a statement prepared on the read pool is re-prepared
// by database/sql on each connection it meets and reused after that.
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
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	k := stmtKey{db, query}
	if st, ok := s.cache.m[k]; ok {
		return st
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if s.cache.m == nil {
		s.cache.m = map[stmtKey]*sql.Stmt{}
	}
	s.cache.m[k] = st
	return st
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
