package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
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
func BenchmarkUITick(b *testing.B) {
	s1, s2 := benchSnapshots(b, 60000)
	a := test.NewApp()
	defer a.Quit()
	w := a.NewWindow("bench")
	u := build(w, app.NewSession(app.Settings{}))
	w.Resize(fyne.NewSize(1280, 800))
	st := app.Status{State: app.StateRunning, Source: "bench"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := s1
		if i%2 == 1 {
			s = s2
		}
		i++
		img := OverviewChart(s, 700, 300)
		u.apply(s, st, "overview", img, 0, false, 0)
	}
}
