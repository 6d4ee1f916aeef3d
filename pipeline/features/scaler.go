package features

import "math"

// StandardScaler standardises each feature online with its running mean
// and variance (Welford's algorithm), as River's preprocessing.StandardScaler
// does: every sample updates the statistics once and is then transformed;
// history is never re-fitted (the prototype re-fitted on every frame).
// A feature with zero variance so far scales to 0.
//
// With Configure, each column follows its Feature.Scale: ScaleLog columns
// are log1p-transformed before the statistics see them (heavy tails), and
// ScaleNone columns (0/1 indicators) pass through unchanged, so that a rare
// category stays 1 instead of becoming a huge z-score, and categorical
// learners see exact 0/1 values. Without Configure every column is
// standardised, as before.
type StandardScaler struct {
	n     float64
	mean  []float64
	m2    []float64
	scale []Scale
	unit  []float64
	pre   []float64 // the transformed sample, reused
	// std lists the configured columns that are standardised (not
	// ScaleNone), ascending: the only ones whose statistics are read, so
	// the only ones kept (per frame that is about half the columns of the
	// extended set).
	std []int
}

// Configure sets how each column is scaled, from the feature set's
// Features, and forgets the statistics.
func (s *StandardScaler) Configure(fs []Feature) {
	s.mean, s.m2, s.n = nil, nil, 0
	s.scale = make([]Scale, len(fs))
	s.unit = make([]float64, len(fs))
	s.pre = make([]float64, len(fs))
	s.std = s.std[:0]
	for i, f := range fs {
		if f.Scale != ScaleNone {
			s.std = append(s.std, i)
		}
		s.scale[i] = f.Scale
		s.unit[i] = 1
		if f.Scale == ScaleLog && f.LogUnit > 0 {
			s.unit[i] = f.LogUnit
		}
	}
}

// pretransform applies the per-column transform before standardising.
func (s *StandardScaler) pretransform(x []float64) []float64 {
	if len(s.scale) != len(x) {
		return x
	}
	for i, v := range x {
		if s.scale[i] == ScaleLog {
			// negative values do not occur in the log-scaled columns; the
			// sign is kept so that a mistake shows instead of a NaN
			if v >= 0 {
				v = math.Log1p(v / s.unit[i])
			} else {
				v = -math.Log1p(-v / s.unit[i])
			}
		}
		s.pre[i] = v
	}
	return s.pre
}

// LearnTransform updates the statistics with x and writes the scaled x to
// out (len(out) >= len(x)). No allocation after the first call.
func (s *StandardScaler) LearnTransform(x, out []float64) {
	if len(s.mean) != len(x) {
		s.mean = make([]float64, len(x))
		s.m2 = make([]float64, len(x))
		s.n = 0
	}
	pre := s.pretransform(x)
	s.n++
	if len(s.scale) == len(x) {
		// Configured: ScaleNone columns pass through and their statistics
		// are never read; the others as below, column by column.
		for _, i := range s.std {
			v := pre[i]
			d := v - s.mean[i]
			s.mean[i] += d / s.n
			s.m2[i] += d * (v - s.mean[i])
		}
		s.standardise(pre, out)
		return
	}
	for i, v := range pre {
		d := v - s.mean[i]
		s.mean[i] += d / s.n
		s.m2[i] += d * (v - s.mean[i])
	}
	s.standardise(pre, out)
}

// Transform scales x with the current statistics without learning (a
// frozen scaler, as --freeze-after uses it).
func (s *StandardScaler) Transform(x, out []float64) {
	s.standardise(s.pretransform(x), out)
}

func (s *StandardScaler) standardise(x, out []float64) {
	pass := len(s.scale) == len(x)
	for i, v := range x {
		if pass && s.scale[i] == ScaleNone {
			out[i] = v
			continue
		}
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
