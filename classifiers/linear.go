package classifiers

import (
	"math"
	"sort"
)

// wscaleThreshold is scikit-learn's WSCALE_THRESHOLD (sklearn/utils/_weight_vector):
// below it the lazy scale factor is folded into the weights.
const wscaleThreshold = 1e-9

// linModel is one binary linear decision function w·x + b, stored the way
// scikit-learn's WeightVector stores it so that updates follow its
// floating-point steps:
//
//   - the true weights are wscale*w, so an L2 shrink costs O(1);
//   - with averaging (ASGD) the averaged weights are (aw + aA*w)/aB and
//     the averaged intercept is ab;
//   - q and u hold the cumulative L1 penalty (Tsuruoka et al. 2009) as
//     sklearn's _plain_sgd does within one pass.
type linModel struct {
	w      []float64
	wscale float64
	b      float64

	aw     []float64
	aA, aB float64
	ab     float64

	q []float64
	u float64
}

func newLinModel(dim int, avg, l1 bool) linModel {
	m := linModel{w: make([]float64, dim), wscale: 1, aB: 1}
	if avg {
		m.aw = make([]float64, dim)
	}
	if l1 {
		m.q = make([]float64, dim)
	}
	return m
}

// clear zeroes the model in place (no allocation).
func (m *linModel) clear() {
	clear(m.w)
	clear(m.aw)
	clear(m.q)
	m.wscale, m.b, m.aA, m.aB, m.ab, m.u = 1, 0, 0, 1, 0, 0
}

// negate turns the model into the opposite decision function (used when a
// binary model becomes the negative class's one-vs-rest model).
func (m *linModel) negate() {
	for i := range m.w {
		m.w[i] = -m.w[i]
	}
	for i := range m.aw {
		m.aw[i] = -m.aw[i]
	}
	for i := range m.q {
		m.q[i] = -m.q[i]
	}
	m.b, m.ab = -m.b, -m.ab
}

// dot is WeightVector.dot: the raw inner product times wscale.
func (m *linModel) dot(x []float64) float64 {
	w := m.w[:len(x)]
	s := 0.0
	for i, v := range x {
		s += w[i] * v
	}
	return s * m.wscale
}

func (m *linModel) score(x []float64) float64 { return m.dot(x) + m.b }

// avgScore is the decision function of the averaged weights.
func (m *linModel) avgScore(x []float64) float64 {
	w, aw := m.w[:len(x)], m.aw[:len(x)]
	s1, s2 := 0.0, 0.0
	for i, v := range x {
		s1 += aw[i] * v
		s2 += w[i] * v
	}
	return (s1+m.aA*s2)/m.aB + m.ab
}

// weights writes the true (or averaged) weights into dst, for tests and
// inspection.
func (m *linModel) weights(dst []float64, averaged bool) (intercept float64) {
	for i := range m.w {
		if averaged {
			dst[i] = (m.aw[i] + m.aA*m.w[i]) / m.aB
		} else {
			dst[i] = m.w[i] * m.wscale
		}
	}
	if averaged {
		return m.ab
	}
	return m.b
}

// scale is WeightVector.scale.
func (m *linModel) scale(c float64) {
	m.wscale *= c
	if m.wscale < wscaleThreshold {
		m.resetScale()
	}
}

// resetScale is WeightVector.reset_wscale.
func (m *linModel) resetScale() {
	if m.aw != nil {
		for i := range m.aw {
			m.aw[i] = (m.aw[i] + m.aA*m.w[i]) / m.aB
		}
		m.aA, m.aB = 0, 1
	}
	for i := range m.w {
		m.w[i] *= m.wscale
	}
	m.wscale = 1
}

// add is WeightVector.add: w += c*x in true-weight terms.
func (m *linModel) add(x []float64, c float64) {
	w := m.w[:len(x)]
	for i, v := range x {
		w[i] += v * (c / m.wscale)
	}
}

// addAverage is WeightVector.add_average.
func (m *linModel) addAverage(x []float64, c, numIter float64) {
	mu := 1 / numIter
	aw := m.aw[:len(x)]
	for i, v := range x {
		aw[i] += m.aA * v * (-c / m.wscale)
	}
	if numIter > 1 {
		m.aB /= 1 - mu
	}
	m.aA += mu * m.aB * m.wscale
}

// l1penalty is _plain_sgd's l1penalty: clip each weight towards zero by
// the penalty it has not yet received (u minus what q records).
func (m *linModel) l1penalty(n int) {
	w, q := m.w[:n], m.q[:n]
	for i := range w {
		z := w[i]
		if m.wscale*w[i] > 0 {
			w[i] = max(0, w[i]-(m.u+q[i])/m.wscale)
		} else if m.wscale*w[i] < 0 {
			w[i] = min(0, w[i]+(m.u-q[i])/m.wscale)
		}
		q[i] += m.wscale * (w[i] - z)
	}
}

func (m *linModel) finite() bool {
	if math.IsNaN(m.b) || math.IsInf(m.b, 0) || math.IsNaN(m.wscale) || math.IsInf(m.wscale, 0) {
		return false
	}
	for _, v := range m.w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// binaryRule updates one binary sub-problem with target y in {-1, +1}; t is
// scikit-learn's t_ (1 before the first sample).
type binaryRule interface {
	step(m *linModel, x []float64, y, t float64)
}

// linearOVR runs a binary update rule the way scikit-learn's linear
// classifiers do: one model for two classes (the larger label positive),
// one-vs-rest models for more, predicting the class with the highest
// score (ties to the smaller label, as numpy's argmax).
//
// Class policy: unless a class set is fixed, the learner starts with the
// classes {0, 1} — exactly scikit-learn's partial_fit(classes=[0, 1]),
// including the very first update — and a new label grows it to
// one-vs-rest: the binary model becomes the model of the larger old class,
// its negation that of the smaller one, and each new class starts from
// zero. With a fixed class set (the "classes" parameter) the models match
// partial_fit(classes=[...]) exactly and labels outside the set are not
// learned.
//
// The feature dimension is taken from the first learned sample; samples of
// another length are ignored by learn and predicted as the first class, as
// is everything before the first sample (that is 0 unless a fixed class set
// leaves 0 out, where a label outside the set would make no sense). If
// a model's weights ever become non-finite (only with extreme inputs) that
// model restarts from zero rather than predicting from NaN.
type linearOVR struct {
	rule    binaryRule
	avg, l1 bool
	fixed   []int // fixed class set, nil when classes grow

	classes []int
	models  []linModel
	dim     int
	t       float64
}

func (o *linearOVR) reset() {
	if o.fixed != nil {
		o.classes = append(o.classes[:0], o.fixed...)
	} else {
		o.classes = append(o.classes[:0], 0, 1)
	}
	o.models = o.models[:0]
	o.dim = 0
	o.t = 1
}

func (o *linearOVR) nModels() int {
	if len(o.classes) == 2 {
		return 1
	}
	return len(o.classes)
}

func (o *linearOVR) init(dim int) {
	o.dim = dim
	o.models = o.models[:0]
	for range o.nModels() {
		o.models = append(o.models, newLinModel(dim, o.avg, o.l1))
	}
}

func (o *linearOVR) classIndex(y int) int {
	i := sort.SearchInts(o.classes, y)
	if i < len(o.classes) && o.classes[i] == y {
		return i
	}
	return -1
}

// addClass inserts label y (not yet present) into the sorted class list.
func (o *linearOVR) addClass(y int) {
	i := sort.SearchInts(o.classes, y)
	old := len(o.classes)
	o.classes = append(o.classes, 0)
	copy(o.classes[i+1:], o.classes[i:])
	o.classes[i] = y
	if o.dim == 0 {
		return
	}
	if old == 2 {
		pos := o.models[0]
		neg := newLinModel(o.dim, o.avg, o.l1)
		copy(neg.w, pos.w)
		copy(neg.aw, pos.aw)
		copy(neg.q, pos.q)
		neg.wscale, neg.b, neg.aA, neg.aB, neg.ab, neg.u = pos.wscale, pos.b, pos.aA, pos.aB, pos.ab, pos.u
		neg.negate()
		models := make([]linModel, 3)
		negAt, posAt := 0, 1 // old classes' positions in the new list
		switch i {
		case 0:
			negAt, posAt = 1, 2
		case 1:
			negAt, posAt = 0, 2
		}
		models[negAt], models[posAt] = neg, pos
		models[i] = newLinModel(o.dim, o.avg, o.l1)
		o.models = models
		return
	}
	o.models = append(o.models, linModel{})
	copy(o.models[i+1:], o.models[i:])
	o.models[i] = newLinModel(o.dim, o.avg, o.l1)
}

func (o *linearOVR) modelScore(m *linModel, x []float64) float64 {
	if o.avg {
		return m.avgScore(x)
	}
	return m.score(x)
}

func (o *linearOVR) predict(x []float64) int {
	if o.dim == 0 || len(x) != o.dim {
		return o.classes[0]
	}
	if len(o.classes) == 2 {
		if o.modelScore(&o.models[0], x) > 0 {
			return o.classes[1]
		}
		return o.classes[0]
	}
	best, bestScore := 0, math.Inf(-1)
	for k := range o.models {
		if s := o.modelScore(&o.models[k], x); s > bestScore {
			best, bestScore = k, s
		}
	}
	return o.classes[best]
}

func (o *linearOVR) learn(x []float64, y int) {
	if y < 0 || len(x) == 0 {
		return
	}
	if o.dim == 0 {
		o.init(len(x))
	} else if len(x) != o.dim {
		return
	}
	k := o.classIndex(y)
	if k < 0 {
		if o.fixed != nil || len(o.classes) >= MaxClasses {
			return
		}
		o.addClass(y)
		k = o.classIndex(y)
	}
	if len(o.classes) == 2 {
		t := -1.0
		if k == 1 {
			t = 1
		}
		o.stepModel(&o.models[0], x, t)
	} else {
		for j := range o.models {
			t := -1.0
			if j == k {
				t = 1
			}
			o.stepModel(&o.models[j], x, t)
		}
	}
	o.t++
}

func (o *linearOVR) stepModel(m *linModel, x []float64, y float64) {
	o.rule.step(m, x, y, o.t)
	if !m.finite() {
		m.clear()
	}
}

// coef returns the current (averaged, if enabled) weights and intercepts of
// every binary model, as scikit-learn's coef_ and intercept_.
func (o *linearOVR) coef() ([][]float64, []float64) {
	ws := make([][]float64, len(o.models))
	bs := make([]float64, len(o.models))
	for k := range o.models {
		ws[k] = make([]float64, o.dim)
		bs[k] = o.models[k].weights(ws[k], o.avg)
	}
	return ws, bs
}
