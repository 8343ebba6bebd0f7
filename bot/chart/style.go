package chart

import (
	"compress/flate"
	"fmt"
	"image"
	"image/color"
	stdraw "image/draw"
	"math"
	"strings"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"git.sr.ht/~sbinet/gg"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Width is the width of every picture in pixels: a phone shows it across
// the screen at about a third of that in points, so the text sizes below
// stay readable there.
const Width = 1080

// Height is the height of the week and club pictures in pixels; the
// recovery strip grows with the plan's length from this minimum.
const Height = 700

// The palette (Okabe–Ito, plus neutrals for the dark card).
var (
	background = color.RGBA{0x1b, 0x21, 0x2c, 0xff} // dark slate card
	band       = color.RGBA{0x2c, 0x35, 0x46, 0xff} // this week's shading, tiles ahead
	ink        = color.RGBA{0xee, 0xf0, 0xf3, 0xff} // main text
	muted      = color.RGBA{0xa7, 0xb0, 0xbe, 0xff} // axis labels, secondary text
	gridLine   = color.RGBA{0x3a, 0x44, 0x55, 0xff}

	hardColor     = color.RGBA{0xd5, 0x5e, 0x00, 0xff} // vermillion
	easyColor     = color.RGBA{0x56, 0xb4, 0xe9, 0xff} // sky blue
	restColor     = color.RGBA{0x00, 0x9e, 0x73, 0xff} // bluish green
	unloggedColor = color.RGBA{0x99, 0x99, 0x99, 0xff} // grey
	avg7Color     = color.RGBA{0xf0, 0xe4, 0x42, 0xff} // yellow
	avg28Color    = color.RGBA{0xcc, 0x79, 0xa7, 0xff} // reddish purple
	flagColor     = color.RGBA{0xe6, 0x9f, 0x00, 0xff} // orange
)

// fonts are Liberation Sans, embedded from the font module gonum/plot uses.
var (
	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// Text sizes in pixels (the canvas is drawn at 72 dpi, so a point is a pixel).
const (
	titleSize = 40
	labelSize = 30
	smallSize = 28
)

// handler lays out plain text with the two fonts the pictures use, parsed
// on first use. Importing gonum.org/v1/plot itself would parse all twelve
// Liberation faces at start-up, in every process that links this package.
var handler = sync.OnceValue(func() text.Handler {
	coll := make(font.Collection, 0, 2)
	for _, f := range []struct {
		font font.Font
		ttf  []byte
	}{{sans, liberationsansregular.TTF}, {sansBold, liberationsansbold.TTF}} {
		face, err := opentype.Parse(f.ttf)
		if err != nil {
			panic(fmt.Sprintf("chart: the embedded font %s does not parse: %v", f.font.Name(), err))
		}
		coll = append(coll, font.Face{Font: f.font, Face: face})
	}
	return &measured{plain: text.Plain{Fonts: font.NewCache(coll)}}
})

// style is a text style of the given font, size and colour, anchored at its
// left baseline unless aligned otherwise.
func style(f font.Font, size vg.Length, c color.Color, xa text.XAlignment, ya text.YAlignment) draw.TextStyle {
	return draw.TextStyle{Color: c, Font: font.From(f, size), XAlign: xa, YAlign: ya, Handler: handler()}
}

// newCanvas returns an image canvas of w×h pixels filled with the
// background, and the draw.Canvas over it. Its Y axis points up, as in
// gonum/plot. The image comes from a pool and goes back in encode.
func newCanvas(w, h int) (*canvas, draw.Canvas) {
	img := newImage(w, h)
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	vc := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(72))
	stdraw.Draw(img, img.Rect, image.NewUniform(background), image.Point{}, stdraw.Src)
	c := &canvas{Canvas: vc, img: img, h: float64(h), col: color.Black}
	return c, draw.New(c)
}

// The kept picture buffer: 4 MB, big enough for a picture of pooledHeight,
// so the three kinds of picture share it, and allocating it afresh would
// cost a clear and that much garbage every time. One buffer, not a
// sync.Pool's one per processor and its second generation: the buffers a
// pool kept were most of the memory the pictures added to the process. It
// lives outside the Go heap where the system allows (keptPixels), so it
// does not raise the collector's heap goal by twice its size as well. It is
// made at the first picture; pixels holds it while no picture uses it, and
// a picture drawn while another has it gets a buffer of its own, left to
// the collector.
var (
	keptOnce sync.Once
	kept     []byte
	pixels   = make(chan []byte, 1)
)

const pooledHeight = 1000

// newImage returns a w×h image, on the kept buffer when it is free; its
// pixels are stale.
func newImage(w, h int) *image.RGBA {
	keptOnce.Do(func() {
		kept = keptPixels(4 * Width * pooledHeight)
		pixels <- kept
	})
	need := 4 * w * h
	var buf []byte
	select {
	case buf = <-pixels:
	default:
	}
	switch {
	case cap(buf) >= need:
		buf = buf[:need]
	case buf != nil:
		pixels <- buf
		buf = make([]byte, need)
	default:
		buf = make([]byte, need)
	}
	return &image.RGBA{Pix: buf, Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
}

// releaseImage gives the kept buffer back; any other buffer is left to the
// collector.
func releaseImage(img *image.RGBA) {
	if cap(img.Pix) > 0 && &img.Pix[:1][0] == &kept[0] {
		pixels <- kept
	}
}

// canvas is gonum's image canvas with a faster path for upright text.
// vgimg draws every glyph through a general affine transform with
// bilinear sampling, and makes a new font face for every string; here an
// upright string's glyph masks are drawn straight onto the image with one
// face per font and size. Rotated or moved text (the Y axis label) still
// goes through vgimg.
type canvas struct {
	*vgimg.Canvas
	img   *image.RGBA
	h     float64
	col   color.Color
	moved bool // a rotation, translation or scale is in force
	stack []canvasState
	faces map[font.Font]xfont.Face
}

type canvasState struct {
	col   color.Color
	moved bool
}

// SetColor records the colour for the text path too.
func (c *canvas) SetColor(col color.Color) {
	c.col = col
	c.Canvas.SetColor(col)
}

// Push saves the colour and transform state.
func (c *canvas) Push() {
	c.stack = append(c.stack, canvasState{c.col, c.moved})
	c.Canvas.Push()
}

// Pop restores what Push saved.
func (c *canvas) Pop() {
	s := c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
	c.col, c.moved = s.col, s.moved
	c.Canvas.Pop()
}

// Rotate marks the canvas as transformed.
func (c *canvas) Rotate(t float64) {
	c.moved = true
	c.Canvas.Rotate(t)
}

// Translate marks the canvas as transformed.
func (c *canvas) Translate(pt vg.Point) {
	c.moved = true
	c.Canvas.Translate(pt)
}

// Scale marks the canvas as transformed.
func (c *canvas) Scale(x, y float64) {
	c.moved = true
	c.Canvas.Scale(x, y)
}

// FillString draws upright text straight onto the image.
func (c *canvas) FillString(f font.Face, pt vg.Point, s string) {
	if c.moved || f.Font.Size == 0 {
		c.Canvas.FillString(f, pt, s)
		return
	}
	face, ok := c.faces[f.Font]
	if !ok {
		if c.faces == nil {
			c.faces = map[font.Font]xfont.Face{}
		}
		face = f.FontFace(72)
		c.faces[f.Font] = face
	}
	dot := fixed.Point26_6{X: fixed.Int26_6(float64(pt.X) * 64), Y: fixed.Int26_6((c.h - float64(pt.Y)) * 64)}
	src := image.NewUniform(c.col)
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot.X += face.Kern(prev, r)
		}
		prev = r
		g, ok := glyphs.get(f.Font, face, r, dot)
		if !ok {
			continue
		}
		at := g.rect.Add(image.Pt(dot.X.Floor(), dot.Y.Floor()))
		stdraw.DrawMask(c.img, at, src, image.Point{}, g.mask, image.Point{}, stdraw.Over)
		dot.X += g.advance
	}
}

// glyphs caches rasterised glyphs across pictures: the same few dozen
// characters at the same few sizes make up every picture's text, and
// rasterising them was most of the cost of drawing it.
var glyphs = glyphCache{m: map[glyphKey]glyph{}}

// glyphCacheMax bounds the cache; beyond it glyphs are drawn but not kept.
const glyphCacheMax = 4096

type glyphKey struct {
	font   font.Font
	r      rune
	fx, fy fixed.Int26_6 // the pen's position within its pixel, in quarters
}

type glyph struct {
	rect    image.Rectangle // relative to the pen's pixel
	mask    *image.Alpha
	advance fixed.Int26_6
}

type glyphCache struct {
	mu sync.RWMutex
	m  map[glyphKey]glyph
}

// get returns the glyph for r with the pen at dot, rasterising it with face
// on a miss. The pen's position within its pixel is rounded to a quarter
// pixel, so at most sixteen variants of a glyph are kept.
func (gc *glyphCache) get(fnt font.Font, face xfont.Face, r rune, dot fixed.Point26_6) (glyph, bool) {
	key := glyphKey{font: fnt, r: r, fx: dot.X & 63 &^ 15, fy: dot.Y & 63 &^ 15}
	gc.mu.RLock()
	g, ok := gc.m[key]
	gc.mu.RUnlock()
	if ok {
		return g, true
	}
	dr, mask, maskp, advance, ok := face.Glyph(fixed.Point26_6{X: key.fx, Y: key.fy}, r)
	if !ok {
		return glyph{}, false
	}
	// The face reuses its mask buffer on the next call: keep a copy.
	own := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
	stdraw.Draw(own, own.Rect, mask, maskp, stdraw.Src)
	g = glyph{rect: dr, mask: own, advance: advance}
	gc.mu.Lock()
	if len(gc.m) < glyphCacheMax {
		gc.m[key] = g
	}
	gc.mu.Unlock()
	return g, true
}

// encode writes the picture as a PNG and gives its buffer back to the pool;
// the canvas is done with then.
func encode(c *canvas) ([]byte, error) {
	b, err := writePNG(c.img, flate.BestSpeed)
	releaseImage(c.img)
	c.img = nil
	if err != nil {
		return nil, fmt.Errorf("chart: encoding the PNG: %w", err)
	}
	return b, nil
}

// fit shortens s with an ellipsis until it is at most width wide in st; a
// caller's title can be any length.
func fit(st draw.TextStyle, s string, width vg.Length) string {
	if st.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && st.Width(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + "…"
}

// rect fills the rectangle between two corners. On an untransformed
// picture it is filled straight into the image, edges on whole pixels,
// which is crisper and much cheaper than rasterising a path.
func rect(c draw.Canvas, x0, y0, x1, y1 vg.Length, col color.Color) {
	if fc := imageCanvas(c); fc != nil && !fc.moved {
		px := func(v vg.Length) int { return int(math.Round(float64(v))) }
		py := func(v vg.Length) int { return int(math.Round(fc.h - float64(v))) }
		r := image.Rect(px(x0), py(y0), px(x1), py(y1)) // Rect orders the corners
		stdraw.Draw(fc.img, r, image.NewUniform(col), image.Point{}, stdraw.Over)
		return
	}
	c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
}

// imageCanvas finds the picture's canvas under a draw.Canvas, which
// gonum/plot wraps in further draw.Canvas values as it lays out a plot.
func imageCanvas(c draw.Canvas) *canvas {
	var v vg.Canvas = c
	for {
		switch cv := v.(type) {
		case *canvas:
			return cv
		case draw.Canvas:
			v = cv.Canvas
		default:
			return nil
		}
	}
}

// outline strokes the rectangle between two corners.
func outline(c draw.Canvas, x0, y0, x1, y1 vg.Length, col color.Color, width vg.Length) {
	if fc := imageCanvas(c); fc != nil && !fc.moved {
		// Four bands centred on the edges, as the stroke would be.
		h := width / 2
		x0, x1 = min(x0, x1), max(x0, x1)
		y0, y1 = min(y0, y1), max(y0, y1)
		rect(c, x0-h, y1-h, x1+h, y1+h, col)
		rect(c, x0-h, y0-h, x1+h, y0+h, col)
		rect(c, x0-h, y0+h, x0+h, y1-h, col)
		rect(c, x1-h, y0+h, x1+h, y1-h, col)
		return
	}
	c.StrokeLines(draw.LineStyle{Color: col, Width: width},
		[]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
}

// swatch draws a legend entry: a filled square with a letter on it, then
// its words; it returns the x where the next entry may start.
func swatch(c draw.Canvas, x, y vg.Length, col color.Color, letter, words string) vg.Length {
	const side = 30
	rect(c, x, y-side/2, x+side, y+side/2, col)
	if letter != "" {
		c.FillText(style(sansBold, smallSize-4, background, text.XCenter, text.YCenter), vg.Point{X: x + side/2, Y: y}, letter)
	}
	st := style(sans, smallSize, ink, text.XLeft, text.YCenter)
	c.FillText(st, vg.Point{X: x + side + 10, Y: y}, words)
	return x + side + 10 + st.Width(words) + 28
}

// lineSwatch draws a legend entry for a line; it returns the next x.
func lineSwatch(c draw.Canvas, x, y vg.Length, ls draw.LineStyle, words string) vg.Length {
	c.StrokeLine2(ls, x, y, x+40, y)
	st := style(sans, smallSize, ink, text.XLeft, text.YCenter)
	c.FillText(st, vg.Point{X: x + 50, Y: y}, words)
	return x + 50 + st.Width(words) + 28
}
