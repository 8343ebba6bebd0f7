package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shakeoutbot/shakeout/bot/activity"
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

// storeDownText answers a command that needs the member's record while the
// database is unreachable (handle_offline.go): nothing was stored.
const storeDownText = "Sorry, I can't reach my records right now, so I couldn't do that, and nothing was saved. " +
	"Recovery questions and /help still work; please send it again in a few minutes."

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

// fileError turns a failure to read or log an activity file into words:
// what is wrong with the file named name, then how to get the right one.
// Errors that are not about the file pass through unchanged.
func fileError(err error, name string) error {
	var e *activity.Error
	if !errors.As(err, &e) {
		return err
	}
	file := "That file"
	if n := strings.TrimSpace(name); n != "" {
		if utf8.RuneCountInString(n) > 60 {
			n = string([]rune(n)[:59]) + "…"
		}
		file = strconv.Quote(n)
	}
	return &Error{Code: CodeInvalid, Message: fileProblem(e, file) + " Nothing was logged.\n" + fileFix(e.Kind)}
}

// fileProblem says what is wrong with the file, by the kind of failure.
func fileProblem(e *activity.Error, file string) string {
	switch e.Kind {
	case activity.ErrUnknownFormat:
		return file + " is not an activity file I can read: I take FIT, GPX and TCX files (also .gz, or Garmin's .zip)."
	case activity.ErrNotActivity:
		return file + " is a " + string(e.Format) + " file without a recorded activity in it (a route, a course or a workout plan)."
	case activity.ErrCorrupt:
		return file + " is damaged or cut short (its checksum or structure is broken), so I can't read it."
	case activity.ErrNoSamples:
		return file + " has no timed recording in it: fewer than two samples with a time."
	case activity.ErrTooLarge:
		return fmt.Sprintf("%s is too large for me: the limit is %d MB, and %d hours of samples.", file, activity.DefaultMaxBytes>>20, activity.DefaultMaxSamples/3600)
	case activity.ErrTooSlow:
		return file + " took too long to read, so I stopped."
	case activity.ErrFuture:
		return file + " ends in the future, so the watch's clock was probably wrong."
	}
	return file + " could not be read."
}

// fileFix suggests the next step for each kind of failure.
func fileFix(kind error) string {
	switch kind {
	case activity.ErrUnknownFormat, activity.ErrNotActivity:
		return "Send the activity file your watch recorded: the .fit file (Garmin Connect: open the activity, ⚙ → Export Original), or a .gpx or .tcx export of the activity from your watch's app. /help import has more."
	case activity.ErrCorrupt:
		return "Export it again from your watch's app (Garmin Connect: ⚙ → Export Original) and send the new file without renaming or editing it."
	case activity.ErrNoSamples:
		return "Export the original recorded activity (Garmin Connect: ⚙ → Export Original), or log it by hand: /log easy 8km 45min."
	case activity.ErrTooLarge, activity.ErrTooSlow:
		return "Send the original FIT file instead (Garmin Connect: ⚙ → Export Original): it is many times smaller than a GPX or TCX export of the same activity."
	case activity.ErrFuture:
		return "Check the date and time on your watch, or log the session by hand: /log easy 8km 45min yesterday."
	}
	return "Send the original FIT file (Garmin Connect: ⚙ → Export Original), or log the session by hand: /log easy 8km 45min."
}
