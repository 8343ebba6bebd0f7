package activity

import "errors"

// The kinds of failure. Every error Parse returns is an *Error whose Kind is
// one of these, so errors.Is(err, ErrCorrupt) and the like work; the core
// turns the kind into words (bot/errors.go).
var (
	// ErrUnknownFormat: the content is not FIT, GPX or TCX (nor one of them
	// compressed).
	ErrUnknownFormat = errors.New("not a FIT, GPX or TCX file")
	// ErrNotActivity: a FIT, GPX or TCX file that holds no recorded
	// activity (a course, a workout, a settings file, a planned route).
	ErrNotActivity = errors.New("not a recorded activity")
	// ErrCorrupt: the file breaks its own format: a bad checksum, cut off
	// before its end, malformed XML or compression, impossible times.
	ErrCorrupt = errors.New("corrupt file")
	// ErrNoSamples: a well-formed activity with fewer than two timed
	// samples, so nothing can be measured.
	ErrNoSamples = errors.New("no timed samples")
	// ErrTooLarge: over Limits.MaxBytes as sent, over
	// Limits.MaxDecompressed after decompression, or more than
	// Limits.MaxSamples samples.
	ErrTooLarge = errors.New("file too large")
	// ErrTooSlow: parsing did not finish within Limits.Timeout.
	ErrTooSlow = errors.New("file took too long to read")
	// ErrFuture: the activity ends after Limits.Now (plus FutureSlack).
	ErrFuture = errors.New("activity lies in the future")
)

// Error is a failure to read an activity file.
type Error struct {
	Kind   error  // one of the Err* values above
	Format Format // the detected format, "" when none was
	Detail string // what exactly was wrong, in plain words, for logs and tests
	cause  error
}

func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Format != "" {
		s = string(e.Format) + ": " + s
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the kind and, when there is one, the underlying error.
func (e *Error) Unwrap() []error {
	if e.cause == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.cause}
}

func newErr(kind error, f Format, detail string, cause error) *Error {
	return &Error{Kind: kind, Format: f, Detail: detail, cause: cause}
}

// Kinds lists every kind of failure, for the core to check it has words
// for each.
func Kinds() []error {
	return []error{ErrUnknownFormat, ErrNotActivity, ErrCorrupt, ErrNoSamples, ErrTooLarge, ErrTooSlow, ErrFuture}
}
