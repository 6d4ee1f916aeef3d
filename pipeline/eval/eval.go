// Package eval scores online learners prequentially (test-then-train): each
// labelled sample is first predicted, scored, then learned.
package eval

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
