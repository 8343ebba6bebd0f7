package activity

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shakeoutbot/shakeout/coach"
)

// Format is the file format an activity came in.
type Format string

// The formats Parse reads.
const (
	FormatFIT Format = "FIT"
	FormatGPX Format = "GPX"
	FormatTCX Format = "TCX"
)

// Sport is the activity's sport, normalised to the few the coach tells
// apart.
type Sport string

// The sports. Anything else (walking, hiking, rowing, strength, ...) is
// SportOther.
const (
	SportRun   Sport = "run"
	SportRide  Sport = "ride"
	SportSwim  Sport = "swim"
	SportOther Sport = "other"
)

// Kind is the session kind a file of this sport is logged as before its
// heart rate or distance says more: a run is easy, anything else is cross
// training (coach/kinds.go logs bike and swim as cross).
func (s Sport) Kind() coach.Kind {
	if s == SportRun {
		return coach.KindEasy
	}
	return coach.KindCross
}

// Activity is one recorded session read from a file.
type Activity struct {
	Format Format
	Sport  Sport
	// SportName is the file's own word for the sport ("running",
	// "trail_running", "Biking"), lower case; "" when it names none.
	SportName string
	// Start is the instant the recording started, in UTC. The caller turns
	// it into the member's local date.
	Start time.Time
	// Elapsed is start to finish, pauses included.
	Elapsed time.Duration
	// Timer is the watch's timer time (pauses excluded) when the file
	// states it (FIT session, TCX laps); otherwise the sum of the steps
	// between samples that are not pauses (see Moving).
	Timer time.Duration
	// Moving is the time spent moving, by the rule in summary.go
	// (movingTime): steps between samples no longer than MaxStep and, where
	// distance is known, at MovingSpeed or faster over a MovingWindow
	// around the step. It never exceeds Timer.
	Moving time.Duration
	// DistanceM is the distance in metres: the file's total when it states
	// one, else the samples' cumulative distance, else the sum of
	// great-circle steps between positions. 0 when none of these exists.
	DistanceM float64
	// AvgHR and MaxHR in bpm: the file's figures when it states them, else
	// from the samples; 0 without heart rate.
	AvgHR, MaxHR int
	// HR holds the heart-rate samples in time order, offsets from Start.
	HR []coach.HRSample
	// HasGPS: at least two samples carry a position. HasHR: at least one
	// heart-rate sample.
	HasGPS, HasHR bool
}

// Defaults for Limits; a zero field in Limits takes these.
const (
	// DefaultMaxBytes is the largest file accepted as sent: Telegram's
	// Bot API download limit (20 MB).
	DefaultMaxBytes = 20 << 20
	// DefaultMaxDecompressed caps the bytes read after decompression, so a
	// small gzip or zip "bomb" cannot expand without end. A 24-hour TCX
	// with one sample a second is about 45 MB.
	DefaultMaxDecompressed = 64 << 20
	// DefaultMaxSamples caps the samples kept: 48 hours at one a second.
	DefaultMaxSamples = 48 * 3600
	// DefaultTimeout bounds the whole parse. A 3-hour FIT file takes a few
	// milliseconds; a 20 MB GPX well under a second.
	DefaultTimeout = 10 * time.Second
	// FutureSlack is how far past Limits.Now an activity may end before it
	// counts as from the future: watch clocks and server clocks disagree
	// a little.
	FutureSlack = 10 * time.Minute
)

// Limits bound what Parse accepts. The zero value means the defaults and no
// future check.
type Limits struct {
	MaxBytes        int64         // bytes as sent; DefaultMaxBytes when 0
	MaxDecompressed int64         // bytes after gzip/zip decompression; DefaultMaxDecompressed when 0
	MaxSamples      int           // samples kept; DefaultMaxSamples when 0
	Timeout         time.Duration // whole parse; DefaultTimeout when 0
	// Now is the current instant, passed in because this package reads no
	// clock. An activity ending after Now + FutureSlack is ErrFuture. The
	// zero time skips the check.
	Now time.Time
}

// DefaultLimits returns the default limits with the future check at now.
func DefaultLimits(now time.Time) Limits {
	return Limits{Now: now}.withDefaults()
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDecompressed <= 0 {
		l.MaxDecompressed = DefaultMaxDecompressed
	}
	if l.MaxSamples <= 0 {
		l.MaxSamples = DefaultMaxSamples
	}
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	return l
}

// Parse reads one activity from r, detecting its format from the content
// (name is used only in error details). Every failure is an *Error.
func Parse(r io.Reader, name string, limits Limits) (Activity, error) {
	return ParseContext(context.Background(), r, name, limits)
}

// ParseContext is Parse that also stops when ctx is done. The time limit is
// checked on every read from r and between decoded records, so a slow or
// hostile input ends with ErrTooSlow; r itself should not block for long
// (hand it the downloaded bytes, not a network stream without a deadline).
func ParseContext(ctx context.Context, r io.Reader, name string, limits Limits) (Activity, error) {
	limits = limits.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, limits.Timeout)
	defer cancel()
	p := &parser{ctx: ctx, limits: limits}
	a, err := p.parse(r)
	var e *Error
	switch {
	case err != nil:
		if !errors.As(err, &e) {
			e = p.classify(err)
		}
		if e.Format == "" {
			e.Format = p.format
		}
	case !limits.Now.IsZero() && a.Start.Add(a.Elapsed).After(limits.Now.Add(FutureSlack)):
		e = newErr(ErrFuture, a.Format, fmt.Sprintf("ends %s, after now (%s)",
			a.Start.Add(a.Elapsed).Format(time.RFC3339), limits.Now.UTC().Format(time.RFC3339)), nil)
	default:
		return a, nil
	}
	if name != "" {
		e.Detail = fmt.Sprintf("%s (%s)", e.Detail, shortName(name))
	}
	return Activity{}, e
}

// shortName bounds a member-supplied file name for an error detail.
func shortName(name string) string {
	const maxName = 80
	if len(name) <= maxName {
		return name
	}
	cut := maxName
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + "…"
}

// parser carries one parse's bounds.
type parser struct {
	ctx    context.Context
	limits Limits
	format Format // set once detected, for error messages
}

// The capped readers return these past their limit, and the collector
// errCapped past the sample limit; classify turns them into ErrTooLarge.
var (
	errCapped      = errors.New("sample limit reached")
	errCappedSent  = errors.New("byte limit reached")
	errCappedBytes = errors.New("decompressed byte limit reached")
)

// mb formats a byte count for an error detail.
func mb(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", (n+1023)>>10)
	}
	return fmt.Sprintf("%d MB", n>>20)
}

// classify turns a low-level error into an *Error.
func (p *parser) classify(err error) *Error {
	switch {
	case errors.Is(err, errCappedSent):
		return newErr(ErrTooLarge, p.format, "over "+mb(p.limits.MaxBytes)+" as sent", nil)
	case errors.Is(err, errCappedBytes):
		return newErr(ErrTooLarge, p.format, "over "+mb(p.limits.MaxDecompressed)+" unpacked", nil)
	case errors.Is(err, errCapped):
		return newErr(ErrTooLarge, p.format, fmt.Sprintf("more than %d samples", p.limits.MaxSamples), nil)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return newErr(ErrTooSlow, p.format, fmt.Sprintf("not done within %s", p.limits.Timeout), err)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return newErr(ErrCorrupt, p.format, "the file ends before its data does (truncated)", err)
	}
	return newErr(ErrCorrupt, p.format, err.Error(), err)
}

// Magic numbers.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	zipMagic  = []byte("PK\x03\x04")
	utf8BOM   = []byte{0xef, 0xbb, 0xbf}
)

func (p *parser) parse(r io.Reader) (Activity, error) {
	in := &limitedReader{ctx: p.ctx, r: r, left: p.limits.MaxBytes, over: errCappedSent}
	br := bufio.NewReaderSize(in, 64<<10)
	head, err := br.Peek(16)
	if len(head) == 0 {
		if err != nil && !errors.Is(err, io.EOF) {
			return Activity{}, err
		}
		return Activity{}, newErr(ErrUnknownFormat, "", "the file is empty", nil)
	}
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return Activity{}, newErr(ErrCorrupt, "", "broken gzip compression", err)
		}
		zr.Multistream(false)
		return p.parsePlain(&limitedReader{ctx: p.ctx, r: zr, left: p.limits.MaxDecompressed, over: errCappedBytes})
	case bytes.HasPrefix(head, zipMagic):
		return p.parseZip(br)
	}
	return p.parsePlain(br)
}

// parseZip reads a zip archive (Garmin Connect's "Export Original" wraps
// the FIT file in one) and parses its first entry named like an activity
// file, or else its first file.
func (p *parser) parseZip(r io.Reader) (Activity, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Activity{}, err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Activity{}, newErr(ErrCorrupt, "", "broken zip archive", err)
	}
	// The first entry named like an activity file, else the first file.
	var pick *zip.File
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if pick == nil || (!activityName(pick.Name) && activityName(f.Name)) {
			pick = f
		}
	}
	if pick != nil {
		rc, err := pick.Open()
		if err != nil {
			return Activity{}, newErr(ErrCorrupt, "", "broken zip entry", err)
		}
		defer rc.Close()
		return p.parsePlain(&limitedReader{ctx: p.ctx, r: rc, left: p.limits.MaxDecompressed, over: errCappedBytes})
	}
	return Activity{}, newErr(ErrUnknownFormat, "", "the zip archive is empty", nil)
}

// activityName reports whether an archive entry's name ends like an
// activity file.
func activityName(name string) bool {
	name = strings.ToLower(name)
	for _, ext := range []string{".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// parsePlain detects FIT or XML in uncompressed content and parses it.
func (p *parser) parsePlain(r io.Reader) (Activity, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	head, err := br.Peek(12)
	if len(head) < 12 && err != nil && !errors.Is(err, io.EOF) {
		return Activity{}, err
	}
	if len(head) == 12 && (head[0] == 12 || head[0] == 14) && string(head[8:12]) == ".FIT" {
		p.format = FormatFIT
		return p.parseFIT(br)
	}
	// XML: skip a byte-order mark and leading white space before '<'.
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(3)
	}
	for {
		c, err := br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return Activity{}, newErr(ErrUnknownFormat, "", "no FIT header and no XML", nil)
			}
			return Activity{}, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '<':
			_ = br.UnreadByte()
			return p.parseXML(br)
		}
		return Activity{}, newErr(ErrUnknownFormat, "", "no FIT header and no XML", nil)
	}
}

// limitedReader returns over once more than left bytes have been read,
// and the context's error once it is done.
type limitedReader struct {
	ctx  context.Context
	r    io.Reader
	left int64
	over error
}

func (l *limitedReader) Read(b []byte) (int, error) {
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	if l.left <= 0 {
		// One byte more tells a file of exactly the limit from a longer one.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, l.over
		}
		return 0, err
	}
	if int64(len(b)) > l.left {
		b = b[:l.left]
	}
	n, err := l.r.Read(b)
	l.left -= int64(n)
	return n, err
}
