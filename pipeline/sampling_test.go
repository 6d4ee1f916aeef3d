package pipeline

import (
	"context"
	"testing"
)

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
		ctx := context.Background()
		for i := range 600 { // back the queue up: nobody runs Run
			if err := p.Submit(ctx, &frames[i]); err != nil {
				t.Fatal(err)
			}
		}
		it := &item{}
		step := func(i int) {
			f := &frames[i]
			it.data = append(it.data[:0], f.Data...)
			it.ts, it.label, it.hasLabel = f.Timestamp, f.Label, f.HasLabel
			p.process(it)
		}
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
