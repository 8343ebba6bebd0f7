package activity

import "errors"

// The kinds of failure. Every error Parse returns is an *Error whose Kind is
// one of these, so errors.Is(err, ErrCorrupt) and the like work; the core
// turns the kind into words (Error.Fix gives a suggested next step).
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

// Fix suggests what the member can do, in one or two sentences.
func (e *Error) Fix() string {
	switch e.Kind {
	case ErrUnknownFormat, ErrNotActivity:
		return "Send the activity file your watch recorded: the .fit file (Garmin Connect: open the activity, ⚙ → Export Original), or a .gpx or .tcx export of the activity from your watch's app. A route, a course or a workout plan is not an activity."
	case ErrCorrupt:
		return "The file is damaged or was cut off. Export it again from your watch's app (Garmin Connect: ⚙ → Export Original) and send the new file without renaming or editing it."
	case ErrNoSamples:
		return "The file has no timed recording in it. Export the original recorded activity (Garmin Connect: ⚙ → Export Original), or log it by hand with /log."
	case ErrTooLarge:
		return "The file is too big. Send the original FIT file instead (Garmin Connect: ⚙ → Export Original): it is many times smaller than a GPX or TCX export of the same activity."
	case ErrTooSlow:
		return "The file took too long to read. Export the original FIT file (Garmin Connect: ⚙ → Export Original) and send that instead."
	case ErrFuture:
		return "The file's times are in the future, so the watch's clock was probably wrong. Check its date and time, or log the session by hand with /log."
	}
	return ""
}

func newErr(kind error, f Format, detail string, cause error) *Error {
	return &Error{Kind: kind, Format: f, Detail: detail, cause: cause}
}
