package features

import (
	"math/rand/v2"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// refLRU is the obvious LRU (a slice ordered by recency) the table is
// checked against.
type refLRU struct {
	capacity int
	keys     []uint64 // most recent first
	vals     map[uint64]int
}

func (r *refLRU) touch(k uint64) (fresh bool, evicted uint64, didEvict bool) {
	for i, x := range r.keys {
		if x == k {
			copy(r.keys[1:i+1], r.keys[:i])
			r.keys[0] = k
			return false, 0, false
		}
	}
	if len(r.keys) == r.capacity {
		evicted, didEvict = r.keys[len(r.keys)-1], true
		r.keys = r.keys[:len(r.keys)-1]
		delete(r.vals, evicted)
	}
	r.keys = append([]uint64{k}, r.keys...)
	return true, evicted, didEvict
}

func TestLRUTableMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		name     string
		capacity int
		keys     int // keys drawn from [0, keys)
		hash     func(uint64) uint64
	}{
		{"fits", 16, 10, mix64},
		{"churn", 16, 40, mix64},
		{"one", 1, 5, mix64},
		// a constant hash puts every key in one probe sequence: the
		// backward-shift deletion must keep all of them reachable
		{"collisions", 8, 20, func(uint64) uint64 { return 7 }},
		{"wraparound", 8, 20, func(k uint64) uint64 { return 14 + k%3 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := newLRUTable[uint64, int](tc.capacity, tc.hash)
			ref := &refLRU{capacity: tc.capacity, vals: map[uint64]int{}}
			rng := rand.New(rand.NewPCG(1, 2))
			for step := 0; step < 5000; step++ {
				k := uint64(rng.IntN(tc.keys))
				if rng.IntN(4) == 0 {
					got := tab.lookup(k)
					want, ok := ref.vals[k]
					if (got != nil) != ok || (ok && *got != want) {
						t.Fatalf("step %d lookup(%d) = %v, want %d (present %v)", step, k, got, want, ok)
					}
					continue
				}
				v, fresh := tab.touch(k)
				wantFresh, _, _ := ref.touch(k)
				if fresh != wantFresh {
					t.Fatalf("step %d touch(%d) fresh = %v, want %v", step, k, fresh, wantFresh)
				}
				if fresh && *v != 0 {
					t.Fatalf("step %d: fresh entry not zeroed: %d", step, *v)
				}
				if !fresh && *v != ref.vals[k] {
					t.Fatalf("step %d: entry %d = %d, want %d", step, k, *v, ref.vals[k])
				}
				*v = step
				ref.vals[k] = step
				if tab.Len() != len(ref.keys) {
					t.Fatalf("step %d: Len = %d, want %d", step, tab.Len(), len(ref.keys))
				}
			}
			// every resident key is reachable, every other one is not
			for k := uint64(0); k < uint64(tc.keys); k++ {
				_, ok := ref.vals[k]
				if (tab.lookup(k) != nil) != ok {
					t.Errorf("key %d present = %v, want %v", k, !ok, ok)
				}
			}
		})
	}
}

func TestLRUTableBounded(t *testing.T) {
	const capacity = 1000
	tab := newLRUTable[uint64, [4]uint64](capacity, mix64)
	var k uint64
	// AllocsPerRun calls the function twice (a warm-up, then the run
	// measured): 1e6 distinct keys in all.
	allocs, check := testkit.AllocsPerRun(t, 1, func() {
		for end := k + 500_000; k < end; k++ {
			v, _ := tab.touch(k)
			v[0] = k
		}
	})
	if k != 1_000_000 {
		t.Fatalf("fed %d keys, want 1e6", k)
	}
	if check && allocs != 0 {
		t.Errorf("%v allocations for 500000 distinct keys, want 0", allocs)
	}
	if tab.Len() != capacity || tab.Cap() != capacity {
		t.Errorf("Len, Cap = %d, %d; want %d", tab.Len(), tab.Cap(), capacity)
	}
	if want := uint64(1_000_000 - capacity); tab.Evictions() != want {
		t.Errorf("Evictions = %d, want %d", tab.Evictions(), want)
	}
	// the survivors are the most recent keys
	for k := uint64(1_000_000 - capacity); k < 1_000_000; k++ {
		if v := tab.lookup(k); v == nil || v[0] != k {
			t.Fatalf("recent key %d missing", k)
		}
	}
	if tab.lookup(0) != nil {
		t.Error("oldest key still present")
	}
	tab.reset()
	if tab.Len() != 0 || tab.lookup(999_999) != nil {
		t.Error("reset left entries")
	}
}
