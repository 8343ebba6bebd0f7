package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shakeoutbot/shakeout/bot"
)

// memberLink is how the rows of one table point at a member: a foreign key
// to members(id), or a platform and user_id pair. Both /mydata and
// /forgetme find the links in the schema itself, so a table added by a
// later migration is exported and forgotten without anyone remembering to
// list it here.
type memberLink struct {
	table    string
	column   string // the foreign-key column; empty for a platform/user_id link
	onDelete string // the foreign key's ON DELETE action, upper case
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// QuoteIdent quotes an SQL identifier (a table or column name).
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// memberLinks lists every link to a member in the schema, members excluded.
func memberLinks(ctx context.Context, q queryer, d Dialect) ([]memberLink, error) {
	rows, err := q.QueryContext(ctx, d.Tables)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		tables = append(tables, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var links []memberLink
	for _, t := range tables {
		fks, err := q.QueryContext(ctx, d.ForeignKeys, t)
		if err != nil {
			return nil, err
		}
		for fks.Next() {
			l := memberLink{table: t}
			if err := fks.Scan(&l.column, &l.onDelete); err != nil {
				fks.Close()
				return nil, err
			}
			l.onDelete = strings.ToUpper(l.onDelete)
			links = append(links, l)
		}
		fks.Close()
		if err := fks.Err(); err != nil {
			return nil, err
		}
		cols, err := q.QueryContext(ctx, d.Columns, t)
		if err != nil {
			return nil, err
		}
		has := map[string]bool{}
		for cols.Next() {
			var c string
			if err := cols.Scan(&c); err != nil {
				cols.Close()
				return nil, err
			}
			has[strings.ToLower(c)] = true
		}
		cols.Close()
		if err := cols.Err(); err != nil {
			return nil, err
		}
		if has["platform"] && has["user_id"] {
			links = append(links, memberLink{table: t})
		}
	}
	return links, nil
}

// where is the link's condition and arguments for member m.
func (l memberLink) where(m bot.Member) (string, []any) {
	if l.column == "" {
		return `platform = ? AND user_id = ?`, []any{m.Platform, m.UserID}
	}
	return QuoteIdent(l.column) + ` = ?`, []any{m.ID}
}

// ExportMember implements bot.MemberRecords: every row about the member,
// by table, each row a column → value map.
func (s *Core) ExportMember(ctx context.Context, memberID int64) (map[string][]map[string]any, error) {
	var out map[string][]map[string]any
	// A read transaction gives one consistent snapshot across the tables.
	err := s.b.ReadTx(ctx, func(tx Tx) error {
		var err error
		out, err = s.export(ctx, tx, memberID)
		return err
	})
	return out, err
}

func (s *Core) export(ctx context.Context, tx Tx, memberID int64) (map[string][]map[string]any, error) {
	out := map[string][]map[string]any{}
	m, err := scanMember(tx.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM members WHERE id = ?`, memberID))
	if err != nil {
		return nil, err
	}
	if out["members"], err = selectRows(ctx, tx, `SELECT * FROM members WHERE id = ?`, memberID); err != nil {
		return nil, fmt.Errorf("export member: %w", err)
	}
	links, err := memberLinks(ctx, tx, s.b.Dialect())
	if err != nil {
		return nil, fmt.Errorf("export member: %w", err)
	}
	// A table may link to the member more than once (the outbox has both a
	// member_id and a platform/user_id pair): one query per table with the
	// links joined by OR lists each row once.
	var order []string
	conds := map[string][]string{}
	args := map[string][]any{}
	for _, l := range links {
		cond, a := l.where(m)
		if _, seen := conds[l.table]; !seen {
			order = append(order, l.table)
		}
		conds[l.table] = append(conds[l.table], "("+cond+")")
		args[l.table] = append(args[l.table], a...)
	}
	for _, t := range order {
		// Ordered by the first column (the id where there is one), so
		// the export does not follow whichever index the query used.
		rows, err := selectRows(ctx, tx, `SELECT * FROM `+QuoteIdent(t)+` WHERE `+strings.Join(conds[t], " OR ")+` ORDER BY 1`, args[t]...)
		if err != nil {
			return nil, fmt.Errorf("export member: %s: %w", t, err)
		}
		if len(rows) > 0 {
			out[t] = redactSealed(rows)
		}
	}
	return out, nil
}

// sealedShown is what /mydata shows for a sealed secret (a column whose
// name ends in _sealed): that it exists, never its bytes.
const sealedShown = "(kept encrypted; not shown)"

// redactSealed replaces the values of sealed columns in exported rows.
func redactSealed(rows []map[string]any) []map[string]any {
	for _, row := range rows {
		for c := range row {
			if strings.HasSuffix(strings.ToLower(c), "_sealed") {
				row[c] = sealedShown
			}
		}
	}
	return rows
}

func selectRows(ctx context.Context, q queryer, query string, args ...any) ([]map[string]any, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
				if c == "image" {
					// An outbox picture: say what it is rather than
					// print its bytes.
					vals[i] = fmt.Sprintf("a PNG picture of %d bytes, sent with this message", len(b))
				}
			}
			row[c] = vals[i]
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// ForgetMember implements bot.Forgetter: it deletes the member and every row
// about them in one transaction. Rows whose foreign key cascades (or is set
// to NULL, as on a club's recovery week a coach declared) are left to the
// database; rows linked without such a rule, or by platform and user id,
// are deleted first.
func (s *Core) ForgetMember(ctx context.Context, memberID int64) error {
	err := s.tx(ctx, func(tx Tx) error {
		m, err := scanMember(tx.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM members WHERE id = ?`, memberID))
		if err != nil {
			return err
		}
		links, err := memberLinks(ctx, tx, s.b.Dialect())
		if err != nil {
			return err
		}
		for _, l := range links {
			switch l.onDelete {
			case "CASCADE", "SET NULL", "SET DEFAULT":
				continue
			}
			cond, args := l.where(m)
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+QuoteIdent(l.table)+` WHERE `+cond, args...); err != nil {
				return fmt.Errorf("%s: %w", l.table, err)
			}
		}
		// Slot keys name the member by row id ("morning:m7:2026-06-08");
		// they go too, so a later member given the same id misses nothing.
		if _, err := tx.ExecContext(ctx, `DELETE FROM schedule_slots WHERE key LIKE ?`,
			fmt.Sprintf("%%:m%d:%%", memberID)); err != nil {
			return fmt.Errorf("schedule_slots: %w", err)
		}
		// Messages waiting for or sent to the member by user id, and the
		// member's name in messages to their clubs (a welcome, a coach
		// change), which stay for the club.
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE platform = ? AND user_id = ? AND user_id <> ''`,
			m.Platform, m.UserID); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		if name := jsonText(m.Name); utf8.RuneCountInString(strings.TrimSpace(m.Name)) >= 2 {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET body = REPLACE(body, ?, ?) WHERE platform = ? AND `+s.b.Dialect().Position+`(body, ?) > 0`,
				name, formerMember, m.Platform, name); err != nil {
				return fmt.Errorf("outbox: %w", err)
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM members WHERE id = ?`, memberID)
		return err
	})
	if err != nil {
		return fmt.Errorf("forget member: %w", err)
	}
	s.erased.Store(true)
	return nil
}

// formerMember replaces a forgotten member's name in club messages.
const formerMember = "a former member"

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// ErasedSinceCheckpoint reports, and clears, whether a member was forgotten
// since the last call: the caller then checkpoints (Checkpoint), so the
// deleted rows leave the write-ahead log as well as the database file.
func (s *Core) ErasedSinceCheckpoint() bool { return s.erased.Swap(false) }
