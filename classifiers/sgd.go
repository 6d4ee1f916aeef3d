package classifiers

// SGD is scikit-learn's SGDClassifier trained one sample at a time: the
// state after n samples equals a fresh SGDClassifier(shuffle=False) after
// partial_fit on those n samples (one pass, in order), i.e. _plain_sgd's
// update with the "optimal" schedule eta_t = 1/(alpha*(t0+t-1)) whose t0
// comes from sklearn's typw heuristic, lazy weight scaling for L2, the
// cumulative L1 penalty of Tsuruoka et al. (2009) for l1/elasticnet, and
// optional averaging (ASGD) from the first sample. Multiclass is
// one-vs-rest; see linearOVR for the class policy.
type SGD struct{ sgdLinear }

// sgdParams: scikit-learn SGDClassifier's defaults (1.2): loss="hinge",
// penalty="l2", alpha=1e-4, l1_ratio=0.15, learning_rate="optimal",
// power_t=0.5, average=False. Its eta0=0.0 is only used by "constant" and
// "invscaling", which reject 0, so ours defaults to 0.01 there.
var sgdParams = []Param{
	choiceParam("loss", "loss function (scikit-learn SGDClassifier loss)", "hinge", "hinge", "log_loss", "modified_huber"),
	choiceParam("penalty", "regulariser", "l2", "l2", "l1", "elasticnet", "none"),
	floatParam("alpha", "regularisation strength", 1e-4, positive),
	floatParam("l1_ratio", "elastic-net mixing, 0 = l2 .. 1 = l1", 0.15, between(0, 1)),
	choiceParam("learning_rate", "step-size schedule", "optimal", "optimal", "constant", "invscaling"),
	floatParam("eta0", "initial step for constant/invscaling", 0.01, positive),
	floatParam("power_t", "exponent of invscaling", 0.5, between(0, 10)),
	boolParam("average", "average the weights (ASGD)", false),
	classesParam,
}

var (
	sgdLosses    = map[string]sgdLoss{"hinge": lossHinge, "log_loss": lossLog, "modified_huber": lossModifiedHuber}
	sgdPenalties = map[string]sgdPenalty{"l2": penaltyL2, "l1": penaltyL1, "elasticnet": penaltyElasticNet, "none": penaltyNone}
	sgdRates     = map[string]sgdRate{"optimal": rateOptimal, "constant": rateConstant, "invscaling": rateInvScaling}
)

func init() {
	register(Spec{Name: "sgd", Display: "SGD", Params: sgdParams}, func(v paramValues) (Classifier, error) {
		r := sgdRule{
			loss:      pick(sgdLosses, v.choice("loss")),
			threshold: 1,
			penalty:   pick(sgdPenalties, v.choice("penalty")),
			alpha:     v.float("alpha"),
			l1Ratio:   v.float("l1_ratio"),
			rate:      pick(sgdRates, v.choice("learning_rate")),
			eta0:      v.float("eta0"),
			powerT:    v.float("power_t"),
			average:   v.bool("average"),
		}
		s := &SGD{}
		s.init(r, v.labels("classes"))
		return s, nil
	})
}

func (s *SGD) Name() string { return "sgd" }
