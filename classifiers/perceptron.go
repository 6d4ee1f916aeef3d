package classifiers

// Perceptron follows scikit-learn's Perceptron (an SGDClassifier with
// loss="perceptron", learning_rate="constant", eta0=1.0, penalty=None,
// fit_intercept=True), trained one sample at a time as partial_fit does.
//
// Binary problems keep one weight vector (positive class = the larger label,
// as scikit-learn orders classes); with more classes it trains one-vs-rest
// and predicts the class with the highest score (ties to the smaller label).
type Perceptron struct {
	Eta0 float64 // learning rate; scikit-learn default 1.0

	ovr linearOVR
}

// NewPerceptron returns a Perceptron with scikit-learn's defaults.
func NewPerceptron() *Perceptron {
	p := &Perceptron{Eta0: 1.0}
	p.ovr.update = p.update
	return p
}

func init() {
	Register(Spec{
		Name:    "perceptron",
		Display: "Perceptron",
		Params: []Param{
			{Name: "eta0", Help: "constant learning rate (scikit-learn eta0)", Default: "1.0"},
		},
		New: func(values map[string]string) (Classifier, error) {
			p := NewPerceptron()
			var err error
			if p.Eta0, err = paramFloat(values, "eta0", 1.0); err != nil {
				return nil, err
			}
			return p, nil
		},
	})
}

func (p *Perceptron) Name() string                { return "perceptron" }
func (p *Perceptron) PredictOne(x []float64) int  { return p.ovr.predict(x) }
func (p *Perceptron) LearnOne(x []float64, y int) { p.ovr.learn(x, y) }
func (p *Perceptron) Reset()                      { p.ovr.reset() }

// update applies the perceptron rule to one binary sub-problem: when the
// sample is misclassified or on the boundary (y*score <= 0), move w and b
// towards it by eta0.
func (p *Perceptron) update(m *binaryLinear, x []float64, y float64) {
	if y*m.score(x) <= 0 {
		for i, v := range x {
			m.w[i] += p.Eta0 * y * v
		}
		m.b += p.Eta0 * y
	}
}
