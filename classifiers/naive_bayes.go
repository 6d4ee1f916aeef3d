package classifiers

import (
	"math"
	"sort"
)

// NaiveBayes is a Gaussian naive Bayes classifier following scikit-learn's
// GaussianNB (1.2): per class, a running mean and (population) variance of
// every feature (Welford's update, equivalent to sklearn's
// _update_mean_variance), class priors from the class counts, and a
// variance floor epsilon = var_smoothing * (largest feature variance).
//
// Deviation, on purpose: scikit-learn takes that largest variance from the
// batch passed to partial_fit, so one-sample partial_fit calls give
// epsilon = 0 and NaN/-Inf likelihoods for a class seen once or a constant
// feature. Here the largest variance is the running variance over all data
// seen so far, so the state after n samples equals sklearn's
// partial_fit(X[:n], y[:n]) on the whole prefix as one batch (the tests
// check this), and epsilon is never zero: while every sample seen is
// identical (largest variance 0) epsilon is var_smoothing itself, i.e. the
// data are taken to have unit spread, and epsilon is never below 1e-300.
//
// Classes are native: any non-negative label is a class from the first time
// it is seen; a class never seen is never predicted, which is what sklearn's
// zero prior does. Ties go to the smaller label. Memory is O(classes x
// features). Samples with a length other than the first sample's are
// ignored (learn) or predicted as the most frequent class (predict).
type NaiveBayes struct {
	varSmoothing float64

	dim        int
	n          float64
	mean, m2   []float64 // over all data, for epsilon
	classes    []int     // sorted labels seen
	count      []float64
	cmean, cm2 [][]float64
}

// nbParams: scikit-learn GaussianNB's var_smoothing=1e-9.
var nbParams = []Param{
	floatParam("var_smoothing", "variance floor as a fraction of the largest feature variance", 1e-9, positive),
}

func init() {
	register(Spec{Name: "naive_bayes", Display: "Naive Bayes", Params: nbParams}, func(v paramValues) (Classifier, error) {
		return &NaiveBayes{varSmoothing: v.float("var_smoothing")}, nil
	})
}

func (nb *NaiveBayes) Name() string { return "naive_bayes" }

func (nb *NaiveBayes) Reset() {
	nb.dim, nb.n = 0, 0
	nb.mean, nb.m2 = nil, nil
	nb.classes, nb.count, nb.cmean, nb.cm2 = nil, nil, nil, nil
}

// epsilon is the variance added to every class variance.
func (nb *NaiveBayes) epsilon() float64 {
	maxVar := 0.0
	if nb.n > 0 {
		for _, v := range nb.m2 {
			maxVar = max(maxVar, v/nb.n)
		}
	}
	if maxVar == 0 {
		return max(nb.varSmoothing, 1e-300)
	}
	return max(nb.varSmoothing*maxVar, 1e-300)
}

func (nb *NaiveBayes) LearnOne(x []float64, y int) {
	if y < 0 || len(x) == 0 {
		return
	}
	if nb.dim == 0 {
		nb.dim = len(x)
		nb.mean = make([]float64, nb.dim)
		nb.m2 = make([]float64, nb.dim)
	} else if len(x) != nb.dim {
		return
	}
	k := sort.SearchInts(nb.classes, y)
	if k == len(nb.classes) || nb.classes[k] != y {
		if len(nb.classes) >= MaxClasses {
			return
		}
		nb.classes = append(nb.classes, 0)
		copy(nb.classes[k+1:], nb.classes[k:])
		nb.classes[k] = y
		nb.count = append(nb.count, 0)
		copy(nb.count[k+1:], nb.count[k:])
		nb.count[k] = 0
		nb.cmean = append(nb.cmean, nil)
		copy(nb.cmean[k+1:], nb.cmean[k:])
		nb.cmean[k] = make([]float64, nb.dim)
		nb.cm2 = append(nb.cm2, nil)
		copy(nb.cm2[k+1:], nb.cm2[k:])
		nb.cm2[k] = make([]float64, nb.dim)
	}
	nb.n++
	welford(nb.mean, nb.m2, nb.n, x)
	nb.count[k]++
	welford(nb.cmean[k], nb.cm2[k], nb.count[k], x)
}

func welford(mean, m2 []float64, n float64, x []float64) {
	mean, m2 = mean[:len(x)], m2[:len(x)]
	for i, v := range x {
		d := v - mean[i]
		mean[i] += d / n
		m2[i] += d * (v - mean[i])
	}
}

// jll is scikit-learn's _joint_log_likelihood for class k.
func (nb *NaiveBayes) jll(k int, x []float64, eps float64) float64 {
	n := nb.count[k]
	mean, m2 := nb.cmean[k][:len(x)], nb.cm2[k][:len(x)]
	logDet, maha := 0.0, 0.0
	for i, v := range x {
		va := m2[i]/n + eps
		logDet += math.Log(2 * math.Pi * va)
		d := v - mean[i]
		maha += d * d / va
	}
	return math.Log(n/nb.n) - 0.5*logDet - 0.5*maha
}

func (nb *NaiveBayes) PredictOne(x []float64) int {
	if len(nb.classes) == 0 {
		return 0
	}
	if len(x) != nb.dim {
		best := 0
		for k := range nb.count {
			if nb.count[k] > nb.count[best] {
				best = k
			}
		}
		return nb.classes[best]
	}
	eps := nb.epsilon()
	best, bestScore := 0, math.Inf(-1)
	for k := range nb.classes {
		if s := nb.jll(k, x, eps); s > bestScore {
			best, bestScore = k, s
		}
	}
	return nb.classes[best]
}

// Stats returns scikit-learn's classes_, class_count_, theta_, var_ and
// epsilon_ for the classes seen so far (for tests and inspection).
func (nb *NaiveBayes) Stats() (classes []int, count []float64, theta, variance [][]float64, eps float64) {
	eps = nb.epsilon()
	for k := range nb.classes {
		th := append([]float64(nil), nb.cmean[k]...)
		va := make([]float64, nb.dim)
		for i := range va {
			va[i] = nb.cm2[k][i]/nb.count[k] + eps
		}
		theta, variance = append(theta, th), append(variance, va)
	}
	return append([]int(nil), nb.classes...), append([]float64(nil), nb.count...), theta, variance, eps
}
