package activity

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxXMLDepth bounds element nesting. GPX and TCX need fewer than ten
// levels; a file nested deeper is hostile or broken, and each level costs
// the XML decoder memory.
const maxXMLDepth = 64

// maxText bounds the text kept for one element; numbers and times are
// short, so longer text is ignored rather than buffered.
const maxText = 256

// xmlWalker reads XML token by token, keeping the path of open elements and
// the text of the innermost one.
type xmlWalker struct {
	d       *xml.Decoder
	path    []string
	text    []byte
	popNext bool // the last event ended the innermost element
}

func newXMLWalker(r io.Reader) *xmlWalker {
	d := xml.NewDecoder(&runGuard{r: r})
	d.Strict = true
	d.CharsetReader = charsetReader
	return &xmlWalker{d: d, path: make([]string, 0, 16)}
}

// in reports whether the open elements end with names (innermost last).
func (w *xmlWalker) in(names ...string) bool {
	if len(names) > len(w.path) {
		return false
	}
	tail := w.path[len(w.path)-len(names):]
	for i, n := range names {
		if tail[i] != n {
			return false
		}
	}
	return true
}

// within reports whether name is open anywhere on the path.
func (w *xmlWalker) within(name string) bool {
	for _, n := range w.path {
		if n == name {
			return true
		}
	}
	return false
}

// maxRun bounds the bytes between two angle brackets. The XML decoder
// buffers a whole text node, comment or tag in memory; GPX and TCX have no
// text or tag near this long, so a longer run is a hostile file and ends
// the parse before it can grow a buffer of the file's size.
const maxRun = 1 << 20

// runGuard fails a read once more than maxRun bytes have passed without a
// '<' or '>'.
type runGuard struct {
	r   io.Reader
	run int
}

func (g *runGuard) Read(b []byte) (int, error) {
	n, err := g.r.Read(b)
	if i := bytes.LastIndexAny(b[:n], "<>"); i >= 0 {
		g.run = n - 1 - i
	} else {
		g.run += n
	}
	if g.run > maxRun {
		return 0, newErr(ErrCorrupt, "", fmt.Sprintf("XML text or tag longer than %d KB", maxRun>>10), nil)
	}
	return n, err
}

// xmlEvent is one step of the walk: a start or an end of an element (text
// gathered for the element is in walker.text at its end).
type xmlEvent struct {
	start bool
	el    xml.StartElement // for a start
	name  string           // local name, for both
}

// next returns the next start or end event, io.EOF at the end of the
// document.
func (w *xmlWalker) next() (xmlEvent, error) {
	if w.popNext {
		w.path = w.path[:len(w.path)-1]
		w.text = w.text[:0]
		w.popNext = false
	}
	for {
		tok, err := w.d.Token()
		if err != nil {
			return xmlEvent{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(w.path) >= maxXMLDepth {
				return xmlEvent{}, newErr(ErrCorrupt, "", fmt.Sprintf("XML nested deeper than %d levels", maxXMLDepth), nil)
			}
			w.path = append(w.path, t.Name.Local)
			w.text = w.text[:0]
			return xmlEvent{start: true, el: t, name: t.Name.Local}, nil
		case xml.EndElement:
			// The caller sees the path with the element still open; it is
			// closed on the following call.
			w.popNext = true
			return xmlEvent{name: t.Name.Local}, nil
		case xml.CharData:
			if len(w.text)+len(t) <= maxText {
				w.text = append(w.text, t...)
			}
		}
	}
}

// textString is the gathered text, trimmed.
func (w *xmlWalker) textString() string {
	return strings.TrimSpace(string(w.text))
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// parseXMLTime reads an xsd:dateTime. A time without a zone is taken as
// UTC, which is what the GPX and TCX schemas prescribe.
func parseXMLTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func parseFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f || f > 1e12 || f < -1e12 { // NaN and absurd values are no number
		return 0, false
	}
	return f, true
}

// parseXML finds the root element and hands the walk to the GPX or TCX
// reader.
func (p *parser) parseXML(r io.Reader) (Activity, error) {
	w := newXMLWalker(r)
	for {
		ev, err := w.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return Activity{}, newErr(ErrUnknownFormat, "", "XML without a root element", nil)
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) && len(w.path) == 0 {
				return Activity{}, newErr(ErrUnknownFormat, "", "not well-formed XML", err)
			}
			return Activity{}, err
		}
		if !ev.start {
			continue
		}
		switch ev.name {
		case "gpx":
			p.format = FormatGPX
			return p.parseGPX(w, attr(ev.el, "creator"))
		case "TrainingCenterDatabase":
			p.format = FormatTCX
			return p.parseTCX(w)
		}
		return Activity{}, newErr(ErrUnknownFormat, "", fmt.Sprintf("XML whose root is <%s>", ev.name), nil)
	}
}

// xmlError classifies an error met inside a GPX or TCX document.
func (p *parser) xmlError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		if e.Format == "" {
			e.Format = p.format
		}
		return e
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Msg, "unexpected EOF") {
			return newErr(ErrCorrupt, p.format, "the file ends before its XML does (truncated)", err)
		}
		return newErr(ErrCorrupt, p.format, "malformed XML: "+se.Msg, err)
	}
	if errors.Is(err, io.EOF) {
		return newErr(ErrCorrupt, p.format, "the file ends before its XML does (truncated)", err)
	}
	return err
}

// charsetReader accepts the single-byte encodings exporters declare besides
// UTF-8. Windows-1252 is read as Latin-1: they differ only in punctuation
// at 0x80–0x9F, which no figure this package reads contains.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii":
		return &latin1Reader{r: bufio.NewReader(in)}, nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}

type latin1Reader struct {
	r       *bufio.Reader
	pending []byte
}

func (l *latin1Reader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		if len(l.pending) > 0 {
			c := copy(b[n:], l.pending)
			l.pending = l.pending[c:]
			n += c
			continue
		}
		c, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if c < utf8.RuneSelf {
			b[n] = c
			n++
			continue
		}
		var buf [2]byte
		l.pending = append(l.pending[:0], buf[:utf8.EncodeRune(buf[:], rune(c))]...)
	}
	return n, nil
}
