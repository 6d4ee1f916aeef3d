//go:build amd64 && !amd64.v3

package classifiers

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// Naive Bayes' speed work (per-class logarithms cached between updates)
// must not change a single result. TestNaiveBayesPinnedResults pins its
// predictions and every class's joint log-likelihood (bit for bit) on
// seeded streams to checksums taken from the code before that work; as for
// the forest (arf_pinned_test.go), the checksums are of amd64 floating
// point without fused multiply-add.

// nbPinnedKinds: 6 numeric columns (one constant, one small-integer), 3
// lone flags, a one-hot group of 4 and one of 3 (each sometimes with no
// column set).
var nbPinnedKinds = []FeatureKind{
	FeatureNumeric, FeatureNumeric, FeatureNumeric, FeatureNumeric, FeatureNumeric, FeatureNumeric,
	FeatureBinary, FeatureBinary, FeatureBinary,
	FeatureOneHot(0), FeatureOneHot(0), FeatureOneHot(0), FeatureOneHot(0),
	FeatureOneHot(1), FeatureOneHot(1), FeatureOneHot(1),
}

// nbPinnedStream draws n samples of 3 classes (a fourth, label 5, from the
// middle on) whose numeric means, flag rates and one-hot codes depend on
// the class, with 5% label noise.
func nbPinnedStream(n int, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 0x9b))
	xs, ys := make([][]float64, n), make([]int, n)
	for i := range xs {
		y := rng.IntN(3)
		if i >= n/2 && rng.IntN(5) == 0 {
			y = 5
		}
		c := float64(y)
		x := make([]float64, len(nbPinnedKinds))
		x[0] = rng.NormFloat64() + 0.8*c
		x[1] = rng.NormFloat64()*(1+c) - c
		x[2] = float64(rng.IntN(3 + y))
		x[3] = 7 // constant
		x[4] = rng.ExpFloat64() * (10 + 5*c)
		x[5] = rng.NormFloat64() * 0.01
		for j := 6; j < 9; j++ {
			if rng.Float64() < 0.2+0.15*c*float64(j-5)/3 {
				x[j] = 1
			}
		}
		if g := (y + rng.IntN(3)) % 5; g < 4 {
			x[9+g] = 1
		}
		if g := rng.IntN(4 + y%2); g < 3 {
			x[13+g] = 1
		}
		if rng.Float64() < 0.05 {
			y = rng.IntN(3)
		}
		xs[i], ys[i] = x, y
	}
	return xs, ys
}

func TestNaiveBayesPinnedResults(t *testing.T) {
	const n = 20000
	xs, ys := nbPinnedStream(n, 3)
	for _, c := range []struct {
		name   string
		kinds  bool
		params map[string]string
		want   uint64
		hits   int
	}{
		{"mixed/auto", true, map[string]string{"fallback": "none"}, 0xc9c8786233eac742, 14530},
		{"mixed/class-variance", true, map[string]string{"variance": "class", "likelihood_weight": "1", "fallback": "none"}, 0xe7151a39d947bcd3, 15413},
		{"mixed/pooled/alpha", true, map[string]string{"variance": "pooled", "likelihood_weight": "0.7", "alpha": "0.5", "fallback": "none"}, 0x22bd76b9cbbd3b85, 14644},
		{"gaussian", false, map[string]string{"fallback": "none"}, 0x1ba6b34eaa165c2b, 13846},
		{"gaussian/pooled", false, map[string]string{"variance": "pooled", "fallback": "none"}, 0xf9287d4164ce7692, 13997},
	} {
		t.Run(c.name, func(t *testing.T) {
			nb := newWith[*NaiveBayes](t, "naive_bayes", c.params)
			if c.kinds {
				nb.SetFeatureKinds(nbPinnedKinds)
			}
			h := fnv.New64a()
			var buf [8]byte
			hits := 0
			for i, x := range xs {
				p := nb.PredictOne(x)
				binary.LittleEndian.PutUint64(buf[:], uint64(int64(p)))
				h.Write(buf[:])
				if len(nb.classes) > 0 {
					for _, s := range nb.jointLogLikelihoods(x) {
						binary.LittleEndian.PutUint64(buf[:], math.Float64bits(s))
						h.Write(buf[:])
					}
				}
				if p == ys[i] {
					hits++
				}
				nb.LearnOne(x, ys[i])
			}
			t.Logf("%s: accuracy %.4f, checksum %#x", c.name, float64(hits)/n, h.Sum64())
			if h.Sum64() != c.want || hits != c.hits {
				t.Errorf("results changed: checksum %#x hits %d, want %#x %d", h.Sum64(), hits, c.want, c.hits)
			}
		})
	}
}

// BenchmarkNaiveBayesMixed is one test-then-train step of the mixed model
// (feature kinds given, as in the pipeline) on the pinned stream.
//
//	go test -run '^$' -bench NaiveBayesMixed ./classifiers/
func BenchmarkNaiveBayesMixed(b *testing.B) {
	xs, ys := nbPinnedStream(8192, 3)
	for _, variance := range []string{"auto", "class"} {
		b.Run("variance="+variance, func(b *testing.B) {
			nb := newWith[*NaiveBayes](b, "naive_bayes", map[string]string{"variance": variance})
			nb.SetFeatureKinds(nbPinnedKinds)
			benchTestThenTrain(b, nb, xs, ys, 8192)
		})
	}
}
