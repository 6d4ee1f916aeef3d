package classifiers

// PassiveAggressive is scikit-learn's PassiveAggressiveClassifier
// (Crammer et al. 2006) trained one sample at a time: loss "hinge" is PA-I
// (step min(C, loss/||x||²)), "squared_hinge" is PA-II (step
// loss/(||x||² + 1/(2C))), with the hinge loss max(0, 1 - y·f(x)) and an
// unregularised intercept updated like the weights, exactly as _plain_sgd.
// A zero sample is skipped under PA-I, as in scikit-learn. Multiclass is
// one-vs-rest; see linearOVR for the class policy.
type PassiveAggressive struct{ sgdLinear }

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
		p := &PassiveAggressive{}
		p.init(sgdRule{loss: lossHinge, threshold: 1, rate: pick(paRules, v.choice("loss")), c: v.float("C"), eta0: 1, alpha: 1, penalty: penaltyNone}, v.labels("classes"))
		return p, nil
	})
}

func (p *PassiveAggressive) Name() string { return "passive_aggressive" }
