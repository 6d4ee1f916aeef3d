package ui

import (
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The rasteriser under the charts' go-chart renderer (render.go): images
// reused between frames, integer blending, cached glyphs.

// canvasRGBA is an image the plotter draws into, with helpers for lines,
// rectangles and text.
type canvasRGBA struct {
	img *image.RGBA
}

func (c *canvasRGBA) resize(w, h int) {
	if c.img == nil || c.img.Rect.Dx() != w || c.img.Rect.Dy() != h {
		c.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
}

// fill paints the whole image one colour.
func (c *canvasRGBA) fill(col color.RGBA) {
	p := c.img.Pix
	if len(p) < 4 {
		return
	}
	p[0], p[1], p[2], p[3] = col.R, col.G, col.B, col.A
	for n := 4; n < len(p); n *= 2 {
		copy(p[n:], p[:n])
	}
}

// blend8 mixes col into the pixel at (x, y) with opacity k (0..255, the
// colour's own alpha already applied). Integer arithmetic: this is the
// plotter's innermost loop.
func (c *canvasRGBA) blend8(x, y int, col color.RGBA, k uint32) {
	r := c.img.Rect
	if uint(x-r.Min.X) >= uint(r.Dx()) || uint(y-r.Min.Y) >= uint(r.Dy()) || k == 0 {
		return
	}
	i := (y-r.Min.Y)*c.img.Stride + (x-r.Min.X)*4
	p := c.img.Pix[i : i+4 : i+4]
	if k >= 255 {
		p[0], p[1], p[2], p[3] = col.R, col.G, col.B, 255
		return
	}
	q := 255 - k
	p[0] = uint8((uint32(p[0])*q + uint32(col.R)*k + 127) / 255)
	p[1] = uint8((uint32(p[1])*q + uint32(col.G)*k + 127) / 255)
	p[2] = uint8((uint32(p[2])*q + uint32(col.B)*k + 127) / 255)
	p[3] = 255
}

// rect fills a rectangle, blending a translucent colour.
func (c *canvasRGBA) rect(r image.Rectangle, col color.RGBA) {
	r = r.Intersect(c.img.Rect)
	if r.Empty() {
		return
	}
	// Blend in 1/256ths with a shift, red and blue in one word (each lane
	// is a convex mix below 2^16, so they cannot carry into each other):
	// the band fills are the plotter's largest areas.
	k := uint32(col.A)
	k256 := k + k>>7 // 0..255 -> 0..256
	q := 256 - k256
	crb := (uint32(col.R)*k256 + 128) | (uint32(col.B)*k256+128)<<16
	cg := uint32(col.G)*k256 + 128
	w4 := 4 * r.Dx()
	first := c.img.PixOffset(r.Min.X, r.Min.Y)
	for i := first; i < first+r.Dy()*c.img.Stride; i += c.img.Stride {
		row := c.img.Pix[i : i+w4 : i+w4]
		if k == 255 {
			if i > first { // rows after the first: a copy of it
				copy(row, c.img.Pix[first:first+w4])
				continue
			}
			for j := 0; j+3 < len(row); j += 4 {
				row[j], row[j+1], row[j+2], row[j+3] = col.R, col.G, col.B, 255
			}
			continue
		}
		for j := 0; j+3 < len(row); j += 4 {
			v := binary.LittleEndian.Uint32(row[j:])
			rb := ((v&0x00ff00ff)*q + crb) >> 8 & 0x00ff00ff
			g := ((v>>8&0xff)*q + cg) >> 8 & 0xff
			binary.LittleEndian.PutUint32(row[j:], rb|g<<8|0xff000000)
		}
	}
}

// line draws an anti-aliased line (Xiaolin Wu) of about width px.
func (c *canvasRGBA) line(x0, y0, x1, y1 float64, col color.RGBA, width float64) {
	// A thicker line is a Wu line with a solid core of width-1 pixels.
	core := int(math.Max(0, math.Round(width-1)))
	// Level and plumb lines on whole pixels (grid lines, axes, the steps
	// of a series) have no anti-aliased edge: the same pixels as a
	// rectangle, filled row by row.
	if y0 == y1 && y0 == math.Floor(y0) {
		xs, xe := int(math.Round(math.Min(x0, x1))), int(math.Round(math.Max(x0, x1)))
		c.rect(image.Rect(xs, int(y0), xe+1, int(y0)+core+1), col)
		return
	}
	if x0 == x1 && x0 == math.Floor(x0) {
		ys, ye := int(math.Round(math.Min(y0, y1))), int(math.Round(math.Max(y0, y1)))
		c.rect(image.Rect(int(x0), ys, int(x0)+core+1, ye+1), col)
		return
	}
	steep := math.Abs(y1-y0) > math.Abs(x1-x0)
	if steep {
		x0, y0, x1, y1 = y0, x0, y1, x1
	}
	if x0 > x1 {
		x0, x1, y0, y1 = x1, x0, y1, y0
	}
	dx, dy := x1-x0, y1-y0
	grad := 1.0
	if dx > 1e-9 {
		grad = dy / dx
	}
	ka := uint32(col.A)
	xs, xe := int(math.Round(x0)), int(math.Round(x1))
	y := y0 + grad*(float64(xs)-x0)
	for x := xs; x <= xe; x++ {
		fy := math.Floor(y)
		f := uint32((y - fy) * 255)
		iy := int(fy)
		if steep {
			c.blend8(iy, x, col, (255-f)*ka/255)
			for k := 1; k <= core; k++ {
				c.blend8(iy+k, x, col, ka)
			}
			c.blend8(iy+core+1, x, col, f*ka/255)
		} else {
			c.blend8(x, iy, col, (255-f)*ka/255)
			for k := 1; k <= core; k++ {
				c.blend8(x, iy+k, col, ka)
			}
			c.blend8(x, iy+core+1, col, f*ka/255)
		}
		y += grad
	}
}

// dashState carries a dash pattern from one segment of a path to the
// next, so a polyline's pattern is continuous.
type dashState struct {
	i   int     // current entry of the pattern (even: a dash, odd: a gap)
	pos float64 // pixels already used of it
}

// dashedLine draws a line in the dashes and gaps of pattern.
func (c *canvasRGBA) dashedLine(x0, y0, x1, y1 float64, col color.RGBA, width float64, pattern []float64, d *dashState) {
	l := math.Hypot(x1-x0, y1-y0)
	if l == 0 {
		return
	}
	pos := 0.0
	for guard := 0; pos < l && guard < 1<<16; guard++ {
		d.i %= len(pattern)
		seg := pattern[d.i]
		if seg <= 0 {
			d.i, d.pos = d.i+1, 0
			continue
		}
		step := math.Min(seg-d.pos, l-pos)
		if d.i%2 == 0 {
			a, b := pos/l, (pos+step)/l
			c.line(x0+(x1-x0)*a, y0+(y1-y0)*a, x0+(x1-x0)*b, y0+(y1-y0)*b, col, width)
		}
		pos += step
		d.pos += step
		if d.pos >= seg {
			d.i, d.pos = d.i+1, 0
		}
	}
}

// glyphs caches rendered glyph masks of the chart font, shared by all
// plotters (glyph rendering is the costly part of text).
type glyphCache struct {
	mu     sync.Mutex
	face   font.Face
	ascent int
	m      map[rune]glyph
}

type glyph struct {
	mask *image.Alpha
	off  image.Point // top-left of the mask relative to the pen on the baseline
	adv  int
}

var chartFont = sync.OnceValue(func() *glyphCache {
	g := &glyphCache{m: map[rune]glyph{}}
	f, err := opentype.Parse(goregular.TTF)
	if err == nil {
		g.face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: 11, DPI: 72, Hinting: font.HintingFull})
	}
	if err != nil {
		panic("chart font: " + err.Error()) // the font is compiled in; this cannot fail at run time
	}
	m := g.face.Metrics()
	g.ascent = m.Ascent.Ceil()
	return g
})

func (g *glyphCache) get(r rune) glyph {
	if gl, ok := g.m[r]; ok {
		return gl
	}
	dr, mask, mp, adv, ok := g.face.Glyph(fixed.Point26_6{}, r)
	gl := glyph{adv: adv.Round()}
	if ok && mask != nil && !dr.Empty() {
		a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		draw.Draw(a, a.Rect, mask, mp, draw.Src)
		gl.mask, gl.off = a, dr.Min
	}
	g.m[r] = gl
	return gl
}

// textWidth is the width of s in pixels.
func textWidth(s string) int {
	g := chartFont()
	g.mu.Lock()
	defer g.mu.Unlock()
	w := 0
	for _, r := range s {
		w += g.get(r).adv
	}
	return w
}

// text draws s with its top-left corner at (x, y).
func (c *canvasRGBA) text(s string, x, y int, col color.RGBA) {
	g := chartFont()
	g.mu.Lock()
	defer g.mu.Unlock()
	base := y + g.ascent
	for _, r := range s {
		gl := g.get(r)
		if gl.mask != nil {
			ox, oy := x+gl.off.X, base+gl.off.Y
			b := gl.mask.Rect
			for j := 0; j < b.Dy(); j++ {
				for i := 0; i < b.Dx(); i++ {
					if a := gl.mask.Pix[j*gl.mask.Stride+i]; a != 0 {
						c.blend8(ox+i, oy+j, col, uint32(a)*uint32(col.A)/255)
					}
				}
			}
		}
		x += gl.adv
	}
}

// rotatedText draws s turned by rot radians (clockwise on screen) about
// the left end of its baseline at (x, y).
func (c *canvasRGBA) rotatedText(s string, x, y int, rot float64, col color.RGBA) {
	g := chartFont()
	g.mu.Lock()
	defer g.mu.Unlock()
	sin, cos := math.Sincos(rot)
	pen := 0
	for _, r := range s {
		gl := g.get(r)
		if gl.mask != nil {
			b := gl.mask.Rect
			for j := 0; j < b.Dy(); j++ {
				for i := 0; i < b.Dx(); i++ {
					if a := gl.mask.Pix[j*gl.mask.Stride+i]; a != 0 {
						dx, dy := float64(pen+gl.off.X+i), float64(gl.off.Y+j)
						px, py := x+int(math.Round(dx*cos-dy*sin)), y+int(math.Round(dx*sin+dy*cos))
						c.blend8(px, py, col, uint32(a)*uint32(col.A)/255)
					}
				}
			}
		}
		pen += gl.adv
	}
}

// niceStep is a round tick step (1, 2 or 5 times a power of ten) giving
// about n ticks over span.
func niceStep(span float64, n int) float64 {
	if span <= 0 || n < 1 {
		return 1
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// ticks appends round tick values in [lo, hi] with about n ticks.
func ticks(lo, hi float64, n int, dst []float64) []float64 {
	step := niceStep(hi-lo, n)
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		dst = append(dst, math.Round(v/step)*step)
	}
	return dst
}

// timeSteps are the round steps of a clock axis, in seconds.
var timeSteps = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400}

// timeTicks appends round clock times (seconds since start, where start is
// the wall-clock time of 0) in [lo, hi] with about n ticks.
func timeTicks(start time.Time, lo, hi float64, n int, dst []float64) ([]float64, float64) {
	step := timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if (hi-lo)/s <= float64(n) {
			step = s
			break
		}
	}
	// Round to the wall clock, not to the run's start.
	off := float64(start.UnixNano()%int64(step*1e9)) / 1e9
	for v := math.Ceil((lo+off)/step-1e-9)*step - off; v <= hi+1e-9; v += step {
		dst = append(dst, v)
	}
	return dst, step
}

// formatCount writes a frame count compactly: 950, 12k, 1.5M.
func formatCount(buf []byte, v float64) []byte {
	if v == 0 {
		v = 0 // -0 (from rounding) is "0", not "-0"
	}
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return append(strconv.AppendFloat(buf, v/1e9, 'f', -1, 64), 'G')
	case a >= 1e6:
		return append(strconv.AppendFloat(buf, v/1e6, 'f', -1, 64), 'M')
	case a >= 1e3:
		return append(strconv.AppendFloat(buf, v/1e3, 'f', -1, 64), 'k')
	}
	return strconv.AppendFloat(buf, v, 'f', -1, 64)
}

// formatClock writes a wall-clock time: 15:04:05, or 15:04 for whole
// minutes steps.
func formatClock(buf []byte, t time.Time, step float64) []byte {
	// Ticks are computed in float seconds: 16:31:59.9999 is 16:32:00.
	t = t.Round(time.Second)
	if step >= 60 {
		return t.AppendFormat(buf, "15:04")
	}
	return t.AppendFormat(buf, "15:04:05")
}

func appendFloat(buf []byte, v float64, dec int) []byte {
	return strconv.AppendFloat(buf, v, 'f', dec, 64)
}
