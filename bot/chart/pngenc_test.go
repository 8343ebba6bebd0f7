package chart

import (
	"bytes"
	"compress/flate"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

func roundTrip(t *testing.T, img *image.RGBA) image.Image {
	t.Helper()
	b, err := writePNG(img, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("image/png cannot read what writePNG wrote: %v", err)
	}
	if back.Bounds() != img.Bounds() {
		t.Fatalf("bounds %v, want %v", back.Bounds(), img.Bounds())
	}
	return back
}

// TestWritePNGExactWithFewColours: up to 256 colours, every pixel comes
// back as it was.
func TestWritePNGExactWithFewColours(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var cols [256]color.RGBA
	for i := range cols {
		cols[i] = color.RGBA{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), 255}
	}
	img := image.NewRGBA(image.Rect(0, 0, 97, 61))
	for y := range 61 {
		for x := range 97 {
			img.SetRGBA(x, y, cols[(x/3+y*7)%256])
		}
	}
	back := roundTrip(t, img)
	for y := range 61 {
		for x := range 97 {
			if !near(back.At(x, y), img.RGBAAt(x, y), 0) {
				t.Fatalf("pixel %d,%d is %v, want %v", x, y, back.At(x, y), img.RGBAAt(x, y))
			}
		}
	}
}

// TestWritePNGKeepsCommonColoursExact: with more than 256 colours, the
// 256 most used stay exact, and a rarely used one (like an anti-aliased
// edge, a blend of colours nearby) becomes a close colour.
func TestWritePNGKeepsCommonColoursExact(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 256, 40))
	for y := range 40 {
		for x := range 256 {
			c := color.RGBA{byte(x), 40, 90, 255} // 256 common colours
			if y == 0 && x%2 == 1 {
				c = color.RGBA{byte(x) - 1, 42, 91, 255} // 128 rare ones, each near a common one
			}
			img.SetRGBA(x, y, c)
		}
	}
	back := roundTrip(t, img)
	for y := range 40 {
		for x := range 256 {
			want := img.RGBAAt(x, y)
			tol := 0
			if y == 0 && x%2 == 1 {
				tol = 6
			}
			if !near(back.At(x, y), want, tol) {
				t.Fatalf("pixel %d,%d is %v, want %v (±%d)", x, y, back.At(x, y), want, tol)
			}
		}
	}
}
