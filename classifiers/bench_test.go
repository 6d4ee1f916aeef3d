package classifiers

import (
	"fmt"
	"testing"
)

// benchLearner builds a learner by registry name, or one of the variants
// svm_rbf and sgd_avg_elasticnet.
func benchLearner(tb testing.TB, name string) Classifier {
	tb.Helper()
	params := map[string]string{}
	switch name {
	case "svm_rbf":
		name, params["kernel"] = "svm", "rbf"
	case "sgd_avg_elasticnet":
		name, params["average"], params["penalty"] = "sgd", "true", "elasticnet"
	}
	return newWith[Classifier](tb, name, params)
}

// BenchmarkPredictLearn measures one test-then-train step (PredictOne +
// LearnOne) per learner, at 4 and 16 features, on a 3-class stream, after
// a warm-up so that first-sample sizing is not counted.
//
//	go test -run '^$' -bench PredictLearn -benchtime=200ms ./classifiers/
func BenchmarkPredictLearn(b *testing.B) {
	names := []string{"sgd", "sgd_avg_elasticnet", "random_forest", "passive_aggressive", "perceptron",
		"naive_bayes", "svm", "svm_rbf", "majority", "no_change"}
	for _, d := range []int{4, 16} {
		xs, ys := learnableStream(4096, d, 2)
		for _, name := range names {
			b.Run(fmt.Sprintf("%s/d=%d", name, d), func(b *testing.B) {
				benchTestThenTrain(b, benchLearner(b, name), xs, ys, 1024)
			})
		}
	}
}

// benchTestThenTrain warms c up on the first warm samples, then measures
// one prediction and one learning step per iteration, cycling through the
// samples (len(xs) a power of two).
func benchTestThenTrain(b *testing.B, c Classifier, xs [][]float64, ys []int, warm int) {
	for i := range warm {
		c.PredictOne(xs[i])
		c.LearnOne(xs[i], ys[i])
	}
	b.ReportAllocs()
	mask := len(xs) - 1
	i := 0
	for b.Loop() {
		c.PredictOne(xs[i&mask])
		c.LearnOne(xs[i&mask], ys[i&mask])
		i++
	}
}
