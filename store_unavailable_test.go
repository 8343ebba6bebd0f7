package main

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestStoreUnavailable: errors that mean the database cannot be used now
// are told apart from a command's own failure. (SQLite's locked file is
// covered end to end by TestRunLosesTheDatabaseAndRecovers.)
func TestStoreUnavailable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("add session: %w", &pgconn.PgError{Code: "08006"}), true},
		{&pgconn.PgError{Code: "57P01"}, true},
		{&pgconn.PgError{Code: "53300"}, true},
		{fmt.Errorf("add session: %w", &pgconn.PgError{Code: "23505"}), false},
		{&pgconn.PgError{Code: "42P01"}, false},
		{fmt.Errorf("ensure member: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), true},
		{fmt.Errorf("claim: %w", io.ErrUnexpectedEOF), true},
		{driver.ErrBadConn, true},
		{errors.New("member not found"), false},
		{fmt.Errorf("parse: %w", io.EOF), false},
	} {
		if got := storeUnavailable(c.err); got != c.want {
			t.Errorf("storeUnavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
