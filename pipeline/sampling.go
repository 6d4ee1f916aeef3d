package pipeline

// Learning sampling for live sources (Config.DropWhenBusy).
//
// A live link can send more frames than the learners can learn. Dropping
// the excess at the queue loses frames uncounted by the scores; instead,
// once the queue backs up, the pipeline keeps decoding, extracting,
// counting, predicting and scoring every frame but hands only one label in
// N to the learners. The rule is deterministic given N (SamplingPolicy);
// N follows the queue: it doubles while the queue stays at least half full
// and halves when it is nearly empty. Only if even predicting every frame
// is too much (N at its maximum and the queue still backed up) are
// labelled frames also predicted and scored one in M (M likewise; every
// learned frame is a predicted one, as N and M are powers of two with
// M <= N); M comes down before N does. Files and the in-process simulator
// wait for the pipeline instead, so they learn every label (N = M = 1).

// SamplingPolicy states the rule, for the report.
const SamplingPolicy = "live sources only: labelled frame k (counting labelled frames from 1) is learned when k mod N = 0; " +
	"N is a power of two from 1 to 1024, doubled when the queue is at least half full and halved when it is at most 1/8 full, " +
	"checked every 256 frames; once N is 1024 and the queue still at least half full, labelled frames are also predicted and scored " +
	"only when k mod M = 0, M doubling and halving likewise (M halves back to 1 before N halves); every frame is still decoded and counted"

const (
	samplingCheckFrames = 256
	maxSamplingInterval = 1024
)

// sampling is the live sampling state, owned by the Run goroutine.
type sampling struct {
	n     uint64 // learn one label in n (1: every label)
	maxN  uint64 // the largest n so far
	m     uint64 // predict and score one labelled frame in m (1: all)
	maxM  uint64 // the largest m so far
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
	case (2*waiting >= size || bytesFull) && s.m < maxSamplingInterval:
		s.m *= 2
		s.maxM = max(s.maxM, s.m)
	case 8*waiting <= size && !bytesFull && s.m > 1:
		s.m /= 2
	case 8*waiting <= size && !bytesFull && s.n > 1:
		s.n /= 2
	}
}

// skipPrediction handles a labelled frame (just counted) that live
// sampling leaves unpredicted, and reports whether it did: the frame is
// counted as unscored, its trace row has the label and no predictions,
// and delayed labels and the metrics history go on as for any frame.
func (p *Pipeline) skipPrediction(it *item, label int) bool {
	if p.sampling.m <= 1 || p.c.Labelled%p.sampling.m == 0 {
		return false
	}
	p.c.Unscored++
	if p.par != nil {
		p.par.endUnscored(label)
	} else if p.trace != nil {
		p.trace.row(p.seq, p.scaled, label, nil)
	}
	p.releaseDue(it.ts)
	if p.metrics != nil {
		p.noteMetrics(it.ts)
	}
	return true
}

// learnsLabel reports whether the labelled frame just counted is learned
// under the sampling rule.
func (p *Pipeline) learnsLabel() bool {
	return p.sampling.n <= 1 || p.c.Labelled%p.sampling.n == 0
}
