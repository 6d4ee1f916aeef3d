package ui

import (
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

// canvasRenderer is a go-chart Renderer drawing straight into a reused
// canvasRGBA. go-chart lays the chart out (axes, ticks, grid, series);
// this draws it with the canvas's integer blending and cached glyphs, so
// a frame allocates nothing once warm. (go-chart's own raster renderer
// builds a new image, vector paths and freetype glyphs every frame: about
// 9 ms and 9 MB per tick with eight series.)
type canvasRenderer struct {
	c   *canvasRGBA
	dpi float64

	stroke, fill, font color.RGBA
	width              float64
	dash               []float64
	rot                float64

	path  []pathPoint
	start int // index in path of the current subpath's first point

	xs []float64 // scanline crossings of a polygon fill
}

type pathPoint struct {
	x, y float64
	move bool // starts a subpath
}

var _ chart.Renderer = (*canvasRenderer)(nil)

func rgba(c drawing.Color) color.RGBA { return color.RGBA{R: c.R, G: c.G, B: c.B, A: c.A} }

func (r *canvasRenderer) ResetStyle() {
	r.stroke, r.fill, r.font = color.RGBA{}, color.RGBA{}, color.RGBA{}
	r.width, r.dash, r.rot = 0, nil, 0
	r.path, r.start = r.path[:0], 0
}

func (r *canvasRenderer) GetDPI() float64                   { return r.dpi }
func (r *canvasRenderer) SetDPI(dpi float64)                { r.dpi = dpi }
func (r *canvasRenderer) SetClassName(string)               {}
func (r *canvasRenderer) SetStrokeColor(c drawing.Color)    { r.stroke = rgba(c) }
func (r *canvasRenderer) SetFillColor(c drawing.Color)      { r.fill = rgba(c) }
func (r *canvasRenderer) SetStrokeWidth(w float64)          { r.width = w }
func (r *canvasRenderer) SetStrokeDashArray(dash []float64) { r.dash = dash }
func (r *canvasRenderer) SetFont(*truetype.Font)            {} // one cached face: see chartFont
func (r *canvasRenderer) SetFontColor(c drawing.Color)      { r.font = rgba(c) }
func (r *canvasRenderer) SetFontSize(float64)               {}
func (r *canvasRenderer) SetTextRotation(radians float64)   { r.rot = radians }
func (r *canvasRenderer) ClearTextRotation()                { r.rot = 0 }
func (r *canvasRenderer) MoveTo(x, y int)                   { r.moveTo(float64(x), float64(y)) }
func (r *canvasRenderer) LineTo(x, y int)                   { r.lineTo(float64(x), float64(y)) }
func (r *canvasRenderer) QuadCurveTo(cx, cy, x, y int)      { r.quadTo(cx, cy, x, y) }
func (r *canvasRenderer) moveTo(x, y float64) {
	r.start = len(r.path)
	r.path = append(r.path, pathPoint{x, y, true})
}
func (r *canvasRenderer) lineTo(x, y float64) {
	r.path = append(r.path, pathPoint{x, y, len(r.path) == 0})
}
func (r *canvasRenderer) Circle(radius float64, x, y int)      { r.disc(float64(x), float64(y), radius) }
func (r *canvasRenderer) measure(body string) (w, h int)       { return textWidth(body), chartFont().ascent }
func (r *canvasRenderer) isRotated() bool                      { return math.Abs(r.rot) > 1e-6 }
func (r *canvasRenderer) pathDone()                            { r.path, r.start = r.path[:0], 0 }
func (r *canvasRenderer) visible(c color.RGBA, w float64) bool { return c.A != 0 && w > 0 }

func (r *canvasRenderer) quadTo(cx, cy, x, y int) {
	if len(r.path) == 0 {
		r.moveTo(float64(x), float64(y))
		return
	}
	p := r.path[len(r.path)-1]
	const n = 8
	for i := 1; i <= n; i++ {
		t := float64(i) / n
		u := 1 - t
		r.lineTo(u*u*p.x+2*u*t*float64(cx)+t*t*float64(x), u*u*p.y+2*u*t*float64(cy)+t*t*float64(y))
	}
}

// ArcTo adds an elliptical arc as line segments.
func (r *canvasRenderer) ArcTo(cx, cy int, rx, ry, startAngle, delta float64) {
	n := max(4, int(math.Abs(delta)*math.Max(rx, ry)/3))
	for i := 0; i <= n; i++ {
		a := startAngle + delta*float64(i)/float64(n)
		x, y := float64(cx)+rx*math.Cos(a), float64(cy)+ry*math.Sin(a)
		if i == 0 && len(r.path) == 0 {
			r.moveTo(x, y)
		} else {
			r.lineTo(x, y)
		}
	}
}

// Close joins the current subpath back to its start.
func (r *canvasRenderer) Close() {
	if r.start < len(r.path) {
		p := r.path[r.start]
		r.lineTo(p.x, p.y)
	}
}

func (r *canvasRenderer) Stroke() {
	r.strokePath()
	r.pathDone()
}

func (r *canvasRenderer) Fill() {
	r.fillPath()
	r.pathDone()
}

func (r *canvasRenderer) FillStroke() {
	r.fillPath()
	r.strokePath()
	r.pathDone()
}

// strokePath draws the path's segments, the dash pattern running on
// across each subpath's joints.
func (r *canvasRenderer) strokePath() {
	if !r.visible(r.stroke, r.width) {
		return
	}
	var d dashState
	for i := 1; i < len(r.path); i++ {
		a, b := r.path[i-1], r.path[i]
		if b.move {
			d = dashState{}
			continue
		}
		if len(r.dash) > 0 {
			r.c.dashedLine(a.x, a.y, b.x, b.y, r.stroke, r.width, r.dash, &d)
		} else {
			r.c.line(a.x, a.y, b.x, b.y, r.stroke, r.width)
		}
	}
}

// fillPath fills the path: axis-aligned rectangles (go-chart's boxes, the
// bands) directly, anything else by even-odd scanlines through pixel
// centres.
func (r *canvasRenderer) fillPath() {
	if r.fill.A == 0 || len(r.path) < 3 {
		return
	}
	if rc, ok := r.rectangle(); ok {
		if rc == r.c.img.Rect && r.fill.A == 255 {
			r.c.fill(r.fill)
			return
		}
		r.c.rect(rc, r.fill)
		return
	}
	miny, maxy := math.Inf(1), math.Inf(-1)
	for _, p := range r.path {
		miny, maxy = math.Min(miny, p.y), math.Max(maxy, p.y)
	}
	b := r.c.img.Rect
	y0, y1 := max(int(math.Floor(miny)), b.Min.Y), min(int(math.Ceil(maxy)), b.Max.Y-1)
	for y := y0; y <= y1; y++ {
		cy := float64(y) + 0.5
		r.xs = r.xs[:0]
		first := 0
		for i := range r.path {
			if r.path[i].move {
				first = i
			}
			a := r.path[i]
			var q pathPoint
			if i+1 < len(r.path) && !r.path[i+1].move {
				q = r.path[i+1]
			} else {
				q = r.path[first] // implicit close, as fills do
			}
			if (a.y <= cy) != (q.y <= cy) {
				r.xs = append(r.xs, a.x+(cy-a.y)/(q.y-a.y)*(q.x-a.x))
			}
		}
		sortFloats(r.xs)
		for k := 0; k+1 < len(r.xs); k += 2 {
			xa, xb := int(math.Round(r.xs[k])), int(math.Round(r.xs[k+1]))
			if xb > xa {
				r.c.rect(image.Rect(xa, y, xb, y+1), r.fill)
			}
		}
	}
}

// rectangle reports whether the path is one axis-aligned rectangle.
func (r *canvasRenderer) rectangle() (image.Rectangle, bool) {
	n := len(r.path)
	if n == 5 && r.path[4].x == r.path[0].x && r.path[4].y == r.path[0].y {
		n = 4
	}
	if n != 4 {
		return image.Rectangle{}, false
	}
	for i := 0; i < 4; i++ {
		a, b := r.path[i], r.path[(i+1)%4]
		if (i > 0 && a.move) || (a.x != b.x && a.y != b.y) {
			return image.Rectangle{}, false
		}
	}
	x0, x1 := math.Min(r.path[0].x, r.path[2].x), math.Max(r.path[0].x, r.path[2].x)
	y0, y1 := math.Min(r.path[0].y, r.path[2].y), math.Max(r.path[0].y, r.path[2].y)
	return image.Rect(int(x0), int(y0), int(x1), int(y1)), true
}

// disc fills a circle and strokes its edge.
func (r *canvasRenderer) disc(cx, cy, radius float64) {
	if r.fill.A != 0 {
		for y := int(math.Floor(cy - radius)); y <= int(math.Ceil(cy+radius)); y++ {
			dy := float64(y) + 0.5 - cy
			if h := radius*radius - dy*dy; h > 0 {
				w := math.Sqrt(h)
				r.c.rect(image.Rect(int(math.Round(cx-w)), y, int(math.Round(cx+w)), y+1), r.fill)
			}
		}
	}
	if r.visible(r.stroke, r.width) {
		r.path = r.path[:0]
		r.ArcTo(int(cx), int(cy), radius, radius, 0, 2*math.Pi)
		r.strokePath()
		r.pathDone()
	}
}

// Text draws body with its baseline's left end at (x, y), turned by the
// text rotation if one is set.
func (r *canvasRenderer) Text(body string, x, y int) {
	if r.font.A == 0 {
		return
	}
	if !r.isRotated() {
		r.c.text(body, x, y-chartFont().ascent, r.font)
		return
	}
	r.c.rotatedText(body, x, y, r.rot, r.font)
}

// MeasureText is the box of body from its baseline's left end: as wide as
// the text, as high as the font's ascent (what go-chart centres tick
// labels on).
func (r *canvasRenderer) MeasureText(body string) chart.Box {
	w, h := r.measure(body)
	if r.isRotated() {
		s, c := math.Abs(math.Sin(r.rot)), math.Abs(math.Cos(r.rot))
		w, h = int(math.Round(float64(w)*c+float64(h)*s)), int(math.Round(float64(w)*s+float64(h)*c))
	}
	return chart.Box{Right: w, Bottom: h, IsSet: true}
}

// Save writes the canvas as PNG (the plotter itself shows the canvas
// directly, with a nil writer).
func (r *canvasRenderer) Save(w io.Writer) error {
	if w == nil {
		return nil
	}
	return png.Encode(w, r.c.img)
}

// sortFloats is an insertion sort: a scanline crosses a few edges.
func sortFloats(a []float64) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
