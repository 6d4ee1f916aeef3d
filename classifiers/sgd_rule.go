package classifiers

import "math"

// sgdRule is one step of scikit-learn's _plain_sgd (sklearn 1.2,
// sklearn/linear_model/_sgd_fast.pyx) for dense samples with unit sample
// and class weights, fit_intercept=True. SGD, Passive-Aggressive and the
// Perceptron are all configurations of it, as they are in scikit-learn.
type sgdRule struct {
	loss      sgdLoss
	threshold float64 // hinge threshold: 1 for SVM hinge / PA, 0 for the perceptron
	rate      sgdRate
	penalty   sgdPenalty
	alpha     float64
	l1Ratio   float64
	eta0      float64
	powerT    float64
	c         float64 // PA aggressiveness
	average   bool    // ASGD from the first sample (sklearn average=True)

	optimalInit float64
}

type sgdLoss int

const (
	lossHinge sgdLoss = iota
	lossLog
	lossModifiedHuber
)

// sgdRate is the step-size schedule, or one of the Passive-Aggressive
// rules, which replace the gradient step (see step). Code tests rates by
// name (isPA), never by their order.
type sgdRate int

const (
	rateConstant sgdRate = iota
	rateOptimal
	rateInvScaling
	ratePA1
	ratePA2
)

// sgdPenalty is the regulariser; hasL1 and hasL2 say which parts it has
// (code never relies on the order of these constants).
type sgdPenalty int

const (
	penaltyNone sgdPenalty = iota
	penaltyL1
	penaltyL2
	penaltyElasticNet
)

// isPA reports whether the rate is a Passive-Aggressive rule, whose
// update is multiplied by the label as in _plain_sgd's PA branch.
func (r sgdRate) isPA() bool { return r == ratePA1 || r == ratePA2 }

// hasL2 reports whether the penalty shrinks the weights (l2, elasticnet).
func (p sgdPenalty) hasL2() bool { return p == penaltyL2 || p == penaltyElasticNet }

// hasL1 reports whether the penalty has an L1 part (l1, elasticnet).
func (p sgdPenalty) hasL1() bool { return p == penaltyL1 || p == penaltyElasticNet }

// sgdLinear is a learner made of one sgdRule run one-vs-rest (linearOVR):
// SGD, Passive-Aggressive and the Perceptron differ only in their rule,
// as in scikit-learn.
type sgdLinear struct {
	rule sgdRule
	ovr  linearOVR
}

// init prepares r and empty one-vs-rest models; fixed is the "classes"
// parameter (nil: classes grow). s must not be copied afterwards (the
// models point at s.rule).
func (s *sgdLinear) init(r sgdRule, fixed []int) {
	r.prepare()
	s.rule = r
	s.ovr = linearOVR{rule: &s.rule, avg: r.average, l1: r.penalty.hasL1(), fixed: fixed}
	s.ovr.reset()
}

func (s *sgdLinear) PredictOne(x []float64) int  { return s.ovr.predict(x) }
func (s *sgdLinear) LearnOne(x []float64, y int) { s.ovr.learn(x, y) }
func (s *sgdLinear) Reset()                      { s.ovr.reset() }

// Coef returns scikit-learn's coef_ and intercept_ (averaged when
// averaging).
func (s *sgdLinear) Coef() ([][]float64, []float64) { return s.ovr.coef() }

// maxDLoss is _plain_sgd's MAX_DLOSS clip.
const maxDLoss = 1e12

// prepare derives the per-run constants exactly as _plain_sgd does.
func (r *sgdRule) prepare() {
	switch r.penalty {
	case penaltyL2:
		r.l1Ratio = 0
	case penaltyL1:
		r.l1Ratio = 1
	}
	if r.rate == rateOptimal {
		typw := math.Sqrt(1 / math.Sqrt(r.alpha))
		initialEta0 := typw / max(1, r.dloss(-typw, 1))
		r.optimalInit = 1 / (initialEta0 * r.alpha)
	}
}

func (r *sgdRule) lossValue(p, y float64) float64 {
	// only the PA rules need the loss value, and they use the hinge loss
	if z := p * y; z <= r.threshold {
		return r.threshold - z
	}
	return 0
}

func (r *sgdRule) dloss(p, y float64) float64 {
	z := p * y
	switch r.loss {
	case lossLog:
		if z > 18 {
			return math.Exp(-z) * -y
		}
		if z < -18 {
			return -y
		}
		return -y / (math.Exp(z) + 1)
	case lossModifiedHuber:
		if z >= 1 {
			return 0
		}
		if z >= -1 {
			return 2 * (1 - z) * -y
		}
		return -4 * y
	default:
		if z <= r.threshold {
			return -y
		}
		return 0
	}
}

func (r *sgdRule) step(m *linModel, x []float64, y, t float64) {
	p := m.dot(x) + m.b
	eta := r.eta0
	switch r.rate {
	case rateOptimal:
		eta = 1 / (r.alpha * (r.optimalInit + t - 1))
	case rateInvScaling:
		eta = r.eta0 / math.Pow(t, r.powerT)
	}
	var update float64
	switch r.rate {
	case ratePA1:
		sq := sqNorm(x)
		if sq == 0 {
			return // sklearn skips the sample ("continue")
		}
		update = min(r.c, r.lossValue(p, y)/sq)
	case ratePA2:
		update = r.lossValue(p, y) / (sqNorm(x) + 0.5/r.c)
	default:
		d := min(max(r.dloss(p, y), -maxDLoss), maxDLoss)
		update = -eta * d
	}
	if r.rate.isPA() {
		update *= y
	}
	if r.penalty.hasL2() {
		m.scale(max(0, 1-(1-r.l1Ratio)*eta*r.alpha))
	}
	if update != 0 {
		m.add(x, update)
		m.b += update
	}
	if r.average {
		m.addAverage(x, update, t)
		m.ab += (m.b - m.ab) / t
	}
	if r.penalty.hasL1() {
		m.u += r.l1Ratio * eta * r.alpha
		m.l1penalty(len(x))
	}
}

func sqNorm(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s
}
