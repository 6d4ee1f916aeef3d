package classifiers

// NoChange predicts the last label it learned (0 before any). On streams
// whose labels come in runs it is the baseline to beat (River's
// NoChangeClassifier; Bifet et al., "Pitfalls in benchmarking data stream
// classification", 2013).
type NoChange struct{ last int }

func init() {
	register(Spec{Name: "no_change", Display: "No change", Baseline: true}, func(paramValues) (Classifier, error) {
		return &NoChange{}, nil
	})
}

func (n *NoChange) Name() string             { return "no_change" }
func (n *NoChange) PredictOne([]float64) int { return n.last }
func (n *NoChange) Reset()                   { n.last = 0 }

func (n *NoChange) LearnOne(_ []float64, y int) {
	if y >= 0 {
		n.last = y
	}
}
