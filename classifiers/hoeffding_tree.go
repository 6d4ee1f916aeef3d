package classifiers

import (
	"math"
	"math/rand/v2"
)

// hoeffdingBound is the Hoeffding bound: with probability 1-delta the true
// mean of a variable of range r is within this of the mean of n
// observations (Domingos & Hulten 2000).
func hoeffdingBound(r, delta, n float64) float64 {
	return math.Sqrt(r * r * math.Log(1/delta) / (2 * n))
}

// gaussObs is a weighted running Gaussian (mean, variance, range) of one
// feature within one class at one leaf. inv2var, 1/(2*variance), is
// cached for naive Bayes by the leaf (htLeaf.rowNorm), which recomputes a
// class's whole row of observers at once after that class learned.
type gaussObs struct {
	w, mean, m2, lo, hi float64
	inv2var             float64
}

func (g *gaussObs) add(v, w float64) {
	if g.w == 0 {
		g.lo, g.hi = v, v
	} else {
		g.lo, g.hi = min(g.lo, v), max(g.hi, v)
	}
	g.w += w
	d := v - g.mean
	g.mean += d * w / g.w
	g.m2 += w * d * (v - g.mean)
}

func (g *gaussObs) sd() float64 {
	if g.w <= 1 {
		return 0
	}
	return math.Sqrt(max(g.m2, 0) / (g.w - 1))
}

// weightLE estimates how much of the class's weight has value <= t.
func (g *gaussObs) weightLE(t float64) float64 {
	return g.weightLEScaled(t, g.sd()*math.Sqrt2)
}

// weightLEScaled is weightLE given sdSqrt2 = g.sd()*math.Sqrt2, which a
// split attempt computes once per observer for all its thresholds.
func (g *gaussObs) weightLEScaled(t, sdSqrt2 float64) float64 {
	switch {
	case g.w == 0 || t < g.lo:
		return 0
	case t >= g.hi:
		return g.w
	}
	if sdSqrt2 == 0 {
		return g.w
	}
	return g.w * 0.5 * math.Erfc(-(t-g.mean)/sdSqrt2)
}

// variance is the density's variance: max(m2/max(w, 1), 0) plus a small
// floor, so that a constant feature does not give -Inf for every class.
// The comparisons give the same bits as the max builtins: w is never NaN,
// and where m2/w is NaN or -0 the sum with the floor comes out the same.
func (g *gaussObs) variance() float64 {
	w := g.w
	if w < 1 {
		w = 1
	}
	q := g.m2 / w
	if q < 0 {
		q = 0
	}
	return q + gaussVarFloor
}

// rowLogNorm caches inv2var in each observer of a class's row and returns
// the sum of their log normalisers, sum_k -0.5*log(2*pi*variance_k), as
// -0.5 times the log of their product: one logarithm per row instead of
// one per feature (a row changes whenever its class learns, and its
// densities are asked for at the next prediction). The product is kept as
// mantissa times a power of two, so that 60 variances between 1e-9 and
// 1e300 neither underflow nor overflow; the result differs from the sum of
// logs only by rounding (a few ulps).
func rowLogNorm(row []gaussObs) float64 {
	p, exp := 1.0, 0
	for k := range row {
		va := row[k].variance()
		row[k].inv2var = 1 / (2 * va)
		p *= 2 * math.Pi * va
		if p < 0x1p-500 || p > 0x1p500 {
			m, e := math.Frexp(p)
			p, exp = m, exp+e
		}
	}
	return -0.5 * (math.Log(p) + float64(exp)*math.Ln2)
}

const gaussVarFloor = 1e-9

// splitPoints is the number of candidate thresholds a Gaussian observer
// proposes between the smallest and largest value seen (River's
// GaussianSplitter n_splits=10).
const splitPoints = 10

// minBranchFrac: a split whose smaller branch gets less than this fraction
// of the weight is not a candidate (River's InfoGainSplitCriterion).
const minBranchFrac = 0.01

// htLeaf is a learning leaf: class weights, a random subset of features
// (chosen when the leaf is made) with one Gaussian observer per
// feature and class, and the naive-Bayes-adaptive counters.
type htLeaf struct {
	counts    []float64 // by label
	logCounts []float64 // log(counts[c]), valid where bit c of logValid is set
	logValid  uint64
	features  []int
	obs       [][]gaussObs // [label][feature index in features]: a class's observers side by side for naive Bayes
	// rowNorms[c] is rowLogNorm(obs[c]), valid where bit c of rowValid is
	// set (classes from 64 on are recomputed at every use)
	rowNorms  []float64
	rowValid  uint64
	lastSplit float64 // total weight at the last split attempt
	mcCorrect float64
	nbCorrect float64
	mcOnly    bool // leaf_prediction "mc"
	// seenOne and seenZero have bit f set once the leaf learned a frame
	// with a 1, a 0, in flag column f (bit f of ARF.flagMask), in
	// its feature subset or not. Nil until the leaf learns with column
	// kinds known.
	seenOne, seenZero []uint64
}

// unseenFlag reports whether x, whose 1s among the flag columns
// (mask, ARF.flagMask) are ones (ARF.onesOf), has in a flag column a
// value the leaf never learned from (false for a leaf that has learned
// nothing). Such a leaf's class weights and naive Bayes say nothing about
// frames like x: a leaf of normal bulk traffic that never saw
// ip_mac_relay set would call a man in the middle's relayed bulk traffic
// normal, with all its weight. Every flag column counts, not only those of
// the leaf's subset: the leaf cannot split on the others, but it has
// still learned nothing from frames with them set.
func (l *htLeaf) unseenFlag(ones, mask []uint64) bool {
	if len(l.seenOne) != len(ones) || len(mask) != len(ones) {
		return false
	}
	for w, m := range mask {
		if ones[w]&^l.seenOne[w] != 0 || m&^ones[w]&^l.seenZero[w] != 0 {
			return true
		}
	}
	return false
}

// noteFlags records x's values in the flag columns (mask).
func (l *htLeaf) noteFlags(ones, mask []uint64) {
	if len(ones) == 0 {
		return
	}
	if l.seenOne == nil {
		l.seenOne, l.seenZero = make([]uint64, len(mask)), make([]uint64, len(mask))
	}
	for w, m := range mask {
		l.seenOne[w] |= ones[w]
		l.seenZero[w] |= m &^ ones[w]
	}
}

type htNode struct {
	feature     int
	threshold   float64
	left, right int32 // children (internal nodes)
	leaf        *htLeaf
}

// hoeffdingTree is the ARF base learner: a Hoeffding tree (VFDT) over
// numeric features with Gaussian class observers, information gain,
// random feature subsets per leaf and naive-Bayes-adaptive leaves.
//
// Memory policy: at most maxNodes nodes (internal + leaves). A tree that
// has reached the limit stops splitting; its leaves keep learning (class
// weights, observers, NB) and predicting.
type hoeffdingTree struct {
	cfg   *ARF
	rng   *rand.Rand
	nodes []htNode
	dim   int

	left, right []float64 // split-attempt scratch
	sdScaled    []float64 // split-attempt scratch: each class observer's sd*sqrt(2)
}

func newHoeffdingTree(cfg *ARF, dim int, seed uint64) *hoeffdingTree {
	t := &hoeffdingTree{cfg: cfg, rng: rand.New(rand.NewPCG(seed, 0xa5a5)), dim: dim}
	t.nodes = append(t.nodes, htNode{leaf: t.newLeaf(nil)})
	return t
}

func (t *hoeffdingTree) newLeaf(counts []float64) *htLeaf {
	k := t.cfg.featuresPerSplit(t.dim)
	perm := t.rng.Perm(t.dim)[:k]
	l := &htLeaf{counts: counts, features: perm, mcOnly: t.cfg.leafPrediction == "mc"}
	// the weight inherited from the parent's split estimate counts as seen
	// at the last attempt: the next attempt waits for GracePeriod new weight
	for _, w := range counts {
		l.lastSplit += w
	}
	return l
}

func (t *hoeffdingTree) leafIndex(x []float64) int32 {
	i := int32(0)
	for t.nodes[i].leaf == nil {
		n := &t.nodes[i]
		if x[n.feature] <= n.threshold {
			i = n.left
		} else {
			i = n.right
		}
	}
	return i
}

// useMC reports whether the leaf predicts its majority class rather than
// naive Bayes: always with leaf_prediction "mc", and under "nba" while the
// majority class has been right more often (MOA/River's rule).
func (l *htLeaf) useMC() bool {
	return l.mcOnly || l.mcCorrect > l.nbCorrect || len(l.features) == 0
}

// mcPredict is the leaf's majority class (smallest label on ties), or -1.
func (l *htLeaf) mcPredict() int {
	best, bw := -1, 0.0
	for c, w := range l.counts {
		if w > bw {
			best, bw = c, w
		}
	}
	return best
}

// logCount is log(counts[c]), cached between changes of that count: a
// leaf's class weights change only when it learns, but its naive-Bayes
// scores are asked for on every prediction.
func (l *htLeaf) logCount(c int) float64 {
	if c >= 64 {
		return math.Log(l.counts[c])
	}
	if l.logValid&(1<<c) == 0 {
		l.logCounts = growTo(l.logCounts, len(l.counts))
		l.logCounts[c] = math.Log(l.counts[c])
		l.logValid |= 1 << c
	}
	return l.logCounts[c]
}

// rowNorm is the sum of class c's observers' log normalisers (rowLogNorm),
// cached until the class learns again.
func (l *htLeaf) rowNorm(c int) float64 {
	if c >= 64 {
		return rowLogNorm(l.obs[c][:len(l.features)])
	}
	if l.rowValid&(1<<c) == 0 {
		l.rowNorms = growTo(l.rowNorms, len(l.obs))
		l.rowNorms[c] = rowLogNorm(l.obs[c][:len(l.features)])
		l.rowValid |= 1 << c
	}
	return l.rowNorms[c]
}

// nbScores writes the leaf's naive Bayes log posterior (up to a constant)
// per label into dst (-Inf for unseen labels) and returns the best label.
// A class's observers all learn together, so a row has weight in every
// feature or in none (a class the leaf inherited from its parent's
// counts but has not learned itself).
func (l *htLeaf) nbScores(x []float64, dst []float64) int {
	best, bs := -1, math.Inf(-1)
	for c := range dst {
		dst[c] = math.Inf(-1)
	}
	for c, w := range l.counts {
		if w <= 0 || c >= len(dst) {
			continue
		}
		s := l.logCount(c)
		if c < len(l.obs) && len(l.features) > 0 && l.obs[c][0].w > 0 {
			s += l.rowNorm(c)
			obs := l.obs[c][:len(l.features)]
			for k, f := range l.features {
				d := x[f] - obs[k].mean
				s -= d * d * obs[k].inv2var
			}
		}
		dst[c] = s
		if s > bs {
			best, bs = c, s
		}
	}
	return best
}

// proba adds the leaf's class probabilities times weight into votes
// (indexed by label); scratch has the same length. It returns the leaf's
// naive-Bayes class if it scored it (see leafVerdict), else nbUnknown.
func (l *htLeaf) proba(x []float64, weight float64, votes, scratch []float64) int {
	total := 0.0
	for _, w := range l.counts {
		total += w
	}
	if total == 0 {
		return nbUnknown
	}
	if l.useMC() {
		for c, w := range l.counts {
			if c < len(votes) {
				votes[c] += weight * w / total
			}
		}
		return nbUnknown
	}
	best := l.nbScores(x, scratch[:min(len(scratch), len(l.counts))])
	if best < 0 {
		return best
	}
	// scratch[c] becomes exp(score - top), or -1 for an unseen class
	top, sum := scratch[best], 0.0
	for c := range min(len(scratch), len(l.counts)) {
		if math.IsInf(scratch[c], -1) {
			scratch[c] = -1
			continue
		}
		scratch[c] = math.Exp(scratch[c] - top)
		sum += scratch[c]
	}
	for c := range min(len(scratch), len(l.counts)) {
		if scratch[c] != -1 { // exp is never -1 (NaN included)
			votes[c] += weight * scratch[c] / sum
		}
	}
	return best
}

// leafVerdict is what a tree's leaf says about one sample: which leaf it
// falls in and, once computed, that leaf's naive-Bayes class. The forest
// keeps one per tree from its prediction to the learning step of the same
// sample, so that the leaf is found and naive Bayes scored once instead of
// three times (prediction, the tree's own error, the leaf's NB-versus-MC
// bookkeeping): nothing in the tree changes in between.
type leafVerdict struct {
	leaf int32
	nb   int // naive Bayes' class (-1: none), nbUnknown until scored
}

const nbUnknown = -2

func (t *hoeffdingTree) verdict(x []float64) leafVerdict {
	return leafVerdict{leaf: t.leafIndex(x), nb: nbUnknown}
}

// nbClass is the verdict's naive-Bayes class, scored on first use.
func (t *hoeffdingTree) nbClass(v *leafVerdict, x, scratch []float64) int {
	if v.nb == nbUnknown {
		l := t.nodes[v.leaf].leaf
		v.nb = l.nbScores(x, scratch[:min(len(scratch), len(l.counts))])
	}
	return v.nb
}

func (t *hoeffdingTree) predictVerdict(v *leafVerdict, x, scratch []float64) int {
	l := t.nodes[v.leaf].leaf
	if l.useMC() {
		return l.mcPredict()
	}
	if best := t.nbClass(v, x, scratch); best >= 0 {
		return best
	}
	return l.mcPredict()
}

func growTo(s []float64, n int) []float64 {
	for len(s) < n {
		s = append(s, 0)
	}
	return s
}

// learnVerdict adds x (its 1s among the flag columns: ones, see
// ARF.onesOf) with label y and weight w to the leaf of x's verdict
// (its leaf, maybe its NB class, already known), and attempts a split when
// the leaf has seen GracePeriod weight since its last attempt; the verdict
// is stale afterwards.
func (t *hoeffdingTree) learnVerdict(v *leafVerdict, x []float64, ones []uint64, y int, w float64, scratch []float64) {
	li := v.leaf
	l := t.nodes[li].leaf
	// naive-Bayes-adaptive bookkeeping: which leaf predictor was right
	if l.mcPredict() == y {
		l.mcCorrect += w
	}
	if !l.mcOnly && len(l.counts) > 0 && t.nbClass(v, x, scratch) == y {
		l.nbCorrect += w
	}
	l.counts = growTo(l.counts, y+1)
	l.counts[y] += w
	if y < 64 {
		l.logValid &^= 1 << y
		l.rowValid &^= 1 << y
	}
	for len(l.obs) <= y {
		l.obs = append(l.obs, make([]gaussObs, len(l.features)))
	}
	for k, f := range l.features {
		l.obs[y][k].add(x[f], w)
	}
	l.noteFlags(ones, t.cfg.flagMask)
	total := 0.0
	for _, c := range l.counts {
		total += c
	}
	if total-l.lastSplit >= t.cfg.gracePeriod && len(t.nodes)+2 <= t.cfg.maxNodes {
		l.lastSplit = total
		t.attemptSplit(li, total)
	}
}

type splitCand struct {
	feature   int // feature index in x, -1 for none
	k         int // index in the leaf's feature subset
	threshold float64
	merit     float64
}

func entropy(d []float64) float64 {
	tot := 0.0
	for _, v := range d {
		tot += v
	}
	if tot <= 0 {
		return 0
	}
	h := 0.0
	for _, v := range d {
		if v > 0 {
			p := v / tot
			h -= p * log2(p)
		}
	}
	return h
}

// log2 is math.Log2, bit for bit, with math.Frexp inlined for normal
// positive numbers: a split attempt takes a few hundred of them, and on
// amd64 math.Log2 is two calls (Frexp, then Log) around the one that counts.
func log2(x float64) float64 {
	const expMask, expShift, bias = 0x7ff, 52, 1023
	b := math.Float64bits(x)
	e := int(b>>expShift) & expMask
	if b>>63 != 0 || e == 0 || e == expMask { // negative, zero, subnormal, Inf, NaN
		return math.Log2(x)
	}
	frac := math.Float64frombits(b&^(expMask<<expShift) | (bias-1)<<expShift)
	exp := e - bias + 1
	if frac == 0.5 { // exact powers of two, as math.Log2
		return float64(exp - 1)
	}
	return math.Log(frac)*(1/math.Ln2) + float64(exp)
}

// attemptSplit is VFDT's split decision: the best and second-best
// information gain (the "no split" option counts with merit 0) are
// compared with the Hoeffding bound of range log2(#classes); split if the
// best wins by more than the bound, or the bound is below the tie
// threshold.
func (t *hoeffdingTree) attemptSplit(li int32, total float64) {
	l := t.nodes[li].leaf
	nClasses := 0
	for _, c := range l.counts {
		if c > 0 {
			nClasses++
		}
	}
	if nClasses < 2 {
		return
	}
	h0 := entropy(l.counts)
	best := splitCand{feature: -1}
	second := 0.0 // the null split
	t.left, t.right = growTo(t.left[:0], len(l.counts)), growTo(t.right[:0], len(l.counts))
	left, right := t.left, t.right
	for k, f := range l.features {
		lo, hi := math.Inf(1), math.Inf(-1)
		for c := range l.obs {
			if o := &l.obs[c][k]; o.w > 0 {
				lo, hi = min(lo, o.lo), max(hi, o.hi)
			}
		}
		if !(hi > lo) {
			continue
		}
		t.sdScaled = growTo(t.sdScaled[:0], len(l.obs))
		for c := range l.obs {
			t.sdScaled[c] = l.obs[c][k].sd() * math.Sqrt2
		}
		featBest := splitCand{feature: -1, merit: math.Inf(-1)}
		for i := range splitPoints {
			thr := lo + (hi-lo)*float64(i+1)/float64(splitPoints+1)
			lw, rw := l.distributions(k, thr, left, right, t.sdScaled)
			if lw+rw == 0 || min(lw, rw)/(lw+rw) < minBranchFrac {
				continue
			}
			merit := h0 - (lw*entropy(left)+rw*entropy(right))/(lw+rw)
			if merit > featBest.merit {
				featBest = splitCand{feature: f, k: k, threshold: thr, merit: merit}
			}
		}
		if featBest.feature < 0 {
			continue
		}
		if best.feature < 0 || featBest.merit > best.merit {
			if best.feature >= 0 {
				second = max(second, best.merit)
			}
			best = featBest
		} else {
			second = max(second, featBest.merit)
		}
	}
	if best.feature < 0 || best.merit <= 0 {
		return
	}
	eps := hoeffdingBound(math.Log2(float64(nClasses)), t.cfg.splitConfidence, total)
	if best.merit-second > eps || eps < t.cfg.tieThreshold {
		t.split(li, best)
	}
}

// distributions estimates the class weights on each side of x[f] <= thr
// from the Gaussian observers of subset feature k; it returns the totals.
// sdScaled holds each observer's sd*sqrt(2), or is nil.
func (l *htLeaf) distributions(k int, thr float64, left, right, sdScaled []float64) (lw, rw float64) {
	for c := range l.counts {
		left[c], right[c] = 0, 0
		if c < len(l.obs) {
			o := &l.obs[c][k]
			if sdScaled != nil {
				left[c] = o.weightLEScaled(thr, sdScaled[c])
			} else {
				left[c] = o.weightLE(thr)
			}
			right[c] = o.w - left[c]
		}
		lw += left[c]
		rw += right[c]
	}
	return lw, rw
}

// split turns leaf li into a test x[f] <= threshold with two new leaves whose
// class weights start from the estimated distributions of each side.
func (t *hoeffdingTree) split(li int32, s splitCand) {
	l := t.nodes[li].leaf
	left, right := make([]float64, len(l.counts)), make([]float64, len(l.counts))
	l.distributions(s.k, s.threshold, left, right, nil)
	n := int32(len(t.nodes))
	t.nodes = append(t.nodes, htNode{leaf: t.newLeaf(left)}, htNode{leaf: t.newLeaf(right)})
	t.nodes[li] = htNode{feature: s.feature, threshold: s.threshold, left: n, right: n + 1}
}
