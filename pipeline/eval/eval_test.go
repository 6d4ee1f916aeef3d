package eval

import (
	"math"
	"testing"
)

func TestPrequentialScoreAccuracyAndWindow(t *testing.T) {
	s := NewPrequentialScore(4)
	// truth, prediction
	seq := [][2]int{{1, 1}, {0, 1}, {1, 1}, {0, 0}, {0, 1}, {1, 0}}
	for _, p := range seq {
		s.Add(p[0], p[1])
	}
	if got, want := s.Accuracy(), 3.0/6; got != want {
		t.Errorf("accuracy %v, want %v", got, want)
	}
	// last four: {1,1} {0,0} {0,1} {1,0} -> 2 hits
	if got, want := s.WindowAccuracy(), 0.5; got != want {
		t.Errorf("window accuracy %v, want %v", got, want)
	}
}

func TestKappaHandComputed(t *testing.T) {
	// Confusion [truth][pred]: [[20,5],[10,15]], n=50.
	// po = 35/50 = 0.7; truth marginals 25,25; pred marginals 30,20
	// pc = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7-0.5)/0.5 = 0.4
	s := NewPrequentialScore(10)
	add := func(tr, pr, n int) {
		for i := 0; i < n; i++ {
			s.Add(tr, pr)
		}
	}
	add(0, 0, 20)
	add(0, 1, 5)
	add(1, 0, 10)
	add(1, 1, 15)
	if got := s.Kappa(); math.Abs(got-0.4) > 1e-12 {
		t.Errorf("kappa %v, want 0.4", got)
	}
	// A constant predictor has kappa 0.
	c := NewPrequentialScore(10)
	for i := 0; i < 10; i++ {
		c.Add(i%2, 0)
	}
	if got := c.Kappa(); got != 0 {
		t.Errorf("constant predictor kappa %v, want 0", got)
	}
	if got := KappaAgainst(0.9, 0.8); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("kappa-M %v, want 0.5", got)
	}
}

func TestSeriesBoundedAndSpansRun(t *testing.T) {
	s := NewSeries(8)
	for n := int64(1); n <= 1000; n++ {
		s.Add(Point{N: n})
		if len(s.points) > 8 {
			t.Fatalf("series grew to %d points", len(s.points))
		}
	}
	pts := s.Points()
	if len(pts) < 4 {
		t.Fatalf("only %d points kept", len(pts))
	}
	if last := pts[len(pts)-1].N; last < 1000-1000/4 {
		t.Errorf("last point at %d, does not span the run", last)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].N <= pts[i-1].N {
			t.Fatalf("points out of order: %v", pts)
		}
	}
}
