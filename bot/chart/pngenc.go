package chart

import (
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"slices"
)

// writePNG encodes an opaque RGBA image as an 8-bit paletted PNG.
//
// image/png would write it as truecolour, trying five filters on every row
// and compressing 2.3 MB for a 1080×700 picture; that was three quarters of
// a picture's cost. These pictures are flat colours plus the blends that
// anti-aliasing makes at edges, a few thousand colours at most, most of
// them used by a handful of pixels. So the 256 most used colours become the
// palette (every colour when there are no more than that), each remaining
// edge colour is drawn with its nearest palette colour, and a third of the
// bytes are compressed. The flat colours, the ones that carry meaning, are
// always exact; an edge pixel may shift by a few levels.
func writePNG(img *image.RGBA, level int) ([]byte, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var z *zbuf
	select {
	case z = <-zbufs:
	default:
		z = new(zbuf)
	}
	defer func() {
		select {
		case zbufs <- z:
		default:
		}
	}()
	pal, index := palette(img, z)

	z.buf.Reset()
	z.buf.Write([]byte{0x78, 0x01}) // zlib header: deflate, 32K window
	if z.fw == nil || z.level != level {
		fw, err := flate.NewWriter(&z.buf, level)
		if err != nil {
			return nil, err
		}
		z.fw, z.level = fw, level
	} else {
		z.fw.Reset(&z.buf)
	}
	if len(z.row) != 1+w {
		z.row = make([]byte, 1+w)
	}
	sum := adler32.New()
	row := z.row // row[0] = 0: no filter, as usual for a paletted image
	// The rows again, as palette indices, from the runs of one colour the
	// palette pass found: a colour is looked up once per run, and a row
	// the same as the one above keeps its indices.
	for y := range h {
		sp := z.spans[y]
		if y == 0 || sp != z.spans[y-1] {
			x := 1
			for _, r := range z.runs[sp[0]:sp[1]] {
				idx := byte(*index.at(r.c))
				end := x + int(r.n)
				for i := x; i < end; i++ {
					row[i] = idx
				}
				x = end
			}
		}
		sum.Write(row)
		if _, err := z.fw.Write(row); err != nil {
			return nil, err
		}
	}
	if err := z.fw.Close(); err != nil {
		return nil, err
	}
	z.buf.Write(sum.Sum(nil))

	// The file, in one allocation of its exact size: signature, then
	// chunks of 12 bytes each beside their data.
	var out bytes.Buffer
	out.Grow(8 + 12 + 13 + 12 + 3*len(pal) + 12 + z.buf.Len() + 12)
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 3 // 8 bits an index, paletted
	chunk(&out, "IHDR", ihdr[:])
	plte := z.plte[:0]
	for _, c := range pal {
		plte = append(plte, byte(c), byte(c>>8), byte(c>>16))
	}
	z.plte = plte
	chunk(&out, "PLTE", plte)
	chunk(&out, "IDAT", z.buf.Bytes())
	chunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

// pixel is the x-th pixel of a row as 0x00BBGGRR (alpha dropped).
func pixel(row []byte, x int) uint32 {
	return binary.LittleEndian.Uint32(row[4*x:]) & 0xffffff
}

// colourRun is a run of pixels of one colour within a row.
type colourRun struct {
	c uint32
	n int32
}

// palette chooses at most 256 colours for img and maps every colour in it
// to a palette index.
func palette(img *image.RGBA, z *zbuf) ([]uint32, *colourTable) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if z.table == nil {
		z.table = newColourTable(12)
	}
	t := z.table
	t.reset()
	// Every row's runs of one colour, kept for the index pass: spans[y]
	// is row y's part of runs; a row the same as the one above shares its
	// span.
	rs := z.runs[:0]
	if cap(z.spans) < h {
		z.spans = make([][2]int32, h)
	}
	spans := z.spans[:h]
	var above []byte
	for y := range h {
		src := img.Pix[y*img.Stride : y*img.Stride+4*w]
		if w == 0 {
			spans[y] = [2]int32{}
			continue
		}
		// Much of a picture is rows the same as the one above (inside
		// tiles and bars, between lines of text): one comparison finds
		// them, and the row above's runs are counted again.
		if above != nil && bytes.Equal(src, above) {
			spans[y] = spans[y-1]
			for _, r := range rs[spans[y][0]:spans[y][1]] {
				*t.at(r.c) += r.n
			}
			continue
		}
		above = src
		start := int32(len(rs))
		prev, run := pixel(src, 0), int32(1)
		for x := 1; x < w; {
			// Most pixels continue a run: test two at a time.
			if x+1 < w && binary.LittleEndian.Uint64(src[4*x:])&0x00ffffff00ffffff == uint64(prev)|uint64(prev)<<32 {
				run += 2
				x += 2
				continue
			}
			if c := pixel(src, x); c != prev {
				*t.at(prev) += run
				rs = append(rs, colourRun{prev, run})
				prev, run = c, 0
			}
			run++
			x++
		}
		*t.at(prev) += run
		rs = append(rs, colourRun{prev, run})
		spans[y] = [2]int32{start, int32(len(rs))}
	}
	z.runs, z.spans = rs, spans
	uses := z.uses[:0] // a colour and its pixel count
	for i, k := range t.keys {
		if k != emptyKey {
			uses = append(uses, colourRun{k, t.vals[i]})
		}
	}
	// Most used first; ties by value, so the same picture always gives the
	// same bytes.
	slices.SortFunc(uses, func(a, b colourRun) int {
		if d := cmp.Compare(b.n, a.n); d != 0 {
			return d
		}
		return cmp.Compare(a.c, b.c)
	})
	z.uses = uses
	pal := z.pal[:min(256, len(uses))]
	for i := range pal {
		pal[i] = uses[i].c
		*t.at(pal[i]) = int32(i)
	}
	if z.cells == nil {
		z.cells = map[uint32]int32{}
	}
	clear(z.cells)
	near := nearestFinder{pal: pal, cells: z.cells}
	for _, u := range uses[len(pal):] {
		*t.at(u.c) = near.find(u.c)
	}
	return pal, t
}

// nearestFinder finds the palette colour closest to a colour. Colours that
// agree in their top six bits per channel share the answer: they are all
// edge blends within 4 levels of each other, and the search is the slow part.
type nearestFinder struct {
	pal   []uint32
	cells map[uint32]int32
}

func (f *nearestFinder) find(c uint32) int32 {
	cell := c & 0xfcfcfc
	if i, ok := f.cells[cell]; ok {
		return i
	}
	best, bestD := 0, 1<<30
	r, g, b := int(c&0xff), int(c>>8&0xff), int(c>>16&0xff)
	for i, p := range f.pal {
		dr, dg, db := r-int(p&0xff), g-int(p>>8&0xff), b-int(p>>16&0xff)
		if d := 2*dr*dr + 4*dg*dg + 3*db*db; d < bestD {
			best, bestD = i, d
		}
	}
	f.cells[cell] = int32(best)
	return int32(best)
}

// emptyKey marks a free slot: no 24-bit colour equals it.
const emptyKey = 0xffffffff

// colourTable is an open-addressing hash table from a colour to a number,
// here a pixel count and then a palette index. The go map's generality
// cost more than the rest of palette selection together.
type colourTable struct {
	keys  []uint32
	vals  []int32
	n     int
	shift uint
}

func newColourTable(bits uint) *colourTable {
	t := &colourTable{keys: make([]uint32, 1<<bits), vals: make([]int32, 1<<bits), shift: 32 - bits}
	for i := range t.keys {
		t.keys[i] = emptyKey
	}
	return t
}

// at returns the number stored for c, adding c with 0 when it is new.
func (t *colourTable) at(c uint32) *int32 {
	mask := uint32(len(t.keys) - 1)
	for i := (c * 2654435761) >> t.shift; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case c:
			return &t.vals[i]
		case emptyKey:
			if 2*(t.n+1) > len(t.keys) {
				t.grow()
				return t.at(c)
			}
			t.keys[i] = c
			t.n++
			return &t.vals[i]
		}
	}
}

// reset empties the table, keeping its size.
func (t *colourTable) reset() {
	for i := range t.keys {
		t.keys[i] = emptyKey
		t.vals[i] = 0
	}
	t.n = 0
}

func (t *colourTable) grow() {
	old := *t
	*t = *newColourTable(32 - old.shift + 1)
	for i, k := range old.keys {
		if k != emptyKey {
			*t.at(k) = old.vals[i]
		}
	}
}

type zbuf struct {
	pal   [256]uint32
	plte  []byte
	cells map[uint32]int32 // the nearest-colour answers, kept for the next picture
	runs  []colourRun      // every row's runs of one colour
	spans [][2]int32       // each row's part of runs
	uses  []colourRun
	table *colourTable
	buf   bytes.Buffer
	fw    *flate.Writer
	level int
	row   []byte
}

// zbufs keeps one encoder's buffers between pictures, as pixels keeps one
// picture buffer.
var zbufs = make(chan *zbuf, 1)

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
