package features

import (
	"math"
	"testing"
	"time"
)

// FuzzExtract: whatever the bytes, decoding and extraction do not panic and
// every feature of every set is a finite number.
func FuzzExtract(f *testing.F) {
	data, _ := simFrames(f, "default", 200)
	for i := 0; i < len(data); i += 10 {
		f.Add(data[i], int64(i))
	}
	f.Add(arpFrame(f, 2, macA, ipA, ipB), int64(0))
	f.Add(synFrame(f, macC, macA, ipC, ipA, 40000, 22, "SA"), int64(-5))
	dec := NewDecoder()
	var sets []Set
	for _, name := range SetNames() {
		s, _ := NewSet(name)
		sets = append(sets, s)
	}
	f.Fuzz(func(t *testing.T, b []byte, ns int64) {
		p, err := dec.Decode(b, t0.Add(time.Duration(ns)))
		if err != nil {
			return
		}
		for _, s := range sets {
			out := make([]float64, len(s.Features()))
			s.Extract(p, out)
			for i, v := range out {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s: %s = %v", s.Name(), s.Features()[i].Name, v)
				}
			}
		}
	})
}
