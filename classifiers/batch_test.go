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
	for _, d := range []int{4, 16} {
		t.Run(fmt.Sprintf("d=%d", d), func(t *testing.T) {
			xs, ys := pinnedStream(12000, d, uint64(d)+100)
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
			for i, x := range more {
				p, q := one.PredictOne(x), batched.PredictOne(x)
				if p != q {
					t.Fatalf("after the batches, sample %d: %d vs %d", i, p, q)
				}
				for c := range one.votes {
					if math.Float64bits(one.votes[c]) != math.Float64bits(batched.votes[c]) {
						t.Fatalf("after the batches, sample %d: votes %v vs %v", i, one.votes, batched.votes)
					}
				}
				one.LearnOne(x, labels[i])
				batched.LearnOne(x, labels[i])
			}
			t.Logf("%d steps, %d trees replaced, %d classes", len(steps), one.replaced(), len(one.labels))
		})
	}
}
