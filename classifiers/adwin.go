package classifiers

import "math"

// ADWIN defaults, as River's drift.ADWIN (and MOA's ADWIN): exponential
// histogram with at most MaxBuckets buckets per size, a cut check every
// Clock samples, sub-windows of at least MinWindow samples, and no check
// before GracePeriod samples.
const (
	ADWINDefaultClock       = 32
	ADWINDefaultMaxBuckets  = 5
	ADWINDefaultMinWindow   = 5
	ADWINDefaultGracePeriod = 10
)

// ADWIN is the ADaptive WINdowing change detector of Bifet & Gavaldà
// ("Learning from time-changing data with adaptive windowing", SDM 2007),
// in its ADWIN2 form: the window is kept as an exponential histogram of
// buckets (counts 1, 2, 4, ...; at most MaxBuckets of each size, oldest
// merged first), so memory is O(MaxBuckets * log(window)). Every Clock
// samples each bucket boundary splits the window into an older W0 and a
// newer W1; if their means differ by more than
//
//	eps_cut = sqrt(2 m v ln(2 ln(n)/delta)) + (2/3) m ln(2 ln(n)/delta),
//	m = 1/(n0 - MinWindow + 1) + 1/(n1 - MinWindow + 1),
//
// (v the variance of the whole window, n its length: the paper's bound with
// MOA's/River's minimum-window correction) the oldest bucket is dropped and
// the check repeats. Update reports whether the window shrank.
type ADWIN struct {
	Delta       float64
	Clock       int
	MaxBuckets  int
	MinWindow   int
	GracePeriod int

	buckets []adwinBucket // oldest first; sizes non-increasing
	// perLevel[i] counts the buckets of size 2^i, so that compress finds
	// a size's run without scanning the histogram on every update.
	perLevel []int
	width    float64
	total    float64
	m2       float64 // sum of squared deviations over the window
	tick     int
}

type adwinBucket struct{ n, sum, m2 float64 }

// NewADWIN returns an ADWIN with River's defaults and the given delta.
func NewADWIN(delta float64) *ADWIN {
	return &ADWIN{Delta: delta, Clock: ADWINDefaultClock, MaxBuckets: ADWINDefaultMaxBuckets,
		MinWindow: ADWINDefaultMinWindow, GracePeriod: ADWINDefaultGracePeriod}
}

// Width is the number of samples in the window.
func (a *ADWIN) Width() int { return int(a.width) }

// Mean is the mean of the window (0 when empty).
func (a *ADWIN) Mean() float64 {
	if a.width == 0 {
		return 0
	}
	return a.total / a.width
}

// Variance is the population variance of the window.
func (a *ADWIN) Variance() float64 {
	if a.width == 0 {
		return 0
	}
	return a.m2 / a.width
}

// Reset empties the window, keeping the parameters and the bucket memory.
func (a *ADWIN) Reset() {
	a.buckets = a.buckets[:0]
	a.perLevel = a.perLevel[:0]
	a.width, a.total, a.m2, a.tick = 0, 0, 0, 0
}

func mergeBuckets(x, y adwinBucket) adwinBucket {
	n := x.n + y.n
	d := x.sum/x.n - y.sum/y.n
	return adwinBucket{n: n, sum: x.sum + y.sum, m2: x.m2 + y.m2 + x.n*y.n/n*d*d}
}

// Update adds one value and reports whether a change was detected (the
// window dropped its older part).
func (a *ADWIN) Update(v float64) bool {
	if a.width > 0 {
		d := v - a.total/a.width
		a.m2 += a.width / (a.width + 1) * d * d
	}
	a.width++
	a.total += v
	a.buckets = append(a.buckets, adwinBucket{n: 1, sum: v})
	a.addToLevel(0, 1)
	a.compress()
	a.tick++
	if a.tick%max(a.Clock, 1) != 0 || a.width <= float64(a.GracePeriod) {
		return false
	}
	detected := false
	for a.cutOnce() {
		detected = true
	}
	return detected
}

func (a *ADWIN) addToLevel(level, n int) {
	for len(a.perLevel) <= level {
		a.perLevel = append(a.perLevel, 0)
	}
	a.perLevel[level] += n
}

// compress merges the two oldest buckets of any size that has more than
// MaxBuckets of them. The buckets of size 2^level are the perLevel[level]
// that end where the smaller sizes begin.
func (a *ADWIN) compress() {
	b := a.buckets
	end := len(b)
	for level := 0; level < len(a.perLevel) && a.perLevel[level] > a.MaxBuckets; level++ {
		start := end - a.perLevel[level]
		b[start] = mergeBuckets(b[start], b[start+1])
		b = append(b[:start+1], b[start+2:]...)
		a.addToLevel(level, -2)
		a.addToLevel(level+1, 1)
		end = start + 1
	}
	a.buckets = b
}

// cutOnce checks every bucket boundary; on a cut it drops the oldest bucket
// and returns true.
func (a *ADWIN) cutOnce() bool {
	if len(a.buckets) < 2 {
		return false
	}
	minW := float64(a.MinWindow)
	v := a.m2 / a.width
	dd := adwinLogTerm(a.width, a.Delta) // the same for every boundary
	n0, s0 := 0.0, 0.0
	for i := 0; i < len(a.buckets)-1; i++ {
		n0 += a.buckets[i].n
		s0 += a.buckets[i].sum
		n1 := a.width - n0
		if n0 < minW || n1 < minW {
			continue
		}
		if math.Abs(s0/n0-(a.total-s0)/n1) > adwinEpsilonLog(n0, n1, v, dd, minW) {
			a.dropOldest()
			return true
		}
	}
	return false
}

// adwinLogTerm is ln(2 ln(n)/delta), the part of eps_cut that depends only
// on the window: a check computes it once for all bucket boundaries.
func adwinLogTerm(n, delta float64) float64 {
	return math.Log(2 * math.Log(n) / delta)
}

// adwinEpsilonLog is eps_cut for sub-windows of n0 and n1 samples of a
// window with variance v, given dd = adwinLogTerm(n, delta).
func adwinEpsilonLog(n0, n1, v, dd, minW float64) float64 {
	m := 1/(n0-minW+1) + 1/(n1-minW+1)
	return math.Sqrt(2*m*v*dd) + 2.0/3.0*dd*m
}

func (a *ADWIN) dropOldest() {
	b := a.buckets[0]
	copy(a.buckets, a.buckets[1:])
	a.buckets = a.buckets[:len(a.buckets)-1]
	top := len(a.perLevel) - 1 // the oldest bucket is one of the largest
	for a.perLevel[top] == 0 {
		top--
	}
	a.perLevel[top]--
	rest := a.width - b.n
	if rest == 0 {
		a.width, a.total, a.m2 = 0, 0, 0
		return
	}
	restMean := (a.total - b.sum) / rest
	d := b.sum/b.n - restMean
	a.m2 = max(0, a.m2-b.m2-b.n*rest/a.width*d*d)
	a.width = rest
	a.total -= b.sum
}
