package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shakeoutbot/shakeout/chat"
	"github.com/shakeoutbot/shakeout/outbox"
)

// instant formats t as stored: UTC RFC 3339, whole seconds, so stored
// instants compare correctly as text.
func instant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// enqueue inserts the outbox items whose keys are new, inside tx.
func enqueue(ctx context.Context, tx Tx, items []outbox.Item, now time.Time) (int, error) {
	n := 0
	for _, it := range items {
		if it.Key == "" {
			return n, fmt.Errorf("outbox item without a key for %s", it.To.Platform)
		}
		body, err := json.Marshal(it.Reply)
		if err != nil {
			return n, err
		}
		nb := it.NotBefore
		if nb.IsZero() {
			nb = now
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO outbox (key, platform, chat_id, user_id, private, club_id, member_id,
				body, not_before, created_at, thread_id, image) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
			it.Key, it.To.Platform, it.To.ChatID, it.To.UserID, BoolInt(it.To.Private), nullID(it.ClubID), nullID(it.MemberID),
			string(body), instant(nb), instant(now), it.To.ThreadID, imageBytes(it.Reply))
		if err != nil {
			return n, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += int(k)
	}
	return n, nil
}

// Enqueue implements outbox.Store.
func (s *Core) Enqueue(ctx context.Context, items []outbox.Item, now time.Time) (int, error) {
	var n int
	err := s.tx(ctx, func(tx Tx) error {
		var err error
		n, err = enqueue(ctx, tx, items, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("enqueue: %w", err)
	}
	return n, nil
}

// Claim implements outbox.Store. The select and the update are one
// transaction, so no two claims take one row: with SQLite an immediate one
// on the single writer; with PostgreSQL the rows are chosen FOR UPDATE SKIP
// LOCKED, so dispatchers on several instances claim at once and pass over
// a row another claim has locked.
func (s *Core) Claim(ctx context.Context, platforms []chat.Platform, token string, now, leaseUntil time.Time, limit int) ([]outbox.Claimed, error) {
	if len(platforms) == 0 || limit <= 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(platforms)), ",")
	var ps []any
	for _, p := range platforms {
		ps = append(ps, p)
	}
	// Most polls find nothing: look on a reader first, and take the write
	// lock only when there is something to claim.
	var one int
	err := s.rowR(ctx, `SELECT 1 FROM outbox WHERE platform IN (`+marks+`)
		AND ((status = 'pending' AND not_before <= ?) OR (status = 'sending' AND lease_until <= ?)) LIMIT 1`,
		append(ps, instant(now), instant(now))...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []outbox.Claimed
	err = s.tx(ctx, func(tx Tx) error {
		args := append([]any{token, instant(leaseUntil), s.instance}, ps...)
		args = append(args, instant(now), instant(now), limit)
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET status = 'sending', claim_token = ?, lease_until = ?, instance = ?
			WHERE id IN (SELECT id FROM outbox WHERE platform IN (`+marks+`)
				AND ((status = 'pending' AND not_before <= ?) OR (status = 'sending' AND lease_until <= ?))
				ORDER BY not_before, id LIMIT ?`+s.b.Dialect().ClaimLock+`)
			RETURNING id, key, platform, chat_id, user_id, private, body, attempts, moved, thread_id, image`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c outbox.Claimed
			var private, moved int
			var body string
			var image []byte
			if err := rows.Scan(&c.ID, &c.Key, &c.To.Platform, &c.To.ChatID, &c.To.UserID, &private, &body, &c.Attempts, &moved, &c.To.ThreadID, &image); err != nil {
				return err
			}
			c.To.Private, c.Moved = private == 1, moved == 1
			if err := json.Unmarshal([]byte(body), &c.Reply); err != nil {
				return fmt.Errorf("outbox row %d: %w", c.ID, err)
			}
			if err := attachImage(&c.Reply, image); err != nil {
				return fmt.Errorf("outbox row %d: %w", c.ID, err)
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// claimed runs an update of one claimed row and checks that the claim held.
func (s *Core) claimed(ctx context.Context, id int64, token, query string, args ...any) error {
	return s.tx(ctx, func(tx Tx) error {
		res, err := tx.ExecContext(ctx, query, append(args, id, token)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("outbox row %d is not claimed by this dispatcher", id)
		}
		return nil
	})
}

// MarkSent implements outbox.Store.
func (s *Core) MarkSent(ctx context.Context, id int64, token string, now time.Time) error {
	return s.claimed(ctx, id, token, `UPDATE outbox SET status = 'sent', sent_at = ?, claim_token = '', lease_until = ''
		WHERE id = ? AND claim_token = ? AND status = 'sending'`, instant(now))
}

// Retry implements outbox.Store.
func (s *Core) Retry(ctx context.Context, id int64, token string, notBefore time.Time, attempt bool, reason string) error {
	return s.claimed(ctx, id, token, `UPDATE outbox SET status = 'pending', not_before = ?, attempts = attempts + ?,
		last_error = ?, claim_token = '', lease_until = '' WHERE id = ? AND claim_token = ? AND status = 'sending'`,
		instant(notBefore), BoolInt(attempt), reason)
}

// Fail implements outbox.Store.
func (s *Core) Fail(ctx context.Context, id int64, token string, reason string) error {
	return s.claimed(ctx, id, token, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?,
		claim_token = '', lease_until = '' WHERE id = ? AND claim_token = ? AND status = 'sending'`, reason)
}

// MarkUnreachable implements outbox.Store.
func (s *Core) MarkUnreachable(ctx context.Context, id int64, token string, reason string) error {
	return s.tx(ctx, func(tx Tx) error {
		var private int
		var club, member sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT private, club_id, member_id FROM outbox WHERE id = ? AND claim_token = ? AND status = 'sending'`,
			id, token).Scan(&private, &club, &member)
		if err != nil {
			return fmt.Errorf("outbox row %d is not claimed by this dispatcher: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'unreachable', last_error = ?, claim_token = '', lease_until = ''
			WHERE id = ?`, reason, id); err != nil {
			return err
		}
		if private == 1 && member.Valid {
			if _, err := tx.ExecContext(ctx, `UPDATE members SET unreachable = 1 WHERE id = ?`, member.Int64); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'unreachable', last_error = 'recipient unreachable',
				claim_token = '', lease_until = '' WHERE member_id = ? AND private = 1
				AND (status = 'pending' OR (status = 'sending' AND claim_token = ?))`, member.Int64, token)
			return err
		}
		if private == 0 && club.Valid {
			if _, err := tx.ExecContext(ctx, `UPDATE clubs SET unreachable = 1 WHERE id = ?`, club.Int64); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'unreachable', last_error = 'recipient unreachable',
				claim_token = '', lease_until = '' WHERE club_id = ? AND private = 0
				AND (status = 'pending' OR (status = 'sending' AND claim_token = ?))`, club.Int64, token)
			return err
		}
		return nil
	})
}

// MoveChat implements outbox.Store. When a club already exists under the new
// id (someone wrote there before the move was seen), its members and coaches
// join the moved club and the empty newcomer is removed, so the club keeps
// its settings under the new id.
func (s *Core) MoveChat(ctx context.Context, id int64, token string, p chat.Platform, oldID, newID string, now time.Time) error {
	return s.tx(ctx, func(tx Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE id = ? AND claim_token = ? AND status = 'sending'`,
			id, token).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("outbox row %d is not claimed by this dispatcher", id)
		}
		if err := moveChat(ctx, tx, p, oldID, newID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', moved = 1, not_before = ?, claim_token = '', lease_until = ''
			WHERE id = ?`, instant(now), id)
		return err
	})
}

// MoveChatReferences moves every stored reference of a chat to its new id
// (a Telegram group that became a supergroup): the club keeps its settings,
// members their home club and DM chat, and waiting messages their target.
// Moving twice is harmless.
func (s *Core) MoveChatReferences(ctx context.Context, p chat.Platform, oldID, newID string) error {
	return s.tx(ctx, func(tx Tx) error { return moveChat(ctx, tx, p, oldID, newID) })
}

// moveChat does MoveChatReferences inside tx. When the new id already has a
// club (a message arrived from the supergroup first), the old club's
// settings win and the new row's members and coaches join it.
func moveChat(ctx context.Context, tx Tx, p chat.Platform, oldID, newID string) error {
	var oldClub, newClub sql.NullInt64
	_ = tx.QueryRowContext(ctx, `SELECT id FROM clubs WHERE platform = ? AND chat_id = ?`, p, oldID).Scan(&oldClub)
	_ = tx.QueryRowContext(ctx, `SELECT id FROM clubs WHERE platform = ? AND chat_id = ?`, p, newID).Scan(&newClub)
	if oldClub.Valid && newClub.Valid {
		steps := []string{
			`UPDATE members SET club_id = ? WHERE club_id = ?`,
			`INSERT INTO coaches (club_id, member_id, added_at) SELECT ?, member_id, added_at FROM coaches WHERE club_id = ? ON CONFLICT DO NOTHING`,
			`INSERT INTO club_members (club_id, member_id, seen_at) SELECT ?, member_id, seen_at FROM club_members WHERE club_id = ? ON CONFLICT DO NOTHING`,
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q, oldClub.Int64, newClub.Int64); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM clubs WHERE id = ?`, newClub.Int64); err != nil {
			return err
		}
	}
	updates := []string{
		`UPDATE clubs SET chat_id = ?, unreachable = 0 WHERE platform = ? AND chat_id = ?`,
		`UPDATE members SET dm_chat_id = ? WHERE platform = ? AND dm_chat_id = ?`,
		`UPDATE clubs SET coach_chat = ? WHERE platform = ? AND coach_chat = ?`,
		`UPDATE clubs SET post_chat = ? WHERE platform = ? AND post_chat = ?`,
		`UPDATE outbox SET chat_id = ? WHERE platform = ? AND chat_id = ? AND status IN ('pending', 'sending')`,
	}
	for _, q := range updates {
		if _, err := tx.ExecContext(ctx, q, newID, p, oldID); err != nil {
			return err
		}
	}
	return nil
}

// NextDue implements outbox.Store.
func (s *Core) NextDue(ctx context.Context, platforms []chat.Platform) (time.Time, bool, error) {
	if len(platforms) == 0 {
		return time.Time{}, false, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(platforms)), ",")
	var ps []any
	for _, p := range platforms {
		ps = append(ps, p)
	}
	var next sql.NullString
	err := s.rowR(ctx, `SELECT MIN(CASE status WHEN 'pending' THEN not_before ELSE lease_until END) FROM outbox
		WHERE platform IN (`+marks+`) AND status IN ('pending', 'sending')`, ps...).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return ParseStamp(next.String), true, nil
}

// Release implements outbox.Store.
func (s *Core) Release(ctx context.Context, ids []int64, token string) error {
	return s.tx(ctx, func(tx Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', claim_token = '', lease_until = ''
				WHERE id = ? AND claim_token = ? AND status = 'sending'`, id, token); err != nil {
				return err
			}
		}
		return nil
	})
}

// Requeue implements outbox.Store. It releases only rows whose claim is
// over: its lease ran out, or the store instance that claimed it is gone (a
// process that crashed or was killed: with SQLite, it no longer holds the
// file's instance lease; with PostgreSQL, its heartbeat ran out). A live
// instance's claims are left alone.
func (s *Core) Requeue(ctx context.Context) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx Tx) error {
		now := time.Now()
		live, args := s.b.LiveInstances(now)
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', claim_token = '', lease_until = ''
			WHERE status = 'sending' AND (lease_until <= ?
				OR instance NOT IN (`+live+`))`,
			append([]any{instant(now)}, args...)...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// Prune deletes what is kept only for a while: inbox rows (redelivery
// guards) received before cutoff, outbox rows finished (sent, failed or
// unreachable) before it, whose bodies may quote a member's check-ins, and
// the scheduler's slots due before it. It reports how many inbox and
// outbox rows went.
func (s *Core) Prune(ctx context.Context, cutoff time.Time) (inbox, outbox int, err error) {
	c := instant(cutoff)
	err = s.tx(ctx, func(tx Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM inbox WHERE received_at < ?`, c)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		inbox = int(n)
		res, err = tx.ExecContext(ctx, `DELETE FROM outbox WHERE status IN ('sent', 'failed', 'unreachable')
			AND CASE WHEN sent_at <> '' THEN sent_at ELSE created_at END < ?`, c)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		outbox = int(n)
		// The scheduler's record of old slots: it only needs the
		// catch-up window.
		_, err = tx.ExecContext(ctx, `DELETE FROM schedule_slots WHERE due_at < ?`, c)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("prune: %w", err)
	}
	return inbox, outbox, nil
}

// OutboxBacklog returns how many messages wait to be sent and when the
// oldest of them was due, for metrics.
func (s *Core) OutboxBacklog(ctx context.Context) (int, time.Time, error) {
	var n int
	var oldest sql.NullString
	err := s.rowR(ctx, `SELECT COUNT(*), MIN(not_before) FROM outbox WHERE status IN ('pending', 'sending')`).Scan(&n, &oldest)
	if err != nil || !oldest.Valid {
		return n, time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, oldest.String)
	return n, t, err
}

// OutboxCounts returns how many rows are in each status, for tests and
// diagnostics.
func (s *Core) OutboxCounts(ctx context.Context) (map[outbox.Status]int, error) {
	rows, err := s.rowsR(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[outbox.Status]int{}
	for rows.Next() {
		var st outbox.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// OutboxBody reads the stored body of the row with the key, for tests and
// diagnostics.
func (s *Core) OutboxBody(ctx context.Context, key string, body *string) error {
	return s.rowR(ctx, `SELECT body FROM outbox WHERE key = ?`, key).Scan(body)
}
