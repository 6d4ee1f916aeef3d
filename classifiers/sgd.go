package classifiers

// SGD defaults, as scikit-learn's SGDClassifier (1.2): loss="hinge",
// penalty="l2", alpha=1e-4, l1_ratio=0.15, learning_rate="optimal",
// eta0=0.0 (only used by "constant"/"invscaling"; we default it to 0.01
// there because sklearn's 0.0 is rejected for those schedules),
// power_t=0.5, average=False.
const (
	SGDDefaultLoss         = "hinge"
	SGDDefaultPenalty      = "l2"
	SGDDefaultAlpha        = 1e-4
	SGDDefaultL1Ratio      = 0.15
	SGDDefaultLearningRate = "optimal"
	SGDDefaultEta0         = 0.01
	SGDDefaultPowerT       = 0.5
	SGDDefaultAverage      = false
)

// SGD is scikit-learn's SGDClassifier trained one sample at a time: the
// state after n samples equals a fresh SGDClassifier(shuffle=False) after
// partial_fit on those n samples (one pass, in order), i.e. _plain_sgd's
// update with the "optimal" schedule eta_t = 1/(alpha*(t0+t-1)) whose t0
// comes from sklearn's typw heuristic, lazy weight scaling for L2, the
// cumulative L1 penalty of Tsuruoka et al. (2009) for l1/elasticnet, and
// optional averaging (ASGD) from the first sample. Multiclass is
// one-vs-rest; see linearOVR for the class policy.
type SGD struct {
	rule sgdRule
	ovr  linearOVR
}

var sgdParams = []Param{
	{Name: "loss", Help: "loss function (scikit-learn SGDClassifier loss)", Default: SGDDefaultLoss, Choices: []string{"hinge", "log_loss", "modified_huber"}},
	{Name: "penalty", Help: "regulariser", Default: SGDDefaultPenalty, Choices: []string{"l2", "l1", "elasticnet", "none"}},
	{Name: "alpha", Help: "regularisation strength (> 0)", Default: "0.0001"},
	{Name: "l1_ratio", Help: "elastic-net mixing, 0 = l2 .. 1 = l1", Default: "0.15"},
	{Name: "learning_rate", Help: "step-size schedule", Default: SGDDefaultLearningRate, Choices: []string{"optimal", "constant", "invscaling"}},
	{Name: "eta0", Help: "initial step for constant/invscaling (> 0)", Default: "0.01"},
	{Name: "power_t", Help: "exponent of invscaling", Default: "0.5"},
	{Name: "average", Help: "average the weights (ASGD)", Default: "false", Choices: []string{"false", "true"}},
	classesParam,
}

func init() {
	Register(Spec{
		Name: "sgd", Display: "SGD", Params: sgdParams,
		New: func(v map[string]string) (Classifier, error) { return newSGDFromParams(v) },
	})
}

// NewSGD returns an SGD classifier with scikit-learn's defaults.
func NewSGD() *SGD {
	s, err := newSGDFromParams(nil)
	if err != nil {
		panic(err) // defaults are valid
	}
	return s
}

func newSGDFromParams(v map[string]string) (*SGD, error) {
	var r sgdRule
	loss, err := paramChoice(v, sgdParams[0])
	if err != nil {
		return nil, err
	}
	r.threshold = 1
	r.loss = map[string]sgdLoss{"hinge": lossHinge, "log_loss": lossLog, "modified_huber": lossModifiedHuber}[loss]
	pen, err := paramChoice(v, sgdParams[1])
	if err != nil {
		return nil, err
	}
	r.penalty = map[string]sgdPenalty{"l2": penaltyL2, "l1": penaltyL1, "elasticnet": penaltyElasticNet, "none": penaltyNone}[pen]
	if r.alpha, err = paramPositive(v, "alpha", SGDDefaultAlpha); err != nil {
		return nil, err
	}
	if r.l1Ratio, err = paramRange(v, "l1_ratio", SGDDefaultL1Ratio, 0, 1); err != nil {
		return nil, err
	}
	lr, err := paramChoice(v, sgdParams[4])
	if err != nil {
		return nil, err
	}
	r.rate = map[string]sgdRate{"optimal": rateOptimal, "constant": rateConstant, "invscaling": rateInvScaling}[lr]
	if r.eta0, err = paramPositive(v, "eta0", SGDDefaultEta0); err != nil {
		return nil, err
	}
	if r.powerT, err = paramRange(v, "power_t", SGDDefaultPowerT, 0, 10); err != nil {
		return nil, err
	}
	if r.average, err = paramBool(v, "average", SGDDefaultAverage); err != nil {
		return nil, err
	}
	fixed, err := paramClasses(v, "classes")
	if err != nil {
		return nil, err
	}
	r.prepare()
	s := &SGD{rule: r}
	s.ovr = linearOVR{rule: &s.rule, avg: r.average, l1: r.penalty == penaltyL1 || r.penalty == penaltyElasticNet, fixed: fixed}
	s.ovr.reset()
	return s, nil
}

func (s *SGD) Name() string                { return "sgd" }
func (s *SGD) PredictOne(x []float64) int  { return s.ovr.predict(x) }
func (s *SGD) LearnOne(x []float64, y int) { s.ovr.learn(x, y) }
func (s *SGD) Reset()                      { s.ovr.reset() }

// Coef returns scikit-learn's coef_ and intercept_ (averaged when averaging).
func (s *SGD) Coef() ([][]float64, []float64) { return s.ovr.coef() }
