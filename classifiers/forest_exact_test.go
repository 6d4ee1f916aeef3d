package classifiers

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLog2MatchesMath: the split attempt's log2 is math.Log2 bit for bit,
// for the probabilities entropy takes and for every special case.
func TestLog2MatchesMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	check := func(x float64) {
		t.Helper()
		got, want := log2(x), math.Log2(x)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("log2(%v) = %v, math.Log2 = %v", x, got, want)
		}
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 1, 0.5, 0.25, 2, 1024, 3, 1.0 / 3, math.SmallestNonzeroFloat64,
		0x1p-1022, 0x1p-1023, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), -1, -0.5, 1 - 0x1p-53, 1 + 0x1p-52} {
		check(x)
	}
	for range 200000 {
		check(rng.Float64())
		check(math.Ldexp(rng.Float64(), rng.IntN(2100)-1075))
		v, tot := float64(rng.IntN(1000)+1), float64(rng.IntN(100000)+1000)
		check(v / tot)
	}
}

// TestARFReusesVerdictsOnlyForTheSameSample: LearnOne reuses what
// PredictOne found only when it learns the very sample last predicted.
// Forests asked about another sample in between (or one differing in one
// bit of one value), or learning without predicting, must stay identical
// to one that predicts and learns each sample in turn.
func TestARFReusesVerdictsOnlyForTheSameSample(t *testing.T) {
	xs, ys := driftStream(5000, 2500, 7)
	f := func() *ARF { return newDefault[*ARF]("random_forest") }
	plain, decoyed, near, blind := f(), f(), f(), f()
	same := func(i int, name string, f *ARF, x []float64, want int) {
		t.Helper()
		if got := f.PredictOne(x); got != want {
			t.Fatalf("sample %d: %s forest predicts %d, want %d", i, name, got, want)
		}
		for j := range plain.votes {
			if math.Float64bits(f.votes[j]) != math.Float64bits(plain.votes[j]) {
				t.Fatalf("sample %d: %s forest votes %v, want %v", i, name, f.votes, plain.votes)
			}
		}
	}
	for i, x := range xs[:4000] {
		want := plain.PredictOne(x)
		same(i, "decoyed", decoyed, x, want)
		same(i, "near", near, x, want)
		plain.LearnOne(x, ys[i])

		decoyed.PredictOne(xs[(i*7+1)%len(xs)])
		decoyed.LearnOne(append([]float64(nil), x...), ys[i])

		x2 := append([]float64(nil), x...)
		x2[len(x2)-1] = math.Nextafter(x2[len(x2)-1], 2)
		near.PredictOne(x2)
		near.LearnOne(x, ys[i])

		blind.LearnOne(x, ys[i])
	}
	for i, x := range xs[4000:] {
		same(4000+i, "blind", blind, x, plain.PredictOne(x))
	}
}

// TestADWINLevelCounts: the per-size bucket counts that compress relies
// on match the histogram after every update, through cuts and resets.
func TestADWINLevelCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	a := NewADWIN(0.01)
	cuts := 0
	for i := range 30000 {
		v := rng.NormFloat64() + float64(i/3000%3)
		if a.Update(v) {
			cuts++
		}
		if i == 20000 {
			a.Reset()
		}
		want := map[float64]int{}
		for _, b := range a.buckets {
			want[b.n]++
		}
		for level, n := range a.perLevel {
			size := math.Ldexp(1, level)
			if n != want[size] {
				t.Fatalf("update %d: %d buckets of size %v counted, %d in the histogram", i, n, size, want[size])
			}
			delete(want, size)
		}
		if len(want) > 0 {
			t.Fatalf("update %d: sizes %v not counted", i, want)
		}
	}
	if cuts == 0 {
		t.Fatal("no cut: the test did not exercise dropping buckets")
	}
}
