package pipeline

// Learning sampling for live sources (Config.DropWhenBusy).
//
// A live link can send more frames than the learners can learn. Dropping
// the excess at the queue loses frames uncounted by the scores; instead,
// once the queue backs up, the pipeline keeps decoding, extracting,
// counting, predicting and scoring every frame but hands only one label in
// N to the learners. The rule is deterministic given N (SamplingPolicy);
// N follows the queue: it doubles while the queue stays at least half full
// and halves when it is nearly empty. Files and the in-process simulator
// wait for the pipeline instead, so they learn every label (N stays 1).

// SamplingPolicy states the rule, for the report.
const SamplingPolicy = "live sources only: labelled frame k (counting labelled frames from 1) is learned when k mod N = 0; " +
	"N is a power of two from 1 to 1024, doubled when the queue is at least half full and halved when it is at most 1/8 full, " +
	"checked every 256 frames; every frame is still decoded, counted, predicted and scored"

const (
	samplingCheckFrames = 256
	maxSamplingInterval = 1024
)

// sampling is the live sampling state, owned by the Run goroutine.
type sampling struct {
	n     uint64 // learn one label in n (1: every label)
	maxN  uint64 // the largest n so far
	check int    // frames since the last check
}

// adjustSampling updates N from the queue's fill level every
// samplingCheckFrames frames (live sources only).
func (p *Pipeline) adjustSampling() {
	s := &p.sampling
	if !p.cfg.DropWhenBusy {
		return
	}
	if s.check++; s.check < samplingCheckFrames {
		return
	}
	s.check = 0
	waiting, size := len(p.in), cap(p.in)
	bytesFull := p.queuedBytes.Load()*2 >= int64(p.cfg.QueueBytes)
	switch {
	case (2*waiting >= size || bytesFull) && s.n < maxSamplingInterval:
		s.n *= 2
		s.maxN = max(s.maxN, s.n)
	case 8*waiting <= size && !bytesFull && s.n > 1:
		s.n /= 2
	}
}

// learnsLabel reports whether the labelled frame just counted is learned
// under the sampling rule.
func (p *Pipeline) learnsLabel() bool {
	return p.sampling.n <= 1 || p.c.Labelled%p.sampling.n == 0
}
