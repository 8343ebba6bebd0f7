package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmts caches prepared statements: parsing SQL was the largest single cost
// of handling a message, and the same few dozen statements run all the time.
// Reads are cached on the read pool; a statement is re-prepared by
// database/sql on each connection it meets and reused after that. Writes
// are kept prepared by the writer's connection itself (wconn.go).
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

// rowR runs a one-row query on the read pool, or inside the caller's unit
// of work once it has written (so it sees its own writes).
func (s *Store) rowR(ctx context.Context, query string, args ...any) *sql.Row {
	if tx := s.heldTx(ctx); tx != nil {
		// Unprepared: other writers share the transaction, and a shared
		// prepared statement must not be reset under an open cursor.
		return tx.QueryRowContext(ctx, query, args...)
	}
	if st := s.prepared(ctx, s.r, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, query, args...)
}

// rowsR runs a query like rowR.
func (s *Store) rowsR(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx := s.heldTx(ctx); tx != nil {
		return tx.QueryContext(ctx, query, args...)
	}
	if st := s.prepared(ctx, s.r, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, query, args...)
}
