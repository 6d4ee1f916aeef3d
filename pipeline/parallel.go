package pipeline

import (
	"runtime"
	"slices"
	"time"

	"github.com/etherlearn/etherlearn/classifiers"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// The parallel path runs the learners on worker goroutines while the
// pipeline goroutine decodes, extracts and scales the next frames.
//
// Exactness: the pipeline goroutine does everything that does not touch a
// learner exactly as the serial path does (counters, labels, the table
// row, the label-delay queue, the episode segmenter, when to freeze) and
// turns the learner work of each frame into ops appended to a batch:
// score (predict, score, learn when labels are instant, history), learn (a
// label released from the delay queue), freeze, and sample (read the
// accuracies the chart timeline records for the frame). Each worker owns a
// set of learners for the whole batch and runs every op of the batch, in
// order, on each of its learners. A learner thus sees exactly the sequence
// it sees on the serial path, and learners share no state, so predictions
// and scores are bit-identical. What the serial path writes per frame from
// all learners together (row predictions, the timeline, --trace rows) is
// written by the pipeline goroutine when the batch is joined, in frame
// order. Anything that reads learner state directly (snapshots, metrics
// rows, SetParams, the end of the run) syncs first: it waits for and joins
// every batch.
//
// A learner whose classifier is a classifiers.BatchLearner (the forest)
// gets the batch's predictions and learning as one RunSteps call, which
// spreads its own work (the forest's trees) over the cores with the
// results of one call at a time; the learner's bookkeeping (scores,
// detection, history, samples) then follows the ops in order.
//
// Overlap: while the workers run batch n, the pipeline goroutine fills
// batch n+1; it waits for batch n only when batch n+1 is full.

// parallelBatchFrames is the number of decoded frames per batch: enough to
// make the hand-over cost (two channel operations per worker) negligible,
// small enough that the table and charts lag by well under a millisecond.
const parallelBatchFrames = 256

// rebalanceEvery is how often (in batches) the learners are reassigned to
// workers by their measured cost.
const rebalanceEvery = 64

type opKind uint8

const (
	opScore  opKind = iota // predict, score, learn when instant, history
	opLearn                // learn a label released from the delay queue
	opFreeze               // freeze the learner (Pipeline.freeze)
	opSample               // record the frame's timeline sample
)

type op struct {
	kind    opKind
	timed   bool // add this step's time to the learner's timing
	instant bool // opScore: learn the label now
	label   int
	frame   int // opScore, opSample: index in batch.frames
	x       int // opScore, opLearn: offset in batch.xs
	ep      eval.EpisodeFrame
}

// batchFrame is one decoded frame of a batch: what the join writes.
type batchFrame struct {
	seq      uint64
	ring     int // index of its row in Pipeline.ring
	labelled bool
	unscored bool // labelled, but left unpredicted by live sampling
	label    int
	n        int64 // labelled frames so far (timeline)
	x        int   // offset of its scaled features in batch.xs
}

type batch struct {
	ops     []op
	frames  []batchFrame
	xs      []float64
	preds   []int         // len(frames) × learners
	samples []eval.Sample // len(frames) × learners
}

func (b *batch) reset() {
	b.ops, b.frames, b.xs = b.ops[:0], b.frames[:0], b.xs[:0]
}

// parallel is the worker pool of one run; all its fields but the channels
// belong to the pipeline goroutine (workers read groups and a batch only
// between receiving it and signalling done).
type parallel struct {
	nl, nf     int
	groups     [][]int // learner indices per worker, fixed while a batch runs
	work       []chan *batch
	done       chan struct{}
	cur        *batch // being filled
	inflight   *batch // being run by the workers; nil when idle
	dispatched int
	order      []int     // rebalance scratch
	load       []float64 // rebalance scratch
}

// parallelWorkers is the number of learner workers a run uses: one per
// processor up to one per learner; 0 means the serial path.
func parallelWorkers(cfg Config, learners int) int {
	if cfg.Serial {
		return 0
	}
	w := min(runtime.GOMAXPROCS(0), learners)
	if w < 2 {
		return 0
	}
	return w
}

// startParallel starts the workers; Run calls it, and stopParallel after a
// final sync.
func (p *Pipeline) startParallel(workers int) {
	par := &parallel{nl: len(p.learners), nf: len(p.scaled), done: make(chan struct{}, workers),
		cur: &batch{}, groups: make([][]int, workers), work: make([]chan *batch, workers)}
	for i := range p.learners {
		par.groups[i%workers] = append(par.groups[i%workers], i)
	}
	for w := range par.work {
		par.work[w] = make(chan *batch, 1)
		go p.runWorker(par, w)
	}
	p.par = par
}

func (p *Pipeline) stopParallel() {
	if p.par == nil {
		return
	}
	p.syncParallel()
	for _, c := range p.par.work {
		close(c)
	}
	p.par = nil
}

func (p *Pipeline) runWorker(par *parallel, w int) {
	for b := range par.work[w] {
		for _, i := range par.groups[w] {
			p.learners[i].runOps(b, i, par.nl, par.nf, p.cfg.Window)
		}
		par.done <- struct{}{}
	}
}

// runOps runs a batch's ops on learner l (index i of nl).
func (l *learner) runOps(b *batch, i, nl, nf, window int) {
	if bl, ok := l.clf.(classifiers.BatchLearner); ok {
		l.runOpsBatched(bl, b, i, nl, nf, window)
		return
	}
	for k := range b.ops {
		o := &b.ops[k]
		switch o.kind {
		case opScore:
			b.preds[o.frame*nl+i] = l.scoreOne(b.xs[o.x:o.x+nf], o.label, o.ep, o.instant, o.timed)
		case opLearn:
			l.learnReleased(b.xs[o.x:o.x+nf], o.label, o.timed)
		case opFreeze:
			l.freeze(window)
		case opSample:
			b.samples[o.frame*nl+i] = l.sample(b.preds[o.frame*nl+i] == o.label)
		}
	}
}

// runOpsBatched is runOps for a BatchLearner: the classifier's part of
// the ops (what scoreOne and learnReleased ask of it, given when the
// learner freezes) goes to RunSteps in one call, then the ops are replayed
// in order for everything else, with RunSteps' predictions. The batch's
// wall time counts as scoring time (learnerTiming), spread over its
// scored frames.
func (l *learner) runOpsBatched(bl classifiers.BatchLearner, b *batch, i, nl, nf, window int) {
	steps := l.steps[:0]
	frozen := l.frozen
	scores := 0
	for k := range b.ops {
		o := &b.ops[k]
		switch o.kind {
		case opScore:
			steps = append(steps, classifiers.Step{X: b.xs[o.x : o.x+nf], Label: o.label, Predict: true, Learn: o.instant && !frozen})
			scores++
		case opLearn:
			if !frozen {
				steps = append(steps, classifiers.Step{X: b.xs[o.x : o.x+nf], Label: o.label, Learn: true})
			}
		case opFreeze:
			frozen = !l.spec.Baseline // as freeze does
		}
	}
	l.steps = steps
	l.preds = slices.Grow(l.preds[:0], len(steps))[:len(steps)]
	t0 := time.Now()
	bl.RunSteps(steps, l.preds)
	if ns := int64(time.Since(t0)); scores > 0 {
		l.timing.scoreNs += ns
		l.timing.scoreN += int64(scores)
	} else if len(steps) > 0 {
		l.timing.learnNs += ns
		l.timing.learnN += int64(len(steps))
	}
	j := 0
	for k := range b.ops {
		o := &b.ops[k]
		switch o.kind {
		case opScore:
			pred := l.preds[j]
			j++
			l.score.Add(o.label, pred)
			l.scored++
			l.det.Add(o.ep, pred)
			if o.instant && !l.frozen {
				l.learned++
			}
			l.hist.Add(eval.Point{N: l.scored, Accuracy: l.score.Accuracy(), WindowAccuracy: l.score.WindowAccuracy()})
			b.preds[o.frame*nl+i] = pred
		case opLearn:
			if !l.frozen {
				j++
				l.learned++
			}
		case opFreeze:
			l.freeze(window)
		case opSample:
			b.samples[o.frame*nl+i] = l.sample(b.preds[o.frame*nl+i] == o.label)
		}
	}
}

// beginFrame adds the decoded frame p.seq (scaled features in p.scaled,
// table row at ring index ring) to the batch.
func (par *parallel) beginFrame(p *Pipeline, ring int) {
	b := par.cur
	x := len(b.xs)
	b.xs = append(b.xs, p.scaled...)
	b.frames = append(b.frames, batchFrame{seq: p.seq, ring: ring, x: x})
}

func (par *parallel) frameX() int { return par.cur.frames[len(par.cur.frames)-1].x }

// addScore queues the test-then-train step of the current frame.
func (par *parallel) addScore(label int, ep eval.EpisodeFrame, instant, timed bool) {
	b := par.cur
	b.ops = append(b.ops, op{kind: opScore, label: label, ep: ep, instant: instant, timed: timed,
		frame: len(b.frames) - 1, x: par.frameX()})
}

// addLearn queues learning a released label (x is copied).
func (par *parallel) addLearn(x []float64, label int, timed bool) {
	b := par.cur
	off := len(b.xs)
	b.xs = append(b.xs, x...)
	b.ops = append(b.ops, op{kind: opLearn, label: label, timed: timed, x: off})
}

func (par *parallel) addFreeze() {
	par.cur.ops = append(par.cur.ops, op{kind: opFreeze})
}

// endFrame closes the current frame: a labelled one (label >= 0) gets its
// timeline sample, read after all of its ops as on the serial path.
// labelled is the count of labelled frames so far.
func (par *parallel) endFrame(label int, labelled int64) {
	b := par.cur
	f := &b.frames[len(b.frames)-1]
	if label >= 0 {
		f.labelled, f.label, f.n = true, label, labelled
		b.ops = append(b.ops, op{kind: opSample, label: label, frame: len(b.frames) - 1})
	}
}

// endUnscored closes the current frame, labelled but left unpredicted by
// live sampling (skipPrediction).
func (par *parallel) endUnscored(label int) {
	f := &par.cur.frames[len(par.cur.frames)-1]
	f.unscored, f.label = true, label
}

// endParallelFrame hands the batch to the workers once it is full.
func (p *Pipeline) endParallelFrame() {
	if p.par != nil && len(p.par.cur.frames) >= parallelBatchFrames {
		p.dispatchParallel()
	}
}

// dispatchParallel hands the current batch to the workers, after waiting
// for and joining the one they are running.
func (p *Pipeline) dispatchParallel() {
	par := p.par
	b := par.cur
	if len(b.ops) == 0 && len(b.frames) == 0 {
		return
	}
	spare := p.waitParallel()
	if need := len(b.frames) * par.nl; cap(b.preds) < need {
		b.preds = make([]int, need, 2*need)
		b.samples = make([]eval.Sample, need, 2*need)
	} else {
		b.preds, b.samples = b.preds[:need], b.samples[:need]
	}
	if par.dispatched%rebalanceEvery == rebalanceEvery-1 {
		p.rebalance()
	}
	par.dispatched++
	p.parallelBatches++
	for _, c := range par.work {
		c <- b
	}
	par.inflight = b
	if spare == nil {
		spare = &batch{}
	}
	spare.reset()
	par.cur = spare
}

// waitParallel waits for the batch the workers run, joins it and returns
// it for reuse (nil when none was running).
func (p *Pipeline) waitParallel() *batch {
	par := p.par
	b := par.inflight
	if b == nil {
		return nil
	}
	for range par.work {
		<-par.done
	}
	par.inflight = nil
	p.joinBatch(b)
	return b
}

// syncParallel runs and joins every queued op: afterwards learner state is
// what the serial path would have after the same frames.
func (p *Pipeline) syncParallel() {
	if p.par == nil {
		return
	}
	p.dispatchParallel()
	p.par.cur.reset()
	p.waitParallel()
}

// joinBatch writes, in frame order, what the serial path writes per frame
// from all learners: the row's predictions, the timeline and the trace.
func (p *Pipeline) joinBatch(b *batch) {
	nl, nf := p.par.nl, p.par.nf
	for fi := range b.frames {
		f := &b.frames[fi]
		x := b.xs[f.x : f.x+nf]
		if !f.labelled {
			if p.trace != nil {
				label := -1
				if f.unscored {
					label = f.label
				}
				p.trace.row(f.seq, x, label, nil)
			}
			continue
		}
		preds := b.preds[fi*nl : (fi+1)*nl]
		if row := &p.ring[f.ring]; row.Seq == f.seq {
			copy(row.Pred, preds)
		}
		p.timeline.Add(time.Now(), f.n, f.label != 0, b.samples[fi*nl:(fi+1)*nl])
		if p.trace != nil {
			p.trace.row(f.seq, x, f.label, preds)
		}
	}
}

// rebalance reassigns learners to workers, costliest first, each to the
// worker with the least estimated work (by the learners' sampled timing).
// Which worker runs a learner does not change its results.
func (p *Pipeline) rebalance() {
	par := p.par
	order := par.order[:0]
	for i := range p.learners {
		order = append(order, i)
	}
	par.order = order
	cost := func(i int) float64 {
		l := p.learners[i]
		return max(l.timing.perFrame(l.scored, l.learned), 1)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch ca, cb := cost(a), cost(b); {
		case ca > cb:
			return -1
		case ca < cb:
			return 1
		}
		return 0
	})
	load := par.load[:0]
	for range par.groups {
		load = append(load, 0)
	}
	par.load = load
	for w := range par.groups {
		par.groups[w] = par.groups[w][:0]
	}
	for _, i := range order {
		w := 0
		for k := range load {
			if load[k] < load[w] {
				w = k
			}
		}
		par.groups[w] = append(par.groups[w], i)
		load[w] += cost(i)
	}
}
