package classifiers

import (
	"fmt"
	"math"
	"runtime"
	"testing"
)

// TestRunStepsEqualsOneAtATime: a forest fed in batches (RunSteps, its
// members on several goroutines) predicts exactly what a forest fed one
// call at a time predicts, with the same vote bits, and ends up the same
// forest: both keep predicting and learning identically afterwards. The
// batches mix what the pipeline sends: test-then-train steps, predictions
// whose label comes later (a label delay), learning of such late labels,
// new classes arriving mid-batch, samples of the wrong length and
// negative labels; batch lengths vary, with batches below and above
// minParallelSteps.
func TestRunStepsEqualsOneAtATime(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, tc := range []struct {
		d     int
		kinds bool
	}{{4, false}, {16, false}, {16, true}} {
		d := tc.d
		t.Run(fmt.Sprintf("d=%d,kinds=%v", d, tc.kinds), func(t *testing.T) {
			xs, ys := pinnedStream(12000, d, uint64(d)+100)
			// with kinds: columns 0-1 and 4 flags, 2-3 a one-hot pair, so
			// that leaves abstain (unseen_flags) on the batched path too
			var kinds []FeatureKind
			if tc.kinds {
				kinds = make([]FeatureKind, d)
				kinds[0], kinds[1], kinds[2], kinds[3], kinds[4] = FeatureBinary, FeatureBinary, FeatureOneHot(0), FeatureOneHot(0), FeatureBinary
				for _, x := range xs {
					x[0], x[1] = flag(x[0] > 0.8), flag(x[1] < -2) // x[1]: rare, unseen by many leaves
					x[2] = flag(x[2] > 0)
					x[3] = 1 - x[2]
					x[4] = flag(x[4] < -2.5) // rarer still
				}
			}
			// a fifth class appears late, in the middle of a batch
			for i := 7001; i < len(ys); i += 97 {
				ys[i] = 9
			}
			steps := make([]Step, 0, len(xs)+len(xs)/5)
			for i, x := range xs {
				s := Step{X: x, Label: ys[i], Predict: true, Learn: true}
				switch {
				case i%5 == 1: // its label comes three steps later
					s.Learn = false
				case i%211 == 100:
					s.X = x[:d-1] // wrong length: predicts 0, learns nothing
				case i%307 == 150:
					s.Label = -1 // not learned
				}
				steps = append(steps, s)
				if i%5 == 4 {
					steps = append(steps, Step{X: xs[i-3], Label: ys[i-3], Learn: true})
				}
			}
			one, batched := newDefault[*ARF]("random_forest"), newDefault[*ARF]("random_forest")
			if kinds != nil {
				one.SetFeatureKinds(kinds)
				batched.SetFeatureKinds(kinds)
			}
			want := make([]int, len(steps))
			for i := range steps {
				one.runStep(&steps[i], want, i)
			}
			got := make([]int, len(steps))
			for i, n := 0, 0; i < len(steps); i += n {
				n = min([]int{1, 7, 256, 40, 300}[(i/13)%5], len(steps)-i)
				batched.RunSteps(steps[i:i+n], got[i:i+n])
			}
			for i := range steps {
				if got[i] != want[i] && steps[i].Predict {
					t.Fatalf("step %d: batched forest predicts %d, one at a time %d", i, got[i], want[i])
				}
			}
			if one.replaced() == 0 || one.replaced() != batched.replaced() {
				t.Fatalf("trees replaced: one at a time %d, batched %d (want equal and > 0)", one.replaced(), batched.replaced())
			}
			// the same forest afterwards, down to the vote bits
			more, labels := pinnedStream(3000, d, uint64(d)+200)
			abstained := 0
			for i, x := range more {
				if tc.kinds {
					x[0], x[1], x[2], x[3], x[4] = 1, 1, 1, 0, 1 // flags that many leaves never saw set
				}
				p, q := one.PredictOne(x), batched.PredictOne(x)
				if p != q {
					t.Fatalf("after the batches, sample %d: %d vs %d", i, p, q)
				}
				for j := range one.members {
					m := &one.members[j]
					if m.tree.nodes[m.verdict.leaf].leaf.unseenFlag(one.ones, one.flagMask) {
						abstained++
					}
				}
				for c := range one.votes {
					if math.Float64bits(one.votes[c]) != math.Float64bits(batched.votes[c]) {
						t.Fatalf("after the batches, sample %d: votes %v vs %v", i, one.votes, batched.votes)
					}
				}
				one.LearnOne(x, labels[i])
				batched.LearnOne(x, labels[i])
			}
			t.Logf("%d steps, %d trees replaced, %d classes, %d abstaining leaves after", len(steps), one.replaced(), len(one.labels), abstained)
			if tc.kinds && abstained == 0 {
				t.Error("no leaf abstained: the batched abstention is not tested")
			}
		})
	}
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
