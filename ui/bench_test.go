package ui

import (
	"context"
	"math"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
	"github.com/etherlearn/etherlearn/pipeline/ingest"
	"github.com/etherlearn/etherlearn/sim"
)

// benchSnapshots runs a real pipeline (every learner and baseline, the
// default feature set) over n simulated frames and returns two snapshots
// taken a few frames apart, so alternating them makes every tick show new
// rows.
func benchSnapshots(b *testing.B, n int) (*pipeline.Snapshot, *pipeline.Snapshot) {
	b.Helper()
	g, err := sim.NewGenerator(sim.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	submit := func(k int) {
		for i := 0; i < k; i++ {
			f := g.Next()
			_ = p.Submit(ctx, &ingest.Frame{Data: f.Data, Timestamp: f.Time, Label: f.Label, HasLabel: true})
		}
	}
	submit(n)
	p.Close()
	<-done
	s1 := p.Snapshot()
	// A full history: two hours at 100 labelled frames a second, attacks
	// for 5 s every 30 s, so both chart views hold every bucket they can.
	start := time.Now().Add(-2 * time.Hour)
	tl := eval.NewTimeline(len(s1.Learners), start)
	samples := make([]eval.Sample, len(s1.Learners))
	for k := int64(1); k <= 2*3600*100; k++ {
		attack := k/100%30 < 5
		for i := range samples {
			w := 0.9 + 0.05*math.Sin(float64(k)/5000+float64(i))
			if attack {
				w -= 0.2
			}
			samples[i] = eval.Sample{Hit: k%7 != 0, WindowAccuracy: w, Accuracy: 0.9}
		}
		tl.Add(start.Add(time.Duration(k)*10*time.Millisecond), k, attack, samples)
	}
	s1.Timeline = tl
	// A second run of a few more frames for a snapshot with other rows.
	s2 := *s1
	s2.Seq++
	s2.Rows = append([]pipeline.Row(nil), s1.Rows[1:]...)
	last := s1.Rows[len(s1.Rows)-1]
	last.Seq++
	s2.Rows = append(s2.Rows, last)
	return s1, &s2
}

// BenchmarkUITick measures one whole UI tick with the overview visible:
// drawing the chart (8 series with full history) and applying a snapshot
// with 500 new-ish table rows to every widget.
func BenchmarkUITick(b *testing.B) { benchmarkTick(b, 0, "Last 5 min", false) }

// BenchmarkUITickNewEpisode is the overview's worst case: every learner's
// detection record changes on every tick, so the leaderboard's detection
// cells are formatted every time (in a run they change only when an
// episode begins, ends or is detected, or in an episode's first 50 frames).
func BenchmarkUITickNewEpisode(b *testing.B) { benchmarkTick(b, 0, "Last 5 min", true) }

// BenchmarkUITickWholeRun is the same with the whole-run view.
func BenchmarkUITickWholeRun(b *testing.B) { benchmarkTick(b, 0, "Whole run", false) }

// BenchmarkUITickFrames is a tick with the frame table visible: 500 rows,
// the visible ones redrawn.
func BenchmarkUITickFrames(b *testing.B) { benchmarkTick(b, 1, "", false) }

// BenchmarkUITickLearner is a tick with a learner's tab visible.
func BenchmarkUITickLearner(b *testing.B) { benchmarkTick(b, 2, "Last 5 min", false) }

// BenchmarkUITickLearnerNewEpisode is the learner tab's worst case: the
// detection record changes on every tick, so its text is built every
// time (in a run it changes only when an episode begins, ends or is
// detected, or in an episode's first 50 frames).
func BenchmarkUITickLearnerNewEpisode(b *testing.B) { benchmarkTick(b, 2, "Last 5 min", true) }

func benchmarkTick(b *testing.B, tab int, view string, newEpisode bool) {
	s1, s2 := benchSnapshots(b, 60000)
	if newEpisode {
		s2.Learners = append([]pipeline.LearnerState(nil), s1.Learners...)
		for i := range s2.Learners {
			s2.Learners[i].Detection.Episodes++
		}
	}
	a := test.NewApp()
	defer a.Quit()
	w := a.NewWindow("bench")
	u := build(w, app.NewSession(app.Settings{}))
	w.Resize(fyne.NewSize(1280, 800))
	u.tabs.SelectIndex(tab)
	if view != "" {
		u.overview.chart.view.SetSelected(view)
		for _, lt := range u.learners {
			lt.chart.view.SetSelected(view)
		}
	}
	// Lay the window out once so the chart has its real size.
	u.apply(update{snap: s1, running: true})
	st := app.Status{State: app.StateRunning, Source: "bench"}
	var p plotter
	o := u.chartOptions()
	b.Logf("chart %dx%d for %q", o.W, o.H, o.Target)
	b.ReportAllocs()
	cpu0 := cpuTime()
	i := 0
	for b.Loop() {
		s := s1
		if i%2 == 1 {
			s = s2
		}
		i++
		img := p.draw(s, o)
		u.apply(update{snap: s, status: st, running: true, opts: o, img: img, redraw: true, points: p.Points})
	}
	// CPU time, not wall time: the machines that run this are shared.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkChartDraw is the chart alone (go-chart layout and the canvas
// renderer), overview and a learner's tab, recent and whole-run views.
func BenchmarkChartDraw(b *testing.B) {
	s, _ := benchSnapshots(b, 2000)
	for _, c := range []struct {
		name string
		o    chartOptions
	}{
		{"overview", chartOptions{Target: "overview", Span: 300, W: 711, H: 342}},
		{"overview-whole", chartOptions{Target: "overview", Whole: true, W: 711, H: 342}},
		{"learner", chartOptions{Target: "sgd", Span: 300, W: 711, H: 289}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var p plotter
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if p.draw(s, c.o) == nil {
					b.Fatal("not drawn")
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
