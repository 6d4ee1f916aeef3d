package pipeline

import (
	"context"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/ingest"
	"github.com/etherlearn/etherlearn/pipeline/testkit"
	"github.com/etherlearn/etherlearn/sim"
)

// simFrames generates n labelled frames of the simulator's default mix.
func simFrames(b testing.TB, n int) []ingest.Frame {
	b.Helper()
	g, err := sim.NewGenerator(sim.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	out := make([]ingest.Frame, n)
	for i := range out {
		f := g.Next()
		out[i] = ingest.Frame{Data: append([]byte(nil), f.Data...), Timestamp: f.Time, Label: f.Label, HasLabel: true}
	}
	return out
}

// benchmarkProcess measures the pipeline goroutine's work per frame
// (decode, features, scaling, every learner's predict+learn, metrics),
// without the source or the channel hop.
func benchmarkProcess(b *testing.B, cfg Config) {
	frames := simFrames(b, 20000)
	p, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	it := &item{}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f := &frames[i%len(frames)]
		it.data = append(it.data[:0], f.Data...)
		it.ts, it.label, it.hasLabel = f.Timestamp, f.Label, f.HasLabel
		p.process(it)
		i++
	}
}

func BenchmarkProcessAllLearners(b *testing.B) { benchmarkProcess(b, Config{}) }
func BenchmarkProcessLinearLearners(b *testing.B) {
	benchmarkProcess(b, Config{Learners: []string{"sgd", "passive_aggressive", "perceptron", "naive_bayes", "svm", "majority", "no_change"}})
}
func BenchmarkProcessNoLearner(b *testing.B) {
	benchmarkProcess(b, Config{Learners: []string{"majority"}})
}

// BenchmarkSubmitAndRun measures the hop from the source goroutine to the
// pipeline goroutine with a cheap learner, i.e. the plumbing's ceiling.
func BenchmarkSubmitAndRun(b *testing.B) {
	frames := simFrames(b, 20000)
	p, err := New(Config{Learners: []string{"majority"}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = p.Submit(ctx, &frames[i%len(frames)])
		i++
	}
	p.Close()
	<-done
}

// Decode, features, scaling, the linear learners, naive Bayes and the
// metrics allocate nothing per frame once warmed up.
func TestProcessAllocatesNothingPerFrame(t *testing.T) {
	g, err := sim.NewGenerator(sim.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Config{Learners: []string{"sgd", "passive_aggressive", "perceptron", "naive_bayes", "svm", "majority", "no_change"}})
	if err != nil {
		t.Fatal(err)
	}
	it := &item{}
	step := func() {
		f := g.Next()
		it.data = append(it.data[:0], f.Data...)
		it.ts, it.label, it.hasLabel = f.Time, f.Label, true
		p.process(it)
	}
	for i := 0; i < 5000; i++ { // warm up: MAC tables, history, buffers
		step()
	}
	if n, check := testkit.AllocsPerRun(t, 2000, step); check && n > 0.01 {
		t.Errorf("%.3f allocations per frame, want 0", n)
	}
}
