package pipeline

import (
	"bytes"
	"encoding/csv"
	"io"
	"math/rand/v2"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/ingest"
	"github.com/etherlearn/etherlearn/pipeline/testkit"
	"github.com/etherlearn/etherlearn/sim"
)

// labelledFrames returns n frames 1 ms apart with in-band labels drawn from
// a fixed seed (ARP frames labelled 1, UDP frames 0).
func labelledFrames(t *testing.T, n int) ([]ingest.Frame, []int) {
	hostA, _ := net.ParseMAC("02:00:00:00:00:0a")
	hostB, _ := net.ParseMAC("02:00:00:00:00:0b")
	arp, udp := frame(t, hostA, hostB, true, 0), frame(t, hostB, hostA, false, 40)
	rng := rand.New(rand.NewPCG(1, 2))
	t0 := time.Unix(1_700_000_000, 0)
	frames, labels := make([]ingest.Frame, n), make([]int, n)
	for i := range frames {
		labels[i] = rng.IntN(2)
		data := udp
		if labels[i] == 1 {
			data = arp
		}
		frames[i] = ingest.Frame{Data: data, Timestamp: t0.Add(time.Duration(i) * time.Millisecond), Label: labels[i], HasLabel: true}
	}
	return frames, labels
}

// noChangePreds reads the no-change baseline's predictions from a trace.
func noChangePreds(t *testing.T, trace []byte) []int {
	recs, err := csv.NewReader(bytes.NewReader(trace)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := len(recs[0]) - 1
	if recs[0][col] != "pred_no_change" {
		t.Fatalf("last column %q", recs[0][col])
	}
	var out []int
	for _, r := range recs[1:] {
		p, _ := strconv.Atoi(r[col])
		out = append(out, p)
	}
	return out
}

// The no-change baseline predicts the last label it learned, so its
// predictions show exactly when labels reach the learners: frame i's label
// is learned right after frame i+D is predicted (D = 0: at once), whether
// the delay is given in frames or in frame-timestamp time.
func TestLabelDelayTiming(t *testing.T) {
	const n = 400
	frames, labels := labelledFrames(t, n)
	for _, tc := range []struct {
		name  string
		modes EvalModes
		d     int
	}{
		{"instant", EvalModes{}, 0},
		{"frames", EvalModes{LabelDelayFrames: 25}, 25},
		{"time", EvalModes{LabelDelay: 7 * time.Millisecond}, 7},
		{"both", EvalModes{LabelDelayFrames: 3, LabelDelay: 9 * time.Millisecond}, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var trace bytes.Buffer
			s := runFrames(t, Config{Features: "basic", Learners: []string{"majority", "no_change"}, Trace: &trace, EvalModes: tc.modes}, frames)
			preds := noChangePreds(t, trace.Bytes())
			for i, p := range preds {
				want := 0
				if j := i - 1 - tc.d; j >= 0 {
					want = labels[j]
				}
				if p != want {
					t.Fatalf("frame %d: no_change predicted %d, want label of frame %d = %d", i, p, i-1-tc.d, want)
				}
			}
			if c := s.Counters; c.Learned != uint64(n-tc.d) || c.LabelsPending != uint64(tc.d) || c.LabelsOverflowed != 0 {
				t.Errorf("learned %d pending %d overflowed %d", c.Learned, c.LabelsPending, c.LabelsOverflowed)
			}
			if s.Learners[1].Scored != n {
				t.Errorf("scored %d, want every frame scored on arrival", s.Learners[1].Scored)
			}
		})
	}
}

// When more labels wait than the cap, the oldest are dropped unlearned and
// counted.
func TestLabelDelayQueueOverflow(t *testing.T) {
	frames, _ := labelledFrames(t, 100)
	s := runFrames(t, Config{Features: "basic", Learners: []string{"majority"},
		EvalModes: EvalModes{LabelDelayFrames: 50, MaxPendingLabels: 10}}, frames)
	if c := s.Counters; c.Learned != 0 || c.LabelsPending != 10 || c.LabelsOverflowed != 90 {
		t.Errorf("learned %d pending %d overflowed %d", c.Learned, c.LabelsPending, c.LabelsOverflowed)
	}
}

// Learners learn FreezeAfter labels, then stop; baselines go on; every
// score restarts at the freeze and the earlier ones are kept.
func TestFreezeAfter(t *testing.T) {
	frames, _ := labelledFrames(t, 300)
	s := runFrames(t, Config{Features: "basic", Learners: []string{"perceptron", "majority", "no_change"},
		EvalModes: EvalModes{FreezeAfter: 120}}, frames)
	if s.FrozenAt != 120 || s.Counters.Learned != 120 {
		t.Fatalf("frozen at %d, learned %d", s.FrozenAt, s.Counters.Learned)
	}
	for _, l := range s.Learners {
		wantLearned := int64(300)
		if !l.Baseline {
			wantLearned = 120
		}
		if l.Learned != wantLearned || l.Frozen == l.Baseline || l.Scored != 180 || l.BeforeFreeze == nil || l.BeforeFreeze.N != 120 {
			t.Errorf("%s: learned %d frozen %v scored %d before %+v", l.Name, l.Learned, l.Frozen, l.Scored, l.BeforeFreeze)
		}
		if len(l.History) == 0 || l.History[len(l.History)-1].N > 300 {
			t.Errorf("%s: history ends at %+v", l.Name, l.History[len(l.History)-1])
		}
	}
	// ARP vs UDP is trivially separable: the frozen perceptron stays right.
	if p := s.Learners[0]; p.Accuracy < 0.99 || p.Scores.Recall < 0.99 {
		t.Errorf("frozen perceptron accuracy %v recall %v", p.Accuracy, p.Scores.Recall)
	}
}

// Scoring, detection, the label-delay queue and the freeze allocate
// nothing per frame once warmed up.
func TestProcessWithEvalModesAllocatesNothingPerFrame(t *testing.T) {
	g, err := sim.NewGenerator(sim.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Config{Learners: []string{"sgd", "perceptron", "naive_bayes", "majority", "no_change"},
		EvalModes: EvalModes{LabelDelayFrames: 300, FreezeAfter: 6000}})
	if err != nil {
		t.Fatal(err)
	}
	it := &item{comment: "label=1 scenario=default episode=port_scan"}
	step := func() {
		f := g.Next()
		it.data = append(it.data[:0], f.Data...)
		it.ts, it.label, it.hasLabel = f.Time, f.Label, true
		p.process(it)
	}
	for i := 0; i < 5000; i++ {
		step()
	}
	if n, check := testkit.AllocsPerRun(t, 3000, step); check && n > 0.01 {
		t.Errorf("%.3f allocations per frame, want 0", n)
	}
	if p.frozenAt == 0 {
		t.Error("the freeze did not happen while measuring")
	}
}

// BenchmarkProcessAllLearnersLabelDelay: the per-frame cost with a label
// delay (features copied into the queue, learned later) and the metrics
// history on; compare with BenchmarkProcessAllLearners.
func BenchmarkProcessAllLearnersLabelDelay(b *testing.B) {
	benchmarkProcess(b, Config{EvalModes: EvalModes{LabelDelayFrames: 2000}, Metrics: io.Discard})
}

// Episode tags in packet comments reach the detection scores: two attack
// kinds back to back are two episodes.
func TestDetectionUsesEpisodeTags(t *testing.T) {
	frames, _ := labelledFrames(t, 30)
	for i := range frames {
		frames[i].Label, frames[i].Comment = 0, "label=0 scenario=test episode=normal"
		switch {
		case i >= 10 && i < 15:
			frames[i].Label, frames[i].Comment = 1, "label=1 scenario=test episode=port_scan"
		case i >= 15 && i < 20:
			frames[i].Label, frames[i].Comment = 1, "label=1 scenario=test episode=syn_flood"
		}
	}
	s := runFrames(t, Config{Features: "basic", Learners: []string{"no_change"}}, frames)
	d := s.Learners[0].Detection
	if d.Episodes != 2 || len(d.Recent) != 2 || d.Recent[0].Kind != "port_scan" || d.Recent[1].Kind != "syn_flood" ||
		d.Recent[0].StartFrame != 11 || d.Recent[1].StartFrame != 16 {
		t.Fatalf("detection %+v", d)
	}
	// no_change misses the first frame of the first episode, catches the
	// second at once (it continues the attack label).
	if d.Recent[0].DelayFrames != 1 || d.Recent[1].DelayFrames != 0 || d.Recent[0].AttackFrames != 5 {
		t.Errorf("episodes %+v", d.Recent)
	}
}

// The scaler is part of a frozen model: after the freeze the same raw
// value of a column is scaled the same way however many frames follow,
// while before it the running statistics move the scale.
func TestFreezeAfterFreezesTheScaler(t *testing.T) {
	frames, _ := labelledFrames(t, 300)
	s := runFrames(t, Config{Features: "basic", Learners: []string{"perceptron", "majority"},
		EvalModes: EvalModes{FreezeAfter: 120}}, frames)
	if len(s.Rows) != 300 {
		t.Fatalf("%d rows, want 300", len(s.Rows))
	}
	moved := 0
	for j := range s.Rows[0].Raw {
		first := map[float64]float64{} // raw -> scaled, before / after the freeze
		firstAfter := map[float64]float64{}
		for i, r := range s.Rows {
			raw, scaled := r.Raw[j], r.Scaled[j]
			if i < 120 {
				if v, ok := first[raw]; ok && v != scaled {
					moved++
				}
				first[raw] = scaled
				continue
			}
			if v, ok := firstAfter[raw]; ok && v != scaled {
				t.Fatalf("column %d, frame %d: raw %v scaled to %v after the freeze, to %v earlier after it", j, i, raw, scaled, v)
			}
			firstAfter[raw] = scaled
		}
	}
	if moved == 0 {
		t.Fatal("the scale never moved before the freeze: the test shows nothing")
	}
}
