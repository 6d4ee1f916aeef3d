package classifiers

import (
	"math"
	"math/rand/v2"
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
			nb := newWith[*NaiveBayes](t, "naive_bayes", map[string]string{"fallback": "none"})
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
		if l := nb.jll(k, []float64{2, 5}, eps, nil); math.IsNaN(l) || math.IsInf(l, 0) {
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
		if l := nb.jll(k, []float64{7, 7}, nb.epsilon(), nil); math.IsNaN(l) || math.IsInf(l, 0) {
			t.Errorf("constant stream: class %d log-likelihood %v", nb.classes[k], l)
		}
	}
	if got := nb.PredictOne([]float64{7, 7}); got != 3 {
		t.Errorf("constant stream predicted %d, want the majority 3", got)
	}
}

// TestNaiveBayesMixed: with kinds, a 0/1 column is a Bernoulli variable
// with Laplace smoothing (scikit-learn BernoulliNB's feature_log_prob_)
// and the rest stay Gaussian; the joint log-likelihood is worked out by
// hand here.
func TestNaiveBayesMixed(t *testing.T) {
	nb := newWith[*NaiveBayes](t, "naive_bayes", map[string]string{"variance": "class", "likelihood_weight": "1"})
	nb.SetFeatureKinds([]FeatureKind{FeatureBinary, FeatureNumeric})
	data := []struct {
		x []float64
		y int
	}{
		{[]float64{1, 0.0}, 0}, {[]float64{0, 1.0}, 0}, {[]float64{0, 2.0}, 0}, {[]float64{0, 3.0}, 0},
		{[]float64{1, 0.5}, 1}, {[]float64{1, 1.5}, 1},
	}
	for _, d := range data {
		nb.LearnOne(d.x, d.y)
	}
	eps := nb.epsilon()
	// Gaussian column only: overall variance of {0,1,2,3,0.5,1.5} is the largest
	if want := 1e-9 * variance([]float64{0, 1, 2, 3, 0.5, 1.5}); !closeTo(eps, want) {
		t.Errorf("epsilon %v, want %v (from the Gaussian column alone)", eps, want)
	}
	gauss := func(v, mean, va float64) float64 {
		return -0.5*math.Log(2*math.Pi*va) - 0.5*(v-mean)*(v-mean)/va
	}
	x := []float64{1, 1.0}
	// class 0: 4 samples, one with the flag: p = (1+1)/(4+2)
	want0 := math.Log(4.0/6) + math.Log(2.0/6) + gauss(1, 1.5, variance([]float64{0, 1, 2, 3})+eps)
	// class 1: 2 samples, both with the flag: p = (2+1)/(2+2)
	want1 := math.Log(2.0/6) + math.Log(3.0/4) + gauss(1, 1, variance([]float64{0.5, 1.5})+eps)
	if got := nb.jll(0, x, eps, nil); !closeTo(got, want0) {
		t.Errorf("class 0 jll %v, want %v", got, want0)
	}
	if got := nb.jll(1, x, eps, nil); !closeTo(got, want1) {
		t.Errorf("class 1 jll %v, want %v", got, want1)
	}
	if got, want := nb.PredictOne(x), 1; (want1 > want0) != (got == want) {
		t.Errorf("predicted %d with jll %v vs %v", got, want0, want1)
	}
	// flag off: log(1-p)
	x0 := []float64{0, 1.0}
	if got, want := nb.jll(1, x0, eps, nil), math.Log(2.0/6)+math.Log(1.0/4)+gauss(1, 1, variance([]float64{0.5, 1.5})+eps); !closeTo(got, want) {
		t.Errorf("class 1 jll without the flag %v, want %v", got, want)
	}
	// the kinds survive Reset
	nb.Reset()
	for _, d := range data {
		nb.LearnOne(d.x, d.y)
	}
	if got := nb.jll(1, x, eps, nil); !closeTo(got, want1) {
		t.Errorf("after Reset: class 1 jll %v, want %v", got, want1)
	}
}

// TestNaiveBayesAllNumericKindsIsGaussian: told every column is numeric,
// the model is scikit-learn's GaussianNB, as without kinds.
func TestNaiveBayesAllNumericKindsIsGaussian(t *testing.T) {
	plain, told := newDefault[*NaiveBayes]("naive_bayes"), newDefault[*NaiveBayes]("naive_bayes")
	told.SetFeatureKinds([]FeatureKind{FeatureNumeric, FeatureNumeric})
	for i := range 200 {
		x := []float64{float64(i % 7), float64(i%3) * 0.5}
		y := i % 2
		if a, b := plain.PredictOne(x), told.PredictOne(x); a != b {
			t.Fatalf("sample %d: %d vs %d", i, a, b)
		}
		plain.LearnOne(x, y)
		told.LearnOne(x, y)
	}
}

func variance(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return s / float64(len(v))
}

// TestNaiveBayesAutoSettings: with feature kinds, "auto" pools the
// variances and halves the likelihood's weight; the pooled variance of a
// column is the class variances weighted by the class shares, and the
// score is log prior + weight x log-likelihood.
func TestNaiveBayesAutoSettings(t *testing.T) {
	nb := newDefault[*NaiveBayes]("naive_bayes")
	if nb.pooled || nb.likelihoodWeight() != 1 {
		t.Fatalf("without kinds: pooled %v weight %v, want scikit-learn's class variances and weight 1", nb.pooled, nb.likelihoodWeight())
	}
	nb.SetFeatureKinds([]FeatureKind{FeatureOneHot(0), FeatureOneHot(0), FeatureNumeric})
	if !nb.pooled || nb.likelihoodWeight() != nbAutoWeight {
		t.Fatalf("with kinds: pooled %v weight %v", nb.pooled, nb.likelihoodWeight())
	}
	data := []struct {
		x []float64
		y int
	}{
		{[]float64{1, 0, 0}, 0}, {[]float64{0, 1, 2}, 0}, {[]float64{0, 0, 4}, 0}, {[]float64{1, 0, 2}, 0},
		{[]float64{0, 1, 10}, 1}, {[]float64{0, 1, 12}, 1},
	}
	for _, d := range data {
		nb.LearnOne(d.x, d.y)
	}
	x := []float64{0, 1, 6}
	pred := nb.PredictOne(x) // fills the pooled variance
	pooled := (4*variance([]float64{0, 2, 4, 2}) + 2*variance([]float64{10, 12})) / 6
	if !closeTo(nb.pooledVar[2], pooled) {
		t.Fatalf("pooled variance %v, want %v", nb.pooledVar[2], pooled)
	}
	eps := nb.epsilon()
	gauss := func(v, mean, va float64) float64 { return -0.5*math.Log(2*math.Pi*va) - 0.5*(v-mean)*(v-mean)/va }
	// one-hot group: categories column 0, column 1, none; alpha 1, 3 categories
	want0 := math.Log(4.0/6) + nbAutoWeight*(math.Log((1+1)/(4+3.0))+gauss(6, 2, pooled+eps))
	want1 := math.Log(2.0/6) + nbAutoWeight*(math.Log((2+1)/(2+3.0))+gauss(6, 11, pooled+eps))
	if got := nb.jll(0, x, eps, nb.pooledVar); !closeTo(got, want0) {
		t.Errorf("class 0: %v, want %v", got, want0)
	}
	if got := nb.jll(1, x, eps, nb.pooledVar); !closeTo(got, want1) {
		t.Errorf("class 1: %v, want %v", got, want1)
	}
	if want := map[bool]int{true: 1, false: 0}[want1 > want0]; pred != want {
		t.Errorf("predicted %d, want %d", pred, want)
	}
	// "none set" of the group: both columns 0
	if got, want := nb.jll(1, []float64{0, 0, 6}, eps, nb.pooledVar), math.Log(2.0/6)+nbAutoWeight*(math.Log((0+1)/(2+3.0))+gauss(6, 11, pooled+eps)); !closeTo(got, want) {
		t.Errorf("class 1, no column set: %v, want %v", got, want)
	}
}

// TestNaiveBayesFallback: with fallback "majority" the learner predicts the
// most frequent class while that has been right more often than naive
// Bayes over the recent labels, and naive Bayes again once it is better.
// Phase 1 is the collapse of a Gaussian on a code: the rare class always
// has code 2 (variance ~0), so naive Bayes calls every frame with code 2
// rare, and half the common class has it. In phase 2 the code decides the
// class, and naive Bayes is right where the most frequent class is not.
func TestNaiveBayesFallback(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const n1, n2 = 6000, 6000
	xs, ys := make([][]float64, 0, n1+n2), make([]int, 0, n1+n2)
	for range n1 {
		if rng.IntN(5) == 0 {
			xs, ys = append(xs, []float64{2}), append(ys, 1)
		} else {
			xs, ys = append(xs, []float64{[]float64{1, 2, 2, 3}[rng.IntN(4)]}), append(ys, 0)
		}
	}
	for range n2 {
		if rng.IntN(3) == 0 {
			xs, ys = append(xs, []float64{7 + rng.NormFloat64()*0.1}), append(ys, 1)
		} else {
			xs, ys = append(xs, []float64{1 + rng.NormFloat64()*0.1}), append(ys, 0)
		}
	}
	run := func(mode string) (phase1, phase2Late float64, majorityAfterWarmUp bool) {
		nb := newWith[*NaiveBayes](t, "naive_bayes", map[string]string{"fallback": mode})
		maj := newDefault[*Majority]("majority")
		hits1, hits2 := 0, 0
		majorityAfterWarmUp = true
		for i, x := range xs {
			p := nb.PredictOne(x)
			switch {
			case i < n1:
				if p == ys[i] {
					hits1++
				}
				if i >= 1000 && p != maj.PredictOne(x) {
					majorityAfterWarmUp = false
				}
			case i >= n1+n2/2:
				if p == ys[i] {
					hits2++
				}
			}
			nb.LearnOne(x, ys[i])
			maj.LearnOne(x, ys[i])
		}
		return float64(hits1) / n1, float64(hits2) / (n2 / 2), majorityAfterWarmUp
	}
	none1, none2, _ := run("none")
	fb1, fb2, followsMajority := run("majority")
	t.Logf("phase 1 accuracy: none %.3f, fallback %.3f; late phase 2: none %.3f, fallback %.3f", none1, fb1, none2, fb2)
	if none1 > 0.75 {
		t.Fatalf("without the fallback naive Bayes scores %.3f in phase 1: the stream does not show the collapse", none1)
	}
	if !followsMajority || fb1 < 0.77 {
		t.Errorf("fallback, phase 1: accuracy %.3f, predicts the majority's class after 1,000 labels: %v", fb1, followsMajority)
	}
	if fb2 < 0.95 || fb2 < none2-0.01 {
		t.Errorf("fallback, late phase 2: accuracy %.3f (naive Bayes alone %.3f): it did not return to naive Bayes", fb2, none2)
	}
}
