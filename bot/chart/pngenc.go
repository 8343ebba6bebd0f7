package chart

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"sync"
)

// writePNG encodes an RGBA image as an 8-bit RGBA PNG. It differs from
// image/png in two choices: every row uses the Sub filter instead of
// trying all five filters per row, and the pixels are written as they lie
// in memory, alpha included, so the filter runs eight bytes at a time. The
// pictures are flat colour with anti-aliased edges, where Sub turns nearly
// every row into runs of zeros (the constant alpha too), so the file is
// about as small and the encoding several times faster.
func writePNG(img *image.RGBA, level int) ([]byte, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var out bytes.Buffer
	out.Grow(96 << 10)
	out.WriteString("\x89PNG\r\n\x1a\n")

	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // 8 bits a sample, truecolour with alpha
	chunk(&out, "IHDR", ihdr[:])

	z := zbufs.Get().(*zbuf)
	defer zbufs.Put(z)
	z.buf.Reset()
	z.buf.Write([]byte{0x78, 0x01}) // zlib header: deflate, 32K window
	if z.fw == nil {
		fw, err := flate.NewWriter(&z.buf, level)
		if err != nil {
			return nil, err
		}
		z.fw, z.level = fw, level
	} else {
		z.fw.Reset(&z.buf)
	}
	n := 4 * w
	if len(z.row) != 1+n {
		z.row = make([]byte, 1+n)
	}
	sum := adler32.New()
	row := z.row
	row[0] = 1 // Sub
	for y := range h {
		subFilter(row[1:], img.Pix[y*img.Stride:y*img.Stride+n])
		sum.Write(row)
		if _, err := z.fw.Write(row); err != nil {
			return nil, err
		}
	}
	if err := z.fw.Close(); err != nil {
		return nil, err
	}
	z.buf.Write(sum.Sum(nil))
	chunk(&out, "IDAT", z.buf.Bytes())
	chunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

type zbuf struct {
	buf   bytes.Buffer
	fw    *flate.Writer
	level int
	row   []byte
}

var zbufs = sync.Pool{New: func() any { return new(zbuf) }}

// chunk writes one PNG chunk: length, type, data and CRC.
func chunk(out *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	out.WriteString(typ)
	out.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	out.Write(n[:])
}

// subFilter writes the PNG Sub filter of one row of 4-byte pixels: each
// byte minus the same byte of the pixel before, modulo 256. Eight bytes at
// a time, by byte-wise subtraction within a 64-bit word.
func subFilter(dst, src []byte) {
	const hi = 0x8080808080808080
	n := len(src)
	copy(dst[:4], src[:4])
	i := 4
	for ; i+8 <= n; i += 8 {
		a := binary.LittleEndian.Uint64(src[i:])
		b := binary.LittleEndian.Uint64(src[i-4:])
		binary.LittleEndian.PutUint64(dst[i:], ((a|hi)-(b&^hi))^((a^^b)&hi))
	}
	for ; i < n; i++ {
		dst[i] = src[i] - src[i-4]
	}
}
