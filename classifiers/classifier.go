// Package classifiers holds EtherLearn's online learners and baselines.
//
// Every learner learns one sample at a time with bounded memory, and is
// evaluated test-then-train (predict first, then learn) by the pipeline.
// This package imports nothing else of the project.
//
// Learners (one per file, each registering a Spec; defaults are named
// constants next to the type, with the reference they follow):
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
package classifiers

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

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

// Param describes one hyper-parameter of a learner, for the UI and the
// command line. Value holds the current setting as text; Default the
// documented default.
type Param struct {
	Name    string
	Help    string
	Default string
	// Choices, when non-empty, lists the allowed values.
	Choices []string
}

// Spec describes a learner kind: how to build it and which hyper-parameters
// it takes.
type Spec struct {
	Name     string // machine name, as in reports: "sgd", "perceptron", ...
	Display  string // human name for tabs: "SGD", "Perceptron", ...
	Baseline bool   // true for reference baselines (majority, no_change)
	Params   []Param
	// New builds a learner from parameter values (missing keys take the
	// defaults). It returns an error for values it cannot parse.
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

// Register adds a learner kind; each learner file registers itself in init.
func Register(s Spec) {
	if _, dup := registry[s.Name]; dup {
		panic("classifiers: duplicate registration of " + s.Name)
	}
	registry[s.Name] = s
}

// order fixes the display order of the known learners; unknown names sort
// after them alphabetically.
var order = []string{"sgd", "random_forest", "passive_aggressive", "perceptron", "naive_bayes", "svm", "majority", "no_change"}

// Specs lists all registered learner kinds, learners first, then baselines,
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

// New builds the named learner with default parameters.
func New(name string) (Classifier, error) {
	s, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown classifier %q", name)
	}
	return s.New(nil)
}

// param helpers used by the learners' constructors.

func paramFloat(values map[string]string, name string, def float64) (float64, error) {
	v, ok := values[name]
	if !ok || v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("parameter %s: %q is not a number", name, v)
	}
	return f, nil
}

func paramInt(values map[string]string, name string, def int) (int, error) {
	v, ok := values[name]
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("parameter %s: %q is not a whole number", name, v)
	}
	return n, nil
}

func paramBool(values map[string]string, name string, def bool) (bool, error) {
	v, ok := values[name]
	if !ok || v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("parameter %s: %q is not true or false", name, v)
	}
	return b, nil
}

func paramChoice(values map[string]string, p Param) (string, error) {
	v, ok := values[p.Name]
	if !ok || v == "" {
		return p.Default, nil
	}
	for _, c := range p.Choices {
		if c == v {
			return v, nil
		}
	}
	return "", fmt.Errorf("parameter %s: %q is not one of %v", p.Name, v, p.Choices)
}

// paramPositive parses a float that must be > 0 (and finite).
func paramPositive(values map[string]string, name string, def float64) (float64, error) {
	f, err := paramFloat(values, name, def)
	if err != nil {
		return 0, err
	}
	if !(f > 0) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("parameter %s: %v must be a positive number", name, f)
	}
	return f, nil
}

// paramRange parses a float that must lie in [lo, hi].
func paramRange(values map[string]string, name string, def, lo, hi float64) (float64, error) {
	f, err := paramFloat(values, name, def)
	if err != nil {
		return 0, err
	}
	if !(f >= lo && f <= hi) {
		return 0, fmt.Errorf("parameter %s: %v must be between %v and %v", name, f, lo, hi)
	}
	return f, nil
}

// paramIntMin parses a whole number that must be >= lo.
func paramIntMin(values map[string]string, name string, def, lo int) (int, error) {
	n, err := paramInt(values, name, def)
	if err != nil {
		return 0, err
	}
	if n < lo {
		return 0, fmt.Errorf("parameter %s: %d must be at least %d", name, n, lo)
	}
	return n, nil
}

// classesParam is the shared "classes" parameter of the linear learners.
var classesParam = Param{
	Name: "classes",
	Help: "fixed class set, e.g. 0,1,2 (empty: start with {0,1} and grow one-vs-rest on new labels)",
}

// paramClasses parses a comma-separated set of at least two distinct
// non-negative labels; empty means "not fixed" (nil).
func paramClasses(values map[string]string, name string) ([]int, error) {
	v := strings.TrimSpace(values[name])
	if v == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("parameter %s: %q is not a list of non-negative whole numbers", name, v)
		}
		out = append(out, n)
	}
	sort.Ints(out)
	for i := 1; i < len(out); i++ {
		if out[i] == out[i-1] {
			return nil, fmt.Errorf("parameter %s: label %d is listed twice", name, out[i])
		}
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("parameter %s: %q needs at least two classes", name, v)
	}
	return out, nil
}
