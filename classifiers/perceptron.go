package classifiers

// PerceptronDefaultEta0 is scikit-learn Perceptron's eta0.
const PerceptronDefaultEta0 = 1.0

// Perceptron follows scikit-learn's Perceptron (1.2): _plain_sgd with the
// perceptron loss (hinge with threshold 0), learning_rate="constant",
// eta0=1.0, penalty=None, fit_intercept=True, trained one sample at a time
// (state after n samples = partial_fit of those n samples, shuffle=False).
// Multiclass is one-vs-rest; see linearOVR for the class policy.
type Perceptron struct {
	rule sgdRule
	ovr  linearOVR
}

var perceptronParams = []Param{
	{Name: "eta0", Help: "constant learning rate (scikit-learn eta0, > 0)", Default: "1.0"},
	classesParam,
}

func init() {
	Register(Spec{
		Name: "perceptron", Display: "Perceptron", Params: perceptronParams,
		New: func(v map[string]string) (Classifier, error) {
			eta0, err := paramPositive(v, "eta0", PerceptronDefaultEta0)
			if err != nil {
				return nil, err
			}
			fixed, err := paramClasses(v, "classes")
			if err != nil {
				return nil, err
			}
			return newPerceptron(eta0, fixed), nil
		},
	})
}

// NewPerceptron returns a Perceptron with scikit-learn's defaults.
func NewPerceptron() *Perceptron { return newPerceptron(PerceptronDefaultEta0, nil) }

func newPerceptron(eta0 float64, fixed []int) *Perceptron {
	p := &Perceptron{rule: sgdRule{loss: lossHinge, threshold: 0, rate: rateConstant, eta0: eta0, penalty: penaltyNone, alpha: 1e-4}}
	p.rule.prepare()
	p.ovr = linearOVR{rule: &p.rule, fixed: fixed}
	p.ovr.reset()
	return p
}

func (p *Perceptron) Name() string                { return "perceptron" }
func (p *Perceptron) PredictOne(x []float64) int  { return p.ovr.predict(x) }
func (p *Perceptron) LearnOne(x []float64, y int) { p.ovr.learn(x, y) }
func (p *Perceptron) Reset()                      { p.ovr.reset() }

// Coef returns scikit-learn's coef_ and intercept_.
func (p *Perceptron) Coef() ([][]float64, []float64) { return p.ovr.coef() }
