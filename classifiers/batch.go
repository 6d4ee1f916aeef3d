package classifiers

import (
	"math"
	"runtime"
	"sync"
)

// Step is one step of a batch of test-then-train work (BatchLearner): a
// prediction for X, learning X with Label, or both (predict first).
type Step struct {
	X       []float64
	Label   int
	Predict bool
	Learn   bool
}

// BatchLearner is a Classifier that can run a sequence of steps faster
// than one call at a time, for example on several cores, with exactly the
// results of PredictOne and LearnOne called in the same order: the same
// predictions, and the same model afterwards.
type BatchLearner interface {
	Classifier
	// RunSteps runs the steps in order; preds[i] is step i's prediction
	// (left as it is for steps that do not predict).
	RunSteps(steps []Step, preds []int)
}

// minParallelSteps: a batch shorter than this runs on the calling
// goroutine (starting goroutines would cost more than they save).
const minParallelSteps = 16

// RunSteps runs the steps with the forest's members split across up to
// GOMAXPROCS goroutines. The members share nothing that changes while
// they learn (see arfMember), so each goroutine takes a fixed set of
// members through every step in order; what the members have in common is
// done before and after, on the calling goroutine, in step order: the
// class index of each label (as LearnOne assigns it) before, and the vote
// of each prediction (each member's share added member after member, as
// PredictOne adds them) after. The results are those of PredictOne and
// LearnOne called step after step (TestRunStepsEqualsOneAtATime).
func (a *ARF) RunSteps(steps []Step, preds []int) {
	// until the forest has learned once it has no members: one at a time
	i := 0
	for ; i < len(steps) && a.dim == 0; i++ {
		a.runStep(&steps[i], preds, i)
	}
	steps, preds = steps[i:], preds[i:]
	workers := min(runtime.GOMAXPROCS(0), len(a.members))
	if len(steps) < minParallelSteps || workers < 2 {
		for i := range steps {
			a.runStep(&steps[i], preds, i)
		}
		return
	}
	if a.expNegLambda == 0 {
		a.expNegLambda = math.Exp(-a.lambda)
	}
	// the classes: stepClass[i] is the class index step i learns (-1: it
	// learns nothing), stepKnown[i] the number of classes known when it
	// predicts (0: it predicts 0 without asking the members)
	a.stepClass, a.stepKnown = a.stepClass[:0], a.stepKnown[:0]
	// each step's 1s among the flag columns (onesOf), words per step
	words := a.onesWords(a.dim)
	a.stepOnes = a.stepOnes[:0]
	for i := range steps {
		s := &steps[i]
		if words > 0 {
			a.ones = a.onesOf(s.X, a.ones)
			if len(a.ones) != words { // a step of another length: it neither predicts nor learns
				a.ones = append(a.ones[:0], make([]uint64, words)...)
			}
			a.stepOnes = append(a.stepOnes, a.ones...)
		}
		known := 0
		if s.Predict && len(s.X) == a.dim {
			known = len(a.labels)
		}
		c := -1
		if s.Learn && s.Label >= 0 && len(s.X) == a.dim {
			c = a.classOf(s.Label)
		}
		a.stepClass, a.stepKnown = append(a.stepClass, c), append(a.stepKnown, known)
	}
	// each prediction's member shares, at a stride of the final class count
	nc, nm := len(a.labels), len(a.members)
	if need := len(steps) * nm * nc; cap(a.parts) < need {
		a.parts = make([]float64, need)
	}
	parts := a.parts[:len(steps)*nm*nc]
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := w; j < nm; j += workers {
				m := &a.members[j]
				for i := range steps {
					x := steps[i].X
					ones := a.stepOnes[i*words : (i+1)*words] // empty without kinds
					predicted := a.stepKnown[i] > 0
					if predicted {
						off := (i*nm + j) * nc
						a.memberVotes(m, x, ones, parts[off:off+a.stepKnown[i]])
					}
					if c := a.stepClass[i]; c >= 0 {
						a.memberLearn(m, x, ones, c, predicted)
					}
				}
			}
		})
	}
	wg.Wait()
	for i := range steps {
		if !steps[i].Predict {
			continue
		}
		if k := a.stepKnown[i]; k > 0 {
			preds[i] = a.combine(parts[i*nm*nc:(i+1)*nm*nc], nc, k)
		} else {
			preds[i] = 0
		}
	}
	a.verdictsOK = false
}

// runStep runs one step with PredictOne and LearnOne.
func (a *ARF) runStep(s *Step, preds []int, i int) {
	if s.Predict {
		preds[i] = a.PredictOne(s.X)
	}
	if s.Learn {
		a.LearnOne(s.X, s.Label)
	}
}
