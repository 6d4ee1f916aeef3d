package classifiers

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

// paParams: scikit-learn PassiveAggressiveClassifier's defaults (1.2):
// C=1.0, loss="hinge" (PA-I).
var paParams = []Param{
	floatParam("C", "aggressiveness: maximum step", 1.0, positive),
	choiceParam("loss", "hinge = PA-I, squared_hinge = PA-II", "hinge", "hinge", "squared_hinge"),
	classesParam,
}

var paRules = map[string]sgdRate{"hinge": ratePA1, "squared_hinge": ratePA2}

func init() {
	register(Spec{Name: "passive_aggressive", Display: "Passive-Aggressive", Params: paParams}, func(v paramValues) (Classifier, error) {
		p := &PassiveAggressive{rule: sgdRule{loss: lossHinge, threshold: 1, rate: pick(paRules, v.choice("loss")), c: v.float("C"), eta0: 1, alpha: 1, penalty: penaltyNone}}
		p.rule.prepare()
		p.ovr = linearOVR{rule: &p.rule, fixed: v.labels("classes")}
		p.ovr.reset()
		return p, nil
	})
}

func (p *PassiveAggressive) Name() string                { return "passive_aggressive" }
func (p *PassiveAggressive) PredictOne(x []float64) int  { return p.ovr.predict(x) }
func (p *PassiveAggressive) LearnOne(x []float64, y int) { p.ovr.learn(x, y) }
func (p *PassiveAggressive) Reset()                      { p.ovr.reset() }

// Coef returns scikit-learn's coef_ and intercept_.
func (p *PassiveAggressive) Coef() ([][]float64, []float64) { return p.ovr.coef() }
