package classifiers

// Perceptron follows scikit-learn's Perceptron (1.2): _plain_sgd with the
// perceptron loss (hinge with threshold 0), learning_rate="constant",
// eta0=1.0, penalty=None, fit_intercept=True, trained one sample at a time
// (state after n samples = partial_fit of those n samples, shuffle=False).
// Multiclass is one-vs-rest; see linearOVR for the class policy.
type Perceptron struct{ sgdLinear }

// perceptronParams: scikit-learn Perceptron's eta0=1.0.
var perceptronParams = []Param{
	floatParam("eta0", "constant learning rate, scikit-learn eta0", 1.0, positive),
	classesParam,
}

func init() {
	register(Spec{Name: "perceptron", Display: "Perceptron", Params: perceptronParams}, func(v paramValues) (Classifier, error) {
		p := &Perceptron{}
		p.init(sgdRule{loss: lossHinge, threshold: 0, rate: rateConstant, eta0: v.float("eta0"), penalty: penaltyNone, alpha: 1e-4}, v.labels("classes"))
		return p, nil
	})
}

func (p *Perceptron) Name() string { return "perceptron" }
