package sqlite

import (
	"context"
	"errors"
	"fmt"
)

// Checkpoint copies the write-ahead log into the database file and
// truncates it, so what was deleted is gone from both files.
func (s *Store) Checkpoint(ctx context.Context) error {
	w := &s.wr
	for {
		w.lock()
		b := w.batch
		if b == nil {
			break
		}
		if b.members == 0 {
			s.commitLocked()
			w.mu.Unlock()
			continue
		}
		// Let the batch's members finish; it takes no one new.
		b.closed = true
		w.mu.Unlock()
		<-b.done
	}
	defer w.mu.Unlock()
	var busy, logged, done int
	err := s.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done)
	if err == nil && busy != 0 {
		err = errors.New("a reader kept the checkpoint from finishing")
	}
	if err != nil {
		return fmt.Errorf("checkpoint: %w", s.explain(err))
	}
	return nil
}
