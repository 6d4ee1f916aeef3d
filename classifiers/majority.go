package classifiers

// Majority predicts the most frequent class seen so far (ties to the
// smaller label). It is the baseline that accuracy and kappa are read
// against: a learner that cannot beat it has learned nothing.
type Majority struct {
	counts map[int]int
	best   int
}

func init() {
	register(Spec{Name: "majority", Display: "Majority class", Baseline: true}, func(paramValues) (Classifier, error) {
		return &Majority{counts: map[int]int{}}, nil
	})
}

func (m *Majority) Name() string             { return "majority" }
func (m *Majority) PredictOne([]float64) int { return m.best }
func (m *Majority) Reset()                   { m.counts = map[int]int{}; m.best = 0 }

func (m *Majority) LearnOne(_ []float64, y int) {
	m.counts[y]++
	c, b := m.counts[y], m.counts[m.best]
	if c > b || (c == b && y < m.best) || len(m.counts) == 1 {
		m.best = y
	}
}
