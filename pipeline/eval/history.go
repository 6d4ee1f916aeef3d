package eval

import (
	"sync"
	"time"

	"github.com/etherlearn/etherlearn/classifiers"
)

// Timeline defaults.
const (
	// DefaultRecentResolution is the width of one bucket of the "last N
	// minutes" view.
	DefaultRecentResolution = 500 * time.Millisecond
	// DefaultRecentSpan is how far back the "last N minutes" view reaches.
	DefaultRecentSpan = 10 * time.Minute
	// DefaultWholeBuckets bounds the "whole run" view of each learner.
	DefaultWholeBuckets = 512
	// maxEpisodes and maxMarkers bound the event lists.
	maxEpisodes = 512
	maxMarkers  = 1024
	// episodeGap joins attack frames less than this apart into one episode.
	episodeGap = time.Second
	// driftDelta is the ADWIN confidence of the drift markers (River's
	// drift.ADWIN default).
	driftDelta = 0.002
)

// Bucket summarises one learner's scores over a stretch of time. Min and
// Max keep the windowed accuracy's extremes, so downsampling never hides a
// dip or a spike; MinFirst says which came first, so a line through both
// is drawn in the order they happened.
type Bucket struct {
	T        float64 // seconds since the run's start, at the bucket's last sample
	N        int64   // the session's labelled frames at the bucket's last sample
	Min, Max float64 // windowed accuracy, lowest and highest in the bucket
	MinFirst bool
	Last     float64 // windowed accuracy at the last sample
	Cum      float64 // cumulative accuracy at the last sample
	Count    int32   // samples merged into the bucket

	idx int64 // T / span, for aligned merging
}

func (b *Bucket) add(t float64, n int64, win, cum float64) {
	if b.Count == 0 {
		b.Min, b.Max, b.MinFirst = win, win, true
	} else {
		if win < b.Min {
			b.Min = win
			b.MinFirst = false
		}
		if win > b.Max {
			b.Max = win
			b.MinFirst = true
		}
	}
	b.T, b.N, b.Last, b.Cum = t, n, win, cum
	b.Count++
}

// merge folds the later bucket c into b.
func (b *Bucket) merge(c *Bucket) {
	minFirst := b.MinFirst
	switch {
	case c.Min < b.Min && c.Max > b.Max:
		minFirst = c.MinFirst
	case c.Min < b.Min:
		minFirst = false // b's max, then c's min
	case c.Max > b.Max:
		minFirst = true // b's min, then c's max
	}
	b.Min, b.Max, b.MinFirst = min(b.Min, c.Min), max(b.Max, c.Max), minFirst
	b.T, b.N, b.Last, b.Cum = c.T, c.N, c.Last, c.Cum
	b.Count += c.Count
}

// Span is a stretch of time in which labelled attack frames (label != 0)
// arrived, frames less than a second apart joined into one.
type Span struct {
	T0, T1 float64
	N0, N1 int64
}

// MarkerKind says what a marker on a chart means.
type MarkerKind uint8

const (
	// MarkDrift: ADWIN on the learner's error stream (1 wrong, 0 right)
	// cut its window, i.e. the error rate changed.
	MarkDrift MarkerKind = iota + 1
	// MarkRestart: the learner was rebuilt with new hyper-parameters.
	MarkRestart
)

// Marker is a point event of one learner.
type Marker struct {
	Kind    MarkerKind
	Learner int
	T       float64
	N       int64
}

// Sample is one learner's scores after one labelled frame.
type Sample struct {
	Hit            bool // predicted right
	WindowAccuracy float64
	Accuracy       float64
}

type learnerTimeline struct {
	whole     []Bucket // oldest first, at most wholeCap
	wholeSpan float64  // seconds per whole bucket (doubles when full)
	recent    []Bucket // ring of recentCap buckets
	recentPos int      // next slot to write
	recentLen int
	drift     *classifiers.ADWIN
	drifts    int // drift detections, all of them (markers may be thinned)
}

// Timeline keeps, for every learner of a run, its scores over time in two
// bounded views: the last DefaultRecentSpan at DefaultRecentResolution, and
// the whole run in at most DefaultWholeBuckets buckets whose width doubles
// (neighbours merged) whenever they fill up. Beside them it keeps the
// attack episodes and the learners' drift and restart markers, also
// bounded. Memory is therefore fixed whatever the run length.
//
// One goroutine (the pipeline's) writes; any goroutine may read. Reads copy
// into caller-owned slices, so a UI that reuses them allocates nothing.
type Timeline struct {
	mu      sync.Mutex
	start   time.Time
	res     float64 // recent bucket width, seconds
	ring    int     // recent buckets kept
	cap     int     // whole buckets kept
	last    float64 // T of the newest sample
	lastN   int64
	version uint64 // bumped by every write

	learners []learnerTimeline
	episodes []Span
	gap      float64 // current episode-joining gap, seconds
	markers  []Marker
}

// NewTimeline returns an empty timeline for n learners, its clock starting
// at start.
func NewTimeline(n int, start time.Time) *Timeline {
	t := &Timeline{start: start, res: DefaultRecentResolution.Seconds(),
		ring: int(DefaultRecentSpan / DefaultRecentResolution), cap: DefaultWholeBuckets,
		gap: episodeGap.Seconds(), learners: make([]learnerTimeline, n)}
	for i := range t.learners {
		t.learners[i] = learnerTimeline{wholeSpan: t.res, whole: make([]Bucket, 0, t.cap),
			recent: make([]Bucket, t.ring), drift: classifiers.NewADWIN(driftDelta)}
	}
	return t
}

// Start is the wall-clock time T = 0 stands for.
func (t *Timeline) Start() time.Time { return t.start }

// Add records one labelled frame: the time, the session's labelled-frame
// count n, whether its label is an attack (non-zero), and each learner's
// sample (in learner order). It allocates nothing.
func (t *Timeline) Add(now time.Time, n int64, attack bool, samples []Sample) {
	ts := now.Sub(t.start).Seconds()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.version++
	t.last, t.lastN = ts, n
	if attack {
		t.addAttack(ts, n)
	}
	for i := range samples {
		if i >= len(t.learners) {
			break
		}
		s := &samples[i]
		lt := &t.learners[i]
		errv := 0.0
		if !s.Hit {
			errv = 1
		}
		if lt.drift.Update(errv) {
			lt.drifts++
			t.addMarker(Marker{Kind: MarkDrift, Learner: i, T: ts, N: n})
		}
		t.addRecent(lt, ts, n, s)
		t.addWhole(lt, ts, n, s)
	}
}

func (t *Timeline) addRecent(lt *learnerTimeline, ts float64, n int64, s *Sample) {
	idx := int64(ts / t.res)
	if lt.recentLen > 0 {
		cur := &lt.recent[(lt.recentPos-1+t.ring)%t.ring]
		if cur.idx == idx {
			cur.add(ts, n, s.WindowAccuracy, s.Accuracy)
			return
		}
	}
	b := &lt.recent[lt.recentPos]
	*b = Bucket{idx: idx}
	b.add(ts, n, s.WindowAccuracy, s.Accuracy)
	lt.recentPos = (lt.recentPos + 1) % t.ring
	if lt.recentLen < t.ring {
		lt.recentLen++
	}
}

func (t *Timeline) addWhole(lt *learnerTimeline, ts float64, n int64, s *Sample) {
	idx := int64(ts / lt.wholeSpan)
	if k := len(lt.whole); k > 0 && lt.whole[k-1].idx == idx {
		lt.whole[k-1].add(ts, n, s.WindowAccuracy, s.Accuracy)
		return
	}
	for len(lt.whole) == t.cap {
		// Full: merge aligned neighbours into buckets twice as wide.
		lt.wholeSpan *= 2
		out := lt.whole[:0]
		for i := range lt.whole {
			b := lt.whole[i]
			b.idx /= 2
			if k := len(out); k > 0 && out[k-1].idx == b.idx {
				out[k-1].merge(&b)
			} else {
				out = append(out, b)
			}
		}
		lt.whole = out
		idx = int64(ts / lt.wholeSpan)
		if k := len(lt.whole); k > 0 && lt.whole[k-1].idx == idx {
			lt.whole[k-1].add(ts, n, s.WindowAccuracy, s.Accuracy)
			return
		}
	}
	b := Bucket{idx: idx}
	b.add(ts, n, s.WindowAccuracy, s.Accuracy)
	lt.whole = append(lt.whole, b)
}

func (t *Timeline) addAttack(ts float64, n int64) {
	if k := len(t.episodes); k > 0 && ts-t.episodes[k-1].T1 <= t.gap {
		t.episodes[k-1].T1, t.episodes[k-1].N1 = ts, n
		return
	}
	if len(t.episodes) == maxEpisodes {
		// Full: join episodes closer than twice the gap until a quarter
		// of the room is free; bands stay right at the scale of a long run.
		for len(t.episodes) > maxEpisodes*3/4 {
			t.gap *= 2
			out := t.episodes[:0]
			for _, e := range t.episodes {
				if k := len(out); k > 0 && e.T0-out[k-1].T1 <= t.gap {
					out[k-1].T1, out[k-1].N1 = e.T1, e.N1
				} else {
					out = append(out, e)
				}
			}
			t.episodes = out
		}
	}
	t.episodes = append(t.episodes, Span{T0: ts, T1: ts, N0: n, N1: n})
}

func (t *Timeline) addMarker(m Marker) {
	if len(t.markers) == maxMarkers {
		// Full: thin the drift markers to every other one; restarts (a
		// person's actions) are all kept.
		out := t.markers[:0]
		odd := false
		for _, x := range t.markers {
			if x.Kind == MarkDrift {
				odd = !odd
				if !odd {
					continue
				}
			}
			out = append(out, x)
		}
		t.markers = out
		if len(t.markers) == maxMarkers { // all restarts: drop the oldest
			t.markers = append(t.markers[:0], t.markers[1:]...)
		}
	}
	t.markers = append(t.markers, m)
}

// Restart marks learner i as rebuilt at now, with the session's labelled
// frame count n, and forgets its drift detector's window (the new learner
// starts from scratch). Its curves go on along the session's time and
// frame count.
func (t *Timeline) Restart(i int, now time.Time, n int64) {
	ts := now.Sub(t.start).Seconds()
	t.mu.Lock()
	defer t.mu.Unlock()
	if i < 0 || i >= len(t.learners) {
		return
	}
	t.version++
	t.learners[i].drift.Reset()
	t.learners[i].drifts = 0
	t.addMarker(Marker{Kind: MarkRestart, Learner: i, T: ts, N: n})
}

// Version changes whenever something is recorded.
func (t *Timeline) Version() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.version
}

// Last returns the time (seconds since Start) and labelled-frame count of
// the newest sample.
func (t *Timeline) Last() (float64, int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last, t.lastN
}

// Whole appends learner i's whole-run buckets, oldest first, to dst.
func (t *Timeline) Whole(i int, dst []Bucket) []Bucket {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i < 0 || i >= len(t.learners) {
		return dst
	}
	return append(dst, t.learners[i].whole...)
}

// Recent appends learner i's buckets whose time is at or after since
// (seconds since Start), oldest first, to dst.
func (t *Timeline) Recent(i int, since float64, dst []Bucket) []Bucket {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i < 0 || i >= len(t.learners) {
		return dst
	}
	lt := &t.learners[i]
	first := (lt.recentPos - lt.recentLen + t.ring) % t.ring
	for k := 0; k < lt.recentLen; k++ {
		b := &lt.recent[(first+k)%t.ring]
		if b.T >= since {
			dst = append(dst, *b)
		}
	}
	return dst
}

// Episodes appends the attack episodes that end at or after since, oldest
// first, to dst.
func (t *Timeline) Episodes(since float64, dst []Span) []Span {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.episodes {
		if e.T1 >= since {
			dst = append(dst, e)
		}
	}
	return dst
}

// Markers appends the markers at or after since, oldest first, to dst.
func (t *Timeline) Markers(since float64, dst []Marker) []Marker {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, m := range t.markers {
		if m.T >= since {
			dst = append(dst, m)
		}
	}
	return dst
}

// DriftCount is the number of drifts detected for learner i since its last
// restart.
func (t *Timeline) DriftCount(i int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i < 0 || i >= len(t.learners) {
		return 0
	}
	return t.learners[i].drifts
}
