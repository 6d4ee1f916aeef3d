package classifiers

import "testing"

func TestBaselines(t *testing.T) {
	maj, nc := newDefault[*Majority]("majority"), newDefault[*NoChange]("no_change")
	if maj.PredictOne(nil) != 0 || nc.PredictOne(nil) != 0 {
		t.Fatal("untrained baselines must predict 0")
	}
	labels := []int{2, 1, 1, 2, 2, 5}
	wantMaj := []int{2, 1, 1, 1, 2, 2} // ties to the smaller label
	for i, y := range labels {
		maj.LearnOne(nil, y)
		nc.LearnOne(nil, y)
		if got := maj.PredictOne(nil); got != wantMaj[i] {
			t.Errorf("majority after %v = %d, want %d", labels[:i+1], got, wantMaj[i])
		}
		if got := nc.PredictOne(nil); got != y {
			t.Errorf("no_change after %v = %d, want %d", labels[:i+1], got, y)
		}
	}
	maj.Reset()
	nc.Reset()
	if maj.PredictOne(nil) != 0 || nc.PredictOne(nil) != 0 {
		t.Error("Reset must forget")
	}
}
