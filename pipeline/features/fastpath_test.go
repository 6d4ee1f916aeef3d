package features

import (
	"math"
	"testing"
)

// TestDistinctEstimatesTable: the estimate table holds exactly the
// linear-counting formula's value for every count of zero bits.
func TestDistinctEstimatesTable(t *testing.T) {
	for zero := 0; zero <= distinctM; zero++ {
		want := -distinctM * math.Log(float64(max(zero, 1))/distinctM)
		if got := distinctEstimates[zero]; math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%d zero bits: table %v, formula %v", zero, got, want)
		}
	}
	var d distinctBits
	for v := range uint64(300) {
		d.add(0, 1e9, mix64(v))
		set := 0
		for i := range d.cur {
			for b := d.cur[i]; b != 0; b &= b - 1 {
				set++
			}
		}
		if got, want := d.estimate(0, 1e9), -distinctM*math.Log(float64(max(distinctM-set, 1))/distinctM); got != want {
			t.Fatalf("after %d values (%d bits set): estimate %v, want %v", v+1, set, got, want)
		}
	}
}
