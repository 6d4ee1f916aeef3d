package features

import "math"

// StandardScaler standardises each feature online with its running mean
// and variance (Welford's algorithm), as River's preprocessing.StandardScaler
// does: every sample updates the statistics once and is then transformed;
// history is never re-fitted (the prototype re-fitted on every frame).
// A feature with zero variance so far scales to 0.
type StandardScaler struct {
	n    float64
	mean []float64
	m2   []float64
}

// LearnTransform updates the statistics with x and writes the scaled x to
// out (len(out) >= len(x)). No allocation after the first call.
func (s *StandardScaler) LearnTransform(x, out []float64) {
	if len(s.mean) != len(x) {
		s.mean = make([]float64, len(x))
		s.m2 = make([]float64, len(x))
		s.n = 0
	}
	s.n++
	for i, v := range x {
		d := v - s.mean[i]
		s.mean[i] += d / s.n
		s.m2[i] += d * (v - s.mean[i])
	}
	s.Transform(x, out)
}

// Transform scales x with the current statistics without learning.
func (s *StandardScaler) Transform(x, out []float64) {
	for i, v := range x {
		if i >= len(s.mean) || s.n == 0 {
			out[i] = 0
			continue
		}
		variance := s.m2[i] / s.n
		if variance <= 0 {
			out[i] = 0
			continue
		}
		out[i] = (v - s.mean[i]) / math.Sqrt(variance)
	}
}
