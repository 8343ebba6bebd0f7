package postgres

import (
	"context"
	"fmt"
)

// Checkpoint vacuums the database after deletions (a pruning, a
// /forgetme), so the space of deleted rows is reclaimed and reused instead
// of keeping their old versions until autovacuum comes round.
func (s *Store) Checkpoint(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}
