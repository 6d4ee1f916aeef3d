// Package classifiers holds EtherLearn's online learners and baselines.
//
// Every learner learns one sample at a time with bounded memory, and is
// evaluated test-then-train (predict first, then learn) by the pipeline.
// This package imports nothing else of the project.
//
// Learners (one per file, each registering a Spec whose Params declare
// every setting once: name, type, range, typed default and help, next to
// the reference the defaults follow; see params.go):
//
//	sgd                 sgd.go, sgd_rule.go    scikit-learn SGDClassifier (_plain_sgd)
//	passive_aggressive  passive_aggressive.go  scikit-learn PassiveAggressiveClassifier (PA-I/PA-II)
//	perceptron          perceptron.go          scikit-learn Perceptron
//	naive_bayes         naive_bayes.go         scikit-learn GaussianNB
//	svm                 svm.go                 Pegasos (Shalev-Shwartz et al.), optional RBF random features
//	random_forest       random_forest.go       Adaptive Random Forest (Gomes et al.), River ARFClassifier defaults
//	                    hoeffding_tree.go, adwin.go: its trees and change detector
//	majority, no_change majority.go, no_change.go  baselines
//
// Class labels are small non-negative integers. The linear learners are
// binary or one-vs-rest as in scikit-learn and start with the classes
// {0, 1}; see linearOVR (linear.go) for how they grow and for the
// "classes" parameter that fixes the class set. Naive Bayes and the forest
// handle any number of classes natively. Negative labels are not learned,
// nor new labels beyond MaxClasses (64).
//
// Inputs: a learner sizes itself from the first sample it learns; samples
// of another length are ignored by LearnOne, and PredictOne still returns
// a label. No learner panics on NaN/Inf-free input. Values so large that
// their squares overflow (|x| > 1e154) can make internal scores
// non-finite; the learners then still return a label they know (a linear
// model whose weights became non-finite restarts from zero).
//
// A learner is not safe for concurrent use, PredictOne included: several
// learners keep scratch buffers (the forest's votes, the RBF features) to
// stay allocation-free. The pipeline drives each learner from one goroutine.
//
// The reference data for the scikit-learn-based learners is produced by
// testdata/gen_reference.py (see its header to rerun it).
//
// Adding a learner: write one file with the type, a []Param built with
// floatParam, intParam, boolParam, choiceParam, floatOrKeyword or
// intOrKeyword (each setting once: name, help, typed default, range or
// choices; the reference for the defaults in the comment above it), and an
// init that calls register with a build function reading the parsed values
// by name (v.float("alpha"), ...). Parsing, defaults, range checks and
// error messages are shared (params.go); the registry-wide tests
// (checks_test.go, TestSpecValidate) then cover the new learner too.
package classifiers

import "sort"

// Classifier is an online (incremental) classifier over dense float64
// feature vectors and small non-negative integer class labels.
//
// The length of x is fixed for the lifetime of a learner (the pipeline's
// feature set does not change mid-run); a learner sizes itself from the
// first sample it sees. Implementations must not retain x.
type Classifier interface {
	// Name is the stable machine name used in reports (e.g. "perceptron").
	Name() string
	// PredictOne returns the predicted class for x. Before any learning it
	// returns 0.
	PredictOne(x []float64) int
	// LearnOne updates the model with one labelled sample.
	LearnOne(x []float64, y int)
	// Reset forgets everything learned, keeping the hyper-parameters.
	Reset()
}

// MaxClasses bounds the number of distinct labels a learner learns, so that
// memory stays bounded whatever labels arrive: samples of a new label beyond
// it are ignored (the baselines, which keep O(1) state per label, excepted).
const MaxClasses = 64

// Spec describes a learner: how to build it and which hyper-parameters
// it takes.
type Spec struct {
	Name     string // machine name, as in reports: "sgd", "perceptron", ...
	Display  string // human name for tabs: "SGD", "Perceptron", ...
	Baseline bool   // true for reference baselines (majority, no_change)
	Params   []Param
	// New builds a learner from parameter values (absent or empty values
	// take the defaults). It returns an error naming the parameter for a
	// value its declaration rejects or a name it does not declare.
	New func(values map[string]string) (Classifier, error)
}

// Defaults returns the Spec's default parameter values.
func (s Spec) Defaults() map[string]string {
	m := make(map[string]string, len(s.Params))
	for _, p := range s.Params {
		m[p.Name] = p.Default
	}
	return m
}

var registry = map[string]Spec{}

// register adds a learner; each learner file registers itself in init with
// its declared parameters and a build function that receives them parsed
// and checked (so no learner parses text itself).
func register(s Spec, build func(paramValues) (Classifier, error)) {
	if _, dup := registry[s.Name]; dup {
		panic("classifiers: duplicate registration of " + s.Name)
	}
	checkDeclarations(s.Name, s.Params)
	s.New = func(values map[string]string) (Classifier, error) {
		v, err := parseParams(s.Name, s.Params, values)
		if err != nil {
			return nil, err
		}
		return build(v)
	}
	registry[s.Name] = s
}

// order fixes the display order of the known learners; unknown names sort
// after them alphabetically.
var order = []string{"sgd", "random_forest", "passive_aggressive", "perceptron", "naive_bayes", "svm", "majority", "no_change"}

// Specs lists all registered learners, learners first, then baselines,
// in the product's display order.
func Specs() []Spec {
	rank := func(name string) int {
		for i, n := range order {
			if n == name {
				return i
			}
		}
		return len(order)
	}
	out := make([]Spec, 0, len(registry))
	for _, s := range registry {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := rank(out[i].Name), rank(out[j].Name)
		if ri != rj {
			return ri < rj
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Lookup returns the Spec registered under name.
func Lookup(name string) (Spec, bool) {
	s, ok := registry[name]
	return s, ok
}
