package ui

import (
	"image"
	"image/color"
	"math"
	"time"

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

// plotter draws charts into two images it reuses in turn: the UI shows one
// while the next is drawn.
type plotter struct {
	bufs [2]canvasRGBA
	cur  int

	buckets []eval.Bucket
	spans   []eval.Span
	marks   []eval.Marker
	pts     []float64 // x, y pairs of the series being drawn
	xt, yt  []float64
	txt     []byte

	// Geometry of the chart being drawn.
	x0, x1, y0, y1 float64 // data range
	left, top      int
	pw, ph         int // plot area in pixels
	whole          bool

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

var restartLabel = []byte("restart")

// draw renders the chart o describes from s, or returns nil when it cannot
// (no snapshot, a tiny area). The image stays valid until the draw after
// next.
func (p *plotter) draw(s *pipeline.Snapshot, o chartOptions) image.Image {
	if s == nil || s.Timeline == nil || o.W < 80 || o.H < 60 {
		return nil
	}
	p.cur ^= 1
	c := &p.bufs[p.cur]
	c.resize(o.W, o.H)
	cc := lightChart
	if o.Dark {
		cc = darkChart
	}
	c.fill(cc.bg)
	tl := s.Timeline
	p.whole = o.Whole
	p.Points = 0

	lastT, lastN := tl.Last()
	p.drawnTL, p.drawnOpts, p.drawnN = tl, o, lastN
	span := o.Span
	if span <= 0 {
		span = recentSpanDefault
	}
	since := math.Inf(-1)
	if o.Whole {
		p.x0, p.x1 = 0, math.Max(float64(lastN), 1)
	} else {
		p.x0, p.x1 = math.Max(0, lastT-span), math.Max(lastT, 1)
		since = p.x0
	}

	// Which series, and the y range they need.
	learnerIdx := -1
	for i := range s.Learners {
		if s.Learners[i].Name == o.Target {
			learnerIdx = i
		}
	}
	if o.Target != "overview" && learnerIdx < 0 {
		return nil
	}
	lo := 1.0
	p.eachSeries(s, o, learnerIdx, since, func(_ int, cum bool, _ color.RGBA, _ bool) {
		for _, b := range p.buckets {
			if cum {
				lo = math.Min(lo, b.Cum)
			} else {
				lo = math.Min(lo, b.Min)
			}
		}
	})
	step := niceStep(math.Max(1-lo, 0.01), 5)
	p.y0, p.y1 = math.Max(0, math.Floor(lo/step-1e-9)*step), 1
	if p.y1-p.y0 < step {
		p.y0 = math.Max(0, p.y1-step)
	}

	// Axes and grid.
	fh := fontHeight()
	p.yt = ticks(p.y0, p.y1, 5, p.yt[:0])
	yw := 0
	for _, v := range p.yt {
		p.txt = appendTick(p.txt[:0], v, step)
		yw = max(yw, textWidth(p.txt))
	}
	p.left, p.top = yw+8, 10
	p.pw, p.ph = o.W-p.left-12, o.H-p.top-fh-8
	if p.pw < 20 || p.ph < 20 {
		return nil
	}
	p.framesPerPix = (p.x1 - p.x0) / float64(p.pw)
	for _, v := range p.yt {
		y := p.py(v)
		c.rect(image.Rect(p.left, int(y), p.left+p.pw, int(y)+1), cc.grid)
		p.txt = appendTick(p.txt[:0], v, step)
		c.text(p.txt, p.left-4-textWidth(p.txt), int(y)-fh/2, cc.label)
	}
	var xstep float64
	if o.Whole {
		p.xt = ticks(p.x0, p.x1, max(2, p.pw/90), p.xt[:0])
	} else {
		p.xt, xstep = timeTicks(tl.Start(), p.x0, p.x1, max(2, p.pw/90), p.xt[:0])
	}
	for _, v := range p.xt {
		if v < p.x0 || v > p.x1 {
			continue
		}
		x := int(p.px(v))
		c.rect(image.Rect(x, p.top, x+1, p.top+p.ph), cc.grid)
		if o.Whole {
			p.txt = formatCount(p.txt[:0], v)
		} else {
			p.txt = formatClock(p.txt[:0], tl.Start().Add(time.Duration(v*float64(time.Second))), xstep)
		}
		w := textWidth(p.txt)
		c.text(p.txt, min(max(x-w/2, p.left), p.left+p.pw-w), p.top+p.ph+4, cc.label)
	}

	// Attack episodes as shaded bands.
	p.spans = tl.Episodes(since, p.spans[:0])
	for _, e := range p.spans {
		a, b := e.T0, e.T1
		if o.Whole {
			a, b = float64(e.N0), float64(e.N1)
		}
		xa, xb := int(p.px(a)), int(p.px(b))
		xa, xb = max(xa, p.left), min(max(xb, xa+1), p.left+p.pw)
		c.rect(image.Rect(xa, p.top, xb, p.top+p.ph), attackBand)
	}

	// The series: a line through each bucket's last value and, for the
	// windowed accuracy, a light band from its lowest to its highest value
	// in the bucket, so downsampling hides no dip or spike.
	p.eachSeries(s, o, learnerIdx, since, func(_ int, cum bool, col color.RGBA, dashed bool) {
		p.pts = p.pts[:0]
		band := col
		band.A = 56
		prevX := math.NaN()
		for _, b := range p.buckets {
			x := b.T
			if o.Whole {
				x = float64(b.N)
			}
			xp := p.px(x)
			if cum {
				p.pts = append(p.pts, xp, p.py(b.Cum))
				continue
			}
			p.pts = append(p.pts, xp, p.py(b.Last))
			if b.Max > b.Min && !dashed { // baselines: the line alone
				xa := prevX
				if math.IsNaN(xa) {
					xa = xp - 1
				}
				ya, yb := p.py(b.Max), p.py(b.Min)
				if yb-ya >= 1 {
					c.rect(image.Rect(int(xa+1), int(ya), max(int(xp+1), int(xa+2)), int(yb)+1), band)
				}
			}
			prevX = xp
		}
		p.Points += len(p.pts) / 2
		width := 2.0
		if dashed {
			width = 1.5
		}
		phase := 0.0
		for k := 0; k+3 < len(p.pts); k += 2 {
			if dashed {
				c.dashedLine(p.pts[k], p.pts[k+1], p.pts[k+2], p.pts[k+3], col, width, &phase)
			} else {
				c.line(p.pts[k], p.pts[k+1], p.pts[k+2], p.pts[k+3], col, width)
			}
		}
		if len(p.pts) == 2 { // a single point: a dot
			x, y := int(p.pts[0]), int(p.pts[1])
			c.rect(image.Rect(x-1, y-1, x+2, y+2), col)
		}
	})

	// Drift markers (triangles on the top edge) and restarts (dashed
	// vertical lines).
	p.marks = tl.Markers(since, p.marks[:0])
	for _, m := range p.marks {
		if learnerIdx >= 0 && m.Learner != learnerIdx {
			continue
		}
		if learnerIdx < 0 && o.Hidden&(1<<uint(m.Learner)) != 0 {
			continue
		}
		v := m.T
		if o.Whole {
			v = float64(m.N)
		}
		x := p.px(v)
		col := learnerColor(m.Learner)
		if learnerIdx >= 0 {
			col = windowColor
		}
		switch m.Kind {
		case eval.MarkDrift:
			for k := 0; k < 5; k++ {
				c.rect(image.Rect(int(x)-4+k, p.top+k, int(x)+5-k, p.top+k+1), col)
			}
		case eval.MarkRestart:
			phase := 0.0
			c.dashedLine(x, float64(p.top), x, float64(p.top+p.ph), cc.label, 1, &phase)
			c.text(restartLabel, int(x)+3, p.top+6, cc.label)
		}
	}

	// The frame around the plot.
	c.rect(image.Rect(p.left, p.top+p.ph, p.left+p.pw, p.top+p.ph+1), cc.axis)
	c.rect(image.Rect(p.left, p.top, p.left+1, p.top+p.ph), cc.axis)
	return c.img
}

// eachSeries loads each visible series' buckets into p.buckets and calls
// fn with its index, whether to plot the cumulative value, colour and dash.
func (p *plotter) eachSeries(s *pipeline.Snapshot, o chartOptions, learnerIdx int, since float64, fn func(i int, cum bool, col color.RGBA, dashed bool)) {
	tl := s.Timeline
	load := func(i int) {
		if p.whole {
			p.buckets = tl.Whole(i, p.buckets[:0])
		} else {
			p.buckets = tl.Recent(i, since, p.buckets[:0])
		}
	}
	if learnerIdx < 0 {
		for i := range s.Learners {
			if o.Hidden&(1<<uint(i)) != 0 {
				continue
			}
			load(i)
			fn(i, false, learnerColor(i), s.Learners[i].Baseline)
		}
		return
	}
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
		load(idx)
		fn(k, k != seriesWindow, learnerSeriesColors[k], k >= seriesMajority)
	}
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

func (p *plotter) px(v float64) float64 {
	return float64(p.left) + (v-p.x0)/(p.x1-p.x0)*float64(p.pw-1)
}

func (p *plotter) py(v float64) float64 {
	return float64(p.top) + (p.y1-v)/(p.y1-p.y0)*float64(p.ph-1)
}

func findLearnerIndex(s *pipeline.Snapshot, name string) int {
	for i := range s.Learners {
		if s.Learners[i].Name == name {
			return i
		}
	}
	return -1
}
