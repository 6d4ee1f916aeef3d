package ui

import (
	"image"
	"image/color"
	"image/draw"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// Charts are rendered with go-chart into an image off the UI goroutine;
// the UI only swaps the image in (inside fyne.Do).

// palette gives each learner a stable colour in every chart.
var palette = []drawing.Color{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 255}, {R: 0x2c, G: 0xa0, B: 0x2c, A: 255},
	{R: 0xd6, G: 0x27, B: 0x28, A: 255}, {R: 0x94, G: 0x67, B: 0xbd, A: 255},
	{R: 0xff, G: 0x7f, B: 0x0e, A: 255}, {R: 0x8c, G: 0x56, B: 0x4b, A: 255},
	{R: 0x7f, G: 0x7f, B: 0x7f, A: 255}, {R: 0xbc, G: 0xbd, B: 0x22, A: 255},
}

var (
	windowColor   = drawing.Color{R: 0x1f, G: 0x77, B: 0xb4, A: 255}
	cumColor      = drawing.Color{R: 0xff, G: 0x7f, B: 0x0e, A: 255}
	majorityColor = drawing.Color{R: 0x55, G: 0x55, B: 0x55, A: 255}
	noChangeColor = drawing.Color{R: 0x99, G: 0x66, B: 0x99, A: 255}
)

// seriesXY converts a history into chart coordinates; with window it
// takes the windowed accuracy, else the cumulative one.
func seriesXY(h []eval.Point, window bool) (xs, ys []float64) {
	xs = make([]float64, len(h))
	ys = make([]float64, len(h))
	for i, p := range h {
		xs[i] = float64(p.N)
		if window {
			ys[i] = p.WindowAccuracy
		} else {
			ys[i] = p.Accuracy
		}
	}
	return xs, ys
}

func line(name string, h []eval.Point, window bool, c drawing.Color, dashed bool) chart.Series {
	xs, ys := seriesXY(h, window)
	if len(xs) == 1 { // go-chart needs two points to draw a line
		xs = append(xs, xs[0]+1)
		ys = append(ys, ys[0])
	}
	st := chart.Style{StrokeColor: c, StrokeWidth: 2}
	if dashed {
		st.StrokeDashArray = []float64{6, 4}
		st.StrokeWidth = 1.5
	}
	return chart.ContinuousSeries{Name: name, XValues: xs, YValues: ys, Style: st}
}

// baseChart is an accuracy-over-time chart. The title goes into the legend
// box's first line (a chart title would sit under the legend).
func baseChart(w, h int) chart.Chart {
	return chart.Chart{
		Width: w, Height: h,
		Background: chart.Style{Padding: chart.Box{Top: 20, Left: 170, Right: 20, Bottom: 10}}, // room for the legend on the left
		XAxis: chart.XAxis{Name: "labelled frames", ValueFormatter: func(v interface{}) string {
			return chart.IntValueFormatter(int64(v.(float64)))
		}},
		YAxis: chart.YAxis{Name: "accuracy", Range: &chart.ContinuousRange{Min: 0, Max: 1},
			ValueFormatter: func(v interface{}) string { return chart.FloatValueFormatterWithFormat(v, "%.2f") }},
	}
}

func render(c chart.Chart, w, h int) image.Image {
	iw := &chart.ImageWriter{}
	if err := c.Render(chart.PNG, iw); err == nil {
		if img, err := iw.Image(); err == nil {
			return img
		}
	}
	return placeholder(w, h)
}

func placeholder(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.White}, image.Point{}, draw.Src)
	return img
}

func findLearner(s *pipeline.Snapshot, name string) *pipeline.LearnerState {
	for i := range s.Learners {
		if s.Learners[i].Name == name {
			return &s.Learners[i]
		}
	}
	return nil
}

// LearnerChart draws one learner's cumulative and windowed accuracy over
// time, with the baselines' cumulative accuracy as dashed reference lines.
// It returns nil when there is nothing to draw yet.
func LearnerChart(s *pipeline.Snapshot, name string, w, h int) image.Image {
	l := findLearner(s, name)
	if l == nil || len(l.History) == 0 || w < 50 || h < 50 {
		return nil
	}
	c := baseChart(w, h)
	c.Series = append(c.Series,
		line("window accuracy", l.History, true, windowColor, false),
		line("cumulative accuracy", l.History, false, cumColor, false))
	if b := findLearner(s, "majority"); b != nil && len(b.History) > 0 && name != "majority" {
		c.Series = append(c.Series, line("majority class (baseline)", b.History, false, majorityColor, true))
	}
	if b := findLearner(s, "no_change"); b != nil && len(b.History) > 0 && name != "no_change" {
		c.Series = append(c.Series, line("no change (baseline)", b.History, false, noChangeColor, true))
	}
	c.Elements = []chart.Renderable{chart.LegendLeft(&c)}
	return render(c, w, h)
}

// OverviewChart compares every learner's windowed accuracy; baselines are
// dashed.
func OverviewChart(s *pipeline.Snapshot, w, h int) image.Image {
	if w < 50 || h < 50 {
		return nil
	}
	c := baseChart(w, h)
	for i, l := range s.Learners {
		if len(l.History) == 0 {
			continue
		}
		c.Series = append(c.Series, line(l.Display, l.History, true, palette[i%len(palette)], l.Baseline))
	}
	if len(c.Series) == 0 {
		return nil
	}
	c.Elements = []chart.Renderable{chart.LegendLeft(&c)}
	return render(c, w, h)
}
