package chart

import (
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// measured is text.Plain with the text measurements kept. gonum's font
// face measures a string, and reads a font's extents, with a fresh sfnt
// buffer each time (a few kilobytes), and its Draw measures every line
// again: that was about 300 KB of garbage a picture and half the
// allocations. The pictures' strings are few and repeat (day names, dates,
// verdict words), so their widths are kept, as are the two fonts' extents.
type measured struct {
	plain   text.Plain
	extents sync.Map // font.Font → font.Extents
	widths  sync.Map // widthKey → vg.Length
	kept    atomic.Int32
}

type widthKey struct {
	font font.Font
	s    string
}

// maxWidths bounds the kept widths; beyond it a width is measured each time
// (a member's name in a title is the only text that varies without end).
const maxWidths = 4096

func (m *measured) Cache() *font.Cache        { return m.plain.Cache() }
func (m *measured) Lines(txt string) []string { return m.plain.Lines(txt) }

func (m *measured) Extents(fnt font.Font) font.Extents {
	if e, ok := m.extents.Load(fnt); ok {
		return e.(font.Extents)
	}
	e := m.plain.Extents(fnt)
	m.extents.Store(fnt, e)
	return e
}

// width is the advance of one line of text in fnt.
func (m *measured) width(txt string, fnt font.Font) vg.Length {
	k := widthKey{fnt, txt}
	if w, ok := m.widths.Load(k); ok {
		return w.(vg.Length)
	}
	face := m.plain.Fonts.Lookup(fnt, fnt.Size)
	w := face.Width(txt)
	if m.kept.Load() < maxWidths {
		if _, loaded := m.widths.LoadOrStore(k, w); !loaded {
			m.kept.Add(1)
		}
	}
	return w
}

func (m *measured) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	e := m.Extents(fnt)
	return m.width(txt, fnt), e.Ascent, e.Descent
}

// Draw puts the text's lines on the canvas as text.Plain does: the block
// aligned on pt by the style's alignments, one line a font size below the
// other. Rotated text, which the pictures do not use, goes to text.Plain.
func (m *measured) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	if sty.Rotation != 0 || math.IsNaN(sty.Rotation) {
		m.plain.Draw(c, txt, sty, pt)
		return
	}
	face := m.plain.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	lines := m.Lines(txt)
	top := pt.Y + sty.Height(txt)*vg.Length(sty.YAlign) - m.Extents(sty.Font).Ascent
	for i, line := range lines {
		x := pt.X + vg.Length(sty.XAlign)*m.width(line, sty.Font)
		y := top + vg.Length(len(lines)-i)*sty.Font.Size
		c.FillString(face, vg.Point{X: x, Y: y}, line)
	}
}
