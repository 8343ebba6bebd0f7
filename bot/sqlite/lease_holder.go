package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"
)

// LeaseHolder reads who holds the database's instance lease, for
// diagnostics: held is false when no live process does (no lease row, or
// one whose lease ran out, or whose process on this host is gone).
func (s *Store) LeaseHolder(ctx context.Context) (h Holder, held bool, err error) {
	var since, expires string
	err = s.r.QueryRowContext(ctx, `SELECT pid, host, since, expires_at FROM instance_lease WHERE id = 1`).
		Scan(&h.PID, &h.Host, &since, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Holder{}, false, nil
	}
	if err != nil {
		return Holder{}, false, fmt.Errorf("read the instance lease: %w", err)
	}
	h.Since, h.Expires = parseInstant(since), parseInstant(expires)
	host, _ := os.Hostname()
	gone := !h.Expires.After(time.Now()) || (h.Host == host && h.PID != os.Getpid() && !alive(h.PID))
	return h, !gone, nil
}
