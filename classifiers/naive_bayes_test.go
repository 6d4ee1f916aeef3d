package classifiers

import (
	"math"
	"testing"
)

// TestNaiveBayesMatchesScikitLearn: after n samples the Go model equals
// scikit-learn 1.2.1 GaussianNB.partial_fit(X[:n], y[:n], classes) (one
// batch, where sklearn is defined) in theta_, var_, class_count_, epsilon_
// and the test-then-train predictions.
func TestNaiveBayesMatchesScikitLearn(t *testing.T) {
	ref := loadReference(t)
	seen := 0
	for _, c := range ref.Cases {
		if c.Learner != "naive_bayes" {
			continue
		}
		seen++
		t.Run(c.Stream, func(t *testing.T) {
			s := ref.Streams[c.Stream]
			nb := newDefault[*NaiveBayes]("naive_bayes")
			cp, mismatches := 0, 0
			for i, x := range s.X {
				if i >= 2 {
					if got := nb.PredictOne(x); got != c.Pred[i] {
						mismatches++
						t.Errorf("sample %d: predicted %d, scikit-learn %d", i, got, c.Pred[i])
					}
				}
				nb.LearnOne(x, s.Y[i])
				if cp < len(c.Checkpoints) && c.Checkpoints[cp].N == i+1 {
					want := c.Checkpoints[cp]
					cp++
					classes, count, theta, variance, eps := nb.Stats()
					if !closeTo(eps, want.Epsilon) {
						t.Errorf("n=%d epsilon %.17g, scikit-learn %.17g", want.N, eps, want.Epsilon)
					}
					k := 0
					for ci, label := range s.Classes {
						if want.ClassCount[ci] == 0 {
							continue
						}
						if k >= len(classes) || classes[k] != label || count[k] != want.ClassCount[ci] {
							t.Fatalf("n=%d: classes %v counts %v, scikit-learn counts %v", want.N, classes, count, want.ClassCount)
						}
						for j := range theta[k] {
							if !closeTo(theta[k][j], want.Theta[ci][j]) || !closeTo(variance[k][j], want.Var[ci][j]) {
								t.Errorf("n=%d class %d feature %d: theta %.17g var %.17g, scikit-learn %.17g %.17g",
									want.N, label, j, theta[k][j], variance[k][j], want.Theta[ci][j], want.Var[ci][j])
							}
						}
						k++
					}
					if k != len(classes) {
						t.Errorf("n=%d: Go has classes %v sklearn has not seen", want.N, classes)
					}
				}
			}
			if cp != len(c.Checkpoints) {
				t.Errorf("checked %d of %d checkpoints", cp, len(c.Checkpoints))
			}
		})
	}
	if seen != 2 {
		t.Errorf("%d naive_bayes reference cases, want 2", seen)
	}
}

// TestNaiveBayesNoNaN covers the cases where scikit-learn's one-sample
// partial_fit has epsilon 0: the first sample, a class seen once, and a
// constant feature. The likelihoods must stay finite and predictions
// sensible.
func TestNaiveBayesNoNaN(t *testing.T) {
	nb := newDefault[*NaiveBayes]("naive_bayes")
	nb.LearnOne([]float64{1, 5}, 3)
	if got := nb.PredictOne([]float64{1, 5}); got != 3 {
		t.Fatalf("after one sample of class 3 predicted %d", got)
	}
	_, _, _, v, eps := nb.Stats()
	if !(eps > 0) || !(v[0][0] > 0) {
		t.Fatalf("epsilon %v, var %v after one sample: want > 0", eps, v)
	}
	// second class seen once (its variance is epsilon alone, so only x
	// very near its one sample is class 1), feature 1 constant throughout
	nb.LearnOne([]float64{3, 5}, 1)
	nb.LearnOne([]float64{1.2, 5}, 3)
	for _, tc := range []struct {
		x    []float64
		want int
	}{{[]float64{3, 5}, 1}, {[]float64{0.9, 5}, 3}, {[]float64{1.1, 5}, 3}, {[]float64{2.9, 5}, 3}} {
		if got := nb.PredictOne(tc.x); got != tc.want {
			t.Errorf("predict %v = %d, want %d", tc.x, got, tc.want)
		}
	}
	eps = nb.epsilon()
	for k := range nb.classes {
		if l := nb.jll(k, []float64{2, 5}, eps); math.IsNaN(l) || math.IsInf(l, 0) {
			t.Errorf("class %d log-likelihood %v", nb.classes[k], l)
		}
	}
	// constant data of two classes: finite, and the priors decide (3 is
	// more frequent).
	nb.Reset()
	for i := range 5 {
		nb.LearnOne([]float64{7, 7}, []int{3, 1, 3, 3, 1}[i])
	}
	for k := range nb.classes {
		if l := nb.jll(k, []float64{7, 7}, nb.epsilon()); math.IsNaN(l) || math.IsInf(l, 0) {
			t.Errorf("constant stream: class %d log-likelihood %v", nb.classes[k], l)
		}
	}
	if got := nb.PredictOne([]float64{7, 7}); got != 3 {
		t.Errorf("constant stream predicted %d, want the majority 3", got)
	}
}
