package eval

import "testing"

// A window without attacks says nothing about detection: precision, recall
// and F1 are reported 0 (scikit-learn's zero_division=0) but not Defined.
func TestScoresDefined(t *testing.T) {
	cases := []struct {
		name      string
		conf      [][]int64
		p, r, f   bool
		truth, pr int64
	}{
		{"nothing scored", [][]int64{{0, 0}, {0, 0}}, false, false, false, 0, 0},
		{"only normal frames, all right", [][]int64{{10, 0}, {0, 0}}, false, false, false, 0, 0},
		{"false alarms only", [][]int64{{8, 2}, {0, 0}}, true, false, true, 0, 2},
		{"attacks missed", [][]int64{{8, 0}, {3, 0}}, false, true, true, 3, 0},
		{"attacks seen and predicted", [][]int64{{8, 1}, {1, 4}}, true, true, true, 5, 5},
		{"multiclass", [][]int64{{8, 0, 0}, {0, 1, 0}, {0, 0, 2}}, true, true, true, 0, 0},
	}
	for _, c := range cases {
		sc := ScoresOf(c.conf)
		p, r, f := sc.Defined()
		if p != c.p || r != c.r || f != c.f {
			t.Errorf("%s: Defined() = %v %v %v, want %v %v %v", c.name, p, r, f, c.p, c.r, c.f)
		}
		if sc.AttackTruth != c.truth || sc.AttackPredicted != c.pr {
			t.Errorf("%s: attack truth/predicted %d/%d, want %d/%d", c.name, sc.AttackTruth, sc.AttackPredicted, c.truth, c.pr)
		}
	}
}
