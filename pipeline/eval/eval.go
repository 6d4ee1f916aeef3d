// Package eval scores online learners prequentially (test-then-train): each
// labelled sample is first predicted, scored, then learned.
package eval

// MaxLabel is the largest class label scored; larger labels are refused by
// the pipeline before they reach a learner, so confusion matrices stay small.
const MaxLabel = 255

// DefaultWindow is the sliding window of the windowed accuracy.
const DefaultWindow = 1000

// PrequentialScore keeps a learner's cumulative accuracy, sliding-window
// accuracy and confusion matrix (for Cohen's kappa). Memory is bounded by
// the window and the number of classes seen.
type PrequentialScore struct {
	n, correct int64

	window    []bool
	winPos    int
	winFill   int
	winHits   int
	confusion [][]int64 // [truth][prediction]
}

// NewPrequentialScore returns a score with the given sliding window
// (DefaultWindow when window <= 0).
func NewPrequentialScore(window int) *PrequentialScore {
	if window <= 0 {
		window = DefaultWindow
	}
	return &PrequentialScore{window: make([]bool, window)}
}

// Add scores one prediction against the truth.
func (s *PrequentialScore) Add(truth, pred int) {
	hit := truth == pred
	s.n++
	if hit {
		s.correct++
	}
	if s.winFill == len(s.window) {
		if s.window[s.winPos] {
			s.winHits--
		}
	} else {
		s.winFill++
	}
	s.window[s.winPos] = hit
	if hit {
		s.winHits++
	}
	s.winPos++
	if s.winPos == len(s.window) {
		s.winPos = 0
	}
	if truth < 0 || truth > MaxLabel || pred < 0 || pred > MaxLabel {
		return
	}
	k := max(truth, pred) + 1
	if k > len(s.confusion) {
		for i := range s.confusion {
			row := make([]int64, k)
			copy(row, s.confusion[i])
			s.confusion[i] = row
		}
		for len(s.confusion) < k {
			s.confusion = append(s.confusion, make([]int64, k))
		}
	}
	s.confusion[truth][pred]++
}

// N is the number of scored samples.
func (s *PrequentialScore) N() int64 { return s.n }

// Accuracy is the fraction of all scored samples predicted right.
func (s *PrequentialScore) Accuracy() float64 {
	if s.n == 0 {
		return 0
	}
	return float64(s.correct) / float64(s.n)
}

// WindowAccuracy is the accuracy over the last window samples.
func (s *PrequentialScore) WindowAccuracy() float64 {
	if s.winFill == 0 {
		return 0
	}
	return float64(s.winHits) / float64(s.winFill)
}

// Kappa is Cohen's kappa of all predictions so far: agreement beyond what
// the label and prediction frequencies would give by chance. 0 when
// undefined (no samples, or chance agreement is 1).
func (s *PrequentialScore) Kappa() float64 {
	if s.n == 0 {
		return 0
	}
	n := float64(s.n)
	var po, pc float64
	for i := range s.confusion {
		var rowSum, colSum float64
		for j := range s.confusion {
			rowSum += float64(s.confusion[i][j])
			colSum += float64(s.confusion[j][i])
		}
		po += float64(s.confusion[i][i])
		pc += (rowSum / n) * (colSum / n)
	}
	po /= n
	if pc >= 1 {
		return 0
	}
	return (po - pc) / (1 - pc)
}

// Confusion returns a copy of the confusion matrix, [truth][prediction].
func (s *PrequentialScore) Confusion() [][]int64 {
	out := make([][]int64, len(s.confusion))
	for i, r := range s.confusion {
		out[i] = append([]int64(nil), r...)
	}
	return out
}

// KappaAgainst compares an accuracy with a baseline's: kappa-M against the
// majority class, kappa-T against no-change (Bifet et al. 2015). 0 when the
// baseline is perfect.
func KappaAgainst(acc, baselineAcc float64) float64 {
	if baselineAcc >= 1 {
		return 0
	}
	return (acc - baselineAcc) / (1 - baselineAcc)
}

// Point is one sample of an accuracy-over-time series.
type Point struct {
	N              int64   // labelled samples seen when taken
	Accuracy       float64 // cumulative
	WindowAccuracy float64
}

// Series is an accuracy history of bounded size: it keeps at most Cap
// points; when full, it drops every other point and doubles its stride, so
// it always spans the whole run at roughly even spacing.
type Series struct {
	points []Point
	stride int64
	cap    int
}

// NewSeries returns a history of at most capacity points (512 if <= 1).
func NewSeries(capacity int) *Series {
	if capacity <= 1 {
		capacity = 512
	}
	if capacity%2 == 1 {
		capacity++
	}
	return &Series{points: make([]Point, 0, capacity), stride: 1, cap: capacity}
}

// Add offers a point; it is kept if p.N falls on the current stride.
func (s *Series) Add(p Point) {
	if p.N%s.stride != 0 {
		return
	}
	if len(s.points) == s.cap {
		for i := 0; i < s.cap/2; i++ {
			s.points[i] = s.points[2*i+1]
		}
		s.points = s.points[:s.cap/2]
		s.stride *= 2
		if p.N%s.stride != 0 {
			return
		}
	}
	s.points = append(s.points, p)
}

// Points returns a copy of the kept points, oldest first.
func (s *Series) Points() []Point { return append([]Point(nil), s.points...) }

// Len is the number of kept points.
func (s *Series) Len() int { return len(s.points) }
