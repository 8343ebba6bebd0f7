package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered schema change of a store (NNNN_name.sql).
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations reads a store's migrations, migrations/*.sql in fsys, in the
// order of their numbers; two files with one number are refused.
func Migrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", base)
		}
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: base, SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share a number", ms[i-1].Name, ms[i].Name)
		}
	}
	return ms, nil
}

// ApplyNewer runs in tx, in order, the migrations newer than current (the
// newest applied), recording each with record: the store's INSERT into
// schema_migrations of version, name and applied_at, in its own
// placeholders (tx runs the migrations' text as it is, so it must not
// rewrite ? marks). A database newer than every migration is refused.
func ApplyNewer(ctx context.Context, tx Tx, ms []Migration, current int, record, appliedAt string) error {
	if n := len(ms); n > 0 && current > ms[n-1].Version {
		return fmt.Errorf("database schema version %d is newer than this program knows (%d): upgrade shakeout", current, ms[n-1].Version)
	}
	for _, m := range ms {
		if m.Version <= current {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, record, m.Version, m.Name, appliedAt); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}
