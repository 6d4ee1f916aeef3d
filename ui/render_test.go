package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

func newTestRenderer(w, h int) *canvasRenderer {
	c := &canvasRGBA{}
	c.resize(w, h)
	c.fill(color.RGBA{R: 255, G: 255, B: 255, A: 255})
	return &canvasRenderer{c: c}
}

func isWhite(c *canvasRGBA, x, y int) bool {
	return c.img.RGBAAt(x, y) == color.RGBA{R: 255, G: 255, B: 255, A: 255}
}

// A go-chart box (closed path of four corners) fills exactly its pixels;
// a triangle fills its inside only.
func TestRendererFills(t *testing.T) {
	r := newTestRenderer(100, 100)
	r.SetFillColor(drawing.ColorRed)
	r.MoveTo(10, 20)
	r.LineTo(30, 20)
	r.LineTo(30, 40)
	r.LineTo(10, 40)
	r.LineTo(10, 20)
	r.Fill()
	for _, p := range []image.Point{{10, 20}, {29, 39}, {20, 30}} {
		if r.c.img.RGBAAt(p.X, p.Y) != (color.RGBA{R: 255, A: 255}) {
			t.Errorf("box pixel %v is %v", p, r.c.img.RGBAAt(p.X, p.Y))
		}
	}
	for _, p := range []image.Point{{9, 20}, {30, 30}, {20, 40}, {20, 19}} {
		if !isWhite(r.c, p.X, p.Y) {
			t.Errorf("pixel %v outside the box is painted", p)
		}
	}
	r.SetFillColor(drawing.ColorBlue)
	r.MoveTo(50, 50)
	r.LineTo(90, 50)
	r.LineTo(70, 90)
	r.Close()
	r.Fill()
	if r.c.img.RGBAAt(70, 60) != (color.RGBA{B: 255, A: 255}) {
		t.Errorf("inside the triangle: %v", r.c.img.RGBAAt(70, 60))
	}
	if !isWhite(r.c, 55, 85) || !isWhite(r.c, 85, 85) {
		t.Error("the triangle spills past its slanted edges")
	}
}

// A dash pattern covers its share of a line and runs on across the
// path's joints.
func TestRendererDashesRunAcrossSegments(t *testing.T) {
	r := newTestRenderer(120, 20)
	r.SetStrokeColor(drawing.ColorBlack)
	r.SetStrokeWidth(1)
	r.SetStrokeDashArray([]float64{6, 4})
	r.MoveTo(0, 10)
	r.LineTo(53, 10)
	r.LineTo(100, 10)
	r.Stroke()
	on := 0
	var runs []int
	run := 0
	for x := 0; x <= 100; x++ {
		if !isWhite(r.c, x, 10) {
			on++
			run++
		} else if run > 0 {
			runs = append(runs, run)
			run = 0
		}
	}
	// 6 on, 4 off: 60%, plus a pixel per dash as a line covers both its
	// end pixels.
	if on < 55 || on > 72 {
		t.Errorf("%d of 101 pixels in dashes, want 60 to 70", on)
	}
	for _, n := range runs {
		if n > 8 {
			t.Errorf("a dash %d px long (pattern restarted at the joint?): %v", n, runs)
		}
	}
	if len(runs) < 9 {
		t.Errorf("only %d dashes: %v", len(runs), runs)
	}
}

// Text sits on its baseline and measures as wide as it draws; turned a
// quarter (a y axis title) it runs upwards from its start.
func TestRendererText(t *testing.T) {
	r := newTestRenderer(200, 200)
	r.SetFontColor(drawing.ColorBlack)
	box := r.MeasureText("0.95")
	if box.Width() != textWidth("0.95") || box.Width() < 10 || box.Height() < 5 {
		t.Fatalf("measured %+v", box)
	}
	r.Text("0.95", 20, 50)
	ink := r.c.img.Bounds().Intersect(image.Rect(20, 50-box.Height()-1, 20+box.Width()+1, 51))
	inside, outside := 0, 0
	for y := 0; y < 200; y++ {
		for x := 0; x < 200; x++ {
			if !isWhite(r.c, x, y) {
				if image.Pt(x, y).In(ink) {
					inside++
				} else {
					outside++
				}
			}
		}
	}
	if inside < 20 || outside > 0 {
		t.Errorf("%d pixels of text inside its box, %d outside", inside, outside)
	}

	r = newTestRenderer(200, 200)
	r.SetFontColor(drawing.ColorBlack)
	r.SetTextRotation(-math.Pi / 2)
	tall := r.MeasureText("accuracy")
	if tall.Height() <= tall.Width() {
		t.Errorf("turned text measures %+v, want taller than wide", tall)
	}
	r.Text("accuracy", 100, 150)
	minY, maxX := 200, 0
	for y := 0; y < 200; y++ {
		for x := 0; x < 200; x++ {
			if !isWhite(r.c, x, y) {
				minY, maxX = min(minY, y), max(maxX, x)
			}
		}
	}
	if minY > 150-textWidth("accuracy")+4 || maxX > 102 {
		t.Errorf("turned text reaches up to y=%d and right to x=%d", minY, maxX)
	}
}

// Save writes the canvas as a PNG.
func TestRendererSave(t *testing.T) {
	r := newTestRenderer(30, 20)
	var buf bytes.Buffer
	if err := r.Save(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil || img.Bounds() != r.c.img.Bounds() {
		t.Fatalf("saved %v, %v", img, err)
	}
}

// The plotter's charts are go-chart charts: its series are in the chart,
// the accuracy labels on the left and the clock below.
func TestChartIsGoChart(t *testing.T) {
	s := fakeSnapshot(600)
	var p plotter
	img := p.draw(s, chartOptions{Target: "overview", Span: 60, W: 600, H: 300})
	if img == nil {
		t.Fatal("not drawn")
	}
	visible := 0
	for _, se := range p.ch.Series {
		if _, ok := se.(*accuracySeries); ok {
			visible++
		}
		if se.GetYAxis() != chart.YAxisSecondary {
			t.Errorf("series %q on the right axis", se.GetName())
		}
	}
	if visible != len(s.Learners) {
		t.Errorf("%d accuracy series for %d learners", visible, len(s.Learners))
	}
	if len(p.yTicks) < 3 || p.yTicks[len(p.yTicks)-1].Label != "1.0" || len(p.xTicks) < 2 {
		t.Errorf("ticks y %v x %v", p.yTicks, p.xTicks)
	}
	// Label ink left of the plot, none right of it.
	ink := func(x0, x1 int) int {
		n := 0
		for y := 0; y < 300; y++ {
			for x := x0; x < x1; x++ {
				if r, g, b, _ := img.At(x, y).RGBA(); r < 0x8000 && g < 0x8000 && b < 0x8000 {
					n++
				}
			}
		}
		return n
	}
	if ink(0, 25) < 20 || ink(590, 600) > 0 {
		t.Errorf("label ink: %d px at the left, %d at the right", ink(0, 25), ink(590, 600))
	}
}

// A translucent rectangle mixes each channel on its own (red and blue are
// blended in one word: no carry between them).
func TestRectBlendsChannelsApart(t *testing.T) {
	for _, tc := range []struct{ bg, col color.RGBA }{
		{color.RGBA{R: 255, G: 255, B: 255, A: 255}, color.RGBA{R: 0xe0, G: 0x30, B: 0x30, A: 30}},
		{color.RGBA{R: 0, G: 255, B: 0, A: 255}, color.RGBA{R: 255, G: 0, B: 255, A: 200}},
		{color.RGBA{R: 255, G: 0, B: 255, A: 255}, color.RGBA{R: 255, G: 255, B: 255, A: 254}},
		{color.RGBA{R: 0x1e, G: 0x1e, B: 0x22, A: 255}, color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 56}},
	} {
		c := &canvasRGBA{}
		c.resize(4, 3)
		c.fill(tc.bg)
		c.rect(image.Rect(1, 1, 3, 3), tc.col)
		k := uint32(tc.col.A) + uint32(tc.col.A)>>7
		mix := func(p, q uint8) uint8 { return uint8((uint32(p)*(256-k) + uint32(q)*k + 128) >> 8) }
		want := color.RGBA{R: mix(tc.bg.R, tc.col.R), G: mix(tc.bg.G, tc.col.G), B: mix(tc.bg.B, tc.col.B), A: 255}
		if got := c.img.RGBAAt(2, 2); got != want {
			t.Errorf("%v over %v: %v, want %v", tc.col, tc.bg, got, want)
		}
		if got := c.img.RGBAAt(0, 0); got != tc.bg {
			t.Errorf("outside the rectangle: %v", got)
		}
	}
}

// A level or plumb line on whole pixels covers its width in pixels, ends
// included, and nothing beside it.
func TestLevelAndPlumbLines(t *testing.T) {
	c := &canvasRGBA{}
	c.resize(40, 40)
	c.fill(color.RGBA{R: 255, G: 255, B: 255, A: 255})
	black := color.RGBA{A: 255}
	c.line(30, 10, 5, 10, black, 2) // right to left, 2 px thick
	c.line(20, 15, 20, 35, black, 1)
	painted := 0
	for y := 0; y < 40; y++ {
		for x := 0; x < 40; x++ {
			if !isWhite(c, x, y) {
				painted++
				level := y >= 10 && y <= 11 && x >= 5 && x <= 30
				plumb := x == 20 && y >= 15 && y <= 35
				if !level && !plumb {
					t.Errorf("pixel (%d, %d) painted", x, y)
				}
			}
		}
	}
	if painted != 26*2+21 {
		t.Errorf("%d pixels painted, want %d", painted, 26*2+21)
	}
}
