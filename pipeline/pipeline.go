// Package pipeline turns received frames into features, trains every
// learner test-then-train on each labelled frame, and keeps the metrics and
// a bounded table of recent rows. It imports no Fyne: the UI reads the
// snapshots it publishes.
//
// Threading: Submit is called by the source goroutine; Run is the pipeline
// goroutine; with more than one processor the learners run on worker
// goroutines fed by Run in order (parallel.go); Snapshot may be called from
// anywhere (it returns the newest published snapshot, at most 20 per
// second).
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/etherlearn/etherlearn/classifiers"
	"github.com/etherlearn/etherlearn/pipeline/eval"
	"github.com/etherlearn/etherlearn/pipeline/features"
	"github.com/etherlearn/etherlearn/pipeline/ingest"
)

// Defaults for Config.
const (
	// DefaultFeatures is the extended set: the prototype's four features
	// (the "basic" set, kept for comparison) cannot tell a port scan from
	// a file transfer.
	DefaultFeatures  = "extended"
	DefaultTableRows = 500
	// DefaultQueueSize: 8192 frames are 80 ms at 100,000 frames/s, enough
	// to ride out the pipeline being descheduled on a busy machine: a live
	// run at 100k/s on a loaded 2-core machine dropped 7-15% with 1024;
	// with 8192 and live sampling (sampling.go), 0-0.1%.
	DefaultQueueSize = 8192
	// DefaultQueueBytes caps the frame bytes waiting in the queue: with
	// large frames (--max-frame up to 16 MiB) the queue holds fewer of
	// them instead of up to QueueSize times the largest frame.
	DefaultQueueBytes = 64 << 20
	// slotKeepBytes is the largest buffer an idle queue slot keeps for
	// reuse: a full-size Ethernet frame (1522 bytes with a VLAN tag) fits;
	// a larger one (a jumbo or oversized frame) is returned to the garbage
	// collector once its frame has passed. Idle slots therefore retain at
	// most QueueSize × slotKeepBytes (16 MiB by default).
	slotKeepBytes        = 2 << 10
	DefaultHistoryPoints = 512
	// PublishInterval is how often the pipeline publishes a snapshot
	// (20 per second, the most the UI draws).
	PublishInterval = 50 * time.Millisecond
	// rowHeadBytes is how much of each frame a table row keeps (enough for
	// the MAC addresses and the headers shown).
	rowHeadBytes = 64
)

// Config configures a Pipeline. The zero value is usable: the
// DefaultFeatures set (extended), in-band labels, every registered learner
// and baseline with defaults.
type Config struct {
	Features string // DefaultFeatures when empty, or another registered feature set
	Target   string // "in-band" (default) or a rule name, see TargetNames
	Seed     uint64 // for the random target

	// Learners names the learners to run, in order; empty means all
	// registered ones (learners, then baselines).
	Learners []string
	// Params holds hyper-parameter values per learner name.
	Params map[string]map[string]string

	Window        int // sliding window for windowed accuracy (eval.DefaultWindow)
	TableRows     int // rows kept for the live table (DefaultTableRows)
	HistoryPoints int // points kept per accuracy series (DefaultHistoryPoints)
	QueueSize     int // frames buffered between source and pipeline (DefaultQueueSize)
	QueueBytes    int // frame bytes buffered between source and pipeline (DefaultQueueBytes)

	// DropWhenBusy makes Submit drop (and count) a frame when the queue is
	// full instead of waiting: for live sources, where waiting would only
	// move the loss into the sender or the kernel where nobody sees it.
	// Files and the in-process simulator wait instead.
	DropWhenBusy bool

	// Trace, if set, receives one CSV row per decoded frame: the scaled
	// features, the label and each learner's prediction.
	Trace io.Writer

	// EvalModes: label delay, freeze, episode gap (evalmode.go).
	EvalModes
	// Metrics, if set, receives the metrics history as CSV (metrics.go):
	// one row per learner every MetricsEvery labelled frames
	// (DefaultMetricsEvery) and at the end.
	Metrics      io.Writer
	MetricsEvery int

	// Serial runs every learner on the pipeline goroutine. By default, with
	// more than one processor (GOMAXPROCS), the learners run on worker
	// goroutines fed in-order batches, with identical results (parallel.go).
	Serial bool
}

// Counters count every frame received: each ends up decoded, in error
// (decode_errors) or dropped, and each decoded one labelled or not.
type Counters struct {
	Received       uint64 `json:"received"`
	Decoded        uint64 `json:"decoded"`
	DecodeErrors   uint64 `json:"decode_errors"`
	Malformed      uint64 `json:"malformed"` // decoded, but a higher layer was malformed
	Dropped        uint64 `json:"dropped"`
	Labelled       uint64 `json:"labelled"`
	Unlabelled     uint64 `json:"unlabelled"`
	BadLabels      uint64 `json:"bad_labels"` // in-band label out of range: treated as unlabelled
	Learned        uint64 `json:"learned"`
	StreamErrors   uint64 `json:"stream_errors"`
	InterfaceDrops uint64 `json:"interface_drops"` // reported by the capture (pcapng ISB)

	// Evaluation modes: Learned counts labels handed to the learners
	// (later under a label delay, none once frozen); LabelsPending are
	// still waiting out the delay; LabelsOverflowed were dropped unlearned
	// because too many were waiting.
	LabelsPending    uint64 `json:"labels_pending"`
	LabelsOverflowed uint64 `json:"labels_overflowed"`
	// Discarded counts frames a reader dropped before they were received
	// here: SLIP frames with bad escapes, cut off or too short, and SLIP or
	// u16 frames that did not look like Ethernet. Never learned.
	Discarded uint64 `json:"discarded"`
	// SampledOut counts labelled frames predicted and scored but not
	// learned under live sampling (sampling.go); Unscored those neither
	// predicted nor learned.
	SampledOut uint64 `json:"sampled_out"`
	Unscored   uint64 `json:"unscored"`
}

// Row is one frame in the live table.
type Row struct {
	Seq      uint64
	Time     time.Time
	Len      int
	Head     []byte    // the first bytes of the frame
	Raw      []float64 // features before scaling (MACs as codes)
	Scaled   []float64 // features as the learners saw them
	Label    int
	HasLabel bool
	Pred     []int // per learner (Snapshot.Learners order); -1 when not predicted
	Err      string
}

// LearnerState is one learner's metrics at snapshot time.
type LearnerState struct {
	Name           string
	Display        string
	Baseline       bool
	Params         map[string]string
	Learned        int64
	Accuracy       float64
	WindowAccuracy float64
	Kappa          float64
	KappaM         float64 // against the majority baseline
	KappaT         float64 // against the no-change baseline
	History        []eval.Point

	// Scores for rare events and evaluation modes (evalmode.go, eval/).
	// Every score comes from the same predictions --trace writes. With
	// FreezeAfter, everything below but BeforeFreeze and Detection covers
	// only the frames after the freeze (and so do Accuracy, Kappa, ...).
	Scored           int64       // frames predicted and scored (after the freeze, if any)
	Scores           eval.Scores // cumulative: accuracy, balanced accuracy, precision, recall, F1, kappa
	WindowScores     eval.Scores // the same over the last Config.Window scored frames
	WindowKappaM     float64
	WindowKappaT     float64
	Confusion        [][]int64 // cumulative, [true label][predicted label]
	WindowConfusion  [][]int64
	NsPerFrame       float64 // wall time in PredictOne+LearnOne per scored frame (sampled, see learnerTiming; includes time the OS ran other work)
	LearnedPerSecond float64 // labels learned per second of run time
	Frozen           bool
	BeforeFreeze     *eval.Scores // scores up to the freeze; nil without one
	Detection        eval.DetectionSummary
}

// Snapshot is an immutable copy of the pipeline's state for the UI and
// reports.
type Snapshot struct {
	Seq        uint64 // increases with every publication
	Taken      time.Time
	Elapsed    time.Duration // since the first frame
	Counters   Counters
	Rate       float64 // frames received per second, over the last second or so
	Features   []features.Feature
	FeatureSet string
	Target     string
	Rows       []Row // oldest first
	Learners   []LearnerState
	LastError  string
	Eval       EvalModes // the run's evaluation modes
	FrozenAt   uint64    // frame after which the learners were frozen; 0 = not (yet) frozen
	// Timeline is the run's score history for charts (shared with the
	// pipeline, which keeps appending; reads are locked copies).
	Timeline *eval.Timeline
	// LearnOneIn is live sampling's N: one label in N is learned (1: all);
	// PredictOneIn its M: one labelled frame in M is predicted and scored;
	// Max... are the largest so far (sampling.go).
	LearnOneIn, MaxLearnOneIn     uint64
	PredictOneIn, MaxPredictOneIn uint64
}

type item struct {
	data     []byte
	comment  string // the pcapng packet comment (episode tags)
	ts       time.Time
	label    int
	hasLabel bool
}

type learner struct {
	spec    classifiers.Spec
	clf     classifiers.Classifier
	params  map[string]string
	score   *eval.PrequentialScore
	hist    *eval.Series
	learned int64

	scored       int64
	timing       learnerTiming // sampled time in PredictOne + LearnOne
	det          eval.Detection
	frozen       bool
	beforeFreeze *eval.PrequentialScore

	// the parallel path's steps and predictions for a BatchLearner
	steps []classifiers.Step
	preds []int
}

// Pipeline is one run of decode -> features -> scale -> learners -> metrics.
type Pipeline struct {
	cfg Config

	in   chan *item
	free chan *item
	ctl  chan func()
	// specs is fixed at New and read from any goroutine.
	specs []classifiers.Spec

	received, dropped, streamErrs, ifDrops, discarded atomic.Uint64
	// queuedBytes is the frame data waiting in the queue; space is
	// signalled when Run takes some out.
	queuedBytes atomic.Int64
	space       chan struct{}

	// Owned by the Run goroutine.
	dec      *features.Decoder
	set      features.Set
	scaler   features.StandardScaler
	target   Target
	learners []*learner
	raw      []float64
	scaled   []float64
	preds    []int
	c        Counters
	seq      uint64
	ring     []Row
	ringNext int
	ringLen  int
	lastErr  string
	trace    *traceWriter
	frame    ingest.Frame
	first    time.Time
	rateAt   time.Time
	rateN    uint64
	rate     float64
	pubSeq   uint64
	gen      uint64  // bumped when a learner is replaced
	lastPub  pubMark // what the last published snapshot showed
	timeline *eval.Timeline
	samples  []eval.Sample // per learner, reused for timeline.Add

	// Evaluation modes (evalmode.go).
	pending  pendingLabels
	episodes eval.EpisodeSegmenter
	frozen   bool
	frozenAt uint64
	metrics  *metricsWriter
	released uint64 // labels released from the label-delay queue

	sampling        sampling  // live sampling of labels to learn (sampling.go)
	par             *parallel // the learner workers; nil on the serial path
	parallelBatches uint64    // batches run by the workers (for tests)

	stopped   chan struct{} // closed when Run returns
	snap      atomic.Pointer[Snapshot]
	closeOnce sync.Once
}

// New builds a pipeline; it does nothing until Run.
func New(cfg Config) (*Pipeline, error) {
	if cfg.Features == "" {
		cfg.Features = DefaultFeatures
	}
	if cfg.TableRows <= 0 {
		cfg.TableRows = DefaultTableRows
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = DefaultQueueSize
	}
	if cfg.QueueBytes <= 0 {
		cfg.QueueBytes = DefaultQueueBytes
	}
	if cfg.HistoryPoints <= 0 {
		cfg.HistoryPoints = DefaultHistoryPoints
	}
	set, err := features.NewSet(cfg.Features)
	if err != nil {
		return nil, err
	}
	target, err := NewTarget(cfg.Target, cfg.Seed)
	if err != nil {
		return nil, err
	}
	p := &Pipeline{
		cfg:     cfg,
		in:      make(chan *item, cfg.QueueSize),
		free:    make(chan *item, cfg.QueueSize),
		ctl:     make(chan func()),
		space:   make(chan struct{}, 1),
		stopped: make(chan struct{}),
		dec:     features.NewDecoder(),
		set:     set,
		target:  target,
	}
	for i := 0; i < cfg.QueueSize; i++ {
		p.free <- &item{}
	}
	names := cfg.Learners
	if len(names) == 0 {
		for _, s := range classifiers.Specs() {
			names = append(names, s.Name)
		}
	}
	for _, name := range names {
		spec, ok := classifiers.Lookup(name)
		if !ok {
			return nil, fmt.Errorf("unknown learner %q", name)
		}
		l, err := p.newLearner(spec, cfg.Params[name])
		if err != nil {
			return nil, fmt.Errorf("learner %s: %w", name, err)
		}
		p.specs = append(p.specs, spec)
		p.learners = append(p.learners, l)
	}
	nf := len(set.Features())
	p.scaler.Configure(set.Features())
	p.raw = make([]float64, nf)
	p.scaled = make([]float64, nf)
	p.preds = make([]int, len(p.learners))
	p.pending = pendingLabels{nf: nf, max: cfg.MaxPendingLabels}
	if p.pending.max <= 0 {
		p.pending.max = DefaultMaxPendingLabels
	}
	p.episodes.Gap = cfg.EpisodeGap
	if cfg.Metrics != nil {
		p.metrics = newMetricsWriter(cfg.Metrics, cfg.MetricsEvery)
	}
	p.sampling = sampling{n: 1, maxN: 1, m: 1, maxM: 1}
	p.timeline = eval.NewTimeline(len(p.learners), time.Now())
	p.samples = make([]eval.Sample, len(p.learners))
	p.ring = make([]Row, cfg.TableRows)
	for i := range p.ring {
		p.ring[i] = Row{Head: make([]byte, 0, rowHeadBytes), Raw: make([]float64, nf),
			Scaled: make([]float64, nf), Pred: make([]int, len(p.learners))}
	}
	if cfg.Trace != nil {
		p.trace = newTraceWriter(cfg.Trace, set.Features(), p.learnerNames())
	}
	p.snap.Store(p.buildSnapshot(time.Now()))
	return p, nil
}

// featureKinds tells learners which columns are 0/1 indicators (passed
// through the scaler unchanged), which of those code one field together
// (one-hot groups) and which are measurements.
func featureKinds(fs []features.Feature) []classifiers.FeatureKind {
	kinds := make([]classifiers.FeatureKind, len(fs))
	groups := map[string]int{}
	for i, f := range fs {
		switch {
		case !f.Categorical():
		case f.Group != "":
			g, ok := groups[f.Group]
			if !ok {
				g = len(groups)
				groups[f.Group] = g
			}
			kinds[i] = classifiers.FeatureOneHot(g)
		default:
			kinds[i] = classifiers.FeatureBinary
		}
	}
	return kinds
}

func (p *Pipeline) learnerNames() []string {
	out := make([]string, len(p.learners))
	for i, l := range p.learners {
		out[i] = l.spec.Name
	}
	return out
}

// ErrEnded is returned by SetParams once Run has returned.
var ErrEnded = errors.New("the run has ended")

// ErrDropped is returned by Submit when the frame was dropped.
var ErrDropped = errors.New("frame dropped: pipeline busy")

// Submit hands one received frame to the pipeline; it copies f.Data, so the
// caller may reuse it. It counts the frame as received, and as dropped when
// it returns an error (queue full with DropWhenBusy, or ctx done while
// waiting). Submit must not be called after Close.
func (p *Pipeline) Submit(ctx context.Context, f *ingest.Frame) error {
	p.received.Add(1)
	var it *item
	if p.cfg.DropWhenBusy {
		select {
		case it = <-p.free:
		default:
			p.dropped.Add(1)
			return ErrDropped
		}
	} else {
		select {
		case it = <-p.free:
		case <-ctx.Done():
			p.dropped.Add(1)
			return ctx.Err()
		}
	}
	// Bytes: a frame waits while the queue holds other frames and adding
	// it would pass QueueBytes (or is dropped, with DropWhenBusy). A frame
	// larger than the cap passes alone.
	need := int64(len(f.Data))
	for q := p.queuedBytes.Load(); q > 0 && q+need > int64(p.cfg.QueueBytes); q = p.queuedBytes.Load() {
		if p.cfg.DropWhenBusy {
			p.free <- it
			p.dropped.Add(1)
			return ErrDropped
		}
		select {
		case <-p.space:
		case <-ctx.Done():
			p.free <- it
			p.dropped.Add(1)
			return ctx.Err()
		}
	}
	p.queuedBytes.Add(need)
	it.data = append(it.data[:0], f.Data...)
	it.ts, it.label, it.hasLabel, it.comment = f.Timestamp, f.Label, f.HasLabel, f.Comment
	p.in <- it // never blocks: in and free share the same items
	return nil
}

// release returns a processed item's slot; a large buffer is let go so
// that it does not stay pinned in an idle slot.
func (p *Pipeline) release(it *item) {
	p.queuedBytes.Add(-int64(len(it.data)))
	select {
	case p.space <- struct{}{}:
	default:
	}
	if cap(it.data) > slotKeepBytes {
		it.data = nil
	}
	p.free <- it
}

// NoteDiscarded counts frames a reader dropped as damaged or not
// Ethernet-like (see Counters.Discarded).
func (p *Pipeline) NoteDiscarded(n uint64) { p.discarded.Add(n) }

// NoteStreamError counts an error that ended a stream (corrupt record,
// unsupported link type, ...).
func (p *Pipeline) NoteStreamError() { p.streamErrs.Add(1) }

// NoteInterfaceDrops records the drop counter a capture reported (pcapng
// interface statistics); the newest value wins.
func (p *Pipeline) NoteInterfaceDrops(n uint64) { p.ifDrops.Store(n) }

// Close tells Run that no more frames will come; Run processes what is
// queued, publishes a final snapshot and returns.
func (p *Pipeline) Close() { p.closeOnce.Do(func() { close(p.in) }) }

// Run processes frames until Close (after draining the queue) or until ctx
// is done. It publishes a snapshot at most every PublishInterval and always
// at the end. It returns the trace file's write error, if any.
func (p *Pipeline) Run(ctx context.Context) error {
	defer close(p.stopped)
	if w := parallelWorkers(p.cfg, len(p.learners)); w > 0 {
		p.startParallel(w)
	}
	p.loop(ctx)
	p.stopParallel()
	p.publish(true)
	var metricsErr error
	if p.metrics != nil {
		p.writeMetricsRows()
		if metricsErr = p.metrics.flush(); metricsErr != nil {
			metricsErr = fmt.Errorf("metrics history: %w", metricsErr)
		}
	}
	if p.trace != nil {
		return errors.Join(p.trace.flush(), metricsErr)
	}
	return metricsErr
}

func (p *Pipeline) loop(ctx context.Context) {
	tick := time.NewTicker(PublishInterval)
	defer tick.Stop()
	for {
		select {
		case it, ok := <-p.in:
			if !ok {
				return
			}
			p.process(it)
			p.release(it)
		case fn := <-p.ctl:
			p.syncParallel()
			fn()
		case <-tick.C:
			p.publish(false)
		case <-ctx.Done():
			return
		}
	}
}

// SetParams rebuilds one learner with new hyper-parameter values (missing
// keys keep their defaults) and resets its metrics; the others carry on.
// It validates on the caller's goroutine, applies between two frames and
// returns once applied: frames submitted afterwards meet the new learner.
func (p *Pipeline) SetParams(name string, values map[string]string) error {
	var idx = -1
	for i, s := range p.specs {
		if s.Name == name {
			idx = i
		}
	}
	if idx < 0 {
		return fmt.Errorf("no learner %q in this run", name)
	}
	nl, err := p.newLearner(p.specs[idx], values)
	if err != nil {
		return err
	}
	applied := make(chan struct{})
	select {
	case p.ctl <- func() {
		nl.frozen = p.frozen && !nl.spec.Baseline
		p.learners[idx] = nl
		p.gen++
		p.timeline.Restart(idx, time.Now(), int64(p.c.Labelled))
		close(applied)
	}:
	case <-p.stopped:
		return ErrEnded
	}
	select {
	case <-applied:
	case <-p.stopped:
	}
	return nil
}

// newLearner builds a learner with fresh metrics; values missing from
// values take the spec's defaults (kept in full for the snapshot).
func (p *Pipeline) newLearner(spec classifiers.Spec, values map[string]string) (*learner, error) {
	full := spec.Defaults()
	for k, v := range values {
		full[k] = v
	}
	clf, err := spec.New(full)
	if err != nil {
		return nil, err
	}
	if ks, ok := clf.(classifiers.FeatureKindSetter); ok {
		ks.SetFeatureKinds(featureKinds(p.set.Features()))
	}
	return &learner{spec: spec, clf: clf, params: full,
		score: eval.NewPrequentialScore(p.cfg.Window), hist: eval.NewSeries(p.cfg.HistoryPoints)}, nil
}

func (p *Pipeline) process(it *item) {
	p.seq++
	p.adjustSampling()
	if p.first.IsZero() {
		p.first = time.Now()
	}
	row := &p.ring[p.ringNext]
	p.ringNext = (p.ringNext + 1) % len(p.ring)
	if p.ringLen < len(p.ring) {
		p.ringLen++
	}
	row.Seq, row.Time, row.Len = p.seq, it.ts, len(it.data)
	row.Head = append(row.Head[:0], it.data[:min(len(it.data), rowHeadBytes)]...)
	row.HasLabel, row.Label, row.Err = false, 0, ""
	for i := range row.Pred {
		row.Pred[i] = -1
	}

	pkt, err := p.dec.Decode(it.data, it.ts)
	if err != nil {
		p.c.DecodeErrors++
		p.lastErr = fmt.Sprintf("frame %d: %v", p.seq, err)
		row.Err = err.Error()
		clear(row.Raw)
		clear(row.Scaled)
		return
	}
	p.c.Decoded++
	if pkt.UpperErr != nil {
		p.c.Malformed++
	}
	p.set.Extract(pkt, p.raw)
	if p.frozen {
		// the scaler is part of the frozen model: learners frozen with
		// one scale must not be fed another
		p.scaler.Transform(p.raw, p.scaled)
	} else {
		p.scaler.LearnTransform(p.raw, p.scaled)
	}
	copy(row.Raw, p.raw)
	copy(row.Scaled, p.scaled)
	if p.par != nil {
		p.par.beginFrame(p, (p.ringNext-1+len(p.ring))%len(p.ring))
		defer p.endParallelFrame()
	}

	// p.frame is reused: a local would escape through the interface call.
	p.frame = ingest.Frame{Data: it.data, Timestamp: it.ts, Label: it.label, HasLabel: it.hasLabel}
	label, ok := p.target.Label(&p.frame, pkt)
	if ok && (label < 0 || label > eval.MaxLabel) {
		p.c.BadLabels++
		ok = false
	}
	if !ok {
		p.c.Unlabelled++
		if p.trace != nil && p.par == nil {
			p.trace.row(p.seq, p.scaled, -1, nil)
		}
		p.releaseDue(it.ts)
		return
	}
	p.c.Labelled++
	row.HasLabel, row.Label = true, label
	if p.skipPrediction(it, label) { // live sampling (sampling.go)
		return
	}
	p.scoreAndLearn(it, label, row)
	if p.par != nil {
		p.par.endFrame(label, int64(p.c.Labelled))
		if p.metrics != nil {
			p.noteMetrics(it.ts)
		}
		return
	}
	if p.metrics != nil {
		p.noteMetrics(it.ts)
	}
	for i, l := range p.learners {
		p.samples[i] = eval.Sample{Hit: p.preds[i] == label, WindowAccuracy: l.score.WindowAccuracy(), Accuracy: l.score.Accuracy()}
	}
	p.timeline.Add(time.Now(), int64(p.c.Labelled), label != 0, p.samples)
	if p.trace != nil {
		p.trace.row(p.seq, p.scaled, label, p.preds)
	}
}

// pubMark is what can change a snapshot; equal marks mean equal snapshots
// (but for Taken and Elapsed).
type pubMark struct {
	seq, received, dropped, streamErrs, ifDrops, discarded, gen uint64
	rate                                                        float64
}

// publish stores a new snapshot if anything it shows has changed since the
// last one, or always when forced (at the end of Run). An idle pipeline
// (waiting for a reconnect, say) thus publishes nothing, and the UI draws
// nothing new.
func (p *Pipeline) publish(force bool) {
	p.syncParallel() // snapshots read every learner
	now := time.Now()
	received := p.received.Load()
	if p.rateAt.IsZero() {
		p.rateAt, p.rateN = now, received
	} else if dt := now.Sub(p.rateAt); dt >= time.Second {
		p.rate = float64(received-p.rateN) / dt.Seconds()
		p.rateAt, p.rateN = now, received
	}
	m := pubMark{seq: p.seq, received: received, dropped: p.dropped.Load(), streamErrs: p.streamErrs.Load(),
		ifDrops: p.ifDrops.Load(), discarded: p.discarded.Load(), gen: p.gen, rate: p.rate}
	if !force && m == p.lastPub {
		return
	}
	p.lastPub = m
	p.snap.Store(p.buildSnapshot(now))
}

func (p *Pipeline) buildSnapshot(now time.Time) *Snapshot {
	p.pubSeq++
	c := p.c
	c.Received = p.received.Load()
	c.Dropped = p.dropped.Load()
	c.StreamErrors = p.streamErrs.Load()
	c.InterfaceDrops = p.ifDrops.Load()
	c.LabelsPending, c.LabelsOverflowed = uint64(p.pending.n), p.pending.overfl
	c.Discarded = p.discarded.Load()
	s := &Snapshot{
		Seq: p.pubSeq, Taken: now, Counters: c, Rate: p.rate,
		Features: p.set.Features(), FeatureSet: p.set.Name(), Target: p.target.Name(),
		LastError: p.lastErr, Eval: p.cfg.EvalModes, FrozenAt: p.frozenAt, Timeline: p.timeline,
		LearnOneIn: p.sampling.n, MaxLearnOneIn: p.sampling.maxN,
		PredictOneIn: p.sampling.m, MaxPredictOneIn: p.sampling.maxM,
	}
	if !p.first.IsZero() {
		s.Elapsed = now.Sub(p.first)
	}
	s.Rows = make([]Row, p.ringLen)
	nf := len(p.raw)
	floats := make([]float64, 2*nf*p.ringLen)
	preds := make([]int, len(p.learners)*p.ringLen)
	start := (p.ringNext - p.ringLen + len(p.ring)) % len(p.ring)
	for i := 0; i < p.ringLen; i++ {
		src := &p.ring[(start+i)%len(p.ring)]
		r := *src
		r.Head = append([]byte(nil), src.Head...)
		r.Raw = floats[2*nf*i : 2*nf*i+nf]
		r.Scaled = floats[2*nf*i+nf : 2*nf*(i+1)]
		copy(r.Raw, src.Raw)
		copy(r.Scaled, src.Scaled)
		r.Pred = preds[len(p.learners)*i : len(p.learners)*(i+1)]
		copy(r.Pred, src.Pred)
		s.Rows[i] = r
	}
	for _, l := range p.learners {
		ls := LearnerState{
			Name: l.spec.Name, Display: l.spec.Display, Baseline: l.spec.Baseline,
			Params: l.params, Learned: l.learned, Accuracy: l.score.Accuracy(),
			WindowAccuracy: l.score.WindowAccuracy(), Kappa: l.score.Kappa(),
			History: l.hist.Points(),
		}
		p.fillScores(&ls, l, s.Elapsed)
		s.Learners = append(s.Learners, ls)
	}
	return s
}

// Snapshot returns the newest published snapshot (never nil).
func (p *Pipeline) Snapshot() *Snapshot { return p.snap.Load() }
