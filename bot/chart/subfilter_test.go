package chart

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestSubFilter checks the word-at-a-time filter against the definition.
func TestSubFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{4, 8, 12, 16, 20, 36, 4 * 1080} {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(rng.IntN(256))
		}
		got := make([]byte, n)
		subFilter(got, src)
		for i := range src {
			want := src[i]
			if i >= 4 {
				want = src[i] - src[i-4]
			}
			if got[i] != want {
				t.Fatalf("n=%d: byte %d is %d, want %d", n, i, got[i], want)
			}
		}
	}
}

// TestWritePNGRoundTrips decodes what writePNG wrote with image/png and
// compares every pixel.
func TestWritePNGRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	img := image.NewRGBA(image.Rect(0, 0, 37, 23))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.IntN(256))
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	b, err := writePNG(img, 1)
	if err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for y := range 23 {
		for x := range 37 {
			r0, g0, b0, a0 := img.At(x, y).RGBA()
			r1, g1, b1, a1 := back.At(x, y).RGBA()
			if r0 != r1 || g0 != g1 || b0 != b1 || a0 != a1 {
				t.Fatalf("pixel %d,%d differs after the round trip", x, y)
			}
		}
	}
}
