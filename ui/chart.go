package ui

import (
	"image"
	"image/color"
	"math"
	"time"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// palette gives each learner a stable colour in every chart.
var palette = []color.RGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 255}, {R: 0x2c, G: 0xa0, B: 0x2c, A: 255},
	{R: 0xd6, G: 0x27, B: 0x28, A: 255}, {R: 0x94, G: 0x67, B: 0xbd, A: 255},
	{R: 0xff, G: 0x7f, B: 0x0e, A: 255}, {R: 0x8c, G: 0x56, B: 0x4b, A: 255},
	{R: 0x55, G: 0x55, B: 0x55, A: 255}, {R: 0xbc, G: 0x6d, B: 0xbd, A: 255},
}

var (
	windowColor   = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 255}
	cumColor      = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 255}
	majorityColor = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 255}
	noChangeColor = color.RGBA{R: 0xbc, G: 0x6d, B: 0xbd, A: 255}
	attackBand    = color.RGBA{R: 0xe0, G: 0x30, B: 0x30, A: 30}
	gridColor     = color.RGBA{R: 0xe4, G: 0xe4, B: 0xe4, A: 255}
	axisColor     = color.RGBA{R: 0x88, G: 0x88, B: 0x88, A: 255}
	labelColor    = color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 255}
	white         = color.RGBA{R: 255, G: 255, B: 255, A: 255}
)

// learnerColor is learner i's colour (in snapshot order).
func learnerColor(i int) color.RGBA { return palette[i%len(palette)] }

// Series of a learner tab's chart, in legend order.
const (
	seriesWindow = iota
	seriesCumulative
	seriesMajority
	seriesNoChange
	learnerSeriesCount
)

var learnerSeriesNames = [learnerSeriesCount]string{"window accuracy", "cumulative accuracy", "majority (baseline)", "no change (baseline)"}
var learnerSeriesColors = [learnerSeriesCount]color.RGBA{windowColor, cumColor, majorityColor, noChangeColor}

// chartOptions say what to draw; the UI goroutine fills them, the bridge
// draws from a copy.
type chartOptions struct {
	Target string  // "overview" or a learner's name
	Whole  bool    // whole run (x = labelled frames) instead of the last Span seconds (x = clock)
	Span   float64 // seconds shown by the recent view
	Hidden uint64  // bit i hides series i (overview: learner i; learner tab: the series constants)
	W, H   int
	Dark   bool // the theme is dark: draw light on dark
}

// chartColors are the non-data colours of a chart, per theme.
type chartColors struct{ bg, grid, axis, label color.RGBA }

var (
	lightChart = chartColors{bg: white, grid: gridColor, axis: axisColor, label: labelColor}
	darkChart  = chartColors{bg: color.RGBA{R: 0x1e, G: 0x1e, B: 0x22, A: 255}, grid: color.RGBA{R: 0x38, G: 0x38, B: 0x3e, A: 255},
		axis: color.RGBA{R: 0x80, G: 0x80, B: 0x88, A: 255}, label: color.RGBA{R: 0xd8, G: 0xd8, B: 0xd8, A: 255}}
)

// chartPalette gives go-chart a theme's non-data colours. The canvas is
// transparent: the background already painted it.
type chartPalette struct{ cc chartColors }

var (
	lightPalette = chartPalette{lightChart}
	darkPalette  = chartPalette{darkChart}
)

func dc(c color.RGBA) drawing.Color { return drawing.Color{R: c.R, G: c.G, B: c.B, A: c.A} }

func (p *chartPalette) BackgroundColor() drawing.Color       { return dc(p.cc.bg) }
func (p *chartPalette) BackgroundStrokeColor() drawing.Color { return dc(p.cc.bg) }
func (p *chartPalette) CanvasColor() drawing.Color           { return drawing.Color{} }
func (p *chartPalette) CanvasStrokeColor() drawing.Color     { return dc(p.cc.grid) }
func (p *chartPalette) AxisStrokeColor() drawing.Color       { return dc(p.cc.axis) }
func (p *chartPalette) TextColor() drawing.Color             { return dc(p.cc.label) }
func (p *chartPalette) GetSeriesColor(i int) drawing.Color   { return dc(learnerColor(i)) }

// fixedRange is a go-chart range the plotter sets itself: go-chart would
// otherwise stretch the x range to the outermost tick.
type fixedRange struct{ chart.ContinuousRange }

func (r *fixedRange) SetMin(float64) {}
func (r *fixedRange) SetMax(float64) {}

// baselineDash is the dash pattern of the baselines and restart lines.
var baselineDash = []float64{6, 4}

// plotter draws charts with go-chart into two images it reuses in turn:
// the UI shows one while the next is drawn. The chart, its ranges, ticks
// and series are kept between frames and refilled, so a warm frame
// allocates next to nothing.
type plotter struct {
	bufs    [2]canvasRGBA
	cur     int
	rend    canvasRenderer
	rp      chart.RendererProvider
	rpOwner *plotter

	ch             chart.Chart
	xr, yr         fixedRange
	xTicks, yTicks []chart.Tick
	xGrid, yGrid   []chart.GridLine
	labels         map[string]string // tick labels already made, by text
	txt            []byte
	xt, yt         []float64

	bands  bandSeries
	acc    []accuracySeries
	marks  markerSeries
	series []chart.Series

	// Points is the number of data points drawn last time (for tests and
	// the state file).
	Points int

	// What the last image shows, to skip whole-run redraws that would not
	// move a pixel.
	drawnTL      *eval.Timeline
	drawnOpts    chartOptions
	drawnN       int64
	framesPerPix float64
}

// current reports whether the last image still shows s as o asks: a
// whole-run view is redrawn only once the run has moved on by a pixel's
// worth of frames (or anything else changed), since at that scale a
// redraw would move nothing. The recent view scrolls, so it is always
// redrawn.
func (p *plotter) current(s *pipeline.Snapshot, o chartOptions) bool {
	if !o.Whole || s == nil || s.Timeline == nil || s.Timeline != p.drawnTL || o != p.drawnOpts {
		return false
	}
	_, n := s.Timeline.Last()
	return float64(n-p.drawnN) < p.framesPerPix
}

const recentSpanDefault = 300.0

// draw renders the chart o describes from s, or returns nil when it cannot
// (no snapshot, a tiny area). The image stays valid until the draw after
// next.
func (p *plotter) draw(s *pipeline.Snapshot, o chartOptions) image.Image {
	if s == nil || s.Timeline == nil || o.W < 80 || o.H < 60 {
		return nil
	}
	learnerIdx := -1
	for i := range s.Learners {
		if s.Learners[i].Name == o.Target {
			learnerIdx = i
		}
	}
	if o.Target != "overview" && learnerIdx < 0 {
		return nil
	}
	p.cur ^= 1
	c := &p.bufs[p.cur]
	c.resize(o.W, o.H)
	tl := s.Timeline
	lastT, lastN := tl.Last()
	p.drawnTL, p.drawnOpts, p.drawnN = tl, o, lastN
	span := o.Span
	if span <= 0 {
		span = recentSpanDefault
	}
	since := math.Inf(-1)
	x0, x1 := 0.0, math.Max(float64(lastN), 1)
	if !o.Whole {
		x0, x1 = math.Max(0, lastT-span), math.Max(lastT, 1)
		since = x0
	}

	// The series, and the y range they need.
	p.loadSeries(s, o, learnerIdx, since)
	lo := 1.0
	p.Points = 0
	for i := range p.acc {
		a := &p.acc[i]
		p.Points += len(a.buckets)
		for _, b := range a.buckets {
			if a.cum {
				lo = math.Min(lo, b.Cum)
			} else {
				lo = math.Min(lo, b.Min)
			}
		}
	}
	step := niceStep(math.Max(1-lo, 0.01), 5)
	y0, y1 := math.Max(0, math.Floor(lo/step-1e-9)*step), 1.0
	if y1-y0 < step {
		y0 = math.Max(0, y1-step)
	}
	p.xr.Min, p.xr.Max = x0, x1
	p.yr.Min, p.yr.Max = y0, y1

	// Round ticks, labelled as the axis needs, each with its grid line.
	p.yt = ticks(y0, y1, 5, p.yt[:0])
	p.yTicks, p.yGrid = p.yTicks[:0], p.yGrid[:0]
	for _, v := range p.yt {
		p.txt = appendTick(p.txt[:0], v, step)
		p.yTicks = append(p.yTicks, chart.Tick{Value: v, Label: p.label(p.txt)})
		p.yGrid = append(p.yGrid, chart.GridLine{Value: v})
	}
	// About one x tick per 90 pixels of the plot (the chart's width less
	// the y labels).
	nx := max(2, (o.W-60)/90)
	var xstep float64
	if o.Whole {
		p.xt = ticks(x0, x1, nx, p.xt[:0])
	} else {
		p.xt, xstep = timeTicks(tl.Start(), x0, x1, nx, p.xt[:0])
	}
	p.xTicks, p.xGrid = p.xTicks[:0], p.xGrid[:0]
	for _, v := range p.xt {
		if v < x0 || v > x1 {
			continue
		}
		if o.Whole {
			p.txt = formatCount(p.txt[:0], v)
		} else {
			p.txt = formatClock(p.txt[:0], tl.Start().Add(time.Duration(v*float64(time.Second))), xstep)
		}
		p.xTicks = append(p.xTicks, chart.Tick{Value: v, Label: p.label(p.txt)})
		p.xGrid = append(p.xGrid, chart.GridLine{Value: v})
	}

	// Attack episodes as shaded bands, then the accuracy series, then the
	// drift and restart markers on top.
	p.bands.spans = tl.Episodes(since, p.bands.spans[:0])
	p.bands.whole = o.Whole
	p.marks.marks = tl.Markers(since, p.marks.marks[:0])
	p.marks.whole, p.marks.learner, p.marks.hidden = o.Whole, learnerIdx, o.Hidden
	p.series = append(p.series[:0], &p.bands)
	for i := range p.acc {
		p.series = append(p.series, &p.acc[i])
	}
	p.series = append(p.series, &p.marks)

	cc, pal := lightChart, &lightPalette
	if o.Dark {
		cc, pal = darkChart, &darkPalette
	}
	p.marks.label = dc(cc.label)
	p.layout(o, cc, pal)
	if p.rp == nil || p.rpOwner != p { // made once (a closure per frame would allocate), again if p was copied
		p.rpOwner = p
		p.rp = func(w, h int) (chart.Renderer, error) {
			p.rend.c = &p.bufs[p.cur]
			p.rend.ResetStyle()
			return &p.rend, nil
		}
	}
	if err := p.ch.Render(p.rp, nil); err != nil {
		return nil // go-chart refuses degenerate ranges; x1 > x0 always, so this is not expected
	}
	if p.xr.Domain < 20 || p.yr.Domain < 20 {
		return nil
	}
	p.framesPerPix = (x1 - x0) / float64(p.xr.Domain)
	return c.img
}

// layout sets the chart's size, theme and axes (the ticks and series are
// already in place).
func (p *plotter) layout(o chartOptions, cc chartColors, pal *chartPalette) {
	axis := chart.Style{StrokeColor: dc(cc.axis), StrokeWidth: 1, FontColor: dc(cc.label)}
	grid := chart.Style{StrokeColor: dc(cc.grid), StrokeWidth: 1}
	p.ch.Width, p.ch.Height = o.W, o.H
	p.ch.ColorPalette = pal
	p.ch.Background = chart.Style{Padding: chart.Box{Top: 10, Left: 4, Right: 12, Bottom: 2, IsSet: true}}
	p.ch.XAxis = chart.XAxis{Style: axis, Range: &p.xr, Ticks: p.xTicks, GridLines: p.xGrid, GridMajorStyle: grid}
	// The accuracy axis on the left: go-chart's secondary y axis. The
	// primary one (right) stays hidden.
	p.ch.YAxis = chart.YAxis{Style: chart.Hidden(), Range: &p.yr}
	p.ch.YAxisSecondary = chart.YAxis{Style: axis, Range: &p.yr, Ticks: p.yTicks, GridLines: p.yGrid, GridMajorStyle: grid,
		Zero: chart.GridLine{Style: chart.Hidden()}}
	p.ch.Series = p.series
}

// label is the tick label for text, made once.
func (p *plotter) label(text []byte) string {
	if l, ok := p.labels[string(text)]; ok {
		return l
	}
	if p.labels == nil || len(p.labels) > 512 { // clock labels move on: start over now and then
		p.labels = make(map[string]string, 64)
	}
	l := string(text)
	p.labels[l] = l
	return l
}

// loadSeries fills p.acc with the visible series' buckets, reusing their
// buffers.
func (p *plotter) loadSeries(s *pipeline.Snapshot, o chartOptions, learnerIdx int, since float64) {
	tl := s.Timeline
	n := 0
	add := func(idx int, name string, cum bool, col color.RGBA, dashed bool, width float64) {
		if n == len(p.acc) {
			if n == cap(p.acc) {
				p.acc = append(p.acc, accuracySeries{})
			} else {
				p.acc = p.acc[:n+1]
			}
		}
		a := &p.acc[n]
		n++
		if o.Whole {
			a.buckets = tl.Whole(idx, a.buckets[:0])
		} else {
			a.buckets = tl.Recent(idx, since, a.buckets[:0])
		}
		a.name, a.whole, a.cum = name, o.Whole, cum
		// Baselines are references: the line alone, dashed; the windowed
		// accuracy shows its bucket's lowest to highest value as a light
		// band, so downsampling hides no dip or spike.
		a.envelope = !cum && !dashed
		band := col
		band.A = 56
		a.band = dc(band)
		a.style = chart.Style{StrokeColor: dc(col), StrokeWidth: width}
		if dashed {
			a.style.StrokeDashArray = baselineDash
		}
	}
	if learnerIdx < 0 {
		for i := range s.Learners {
			if o.Hidden&(1<<uint(i)) != 0 {
				continue
			}
			// Baselines: their cumulative accuracy, dashed (their windowed
			// accuracy swings with every burst and would drown the
			// learners' lines). Eight series read better thin.
			b := s.Learners[i].Baseline
			add(i, s.Learners[i].Name, b, learnerColor(i), b, 1.25)
		}
	} else {
		for k := 0; k < learnerSeriesCount; k++ {
			if o.Hidden&(1<<uint(k)) != 0 {
				continue
			}
			idx := learnerIdx
			switch k {
			case seriesMajority:
				idx = findLearnerIndex(s, "majority")
			case seriesNoChange:
				idx = findLearnerIndex(s, "no_change")
			}
			if idx < 0 || (k >= seriesMajority && idx == learnerIdx) {
				continue
			}
			// A learner's own two lines are bold.
			width := 2.0
			if k >= seriesMajority {
				width = 1.25
			}
			add(idx, learnerSeriesNames[k], k != seriesWindow, learnerSeriesColors[k], k >= seriesMajority, width)
		}
	}
	p.acc = p.acc[:n]
}

// appendTick formats a y tick with as many decimals as the step needs.
func appendTick(buf []byte, v, step float64) []byte {
	dec := 0
	for s := step; s < 0.999 && dec < 4; s *= 10 {
		dec++
	}
	if math.Abs(v) < step/1e6 {
		v = 0 // no "-0.0"
	}
	return appendFloat(buf, v, dec)
}

func findLearnerIndex(s *pipeline.Snapshot, name string) int {
	for i := range s.Learners {
		if s.Learners[i].Name == name {
			return i
		}
	}
	return -1
}
