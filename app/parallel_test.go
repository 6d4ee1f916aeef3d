package app

import (
	"reflect"
	"runtime"
	"testing"
)

// TestRunParallelMatchesSerial: `run` with the learners on worker
// goroutines (the default with two or more processors) reports the same
// classifier objects as --parallel=false, but for the wall-clock fields.
func TestRunParallelMatchesSerial(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	args := []string{"--sim", "default", "--count", "20000", "--label-delay", "300", "--freeze-after", "12000"}
	par := runJSON(t, args...)
	serial := runJSON(t, append(args, "--parallel=false")...)
	if len(par.Classifiers) != len(serial.Classifiers) || len(par.Classifiers) == 0 {
		t.Fatalf("%d and %d classifiers", len(par.Classifiers), len(serial.Classifiers))
	}
	for i := range par.Classifiers {
		p, s := par.Classifiers[i], serial.Classifiers[i]
		p.NsPerFrame, s.NsPerFrame, p.LearnedPerSecond, s.LearnedPerSecond = 0, 0, 0, 0
		if !reflect.DeepEqual(p, s) {
			t.Errorf("%s: parallel %+v\nserial %+v", p.Name, p, s)
		}
	}
	if par.Labelled != serial.Labelled || par.Labelled == 0 {
		t.Errorf("labelled %d parallel, %d serial", par.Labelled, serial.Labelled)
	}
}
