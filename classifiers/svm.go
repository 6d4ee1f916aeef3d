package classifiers

import (
	"math"
	"math/rand/v2"
	"slices"
)

// SVM is a linear soft-margin SVM (hinge loss + L2) trained by Pegasos
// (Shalev-Shwartz, Singer, Srebro, Cotter: "Pegasos: primal estimated
// sub-gradient solver for SVM", Math. Programming 2011, Fig. 1 with k=1):
// at step t, eta_t = 1/(lambda*t);
//
//	w <- (1 - eta_t*lambda) w + [y<w,x> < 1] eta_t y x
//
// followed by the optional projection onto the ball of radius 1/sqrt(lambda).
// The bias is the weight of a constant feature of value Bias (paper §6,
// "add a constant feature"), so it is regularised like the other weights;
// Bias=0 turns it off.
//
// Kernel "rbf" maps x to D random Fourier features
// z_k = sqrt(2/D) cos(w_k·x + b_k), w_k ~ N(0, 2*gamma*I), b_k ~ U[0, 2pi),
// drawn once from Seed when the dimension is first seen (deterministic), and
// runs the same linear Pegasos on z.
//
// Multiclass is one-vs-rest with the class policy of linearOVR.
type SVM struct {
	lambda     float64
	rbf        bool
	gamma      float64 // 0: 1/n_features
	components int
	seed       uint64
	project    bool
	bias       float64

	rule pegasosRule
	ovr  linearOVR

	dim    int
	omega  []float64 // components x dim
	phase  []float64
	z      []float64 // mapped sample (+ bias feature)
	zscale float64
	// lastX is the sample z was mapped from (rbf): test-then-train maps the
	// same x for PredictOne and LearnOne, and the cosines dominate the cost.
	lastX     []float64
	lastValid bool
}

// svmParams. lambda is Pegasos' regularisation, with the role and value
// of scikit-learn SGDClassifier's alpha; gamma "auto" is 1/n_features, as
// scikit-learn SVC's gamma="auto"; the RBF option approximates
// exp(-gamma*||x-x'||²) with random Fourier features (Rahimi & Recht 2007).
var svmParams = []Param{
	floatParam("lambda", "regularisation strength; step size 1/(lambda*t)", 1e-4, positive),
	choiceParam("kernel", "linear, or rbf through random Fourier features", "linear", "linear", "rbf"),
	floatOrKeyword("gamma", "RBF width exp(-gamma*|x-x'|²); auto = 1/n_features", positive, "auto", "auto"),
	intParam("components", "number of random Fourier features for rbf", 100, between(1, 100000)),
	intParam("seed", "seed of the random features", 1, nonNegInts),
	boolParam("project", "project w onto the ball of radius 1/sqrt(lambda) (Pegasos' optional step)", true),
	floatParam("bias", "value of the constant bias feature; 0 = no bias", 1.0, unbounded),
	classesParam,
}

func init() {
	register(Spec{Name: "svm", Display: "SVM (Pegasos)", Params: svmParams}, func(v paramValues) (Classifier, error) {
		s := &SVM{
			lambda:     v.float("lambda"),
			rbf:        v.choice("kernel") == "rbf",
			components: v.int("components"),
			seed:       v.uint64("seed"),
			project:    v.bool("project"),
			bias:       v.float("bias"),
		}
		if v.keyword("gamma") == "" {
			s.gamma = v.float("gamma")
		}
		s.rule = pegasosRule{lambda: s.lambda, project: s.project}
		s.ovr = linearOVR{rule: &s.rule, fixed: v.labels("classes")}
		s.Reset()
		return s, nil
	})
}

func (s *SVM) Name() string { return "svm" }

func (s *SVM) Reset() {
	s.ovr.reset()
	s.dim = 0
	s.omega, s.phase, s.z, s.lastX, s.lastValid = nil, nil, nil, nil, false
}

func (s *SVM) init(dim int) {
	s.dim = dim
	n := dim
	if s.rbf {
		n = s.components
		g := s.gamma
		if g == 0 {
			g = 1 / float64(dim)
		}
		rng := rand.New(rand.NewPCG(s.seed, 0x9e3779b97f4a7c15))
		sd := math.Sqrt(2 * g)
		s.omega = make([]float64, s.components*dim)
		for i := range s.omega {
			s.omega[i] = rng.NormFloat64() * sd
		}
		s.phase = make([]float64, s.components)
		for i := range s.phase {
			s.phase[i] = rng.Float64() * 2 * math.Pi
		}
		s.zscale = math.Sqrt(2 / float64(s.components))
		s.lastX = make([]float64, dim)
	}
	s.z = make([]float64, n+1)
}

// mapX fills s.z with the features Pegasos sees; false if x has the wrong
// length.
func (s *SVM) mapX(x []float64) bool {
	if len(x) != s.dim {
		return false
	}
	if !s.rbf {
		copy(s.z, x)
	} else {
		if s.lastValid && slices.Equal(x, s.lastX) {
			return true
		}
		copy(s.lastX, x)
		s.lastValid = true
		for k := range s.components {
			row := s.omega[k*s.dim : (k+1)*s.dim]
			a := s.phase[k]
			for i, v := range x {
				a += row[i] * v
			}
			s.z[k] = s.zscale * math.Cos(a)
		}
	}
	s.z[len(s.z)-1] = s.bias
	return true
}

func (s *SVM) PredictOne(x []float64) int {
	if s.dim == 0 || !s.mapX(x) {
		return s.ovr.classes[0]
	}
	return s.ovr.predict(s.z)
}

func (s *SVM) LearnOne(x []float64, y int) {
	if y < 0 || len(x) == 0 {
		return
	}
	if s.dim == 0 {
		s.init(len(x))
	}
	if !s.mapX(x) {
		return
	}
	s.ovr.learn(s.z, y)
}

// Coef returns the weights of each binary model over the mapped features;
// the last weight is the bias feature's.
func (s *SVM) Coef() ([][]float64, []float64) { return s.ovr.coef() }

// pegasosRule is one Pegasos step on a linModel (intercept unused: the bias
// is a feature). t counts samples from 1.
type pegasosRule struct {
	lambda  float64
	project bool
}

func (r *pegasosRule) step(m *linModel, x []float64, y, t float64) {
	eta := 1 / (r.lambda * t)
	p := m.dot(x)
	if shrink := 1 - eta*r.lambda; shrink <= 0 {
		m.clear() // t = 1: (1 - 1/t) w = 0
	} else {
		m.scale(shrink)
	}
	if y*p < 1 {
		m.add(x, eta*y)
	}
	if r.project {
		n2 := sqNorm(m.w) * m.wscale * m.wscale
		if n2*r.lambda > 1 {
			m.scale(1 / math.Sqrt(n2*r.lambda))
		}
	}
}
