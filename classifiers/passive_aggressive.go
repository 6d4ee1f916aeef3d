package classifiers

// Passive-Aggressive defaults, as scikit-learn's
// PassiveAggressiveClassifier (1.2): C=1.0, loss="hinge" (PA-I).
const (
	PADefaultC    = 1.0
	PADefaultLoss = "hinge"
)

// PassiveAggressive is scikit-learn's PassiveAggressiveClassifier
// (Crammer et al. 2006) trained one sample at a time: loss "hinge" is PA-I
// (step min(C, loss/||x||²)), "squared_hinge" is PA-II (step
// loss/(||x||² + 1/(2C))), with the hinge loss max(0, 1 - y·f(x)) and an
// unregularised intercept updated like the weights, exactly as _plain_sgd.
// A zero sample is skipped under PA-I, as in scikit-learn. Multiclass is
// one-vs-rest; see linearOVR for the class policy.
type PassiveAggressive struct {
	rule sgdRule
	ovr  linearOVR
}

var paParams = []Param{
	{Name: "C", Help: "aggressiveness: maximum step (> 0)", Default: "1.0"},
	{Name: "loss", Help: "hinge = PA-I, squared_hinge = PA-II", Default: PADefaultLoss, Choices: []string{"hinge", "squared_hinge"}},
	classesParam,
}

func init() {
	Register(Spec{
		Name: "passive_aggressive", Display: "Passive-Aggressive", Params: paParams,
		New: func(v map[string]string) (Classifier, error) {
			c, err := paramPositive(v, "C", PADefaultC)
			if err != nil {
				return nil, err
			}
			loss, err := paramChoice(v, paParams[1])
			if err != nil {
				return nil, err
			}
			fixed, err := paramClasses(v, "classes")
			if err != nil {
				return nil, err
			}
			return newPassiveAggressive(c, loss == "squared_hinge", fixed), nil
		},
	})
}

// NewPassiveAggressive returns a PA-I classifier with C=1.0.
func NewPassiveAggressive() *PassiveAggressive { return newPassiveAggressive(PADefaultC, false, nil) }

func newPassiveAggressive(c float64, pa2 bool, fixed []int) *PassiveAggressive {
	p := &PassiveAggressive{rule: sgdRule{loss: lossHinge, threshold: 1, rate: ratePA1, c: c, eta0: 1, alpha: 1, penalty: penaltyNone}}
	if pa2 {
		p.rule.rate = ratePA2
	}
	p.rule.prepare()
	p.ovr = linearOVR{rule: &p.rule, fixed: fixed}
	p.ovr.reset()
	return p
}

func (p *PassiveAggressive) Name() string                { return "passive_aggressive" }
func (p *PassiveAggressive) PredictOne(x []float64) int  { return p.ovr.predict(x) }
func (p *PassiveAggressive) LearnOne(x []float64, y int) { p.ovr.learn(x, y) }
func (p *PassiveAggressive) Reset()                      { p.ovr.reset() }

// Coef returns scikit-learn's coef_ and intercept_.
func (p *PassiveAggressive) Coef() ([][]float64, []float64) { return p.ovr.coef() }
