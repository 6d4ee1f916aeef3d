package classifiers

// FeatureKind says what one input column holds, for learners that model
// columns differently by kind (naive Bayes: a Gaussian for a measurement,
// a Bernoulli for a 0/1 indicator).
type FeatureKind int

const (
	// FeatureNumeric is a measurement: any real value.
	FeatureNumeric FeatureKind = iota
	// FeatureBinary is a 0/1 indicator on its own (a flag bit); a value
	// above 0.5 counts as 1.
	FeatureBinary
	// featureOneHotBase and above: one column of a one-hot group (see
	// FeatureOneHot).
	featureOneHotBase
)

// FeatureOneHot marks a column as one indicator of one-hot group g (g >= 0):
// the columns of a group code one categorical variable together (at most
// one of them is 1; all 0 is a category of its own, "absent"), so a
// learner counts the variable once instead of each column as separate
// evidence.
func FeatureOneHot(g int) FeatureKind { return featureOneHotBase + FeatureKind(g) }

// OneHotGroup returns the one-hot group of a FeatureOneHot column.
func (k FeatureKind) OneHotGroup() (int, bool) {
	if k >= featureOneHotBase {
		return int(k - featureOneHotBase), true
	}
	return 0, false
}

// FeatureKindSetter is implemented by learners that model columns by kind.
// The pipeline calls SetFeatureKinds once, after building the learner and
// before the first sample, with one kind per column; the kinds survive
// Reset. A learner never told treats every column as FeatureNumeric. This
// keeps the classifiers free of the pipeline's feature types: the pipeline
// translates its feature descriptions into these kinds.
type FeatureKindSetter interface {
	SetFeatureKinds(kinds []FeatureKind)
}
