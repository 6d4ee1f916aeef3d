package classifiers

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPegasosHandComputed checks two Pegasos steps worked out by hand
// (Shalev-Shwartz et al. 2011, Fig. 1), lambda = 0.5, bias feature 1.
func TestPegasosHandComputed(t *testing.T) {
	s := newWith[*SVM](t, "svm", map[string]string{"lambda": "0.5", "project": "false"})
	// t=1: eta=2, w=(1-1)*0 + 2*(+1)*(1,2,1) = (2,4,2)
	s.LearnOne([]float64{1, 2}, 1)
	want := []float64{2, 4, 2}
	ws, _ := s.Coef()
	for i := range want {
		if math.Abs(ws[0][i]-want[i]) > 1e-12 {
			t.Fatalf("step 1: w = %v, want %v", ws[0], want)
		}
	}
	// t=2: eta=1, margin y<w,z> = -(2*2 + 4*0 + 2*1) = -6 < 1:
	// w = (1-1*0.5)*(2,4,2) + 1*(-1)*(2,0,1) = (-1, 2, 0)
	s.LearnOne([]float64{2, 0}, 0)
	want = []float64{-1, 2, 0}
	ws, _ = s.Coef()
	for i := range want {
		if math.Abs(ws[0][i]-want[i]) > 1e-12 {
			t.Fatalf("step 2: w = %v, want %v", ws[0], want)
		}
	}
	// t=3: eta=2/3, x=(0,1) y=+1: margin <(-1,2,0),(0,1,1)> = 2 >= 1, only
	// the shrink: w = (1-1/3)*(-1,2,0)
	s.LearnOne([]float64{0, 1}, 1)
	want = []float64{-2.0 / 3, 4.0 / 3, 0}
	ws, _ = s.Coef()
	for i := range want {
		if math.Abs(ws[0][i]-want[i]) > 1e-12 {
			t.Fatalf("step 3: w = %v, want %v", ws[0], want)
		}
	}
	if s.PredictOne([]float64{0, 1}) != 1 || s.PredictOne([]float64{2, 0}) != 0 {
		t.Error("predictions disagree with w")
	}

	// projection: step 1 with projection gives (2,4,2) scaled to norm
	// 1/sqrt(0.5): |(2,4,2)| = sqrt(24).
	p := newWith[*SVM](t, "svm", map[string]string{"lambda": "0.5"})
	p.LearnOne([]float64{1, 2}, 1)
	ws, _ = p.Coef()
	f := math.Sqrt(2) / math.Sqrt(24)
	for i, v := range []float64{2, 4, 2} {
		if math.Abs(ws[0][i]-v*f) > 1e-12 {
			t.Fatalf("projected step 1: w = %v, want %v", ws[0], []float64{2 * f, 4 * f, 2 * f})
		}
	}
}

// prequential runs test-then-train and returns the accuracy over the last
// `last` samples.
func prequential(c Classifier, xs [][]float64, ys []int, last int) float64 {
	hits := 0
	for i, x := range xs {
		if c.PredictOne(x) == ys[i] && i >= len(xs)-last {
			hits++
		}
		c.LearnOne(x, ys[i])
	}
	return float64(hits) / float64(last)
}

func TestSVMLearnsSeparableAndXOR(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	n := 4000
	xs, lin, xor := make([][]float64, n), make([]int, n), make([]int, n)
	for i := range xs {
		x := []float64{rng.Float64()*2 - 1, rng.Float64()*2 - 1}
		xs[i] = x
		if x[0]+0.5*x[1] > 0.1 {
			lin[i] = 1
		}
		if x[0]*x[1] > 0 {
			xor[i] = 1
		}
	}
	if acc := prequential(newDefault[*SVM]("svm"), xs, lin, 1000); acc < 0.95 {
		t.Errorf("linear SVM on a separable stream: accuracy %.3f over the last 1000, want >= 0.95", acc)
	}
	if acc := prequential(newDefault[*SVM]("svm"), xs, xor, 1000); acc > 0.7 {
		t.Errorf("linear SVM on XOR: accuracy %.3f, a linear model cannot exceed ~0.7", acc)
	}
	rbf := newWith[*SVM](t, "svm", map[string]string{"kernel": "rbf", "gamma": "2"})
	if acc := prequential(rbf, xs, xor, 1000); acc < 0.9 {
		t.Errorf("RBF SVM on XOR: accuracy %.3f over the last 1000, want >= 0.9", acc)
	}
	// determinism: same seed, same predictions; Reset starts over exactly
	a := newWith[*SVM](t, "svm", map[string]string{"kernel": "rbf"})
	b := newWith[*SVM](t, "svm", map[string]string{"kernel": "rbf"})
	for i := range 500 {
		a.LearnOne(xs[i], xor[i])
		b.LearnOne(xs[i], xor[i])
	}
	b.Reset()
	for i := range 500 {
		b.LearnOne(xs[i], xor[i])
	}
	wa, _ := a.Coef()
	wb, _ := b.Coef()
	for i := range wa[0] {
		if wa[0][i] != wb[0][i] {
			t.Fatalf("RBF SVM not deterministic at weight %d: %v vs %v", i, wa[0][i], wb[0][i])
		}
	}
}
