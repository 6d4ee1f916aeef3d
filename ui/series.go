package ui

import (
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// go-chart series reading the timeline's buckets, episodes and markers in
// the buffers the plotter refills each frame (no per-frame copies into
// go-chart's own value slices). All use the left (secondary) y axis.

// accuracySeries is one learner's windowed or cumulative accuracy: a line
// through each bucket's last value and, with envelope, a light band from
// the bucket's lowest to its highest windowed accuracy.
type accuracySeries struct {
	name     string
	style    chart.Style // line colour, width and dashes
	band     drawing.Color
	buckets  []eval.Bucket
	whole    bool // x is the labelled-frame count, not seconds
	cum      bool // the cumulative accuracy, not the windowed one
	envelope bool
}

var (
	_ chart.Series             = (*accuracySeries)(nil)
	_ chart.ValuesProvider     = (*accuracySeries)(nil)
	_ chart.LastValuesProvider = (*accuracySeries)(nil)
)

func (a *accuracySeries) GetName() string           { return a.name }
func (a *accuracySeries) GetYAxis() chart.YAxisType { return chart.YAxisSecondary }
func (a *accuracySeries) GetStyle() chart.Style     { return a.style }
func (a *accuracySeries) Validate() error           { return nil }
func (a *accuracySeries) Len() int                  { return len(a.buckets) }
func (a *accuracySeries) GetValues(i int) (x, y float64) {
	return a.x(&a.buckets[i]), a.y(&a.buckets[i])
}

// GetLastValues is the newest point (0, 0 when there is none).
func (a *accuracySeries) GetLastValues() (x, y float64) {
	if len(a.buckets) == 0 {
		return 0, 0
	}
	return a.GetValues(len(a.buckets) - 1)
}

func (a *accuracySeries) x(b *eval.Bucket) float64 {
	if a.whole {
		return float64(b.N)
	}
	return b.T
}

func (a *accuracySeries) y(b *eval.Bucket) float64 {
	if a.cum {
		return b.Cum
	}
	return b.Last
}

func (a *accuracySeries) Render(r chart.Renderer, box chart.Box, xr, yr chart.Range, _ chart.Style) {
	if len(a.buckets) == 0 {
		return
	}
	if a.envelope {
		r.SetFillColor(a.band)
		prev := box.Left + xr.Translate(a.x(&a.buckets[0])) - 1
		for i := range a.buckets {
			b := &a.buckets[i]
			x := box.Left + xr.Translate(a.x(b))
			if b.Max > b.Min {
				top, bot := box.Bottom-yr.Translate(b.Max), box.Bottom-yr.Translate(b.Min)
				if bot-top >= 1 {
					right := max(x+1, prev+2)
					r.MoveTo(prev+1, top)
					r.LineTo(right, top)
					r.LineTo(right, bot+1)
					r.LineTo(prev+1, bot+1)
					r.Close()
					r.Fill()
				}
			}
			prev = x
		}
	}
	r.SetStrokeColor(a.style.StrokeColor)
	r.SetStrokeWidth(a.style.StrokeWidth)
	r.SetStrokeDashArray(a.style.StrokeDashArray)
	for i := range a.buckets {
		b := &a.buckets[i]
		x, y := box.Left+xr.Translate(a.x(b)), box.Bottom-yr.Translate(a.y(b))
		if i == 0 {
			r.MoveTo(x, y)
		} else {
			r.LineTo(x, y)
		}
	}
	if len(a.buckets) == 1 { // a single point: a dot
		b := &a.buckets[0]
		r.Stroke()
		r.SetFillColor(a.style.StrokeColor)
		r.SetStrokeColor(drawing.Color{})
		r.Circle(1.5, box.Left+xr.Translate(a.x(b)), box.Bottom-yr.Translate(a.y(b)))
		return
	}
	r.Stroke()
}

// bandSeries shades the attack episodes across the whole plot height.
type bandSeries struct {
	spans []eval.Span
	whole bool
}

var _ chart.Series = (*bandSeries)(nil)

func (s *bandSeries) GetName() string           { return "attacks" }
func (s *bandSeries) GetYAxis() chart.YAxisType { return chart.YAxisSecondary }
func (s *bandSeries) GetStyle() chart.Style     { return chart.Style{FillColor: dc(attackBand)} }
func (s *bandSeries) Validate() error           { return nil }

func (s *bandSeries) Render(r chart.Renderer, box chart.Box, xr, _ chart.Range, _ chart.Style) {
	r.SetFillColor(dc(attackBand))
	for _, e := range s.spans {
		a, b := e.T0, e.T1
		if s.whole {
			a, b = float64(e.N0), float64(e.N1)
		}
		xa, xb := box.Left+xr.Translate(a), box.Left+xr.Translate(b)
		xa, xb = max(xa, box.Left), min(max(xb, xa+1), box.Right)
		if xb <= xa {
			continue
		}
		r.MoveTo(xa, box.Top)
		r.LineTo(xb, box.Top)
		r.LineTo(xb, box.Bottom)
		r.LineTo(xa, box.Bottom)
		r.Close()
		r.Fill()
	}
}

// markerSeries draws drift detections (triangles on the top edge) and
// restarts (dashed vertical lines, labelled).
type markerSeries struct {
	marks   []eval.Marker
	whole   bool
	learner int    // the learner tab's learner, or -1 in the overview
	hidden  uint64 // overview: bit i hides learner i's markers
	label   drawing.Color
}

var _ chart.Series = (*markerSeries)(nil)

func (s *markerSeries) GetName() string           { return "markers" }
func (s *markerSeries) GetYAxis() chart.YAxisType { return chart.YAxisSecondary }
func (s *markerSeries) GetStyle() chart.Style     { return chart.Style{} }
func (s *markerSeries) Validate() error           { return nil }

func (s *markerSeries) Render(r chart.Renderer, box chart.Box, xr, _ chart.Range, _ chart.Style) {
	for _, m := range s.marks {
		if s.learner >= 0 && m.Learner != s.learner {
			continue
		}
		if s.learner < 0 && s.hidden&(1<<uint(m.Learner)) != 0 {
			continue
		}
		v := m.T
		if s.whole {
			v = float64(m.N)
		}
		x := box.Left + xr.Translate(v)
		col := learnerColor(m.Learner)
		if s.learner >= 0 {
			col = windowColor
		}
		switch m.Kind {
		case eval.MarkDrift:
			r.SetFillColor(dc(col))
			r.MoveTo(x-5, box.Top)
			r.LineTo(x+6, box.Top)
			r.LineTo(x, box.Top+6)
			r.Close()
			r.Fill()
		case eval.MarkRestart:
			r.SetStrokeColor(s.label)
			r.SetStrokeWidth(1)
			r.SetStrokeDashArray(baselineDash)
			r.MoveTo(x, box.Top)
			r.LineTo(x, box.Bottom)
			r.Stroke()
			r.SetFontColor(s.label)
			r.Text("restart", x+3, box.Top+6+chartFont().ascent)
		}
	}
}
