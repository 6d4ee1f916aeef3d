package classifiers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// Adaptive Random Forest defaults, as River's forest.ARFClassifier:
// n_models=10, max_features="sqrt", lambda_value=6, grace_period=50,
// delta=0.01 (split confidence), tau=0.05 (tie threshold), ADWIN drift
// detector delta=0.001 and warning detector delta=0.01, info-gain split
// criterion, naive-Bayes-adaptive leaves, weighted vote by each tree's
// accuracy. MaxNodes (ours) bounds the memory of each tree.
const (
	ARFDefaultModels          = 10
	ARFDefaultMaxFeatures     = "sqrt"
	ARFDefaultLambda          = 6.0
	ARFDefaultGracePeriod     = 50
	ARFDefaultSplitConfidence = 0.01
	ARFDefaultTieThreshold    = 0.05
	ARFDefaultDriftDelta      = 0.001
	ARFDefaultWarningDelta    = 0.01
	ARFDefaultMaxNodes        = 1000
	ARFDefaultSeed            = 42
	ARFDefaultLeafPrediction  = "nba"
)

// ARF is the Adaptive Random Forest of Gomes et al. ("Adaptive random
// forests for evolving data stream classification", Machine Learning 2017):
//
//   - each of Models Hoeffding trees (hoeffdingTree) splits on a random
//     subset of sqrt(m) features drawn per leaf;
//   - online bagging: each tree learns each sample with weight k ~
//     Poisson(Lambda) (k = 0: not at all);
//   - each tree's 0/1 error goes to a warning ADWIN (delta 0.01) and a
//     drift ADWIN (delta 0.001). A warning starts a background tree that
//     learns alongside; a drift replaces the tree by its background tree
//     (or a fresh one) and resets the detectors and the tree's accuracy;
//   - prediction is the vote of the trees' leaf class probabilities
//     weighted by each tree's accuracy since it was created.
//
// Following MOA's ARF, a detector signals only when the error rate rose
// (ADWIN also cuts when it falls, which is no reason to replace a tree).
//
// Everything is seeded (Seed) and sequential: the same stream gives the
// same forest. Memory is bounded: at most 2*Models trees of at most
// MaxNodes nodes each (see hoeffdingTree for the policy at the limit),
// ADWIN windows are logarithmic, at most MaxClasses labels are learned.
// Trees work on dense class indices in order of first sight, so a large
// label costs no more than a small one.
type ARF struct {
	Models          int
	MaxFeatures     string // "sqrt", "log2", or a count
	Lambda          float64
	GracePeriod     float64
	SplitConfidence float64
	TieThreshold    float64
	DriftDelta      float64
	WarningDelta    float64
	MaxNodes        int
	Seed            uint64
	LeafPrediction  string // "nba" (naive Bayes adaptive) or "mc" (majority class)

	rng     *rand.PCG // online bagging's Poisson draws
	members []arfMember
	dim     int
	labels  []int // class index -> label, in order of first sight
	votes   []float64
	scratch []float64
	nTrees  uint64 // trees made so far, to seed each one differently

	// expNegLambda is exp(-Lambda) for the Poisson draws, computed for
	// the Lambda in expLambdaOf.
	expNegLambda, expLambdaOf float64

	// PredictOne's leaf verdict of each tree for predictedX, reused by
	// LearnOne of the same sample (verdictsOK: nothing learned since).
	verdicts   []leafVerdict
	predictedX []float64
	verdictsOK bool

	// Drifts counts trees replaced after a detected drift (for reports).
	Drifts int
}

type arfMember struct {
	tree       *hoeffdingTree
	background *hoeffdingTree
	warn       *ADWIN
	drift      *ADWIN
	seen, hits float64
}

var arfParams = []Param{
	{Name: "n_models", Help: "number of trees (1..100)", Default: "10"},
	{Name: "max_features", Help: "features per split: sqrt, log2 or a count", Default: "sqrt"},
	{Name: "lambda", Help: "Poisson rate of online bagging (> 0)", Default: "6"},
	{Name: "grace_period", Help: "weight a leaf sees between split attempts (>= 1)", Default: "50"},
	{Name: "delta", Help: "split confidence of the Hoeffding bound (0..1)", Default: "0.01"},
	{Name: "tau", Help: "tie threshold (>= 0)", Default: "0.05"},
	{Name: "drift_delta", Help: "ADWIN delta of the drift detector (0..1)", Default: "0.001"},
	{Name: "warning_delta", Help: "ADWIN delta of the warning detector (0..1)", Default: "0.01"},
	{Name: "max_nodes", Help: "node limit per tree; at the limit leaves stop splitting but keep learning (>= 3)", Default: "1000"},
	{Name: "seed", Help: "random seed", Default: "42"},
	{Name: "leaf_prediction", Help: "nba: naive Bayes where it beats the majority class; mc: majority class", Default: ARFDefaultLeafPrediction, Choices: []string{"nba", "mc"}},
}

func init() {
	Register(Spec{
		Name: "random_forest", Display: "Adaptive Random Forest", Params: arfParams,
		New: func(v map[string]string) (Classifier, error) { return newARFFromParams(v) },
	})
}

// NewARF returns an Adaptive Random Forest with River's defaults.
func NewARF() *ARF {
	a, err := newARFFromParams(nil)
	if err != nil {
		panic(err)
	}
	return a
}

func newARFFromParams(v map[string]string) (*ARF, error) {
	a := &ARF{}
	var err error
	if a.Models, err = paramIntMin(v, "n_models", ARFDefaultModels, 1); err != nil {
		return nil, err
	}
	if a.Models > 100 {
		return nil, fmt.Errorf("parameter n_models: %d is more than 100", a.Models)
	}
	a.MaxFeatures = ARFDefaultMaxFeatures
	if mf := v["max_features"]; mf != "" {
		if mf != "sqrt" && mf != "log2" {
			if n, err := strconv.Atoi(mf); err != nil || n < 1 {
				return nil, fmt.Errorf("parameter max_features: %q is not sqrt, log2 or a positive whole number", mf)
			}
		}
		a.MaxFeatures = mf
	}
	if a.Lambda, err = paramPositive(v, "lambda", ARFDefaultLambda); err != nil {
		return nil, err
	}
	if a.Lambda > 100 {
		return nil, fmt.Errorf("parameter lambda: %v is more than 100", a.Lambda)
	}
	gp, err := paramIntMin(v, "grace_period", ARFDefaultGracePeriod, 1)
	if err != nil {
		return nil, err
	}
	a.GracePeriod = float64(gp)
	for _, p := range []struct {
		name string
		dst  *float64
		def  float64
	}{{"delta", &a.SplitConfidence, ARFDefaultSplitConfidence}, {"drift_delta", &a.DriftDelta, ARFDefaultDriftDelta}, {"warning_delta", &a.WarningDelta, ARFDefaultWarningDelta}} {
		if *p.dst, err = paramRange(v, p.name, p.def, 0, 1); err != nil {
			return nil, err
		}
		if *p.dst <= 0 || *p.dst >= 1 {
			return nil, fmt.Errorf("parameter %s: %v must be strictly between 0 and 1", p.name, *p.dst)
		}
	}
	if a.TieThreshold, err = paramRange(v, "tau", ARFDefaultTieThreshold, 0, math.MaxFloat64); err != nil {
		return nil, err
	}
	if a.MaxNodes, err = paramIntMin(v, "max_nodes", ARFDefaultMaxNodes, 3); err != nil {
		return nil, err
	}
	a.Seed = ARFDefaultSeed
	if s := v["seed"]; s != "" {
		if a.Seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			return nil, fmt.Errorf("parameter seed: %q is not a non-negative whole number", s)
		}
	}
	if a.LeafPrediction, err = paramChoice(v, arfParams[len(arfParams)-1]); err != nil {
		return nil, err
	}
	a.Reset()
	return a, nil
}

func (a *ARF) Name() string { return "random_forest" }

func (a *ARF) Reset() {
	a.rng = rand.NewPCG(a.Seed, 0x41524621)
	a.members = nil
	a.verdicts, a.verdictsOK = nil, false
	a.dim, a.nTrees, a.Drifts = 0, 0, 0
	a.labels = nil
	a.votes, a.scratch = nil, nil
}

// featuresPerSplit is River's max_features rule: round(sqrt(m)) for
// "sqrt", round(log2(m)) for "log2", at least 1 and at most m.
func (a *ARF) featuresPerSplit(m int) int {
	var k int
	switch a.MaxFeatures {
	case "sqrt", "":
		k = int(math.Round(math.Sqrt(float64(m))))
	case "log2":
		k = int(math.Round(math.Log2(float64(m))))
	default:
		k, _ = strconv.Atoi(a.MaxFeatures)
	}
	return min(max(k, 1), m)
}

func (a *ARF) newTree() *hoeffdingTree {
	a.nTrees++
	return newHoeffdingTree(a, a.dim, a.Seed*0x9e3779b97f4a7c15+a.nTrees)
}

func (a *ARF) init(dim int) {
	a.dim = dim
	a.members = make([]arfMember, a.Models)
	a.verdicts = make([]leafVerdict, a.Models)
	a.predictedX = make([]float64, dim)
	for i := range a.members {
		a.members[i] = arfMember{tree: a.newTree(), warn: NewADWIN(a.WarningDelta), drift: NewADWIN(a.DriftDelta)}
	}
}

// poisson draws k ~ Poisson(lambda) (Knuth's product method; lambda <= 100)
// given expNegLambda = exp(-lambda). Each uniform is rand.Rand.Float64's,
// taken straight from the PCG source. The product method spends k+1
// uniforms per draw; an inverse-CDF table would spend one, which is
// faster but gives other draws from the same seed, so it is not used.
func poisson(rng *rand.PCG, expNegLambda float64) int {
	k, p := 0, 1.0
	for {
		p *= float64(rng.Uint64()<<11>>11) / (1 << 53)
		if p <= expNegLambda {
			return k
		}
		k++
	}
}

func (a *ARF) PredictOne(x []float64) int {
	if a.dim == 0 || len(x) != a.dim || len(a.labels) == 0 {
		return 0
	}
	clear(a.votes)
	for i := range a.members {
		m := &a.members[i]
		w := 1e-9
		if m.seen > 0 {
			w += m.hits / m.seen
		}
		v := &a.verdicts[i]
		*v = m.tree.verdict(x)
		l := m.tree.nodes[v.leaf].leaf
		v.nb = l.proba(x, w, a.votes, a.scratch)
	}
	copy(a.predictedX, x)
	a.verdictsOK = true
	best, bv := 0, 0.0
	for c, v := range a.votes {
		if v > bv {
			best, bv = c, v
		}
	}
	return a.labels[best]
}

// classOf returns y's class index, adding it if there is room (-1 if not).
func (a *ARF) classOf(y int) int {
	for i, l := range a.labels {
		if l == y {
			return i
		}
	}
	if len(a.labels) >= MaxClasses {
		return -1
	}
	a.labels = append(a.labels, y)
	a.votes = growTo(a.votes, len(a.labels))
	a.scratch = growTo(a.scratch, len(a.labels))
	return len(a.labels) - 1
}

func (a *ARF) LearnOne(x []float64, y int) {
	if y < 0 || len(x) == 0 {
		return
	}
	if a.dim == 0 {
		a.init(len(x))
	} else if len(x) != a.dim {
		return
	}
	c := a.classOf(y) // trees see dense class indices
	if c < 0 {
		return
	}
	reuse := a.verdictsOK && sameBits(x, a.predictedX)
	a.verdictsOK = false
	if a.expLambdaOf != a.Lambda || a.expNegLambda == 0 {
		a.expNegLambda, a.expLambdaOf = math.Exp(-a.Lambda), a.Lambda
	}
	for i := range a.members {
		m := &a.members[i]
		v := &a.verdicts[i]
		if !reuse {
			*v = m.tree.verdict(x)
		}
		wrong := 1.0
		if m.tree.predictVerdict(v, x, a.scratch) == c {
			wrong = 0
		}
		m.seen++
		m.hits += 1 - wrong
		if k := poisson(a.rng, a.expNegLambda); k > 0 {
			m.tree.learnVerdict(v, x, c, float64(k), a.scratch)
			if m.background != nil {
				m.background.learn(x, c, float64(k), a.scratch)
			}
		}
		before := m.warn.Mean()
		if m.warn.Update(wrong) && m.warn.Mean() > before {
			m.background = a.newTree()
			m.warn.Reset()
		}
		before = m.drift.Mean()
		if m.drift.Update(wrong) && m.drift.Mean() > before {
			if m.background != nil {
				m.tree, m.background = m.background, nil
			} else {
				m.tree = a.newTree()
			}
			m.warn.Reset()
			m.drift.Reset()
			m.seen, m.hits = 0, 0
			a.Drifts++
		}
	}
}

// sameBits reports whether x and y hold the same float64 bit patterns.
func sameBits(x, y []float64) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return false
		}
	}
	return true
}

// treeSizes returns each tree's node count (for tests).
func (a *ARF) treeSizes() []int {
	var s []int
	for _, m := range a.members {
		s = append(s, len(m.tree.nodes))
	}
	return s
}
