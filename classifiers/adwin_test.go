package classifiers

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestADWINEpsilon checks eps_cut against a value computed by hand:
// n0 = n1 = 50, n = 100, v = 0.25, delta = 0.002, MinWindow = 5:
// m = 2/46, dd = ln(2 ln 100 / 0.002) = ln(4605.17...) = 8.43494...
// eps = sqrt(2*m*0.25*dd) + 2/3*dd*m = 0.42822... + 0.24449... = 0.67271...
func TestADWINEpsilon(t *testing.T) {
	m := 2.0 / 46
	dd := math.Log(2 * math.Log(100) / 0.002)
	if math.Abs(dd-8.434936) > 1e-5 {
		t.Fatalf("hand value of dd wrong: %v", dd)
	}
	want := math.Sqrt(2*m*0.25*dd) + 2.0/3*dd*m
	if math.Abs(want-0.672706) > 1e-5 {
		t.Fatalf("hand value wrong: %v", want)
	}
	if got := adwinEpsilon(50, 50, 100, 0.25, 0.002, 5); math.Abs(got-want) > 1e-12 {
		t.Errorf("adwinEpsilon = %v, want %v", got, want)
	}
}

// TestADWINBuckets: the histogram keeps exact totals and at most
// MaxBuckets buckets of each size, sizes non-increasing from old to new.
func TestADWINBuckets(t *testing.T) {
	a := NewADWIN(0.002)
	a.Clock = 1 << 30 // no cut checks
	rng := rand.New(rand.NewPCG(1, 2))
	sum, sumSq := 0.0, 0.0
	for i := 1; i <= 1000; i++ {
		v := rng.Float64()
		sum += v
		sumSq += v * v
		a.Update(v)
	}
	if a.Width() != 1000 || math.Abs(a.total-sum) > 1e-9 {
		t.Fatalf("width %d total %v, want 1000 %v", a.Width(), a.total, sum)
	}
	wantVar := sumSq/1000 - (sum/1000)*(sum/1000)
	if math.Abs(a.Variance()-wantVar) > 1e-9 {
		t.Errorf("variance %v, want %v", a.Variance(), wantVar)
	}
	counts := map[float64]int{}
	n := 0.0
	for i, b := range a.buckets {
		counts[b.n]++
		n += b.n
		if i > 0 && b.n > a.buckets[i-1].n {
			t.Fatalf("bucket %d of size %v after one of size %v", i, b.n, a.buckets[i-1].n)
		}
	}
	for size, c := range counts {
		if c > a.MaxBuckets {
			t.Errorf("%d buckets of size %v", c, size)
		}
	}
	if n != 1000 || len(a.buckets) > 5*11 {
		t.Errorf("buckets hold %v samples in %d buckets", n, len(a.buckets))
	}
}

// TestADWINCut: 0 for 1000 samples then 1. A cut must come within one or
// two clock periods of the change, never before it, and afterwards the
// window must be (almost) only ones.
func TestADWINCut(t *testing.T) {
	a := NewADWIN(0.002)
	at := -1
	for i := range 2000 {
		v := 0.0
		if i >= 1000 {
			v = 1
		}
		if a.Update(v) && at < 0 {
			at = i
		}
	}
	if at < 1000 || at > 1000+2*ADWINDefaultClock {
		t.Fatalf("change at 1000 detected at %d", at)
	}
	if a.Mean() < 0.99 {
		t.Errorf("after the cut the window mean is %v (width %d), want ~1", a.Mean(), a.Width())
	}

	// stationary Bernoulli(0.2): with delta=0.002 no cut in 5000 samples
	// (seeded, so this is a fixed sequence, not a flaky probability).
	b := NewADWIN(0.002)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 5000 {
		v := 0.0
		if rng.Float64() < 0.2 {
			v = 1
		}
		if b.Update(v) {
			t.Fatalf("false alarm at %d on a stationary stream", i)
		}
	}
	if b.Width() != 5000 {
		t.Errorf("width %d, want 5000", b.Width())
	}
}

// TestADWINKnownSequence: with a check after every sample and buckets never
// merged, ADWIN is the plain ADWIN of the paper. The expected values come
// from testdata/gen_adwin.py, an independent standard-library Python
// transcription of the paper's definition (every split of the stored
// window, oldest sample dropped while any split cuts); rerun it with
// `python3 classifiers/testdata/gen_adwin.py`. On 100 zeros followed by
// ones the first cut comes with the 16th one (sample 115); at that point
// eps_cut for n0=96, n1=20, n=116, v=100/841=0.1189 is 0.7985 < |0 - 0.8|
// and the loop drops 15 of the zeros, leaving 101 samples with mean 16/101.
func TestADWINKnownSequence(t *testing.T) {
	a := NewADWIN(0.002)
	a.Clock, a.MaxBuckets = 1, 1<<30
	for i := range 140 {
		v := 0.0
		if i >= 100 {
			v = 1
		}
		if a.Update(v) {
			if i != 115 || a.Width() != 101 || math.Abs(a.Mean()-16.0/101) > 1e-12 {
				t.Fatalf("cut at %d leaving width %d mean %v; want at 115 leaving 101, mean 16/101", i, a.Width(), a.Mean())
			}
			eps := adwinEpsilon(96, 20, 116, 16.0/116*(100.0/116), 0.002, 5)
			if math.Abs(eps-0.7985) > 1e-4 {
				t.Errorf("eps_cut(96, 20) = %v, want 0.7985", eps)
			}
			return
		}
	}
	t.Fatal("no cut")
}

// adwinEpsilon is eps_cut for sub-windows of n0 and n1 samples in a window
// of n samples with variance v.
func adwinEpsilon(n0, n1, n, v, delta, minW float64) float64 {
	return adwinEpsilonLog(n0, n1, v, adwinLogTerm(n, delta), minW)
}
