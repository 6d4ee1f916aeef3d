package classifiers

// FeatureKind says what one input column holds, for learners that model
// columns differently by kind (naive Bayes: a Gaussian for a measurement,
// a Bernoulli for a 0/1 indicator).
type FeatureKind int

const (
	// FeatureNumeric is a measurement: any real value.
	FeatureNumeric FeatureKind = iota
	// FeatureBinary is a 0/1 indicator (a one-hot code or a flag bit); a
	// value above 0.5 counts as 1.
	FeatureBinary
)

// FeatureKindSetter is implemented by learners that model columns by kind.
// The pipeline calls SetFeatureKinds once, after building the learner and
// before the first sample, with one kind per column; the kinds survive
// Reset. A learner never told treats every column as FeatureNumeric. This
// keeps the classifiers free of the pipeline's feature types: the pipeline
// translates its feature descriptions into these kinds.
type FeatureKindSetter interface {
	SetFeatureKinds(kinds []FeatureKind)
}
