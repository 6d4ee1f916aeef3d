package classifiers

// Perceptron follows scikit-learn's Perceptron (1.2): _plain_sgd with the
// perceptron loss (hinge with threshold 0), learning_rate="constant",
// eta0=1.0, penalty=None, fit_intercept=True, trained one sample at a time
// (state after n samples = partial_fit of those n samples, shuffle=False).
// Multiclass is one-vs-rest; see linearOVR for the class policy.
type Perceptron struct {
	rule sgdRule
	ovr  linearOVR
}

// perceptronParams: scikit-learn Perceptron's eta0=1.0.
var perceptronParams = []Param{
	floatParam("eta0", "constant learning rate, scikit-learn eta0", 1.0, positive),
	classesParam,
}

func init() {
	register(Spec{Name: "perceptron", Display: "Perceptron", Params: perceptronParams}, func(v paramValues) (Classifier, error) {
		p := &Perceptron{rule: sgdRule{loss: lossHinge, threshold: 0, rate: rateConstant, eta0: v.float("eta0"), penalty: penaltyNone, alpha: 1e-4}}
		p.rule.prepare()
		p.ovr = linearOVR{rule: &p.rule, fixed: v.labels("classes")}
		p.ovr.reset()
		return p, nil
	})
}

func (p *Perceptron) Name() string                { return "perceptron" }
func (p *Perceptron) PredictOne(x []float64) int  { return p.ovr.predict(x) }
func (p *Perceptron) LearnOne(x []float64, y int) { p.ovr.learn(x, y) }
func (p *Perceptron) Reset()                      { p.ovr.reset() }

// Coef returns scikit-learn's coef_ and intercept_.
func (p *Perceptron) Coef() ([][]float64, []float64) { return p.ovr.coef() }
