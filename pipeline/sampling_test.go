package pipeline

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/ingest"
)

// backedUp fills p's queue with the first 600 frames (nobody runs Run, so it
// stays backed up) and returns a step that processes frames[i] directly,
// as Run would.
func backedUp(t *testing.T, p *Pipeline, frames []ingest.Frame) func(i int) {
	t.Helper()
	for i := range 600 {
		if err := p.Submit(context.Background(), &frames[i]); err != nil {
			t.Fatal(err)
		}
	}
	it := &item{}
	return func(i int) {
		f := &frames[i]
		it.data = append(it.data[:0], f.Data...)
		it.ts, it.label, it.hasLabel = f.Timestamp, f.Label, f.HasLabel
		p.process(it)
	}
}

// TestLiveSamplingFollowsTheQueue: with a live source (DropWhenBusy) and
// the queue backed up, N doubles every check, exactly the labelled frames
// k with k mod N = 0 are learned (the no-change baseline shows which), all
// frames are still scored; once the queue empties N halves again. A file
// source (no DropWhenBusy) never samples.
func TestLiveSamplingFollowsTheQueue(t *testing.T) {
	frames := simFrames(t, 8*samplingCheckFrames)
	for _, live := range []bool{true, false} {
		p, err := New(Config{Learners: []string{"majority"}, DropWhenBusy: live, QueueSize: 1000})
		if err != nil {
			t.Fatal(err)
		}
		step := backedUp(t, p, frames)
		var learnedBefore uint64
		for i := range 3 * samplingCheckFrames {
			learnedBefore = p.c.Learned
			step(i)
			n := p.sampling.n // as adjusted at the start of the frame
			k := p.c.Labelled
			want := uint64(0)
			if !live || k%n == 0 {
				want = 1
			}
			if got := p.c.Learned - learnedBefore; got != want {
				t.Fatalf("live=%v frame %d (labelled %d, N %d): learned %d, want %d", live, i, k, n, got, want)
			}
		}
		if live && (p.sampling.n != 8 || p.sampling.maxN != 8) {
			t.Errorf("after 3 checks with a half-full queue N = %d (max %d), want 8", p.sampling.n, p.sampling.maxN)
		}
		if !live && p.sampling.n != 1 {
			t.Errorf("a file source sampled: N = %d", p.sampling.n)
		}
		if p.c.Learned+p.c.SampledOut != p.c.Labelled || p.learners[0].scored != int64(p.c.Labelled) {
			t.Errorf("live=%v: learned %d + sampled out %d != labelled %d, or scored %d", live, p.c.Learned, p.c.SampledOut, p.c.Labelled, p.learners[0].scored)
		}
		for len(p.in) > 0 { // the pipeline catches up
			p.release(<-p.in)
		}
		for i := range samplingCheckFrames {
			step(i)
		}
		if live && p.sampling.n != 4 {
			t.Errorf("after a check with an empty queue N = %d, want 4", p.sampling.n)
		}
		if s := p.buildSnapshot(p.first); s.LearnOneIn != p.sampling.n || s.Counters.SampledOut != p.c.SampledOut {
			t.Errorf("snapshot shows N %d, sampled out %d", s.LearnOneIn, s.Counters.SampledOut)
		}
	}
}

// TestLiveSamplingPredictsOneInM: once learning is at 1 in 1024 and the
// queue is still backed up, labelled frames are predicted and scored one
// in M; the others are counted as unscored and traced with their label
// and no predictions, identically on the serial and the parallel path; M
// comes down before N.
func TestLiveSamplingPredictsOneInM(t *testing.T) {
	frames := simFrames(t, 4*samplingCheckFrames)
	var traces [2]bytes.Buffer
	var unscored [2]uint64
	for pi, parallel := range []bool{false, true} {
		p, err := New(Config{Learners: []string{"majority", "no_change"}, DropWhenBusy: true, QueueSize: 1000, Trace: &traces[pi]})
		if err != nil {
			t.Fatal(err)
		}
		p.sampling.n, p.sampling.maxN = maxSamplingInterval, maxSamplingInterval
		if parallel {
			p.startParallel(2)
		}
		step := backedUp(t, p, frames)
		for i := range 2 * samplingCheckFrames {
			step(i)
		}
		if p.sampling.m != 4 || p.sampling.n != maxSamplingInterval {
			t.Errorf("parallel=%v: after 2 checks M = %d, N = %d; want 4 and %d", parallel, p.sampling.m, p.sampling.n, maxSamplingInterval)
		}
		for len(p.in) > 0 {
			p.release(<-p.in)
		}
		for i := range samplingCheckFrames {
			step(2*samplingCheckFrames + i)
		}
		if p.sampling.m != 2 || p.sampling.n != maxSamplingInterval {
			t.Errorf("parallel=%v: after a check with an empty queue M = %d, N = %d; want 2 and %d", parallel, p.sampling.m, p.sampling.n, maxSamplingInterval)
		}
		p.stopParallel()
		if err := p.trace.flush(); err != nil {
			t.Fatal(err)
		}
		c := p.c
		if c.Unscored == 0 || c.Learned+c.SampledOut+c.Unscored != c.Labelled || uint64(p.learners[0].scored) != c.Labelled-c.Unscored {
			t.Errorf("parallel=%v: labelled %d = learned %d + sampled out %d + unscored %d? scored %d", parallel,
				c.Labelled, c.Learned, c.SampledOut, c.Unscored, p.learners[0].scored)
		}
		unscored[pi] = c.Unscored
	}
	if !bytes.Equal(traces[0].Bytes(), traces[1].Bytes()) {
		t.Error("serial and parallel traces differ under sampling")
	}
	// Unscored rows: a label and empty predictions.
	n := uint64(0)
	for _, line := range strings.Split(traces[0].String(), "\n") {
		if strings.HasSuffix(line, ",,") && !strings.Contains(line, ",,,") && !strings.HasPrefix(line, "frame") {
			n++
		}
	}
	if n != unscored[0] || unscored[0] != unscored[1] {
		t.Errorf("%d trace rows with a label and no predictions, %d / %d unscored", n, unscored[0], unscored[1])
	}
}
