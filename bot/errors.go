package bot

import (
	"errors"
	"fmt"
)

// Code classifies an error a member may see.
type Code string

// The error codes. Only the core turns them into reply text (see replyFor).
const (
	CodeInvalid   Code = "invalid"
	CodeNotFound  Code = "not_found"
	CodeForbidden Code = "forbidden"
	CodeConflict  Code = "conflict"
	CodeTooLong   Code = "too_long"
	CodeInternal  Code = "internal"
)

// Error is an error with a code and a message written for the member.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf returns an *Error whose message is shown to the member as it is, so
// write it as a full, friendly sentence, ideally with a correct example.
func Errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalidf is Errorf(CodeInvalid, ...) with a correct example appended.
func Invalidf(example, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if example != "" {
		msg += "\nFor example: " + example
	}
	return &Error{Code: CodeInvalid, Message: msg}
}

// CodeOf returns err's code, or CodeInternal for an error without one.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// apology is all a member sees of an internal error.
const apology = "Sorry, something went wrong on my side. Please try again in a minute."

// replyText turns an error into the words a member sees. Internal errors
// become a short apology; the caller logs them once.
func replyText(err error) string {
	var e *Error
	if !errors.As(err, &e) || e.Code == CodeInternal {
		return apology
	}
	switch e.Code {
	case CodeForbidden:
		return "Not allowed: " + e.Message
	case CodeNotFound, CodeConflict, CodeInvalid, CodeTooLong:
		return e.Message
	}
	return e.Message
}
