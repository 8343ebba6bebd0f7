package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// decode reads a PNG and checks its size.
func decode(t *testing.T, b []byte, w, h int) image.Image {
	t.Helper()
	if len(b) < 8 || !bytes.Equal(b[:8], []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("not a PNG: %d bytes starting %q", len(b), b[:min(8, len(b))])
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decoding the PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Fatalf("picture is %d×%d, want %d×%d", got.X, got.Y, w, h)
	}
	return img
}

// near reports whether two colours differ by at most tol in every channel.
// Anti-aliased edges blend a mark with what is under it, so a pixel counts
// as a palette colour only when it is close to it.
func near(a color.Color, b color.RGBA, tol int) bool {
	r, g, bl, _ := a.RGBA()
	d := func(x uint32, y uint8) bool {
		v := int(x>>8) - int(y)
		return v >= -tol && v <= tol
	}
	return d(r, b.R) && d(g, b.G) && d(bl, b.B)
}

// classify names the palette colour a pixel is close to, or "".
func classify(c color.Color, palette map[string]color.RGBA) string {
	for name, p := range palette {
		if near(c, p, 24) {
			return name
		}
	}
	return ""
}

// span is a run of pixels of one palette colour along a row or column.
type span struct {
	name   string
	lo, hi int // [lo, hi) along the scanned line
}

// runsAlong returns every run of at least minLen pixels of one palette
// colour among at(lo) … at(hi−1), in order. Pixels of any other colour
// (background, a line crossing, a blended edge) end a run.
func runsAlong(lo, hi int, at func(int) color.Color, minLen int, palette map[string]color.RGBA) []span {
	var out []span
	cur, start := "", lo
	for i := lo; i <= hi; i++ {
		name := ""
		if i < hi {
			name = classify(at(i), palette)
		}
		if name == cur {
			continue
		}
		if cur != "" && i-start >= minLen {
			out = append(out, span{cur, start, i})
		}
		cur, start = name, i
	}
	return out
}

// runs scans row y from x0 to x1.
func runs(img image.Image, y, x0, x1, minLen int, palette map[string]color.RGBA) []span {
	return runsAlong(x0, x1, func(x int) color.Color { return img.At(x, y) }, minLen, palette)
}

// runsDown scans column x from y0 down to y1.
func runsDown(img image.Image, x, y0, y1, minLen int, palette map[string]color.RGBA) []span {
	return runsAlong(y0, y1, func(y int) color.Color { return img.At(x, y) }, minLen, palette)
}

func names(ss []span) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.name
	}
	return out
}

// longestRun is the length of the longest run of pixels near col on row y.
func longestRun(img image.Image, y int, col color.RGBA) int {
	best, n := 0, 0
	for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
		if near(img.At(x, y), col, 24) {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
