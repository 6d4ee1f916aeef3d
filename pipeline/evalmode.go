package pipeline

import (
	"time"

	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// EvalModes are the evaluation modes of a run. Every frame is predicted
// and scored when it arrives in every mode; what changes is when the
// learners learn its label. The zero value is plain test-then-train with
// labels learned at once.
type EvalModes struct {
	// LabelDelayFrames / LabelDelay: a frame's label reaches the learners
	// only once that many more frames arrived / that much frame-timestamp
	// time (capture or simulated time, not wall clock) passed; with both
	// set, both must pass. Labels still waiting when the run ends are never
	// learned. MaxPendingLabels bounds the waiting labels
	// (DefaultMaxPendingLabels).
	LabelDelayFrames int
	LabelDelay       time.Duration
	MaxPendingLabels int
	// FreezeAfter > 0: learners learn the first FreezeAfter labels, then
	// are frozen and scored on the rest (see Pipeline.freeze); the scaler's
	// statistics freeze with them.
	FreezeAfter int64
	// EpisodeGap is the number of consecutive normal frames that ends an
	// attack episode for the detection scores (eval.DefaultEpisodeGap).
	EpisodeGap int
}

// DefaultMaxPendingLabels bounds the labels waiting out a label delay.
// With the extended features that is about 30 MB at most; when full, the
// oldest waiting label is dropped unlearned and counted
// (Counters.LabelsOverflowed).
const DefaultMaxPendingLabels = 1 << 16

// pendingLabels is the label-delay queue: a ring of (features, label,
// frame number, timestamp) waiting for their label to "arrive". It grows
// by doubling up to its cap, so steady state allocates nothing.
type pendingLabels struct {
	nf     int
	x      []float64
	label  []int
	seq    []uint64
	ts     []int64 // UnixNano
	head   int
	n      int
	max    int
	overfl uint64
}

func (q *pendingLabels) cap() int { return len(q.label) }

func (q *pendingLabels) push(x []float64, label int, seq uint64, ts time.Time) {
	if q.n == q.cap() {
		if q.cap() >= q.max {
			q.pop() // drop the oldest unlearned
			q.overfl++
		} else {
			q.grow(min(max(2*q.cap(), 1024), q.max))
		}
	}
	i := (q.head + q.n) % q.cap()
	copy(q.x[i*q.nf:(i+1)*q.nf], x)
	q.label[i], q.seq[i], q.ts[i] = label, seq, ts.UnixNano()
	q.n++
}

func (q *pendingLabels) grow(c int) {
	x := make([]float64, c*q.nf)
	label := make([]int, c)
	seq := make([]uint64, c)
	ts := make([]int64, c)
	for k := 0; k < q.n; k++ {
		i := (q.head + k) % q.cap()
		copy(x[k*q.nf:(k+1)*q.nf], q.x[i*q.nf:(i+1)*q.nf])
		label[k], seq[k], ts[k] = q.label[i], q.seq[i], q.ts[i]
	}
	q.x, q.label, q.seq, q.ts, q.head = x, label, seq, ts, 0
}

// front returns the oldest waiting sample; q.n must be > 0.
func (q *pendingLabels) front() (x []float64, label int, seq uint64, ts int64) {
	i := q.head
	return q.x[i*q.nf : (i+1)*q.nf], q.label[i], q.seq[i], q.ts[i]
}

func (q *pendingLabels) pop() {
	q.head = (q.head + 1) % q.cap()
	q.n--
}

// delayed reports whether labels wait before being learned.
func (p *Pipeline) delayed() bool { return p.cfg.LabelDelayFrames > 0 || p.cfg.LabelDelay > 0 }

// timingStride: one labelled frame in timingStride (and one delayed label
// in timingStride) is timed per learner. Reading the clock around every
// learner on every frame cost about a tenth of the linear learners' time.
const timingStride = 8

// scoreAndLearn is the test-then-train step of one labelled frame: every
// learner predicts and is scored now; it learns the label now, or later
// under a label delay, or never once frozen. On sampled frames the time
// each learner spends in PredictOne (and LearnOne, when instant) is added
// to its timing (see learnerTiming). On the parallel path the learner
// work is queued for the workers (parallel.go).
func (p *Pipeline) scoreAndLearn(it *item, label int, row *Row) {
	ep := p.episodes.Next(p.seq, it.ts, label, eval.EpisodeTag(it.comment))
	learn := p.learnsLabel() // live sampling (sampling.go)
	instant := learn && !p.delayed()
	timed := p.c.Labelled%timingStride == 0
	if p.par != nil {
		p.par.addScore(label, ep, instant, timed)
	} else {
		for i, l := range p.learners {
			pred := l.scoreOne(p.scaled, label, ep, instant, timed)
			p.preds[i] = pred
			row.Pred[i] = pred
		}
	}
	if !learn {
		p.c.SampledOut++
		p.releaseDue(it.ts)
		return
	}
	if instant {
		p.labelLearned()
		return
	}
	p.pending.push(p.scaled, label, p.seq, it.ts)
	p.releaseDue(it.ts)
}

// scoreOne is one learner's test-then-train step on x: predict, score,
// learn when the label is instant (and the learner not frozen), history.
func (l *learner) scoreOne(x []float64, label int, ep eval.EpisodeFrame, instant, timed bool) int {
	var t0 time.Time
	if timed {
		t0 = time.Now()
	}
	pred := l.clf.PredictOne(x)
	l.score.Add(label, pred)
	l.scored++
	l.det.Add(ep, pred)
	if instant && !l.frozen {
		l.clf.LearnOne(x, label)
		l.learned++
	}
	if timed {
		l.timing.scoreNs += int64(time.Since(t0))
		l.timing.scoreN++
	}
	l.hist.Add(eval.Point{N: l.scored, Accuracy: l.score.Accuracy(), WindowAccuracy: l.score.WindowAccuracy()})
	return pred
}

// learnReleased lets one learner learn a label released from the delay
// queue, unless it is frozen.
func (l *learner) learnReleased(x []float64, label int, timed bool) {
	if l.frozen {
		return
	}
	var t0 time.Time
	if timed {
		t0 = time.Now()
	}
	l.clf.LearnOne(x, label)
	l.learned++
	if timed {
		l.timing.learnNs += int64(time.Since(t0))
		l.timing.learnN++
	}
}

// sample is the learner's timeline sample for the frame just scored.
func (l *learner) sample(hit bool) eval.Sample {
	return eval.Sample{Hit: hit, WindowAccuracy: l.score.WindowAccuracy(), Accuracy: l.score.Accuracy()}
}

// releaseDue lets the learners learn every waiting label whose delay has
// passed by frame p.seq at time now (frame timestamps, not wall clock).
func (p *Pipeline) releaseDue(now time.Time) {
	if !p.delayed() {
		return
	}
	q := &p.pending
	for q.n > 0 {
		x, label, seq, ts := q.front()
		if p.cfg.LabelDelayFrames > 0 && p.seq-seq < uint64(p.cfg.LabelDelayFrames) {
			return
		}
		if p.cfg.LabelDelay > 0 && now.UnixNano()-ts < int64(p.cfg.LabelDelay) {
			return
		}
		p.released++
		timed := p.released%timingStride == 0
		if p.par != nil {
			p.par.addLearn(x, label, timed)
		} else {
			for _, l := range p.learners {
				l.learnReleased(x, label, timed)
			}
		}
		q.pop()
		p.labelLearned()
	}
}

// labelLearned counts one label handed to the learners and freezes them
// once Config.FreezeAfter labels were learned.
func (p *Pipeline) labelLearned() {
	if p.frozen {
		return
	}
	p.c.Learned++
	if p.cfg.FreezeAfter > 0 && p.c.Learned >= uint64(p.cfg.FreezeAfter) {
		p.freeze()
	}
}

// freeze stops every learner but the baselines from learning and starts
// their scores afresh: from now on the scores are those of frozen models
// on frames they never learned. The baselines keep learning (they are the
// references kappa-M and kappa-T compare with, and a frozen no-change
// would be a constant), but their scores restart too, so that all scores
// cover the same frames. The scores up to the freeze stay in
// LearnerState.BeforeFreeze.
func (p *Pipeline) freeze() {
	p.frozen = true
	p.frozenAt = p.seq
	if p.par != nil {
		p.par.addFreeze()
		return
	}
	for _, l := range p.learners {
		l.freeze(p.cfg.Window)
	}
}

func (l *learner) freeze(window int) {
	l.beforeFreeze = l.score
	l.score = eval.NewPrequentialScore(window)
	l.frozen = !l.spec.Baseline
}

// fillScores copies a learner's scores into its snapshot state; kappa-M
// and kappa-T compare with the majority and no-change baselines of this
// run (0 without them), cumulative and windowed alike.
func (p *Pipeline) fillScores(ls *LearnerState, l *learner, elapsed time.Duration) {
	var maj, nc *learner
	for _, b := range p.learners {
		switch b.spec.Name {
		case "majority":
			maj = b
		case "no_change":
			nc = b
		}
	}
	if maj != nil {
		ls.KappaM = eval.KappaAgainst(ls.Accuracy, maj.score.Accuracy())
		ls.WindowKappaM = eval.KappaAgainst(ls.WindowAccuracy, maj.score.WindowAccuracy())
	}
	if nc != nil {
		ls.KappaT = eval.KappaAgainst(ls.Accuracy, nc.score.Accuracy())
		ls.WindowKappaT = eval.KappaAgainst(ls.WindowAccuracy, nc.score.WindowAccuracy())
	}
	ls.Scored = l.score.N()
	ls.Scores = l.score.Scores()
	ls.WindowScores = l.score.WindowScores()
	ls.Confusion = l.score.Confusion()
	ls.WindowConfusion = l.score.WindowConfusion()
	ls.NsPerFrame = l.timing.perFrame(l.scored, l.learned)
	if elapsed > 0 {
		ls.LearnedPerSecond = float64(l.learned) / elapsed.Seconds()
	}
	ls.Frozen = l.frozen
	if l.beforeFreeze != nil {
		b := l.beforeFreeze.Scores()
		ls.BeforeFreeze = &b
	}
	ls.Detection = l.det.Summary()
}

// learnerTiming estimates a learner's cost from sampled frames: the mean
// time of a scoring step (PredictOne, plus LearnOne when labels are
// instant) and of a delayed LearnOne.
type learnerTiming struct {
	scoreNs, scoreN int64
	learnNs, learnN int64
}

// perFrame is the estimated wall time per scored frame in PredictOne and
// LearnOne: the mean scoring step plus, under a label delay, the mean
// delayed learning step times the labels learned per frame scored.
func (t learnerTiming) perFrame(scored, learned int64) float64 {
	var ns float64
	if t.scoreN > 0 {
		ns = float64(t.scoreNs) / float64(t.scoreN)
	}
	if t.learnN > 0 && scored > 0 {
		ns += float64(t.learnNs) / float64(t.learnN) * float64(learned) / float64(scored)
	}
	return ns
}
