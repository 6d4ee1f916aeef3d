package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/eval"
	"github.com/etherlearn/etherlearn/pipeline/ingest"
	"github.com/etherlearn/etherlearn/pipeline/testkit"
	"github.com/etherlearn/etherlearn/sim"
)

// parallelTestFrames is a simulator capture as `run --file` reads it:
// in-band labels and "episode=" comments, with every 11th frame unlabelled
// and every 997th cut short (a decode error), so that every kind of frame
// passes both paths.
func parallelTestFrames(t testing.TB, n int) []ingest.Frame {
	g, err := sim.NewGenerator(sim.Config{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]ingest.Frame, n)
	for i := range out {
		f := g.Next()
		data := append([]byte(nil), f.Data...)
		if i%997 == 996 {
			data = data[:10]
		}
		out[i] = ingest.Frame{Data: data, Timestamp: f.Time, Label: f.Label, HasLabel: i%11 != 5,
			Comment: "label=" + string(rune('0'+f.Label)) + " scenario=default episode=" + f.Episode}
	}
	return out
}

type pathResult struct {
	snap    *Snapshot
	trace   []byte
	metrics [][]string
	batches uint64
	markers []eval.Marker
	drifts  []int
}

// runPath runs frames through one path (serial or parallel) and returns
// everything it reported. SetParams is called once, mid-run, if setAt > 0.
func runPath(t *testing.T, cfg Config, frames []ingest.Frame, setAt int) pathResult {
	t.Helper()
	var trace, metrics bytes.Buffer
	cfg.Trace, cfg.Metrics, cfg.MetricsEvery = &trace, &metrics, 997
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	for i := range frames {
		if i == setAt && setAt > 0 {
			drain(p)
			if err := p.SetParams("perceptron", map[string]string{"eta0": "0.5"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Submit(ctx, &frames[i]); err != nil {
			t.Fatalf("submit %d: %v", i, err)
		}
	}
	p.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&metrics).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Wall-clock columns differ between any two runs.
	for _, r := range recs {
		r[1], r[23] = "", ""
	}
	snap := p.Snapshot()
	r := pathResult{snap: snap, trace: trace.Bytes(), metrics: recs, batches: p.parallelBatches}
	for _, m := range snap.Timeline.Markers(0, nil) {
		m.T = 0
		r.markers = append(r.markers, m)
	}
	for i := range snap.Learners {
		r.drifts = append(r.drifts, snap.Timeline.DriftCount(i))
	}
	return r
}

// TestParallelPathEqualsSerial runs the same capture through the serial and
// the parallel path, with instant labels, a label delay in frames, one in
// frame time, a freeze, and a mid-run SetParams, and requires the same
// predictions (the --trace CSV byte for byte), the same scores for every
// learner, the same metrics history and counters.
func TestParallelPathEqualsSerial(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	n := 30000
	if testing.Short() || testkit.RaceEnabled {
		n = 8000 // the race detector runs the forest ~10x slower
	}
	frames := parallelTestFrames(t, n)
	variants := []struct {
		name  string
		modes EvalModes
		setAt int
	}{
		{"instant", EvalModes{}, 0},
		{"delay_frames_freeze", EvalModes{LabelDelayFrames: 700, FreezeAfter: int64(n / 2)}, 0},
		{"delay_time", EvalModes{LabelDelay: 20 * time.Millisecond, EpisodeGap: 50}, 0},
		{"freeze_setparams", EvalModes{FreezeAfter: int64(n / 3)}, n / 2},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			serial := runPath(t, Config{EvalModes: v.modes, Serial: true}, frames, v.setAt)
			par := runPath(t, Config{EvalModes: v.modes}, frames, v.setAt)
			if serial.batches != 0 || par.batches == 0 {
				t.Fatalf("batches: serial %d, parallel %d; want 0 and more", serial.batches, par.batches)
			}
			compareTraces(t, serial.trace, par.trace)
			if !reflect.DeepEqual(serial.metrics, par.metrics) {
				t.Errorf("metrics histories differ")
			}
			if s, p := serial.snap.Counters, par.snap.Counters; s != p {
				t.Errorf("counters: serial %+v, parallel %+v", s, p)
			}
			if serial.snap.FrozenAt != par.snap.FrozenAt {
				t.Errorf("frozen at %d serial, %d parallel", serial.snap.FrozenAt, par.snap.FrozenAt)
			}
			if !reflect.DeepEqual(serial.markers, par.markers) || !reflect.DeepEqual(serial.drifts, par.drifts) {
				t.Errorf("timeline markers differ: %v / %v", serial.drifts, par.drifts)
			}
			for i := range serial.snap.Learners {
				s, p := serial.snap.Learners[i], par.snap.Learners[i]
				s.NsPerFrame, p.NsPerFrame = 0, 0 // wall-clock measurements
				s.LearnedPerSecond, p.LearnedPerSecond = 0, 0
				if !reflect.DeepEqual(s, p) {
					t.Errorf("%s: serial %+v\nparallel %+v", s.Name, s, p)
				}
			}
			if !reflect.DeepEqual(serial.snap.Rows, par.snap.Rows) {
				t.Errorf("table rows differ")
			}
			if serial.snap.Learners[0].Scored == 0 {
				t.Fatal("nothing scored")
			}
		})
	}
}

// drain returns once the pipeline goroutine has processed every frame
// submitted so far, so that a following SetParams applies at the same
// frame on every run.
func drain(p *Pipeline) {
	for {
		empty := make(chan bool)
		p.ctl <- func() { empty <- len(p.in) == 0 }
		if <-empty {
			return
		}
	}
}

// compareTraces reports the first differing trace line.
func compareTraces(t *testing.T, serial, par []byte) {
	t.Helper()
	if bytes.Equal(serial, par) {
		return
	}
	sl, pl := strings.Split(string(serial), "\n"), strings.Split(string(par), "\n")
	for i := range min(len(sl), len(pl)) {
		if sl[i] != pl[i] {
			t.Fatalf("trace line %d differs:\nserial   %s\nparallel %s", i, sl[i], pl[i])
		}
	}
	t.Fatalf("traces differ in length: %d and %d lines", len(sl), len(pl))
}

// The parallel path allocates nothing per frame once warmed up: batches,
// ops and outputs are reused.
func TestParallelProcessAllocatesNothingPerFrame(t *testing.T) {
	frames := parallelTestFrames(t, 12000)
	p, err := New(Config{Learners: []string{"sgd", "perceptron", "naive_bayes", "majority", "no_change"},
		EvalModes: EvalModes{LabelDelayFrames: 300, FreezeAfter: 7000}})
	if err != nil {
		t.Fatal(err)
	}
	p.startParallel(2)
	defer p.stopParallel()
	it := &item{}
	i := 0
	step := func() {
		f := &frames[i%len(frames)]
		i++
		it.data = append(it.data[:0], f.Data...)
		it.ts, it.label, it.hasLabel, it.comment = f.Timestamp, f.Label, f.HasLabel, f.Comment
		p.process(it)
	}
	for range 6000 {
		step()
	}
	if n, check := testkit.AllocsPerRun(t, 4000, step); check && n > 0.01 {
		t.Errorf("%.3f allocations per frame, want 0", n)
	}
	if p.frozenAt == 0 {
		t.Error("the freeze did not happen while measuring")
	}
}
