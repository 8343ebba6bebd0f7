package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/shakeoutbot/shakeout/bot/sqlstore"
)

// CopyReport says what CopyFrom did, table by table.
type CopyReport struct {
	// Tables lists the tables copied, in the order they were.
	Tables []string
	// Read and Added count rows per table: read from the source, and new
	// in the destination (a second copy adds none).
	Read, Added map[string]int
}

// bookkeeping tables are this store's own: never copied.
var bookkeeping = map[string]bool{"schema_migrations": true, "instances": true, "tick_lease": true}

// sqliteOnly are the SQLite store's tables with no rows to carry over:
// its single-process lease and the knowledge index (rebuilt from the
// binary; FTS5 keeps it in knowledge and its shadow tables).
func sqliteOnly(name string) bool {
	return name == "instance_lease" || name == "schema_migrations" || name == "knowledge" ||
		strings.HasPrefix(name, "knowledge_") || strings.HasPrefix(name, "sqlite_")
}

type column struct {
	name, typ string
}

type table struct {
	name    string
	cols    []column
	hasID   bool              // an id column (the primary key) to patch deferred links by
	targets map[string]string // column → the table it links to
	null    map[string]bool   // columns that may be NULL
}

// CopyFrom copies every row of a SQLite database of the bot (src, opened
// with the "sqlite" driver) into this database, in one transaction. It is
// idempotent: a row whose key is there already is left as it is, so a
// second run adds nothing. A source table with no counterpart here (a
// table this version of the PostgreSQL store does not have) stops the copy
// before anything is written.
func (s *Store) CopyFrom(ctx context.Context, src *sql.DB) (CopyReport, error) {
	rep := CopyReport{Read: map[string]int{}, Added: map[string]int{}}
	tables, err := s.tables(ctx)
	if err != nil {
		return rep, err
	}
	have := map[string]bool{}
	for _, t := range tables {
		have[t.name] = true
	}
	srcTables, err := sourceTables(ctx, src)
	if err != nil {
		return rep, err
	}
	for _, n := range srcTables {
		if !have[n] && !sqliteOnly(n) {
			return rep, fmt.Errorf("the SQLite table %s has no PostgreSQL counterpart in this version of shakeout: nothing was copied", n)
		}
	}
	inSource := map[string]bool{}
	for _, n := range srcTables {
		inSource[n] = true
	}
	order := copyOrder(tables)
	err = s.tx(ctx, func(tx *Tx) error {
		copied := map[string]bool{}
		type patch struct {
			table, col string
			id, val    any
		}
		var patches []patch
		for _, t := range order {
			if !inSource[t.name] {
				copied[t.name] = true
				continue
			}
			rep.Tables = append(rep.Tables, t.name)
			// A link to a table not copied yet (a cycle: clubs name a
			// coach member, members a home club) is written as NULL and
			// set once every table is in.
			deferred := map[string]bool{}
			for c, target := range t.targets {
				if !copied[target] && target != t.name && t.hasID {
					deferred[c] = true
				}
			}
			n, added, ps, err := copyTable(ctx, src, tx, t, deferred)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			for _, p := range ps {
				patches = append(patches, patch{t.name, p.col, p.id, p.val})
			}
			rep.Read[t.name], rep.Added[t.name] = n, added
			copied[t.name] = true
		}
		for _, p := range patches {
			if _, err := tx.ExecContext(ctx, `UPDATE `+sqlstore.QuoteIdent(p.table)+` SET `+sqlstore.QuoteIdent(p.col)+` = ? WHERE id = ?`, p.val, p.id); err != nil {
				return fmt.Errorf("copy %s.%s: %w", p.table, p.col, err)
			}
		}
		// Identity columns go on after the highest id copied.
		for _, t := range order {
			if !t.hasID || !inSource[t.name] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), GREATEST((SELECT MAX(id) FROM `+sqlstore.QuoteIdent(t.name)+`), 1))`,
				t.name); err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
		}
		return nil
	})
	return rep, err
}

// tables lists this database's tables with their columns and links.
func (s *Store) tables(ctx context.Context) ([]table, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'YES' FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, err
	}
	byName := map[string]*table{}
	var names []string
	for rows.Next() {
		var tn, cn, typ string
		var null bool
		if err := rows.Scan(&tn, &cn, &typ, &null); err != nil {
			rows.Close()
			return nil, err
		}
		if bookkeeping[tn] {
			continue
		}
		t := byName[tn]
		if t == nil {
			t = &table{name: tn, targets: map[string]string{}, null: map[string]bool{}}
			byName[tn] = t
			names = append(names, tn)
		}
		t.cols = append(t.cols, column{cn, typ})
		t.null[cn] = null
		if cn == "id" {
			t.hasID = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fks, err := s.db.QueryContext(ctx, `SELECT cl.relname, a.attname, ft.relname FROM pg_constraint c
		JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class ft ON ft.oid = c.confrelid
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.contype = 'f' AND cl.relnamespace = to_regnamespace(current_schema())`)
	if err != nil {
		return nil, err
	}
	defer fks.Close()
	for fks.Next() {
		var tn, cn, target string
		if err := fks.Scan(&tn, &cn, &target); err != nil {
			return nil, err
		}
		if t := byName[tn]; t != nil {
			t.targets[cn] = target
		}
	}
	if err := fks.Err(); err != nil {
		return nil, err
	}
	out := make([]table, 0, len(names))
	for _, n := range names {
		out = append(out, *byName[n])
	}
	return out, nil
}

// copyOrder puts each table after the tables it links to, where it can;
// the links of a cycle are deferred by CopyFrom.
func copyOrder(ts []table) []table {
	sort.Slice(ts, func(i, j int) bool { return ts[i].name < ts[j].name })
	var out []table
	done := map[string]bool{}
	for len(out) < len(ts) {
		progress := false
		for _, t := range ts {
			if done[t.name] {
				continue
			}
			ready := true
			for _, target := range t.targets {
				if target != t.name && !done[target] {
					ready = false
				}
			}
			if ready {
				out = append(out, t)
				done[t.name] = true
				progress = true
			}
		}
		if !progress {
			// A cycle (clubs name a coach member, members a home club):
			// take a table whose links still to come may be NULL (they
			// wait), the one with the fewest.
			best, fewest := -1, 0
			for i, t := range ts {
				if done[t.name] {
					continue
				}
				n, nullable := 0, t.hasID
				for c, target := range t.targets {
					if target != t.name && !done[target] {
						n++
						nullable = nullable && t.null[c]
					}
				}
				if !nullable {
					continue
				}
				if best < 0 || n < fewest {
					best, fewest = i, n
				}
			}
			if best < 0 {
				// No way round the cycle: the copy reports the link that
				// could not be written.
				for i, t := range ts {
					if !done[t.name] {
						best = i
						break
					}
				}
			}
			out = append(out, ts[best])
			done[ts[best].name] = true
		}
	}
	return out
}

func sourceTables(ctx context.Context, src *sql.DB) ([]string, error) {
	rows, err := src.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read the SQLite database: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

type deferredLink struct {
	col     string
	id, val any
}

// copyBatch is how many rows go in one INSERT.
const copyBatch = 200

// copyTable copies one table's rows, those whose key is new.
func copyTable(ctx context.Context, src *sql.DB, tx *Tx, t table, deferred map[string]bool) (read, added int, links []deferredLink, err error) {
	srcCols, err := sourceColumns(ctx, src, t.name)
	if err != nil {
		return 0, 0, nil, err
	}
	var cols []column
	for _, c := range t.cols {
		if srcCols[c.name] {
			cols = append(cols, c)
		}
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = sqlstore.QuoteIdent(c.name)
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+sqlstore.QuoteIdent(t.name))
	if err != nil {
		return 0, 0, nil, err
	}
	defer rows.Close()
	idCol := -1
	for i, c := range cols {
		if c.name == "id" {
			idCol = i
		}
	}
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n := len(batch) / len(cols)
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		q := `INSERT INTO ` + sqlstore.QuoteIdent(t.name) + ` (` + strings.Join(names, ", ") + `) VALUES ` +
			strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + ` ON CONFLICT DO NOTHING`
		res, err := tx.tx.ExecContext(ctx, rebindUncached(q), batch...)
		if err != nil {
			return err
		}
		k, _ := res.RowsAffected()
		added += int(k)
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return read, added, links, err
		}
		read++
		for i, c := range cols {
			v := convert(vals[i], c.typ)
			if deferred[c.name] && v != nil && idCol >= 0 {
				links = append(links, deferredLink{c.name, convert(vals[idCol], "bigint"), v})
				v = nil
			}
			batch = append(batch, v)
		}
		if len(batch) >= copyBatch*len(cols) {
			if err := flush(); err != nil {
				return read, added, links, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return read, added, links, err
	}
	return read, added, links, flush()
}

func sourceColumns(ctx context.Context, src *sql.DB, t string) (map[string]bool, error) {
	rows, err := src.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, t)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

// convert makes a SQLite value (whose type follows the value, not the
// column) fit the PostgreSQL column's type.
func convert(v any, typ string) any {
	switch x := v.(type) {
	case []byte:
		if typ == "bytea" {
			// A picture or a sealed key: bytes stay bytes.
			return x
		}
		v = string(x)
	case string:
		if typ == "bytea" {
			return []byte(x)
		}
	}
	switch typ {
	case "text":
		switch x := v.(type) {
		case int64:
			return strconv.FormatInt(x, 10)
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
	case "bigint", "integer":
		switch x := v.(type) {
		case float64:
			return int64(x)
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n
			}
		}
	case "double precision", "real":
		switch x := v.(type) {
		case int64:
			return float64(x)
		case string:
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				return f
			}
		}
	}
	return v
}

// rebindUncached is rebind for statements built once (a batch insert),
// kept out of the statement cache.
func rebindUncached(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
