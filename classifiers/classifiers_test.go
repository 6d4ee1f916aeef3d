package classifiers

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

func TestRegistry(t *testing.T) {
	var names []string
	for _, s := range Specs() {
		names = append(names, s.Name)
		if s.Baseline != (s.Name == "majority" || s.Name == "no_change") {
			t.Errorf("%s: Baseline = %v", s.Name, s.Baseline)
		}
		for _, p := range s.Params {
			if p.Help == "" {
				t.Errorf("%s.%s has no help", s.Name, p.Name)
			}
			if len(p.Choices) > 0 && !slices.Contains(p.Choices, p.Default) {
				t.Errorf("%s.%s: default %q not among %v", s.Name, p.Name, p.Default, p.Choices)
			}
		}
		c, err := s.New(s.Defaults())
		if err != nil {
			t.Errorf("%s: defaults rejected: %v", s.Name, err)
			continue
		}
		if c.Name() != s.Name {
			t.Errorf("spec %s builds a learner named %s", s.Name, c.Name())
		}
		if l, ok := Lookup(s.Name); !ok || l.Name != s.Name {
			t.Errorf("Lookup(%s) = %v, %v", s.Name, l.Name, ok)
		}
	}
	want := []string{"sgd", "random_forest", "passive_aggressive", "perceptron", "naive_bayes", "svm", "majority", "no_change"}
	if !slices.Equal(names, want) {
		t.Errorf("registered %v, want %v", names, want)
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup of an unknown name succeeded")
	}
}

// badParams: values each learner must reject, with the parameter's name
// in the error.
var badParams = []struct {
	learner, param, value string
}{
	{"sgd", "alpha", "-1"}, {"sgd", "alpha", "0"}, {"sgd", "alpha", "x"}, {"sgd", "l1_ratio", "1.5"},
	{"sgd", "loss", "squared_error"}, {"sgd", "eta0", "0"}, {"sgd", "average", "maybe"},
	{"sgd", "classes", "1"}, {"sgd", "classes", "0,0"}, {"sgd", "classes", "0,-1"}, {"sgd", "classes", "a,b"},
	{"passive_aggressive", "C", "0"}, {"passive_aggressive", "C", "NaN"}, {"passive_aggressive", "loss", "log_loss"},
	{"perceptron", "eta0", "-0.5"}, {"perceptron", "eta0", "Inf"},
	{"naive_bayes", "var_smoothing", "0"}, {"naive_bayes", "var_smoothing", "-1e-9"},
	{"svm", "lambda", "0"}, {"svm", "kernel", "poly"}, {"svm", "gamma", "-2"}, {"svm", "gamma", "wide"},
	{"svm", "components", "0"}, {"svm", "components", "1e9"}, {"svm", "seed", "-1"}, {"svm", "bias", "Inf"},
	{"random_forest", "n_models", "0"}, {"random_forest", "n_models", "1000"}, {"random_forest", "max_features", "0"},
	{"random_forest", "max_features", "all"}, {"random_forest", "lambda", "-6"}, {"random_forest", "grace_period", "0"},
	{"random_forest", "delta", "1"}, {"random_forest", "drift_delta", "0"}, {"random_forest", "warning_delta", "2"},
	{"random_forest", "tau", "-0.1"}, {"random_forest", "max_nodes", "1"}, {"random_forest", "seed", "x"},
}

func TestSpecNewRejectsBadValues(t *testing.T) {
	for _, c := range badParams {
		s, ok := Lookup(c.learner)
		if !ok {
			t.Fatalf("no learner %s", c.learner)
		}
		_, err := s.New(map[string]string{c.param: c.value})
		if err == nil {
			t.Errorf("%s: %s=%q accepted", c.learner, c.param, c.value)
			continue
		}
		if !strings.Contains(err.Error(), c.param) {
			t.Errorf("%s: %s=%q: error %q does not name the parameter", c.learner, c.param, c.value, err)
		}
	}
	// every declared parameter rejects plain nonsense
	for _, s := range Specs() {
		for _, p := range s.Params {
			if _, err := s.New(map[string]string{p.Name: "bogus?"}); err == nil {
				t.Errorf("%s: %s=bogus? accepted", s.Name, p.Name)
			}
		}
	}
}

// TestSpecValidate: Validate and New agree, the error names the learner
// and the parameter, a name the learner does not declare is an error, and
// good values (every choice, every keyword, the ends of closed ranges)
// build.
func TestSpecValidate(t *testing.T) {
	for _, c := range badParams {
		s, _ := Lookup(c.learner)
		err := s.Validate(map[string]string{c.param: c.value})
		if err == nil || !strings.Contains(err.Error(), c.learner+": parameter "+c.param+":") {
			t.Errorf("%s: Validate(%s=%q) = %v, want an error naming %s and %s", c.learner, c.param, c.value, err, c.learner, c.param)
		}
	}
	for _, s := range Specs() {
		if err := s.Validate(map[string]string{"no_such_setting": "1"}); err == nil || !strings.Contains(err.Error(), "no_such_setting") {
			t.Errorf("%s: an undeclared parameter gives %v", s.Name, err)
		}
		if err := s.Validate(nil); err != nil {
			t.Errorf("%s: defaults: %v", s.Name, err)
		}
		for _, p := range s.Params {
			good := append(slices.Clone(p.Choices), p.Keywords...)
			if p.Type == ParamFloat || p.Type == ParamInt {
				if !math.IsInf(p.Min, -1) && !p.MinExclusive {
					good = append(good, formatFloat(p.Min))
				}
				if !math.IsInf(p.Max, 1) && !p.MaxExclusive {
					good = append(good, formatFloat(p.Max))
				}
			}
			if p.Type == ParamLabels {
				good = append(good, "0,1", "3, 1, 2")
			}
			for _, v := range good {
				values := map[string]string{p.Name: v}
				if err := s.Validate(values); err != nil {
					t.Errorf("%s: %s=%q rejected: %v", s.Name, p.Name, v, err)
				}
				if _, err := s.New(values); err != nil {
					t.Errorf("%s: New with %s=%q: %v", s.Name, p.Name, v, err)
				}
			}
		}
	}
}

// TestParamDeclarations: each parameter has a type, and the default text
// is the one its declaration reads back (so it is written once).
func TestParamDeclarations(t *testing.T) {
	for _, s := range Specs() {
		for _, p := range s.Params {
			if p.Type == 0 {
				t.Errorf("%s.%s has no type", s.Name, p.Name)
			}
			if _, err := p.parse(p.Default); err != nil {
				t.Errorf("%s.%s: default %q: %v", s.Name, p.Name, p.Default, err)
			}
		}
	}
	for _, c := range []struct {
		f    float64
		want string
	}{{1e-4, "0.0001"}, {1e-9, "1e-9"}, {1, "1"}, {0.15, "0.15"}, {1e21, "1e21"}, {-2.5e-300, "-2.5e-300"}} {
		if got := formatFloat(c.f); got != c.want {
			t.Errorf("formatFloat(%v) = %q, want %q", c.f, got, c.want)
		}
	}
}

// learnableStream: d features ~ N(0,1), 3 classes by a linear rule with a
// 5% label noise; the majority class is about 45%.
func learnableStream(n, d int, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 3))
	xs, ys := make([][]float64, n), make([]int, n)
	for i := range xs {
		x := make([]float64, d)
		for j := range x {
			x[j] = rng.NormFloat64()
		}
		s := x[0] + 0.5*x[1]
		y := 1
		switch {
		case s < -0.7:
			y = 0
		case s > 0.7:
			y = 2
		}
		if rng.Float64() < 0.05 {
			y = rng.IntN(3)
		}
		xs[i], ys[i] = x, y
	}
	return xs, ys
}

func TestEveryLearnerBeatsMajority(t *testing.T) {
	for _, labels := range []string{"binary", "3-class"} {
		xs, ys := learnableStream(4000, 4, 9)
		if labels == "binary" {
			for i := range ys {
				ys[i] = min(ys[i], 1)
			}
		}
		maj := prequential(newDefault[*Majority]("majority"), xs, ys, 2000)
		for _, s := range Specs() {
			if s.Baseline {
				continue
			}
			c, _ := s.New(nil)
			acc := prequential(c, xs, ys, 2000)
			t.Logf("%s %-18s accuracy %.3f (majority %.3f)", labels, s.Name, acc, maj)
			if acc < maj+0.1 {
				t.Errorf("%s on the %s stream: accuracy %.3f does not beat majority %.3f by 0.1", s.Name, labels, acc, maj)
			}
		}
	}
}

// oddInputs is the case table of awkward but NaN/Inf-free inputs every
// learner must take without panicking; it also seeds FuzzLearners.
var oddInputs = []struct {
	x []float64
	y int
}{
	{[]float64{0, 0, 0}, 0},
	{[]float64{0, 0, 0}, 1},
	{[]float64{1e150, -1e150, 1e-300}, 1},
	{[]float64{5, 5, 5}, 7},
	{[]float64{5, 5, 5}, 7},
	{[]float64{-3, 2, 1e6}, 3},
	{[]float64{1, 2}, 1},       // wrong length: ignored
	{[]float64{}, 2},           // empty: ignored
	{[]float64{1, 2, 3, 4}, 0}, // wrong length: ignored
	{[]float64{1, 2, 3}, -1},   // negative label: ignored
	{[]float64{1e300, 1e300, 1e300}, 0},
	{[]float64{math.SmallestNonzeroFloat64, 0, -0}, 2},
}

func TestOddInputsNeverPanic(t *testing.T) {
	for _, s := range Specs() {
		c, _ := s.New(nil)
		seen := map[int]bool{0: true}
		for round := range 3 {
			for i, in := range oddInputs {
				p := c.PredictOne(in.x)
				if !seen[p] && p != 0 && p != 1 {
					t.Errorf("%s round %d case %d: predicted %d, never a learned label", s.Name, round, i, p)
				}
				c.LearnOne(in.x, in.y)
				if in.y >= 0 {
					seen[in.y] = true
				}
			}
		}
	}
}

func FuzzLearners(f *testing.F) {
	for _, in := range oddInputs {
		if len(in.x) == 3 && in.y >= 0 {
			f.Add(in.x[0], in.x[1], in.x[2], uint8(in.y))
		}
	}
	learners := make([]Classifier, 0)
	for _, s := range Specs() {
		c, _ := s.New(nil)
		learners = append(learners, c)
	}
	f.Fuzz(func(t *testing.T, a, b, c float64, y uint8) {
		x := []float64{a, b, c}
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return
			}
		}
		for _, l := range learners {
			l.PredictOne(x)
			l.LearnOne(x, int(y%8))
		}
	})
}

// TestResetForgets: after Reset a learner behaves exactly as a fresh one.
func TestResetForgets(t *testing.T) {
	xs, ys := learnableStream(600, 4, 4)
	other, otherY := learnableStream(300, 4, 5)
	for _, s := range Specs() {
		fresh, _ := s.New(nil)
		used, _ := s.New(nil)
		for i := range other {
			used.LearnOne(other[i], otherY[i]+3)
		}
		used.Reset()
		for i := range xs {
			if a, b := fresh.PredictOne(xs[i]), used.PredictOne(xs[i]); a != b {
				t.Errorf("%s: after Reset sample %d predicted %d, a fresh learner %d", s.Name, i, b, a)
				break
			}
			fresh.LearnOne(xs[i], ys[i])
			used.LearnOne(xs[i], ys[i])
		}
	}
}

// TestClassPolicy: linear learners start with {0,1}, grow one-vs-rest on a
// new label, and with a fixed class set ignore labels outside it.
func TestClassPolicy(t *testing.T) {
	s := newDefault[*SGD]("sgd")
	if len(s.ovr.models) != 0 || !slices.Equal(s.ovr.classes, []int{0, 1}) {
		t.Fatalf("fresh SGD classes %v", s.ovr.classes)
	}
	s.LearnOne([]float64{1, 0}, 1)
	w, _ := s.Coef()
	s.LearnOne([]float64{0, 1}, 4)
	if !slices.Equal(s.ovr.classes, []int{0, 1, 4}) || len(s.ovr.models) != 3 {
		t.Fatalf("after label 4: classes %v, %d models", s.ovr.classes, len(s.ovr.models))
	}
	// (the binary model became class 1's; class 0's is its negation; both
	// then took one more step, so only check signs on the first feature)
	w3, _ := s.Coef()
	if !(w[0][0] > 0 && w3[1][0] > 0 && w3[0][0] < 0) {
		t.Errorf("binary model not carried over: before %v after %v", w, w3)
	}
	fx, err := Lookup("perceptron")
	if !err {
		t.Fatal("no perceptron")
	}
	p, _ := fx.New(map[string]string{"classes": "0,2"})
	p.LearnOne([]float64{1}, 1) // not in the set: ignored
	if pp := p.(*Perceptron); pp.ovr.t != 1 || !slices.Equal(pp.ovr.classes, []int{0, 2}) {
		t.Errorf("fixed class set learned an outside label: t=%v classes %v", pp.ovr.t, pp.ovr.classes)
	}
	p.LearnOne([]float64{1}, 2)
	if got := p.PredictOne([]float64{1}); got != 2 {
		t.Errorf("fixed {0,2} perceptron predicted %d, want 2", got)
	}
}

// TestZeroAllocs: predict+learn of the linear learners and naive Bayes
// allocate nothing once the model is sized (the benchmarks report the
// same; this makes it a failing test rather than a number).
func TestZeroAllocs(t *testing.T) {
	for _, name := range []string{"sgd", "passive_aggressive", "perceptron", "naive_bayes", "svm", "svm_rbf", "sgd_avg_elasticnet"} {
		c := benchLearner(t, name)
		xs, ys := learnableStream(256, 16, 1)
		for i := range xs {
			c.LearnOne(xs[i], ys[i])
		}
		i := 0
		allocs, check := testkit.AllocsPerRun(t, 200, func() {
			x := xs[i%len(xs)]
			c.PredictOne(x)
			c.LearnOne(x, ys[i%len(xs)])
			i++
		})
		if check && allocs != 0 {
			t.Errorf("%s: %v allocations per sample", name, allocs)
		}
	}
}

// TestMaxClasses: no learner keeps more than MaxClasses labels.
func TestMaxClasses(t *testing.T) {
	x := []float64{1, 2}
	s, p, nb := newDefault[*SGD]("sgd"), newDefault[*PassiveAggressive]("passive_aggressive"), newDefault[*NaiveBayes]("naive_bayes")
	for y := range MaxClasses + 20 {
		for _, c := range []Classifier{s, p, nb} {
			c.LearnOne(x, 3*y)
		}
	}
	if len(s.ovr.classes) != MaxClasses || len(p.ovr.models) != MaxClasses || len(nb.classes) != MaxClasses {
		t.Errorf("classes kept: sgd %d, pa models %d, nb %d; limit %d", len(s.ovr.classes), len(p.ovr.models), len(nb.classes), MaxClasses)
	}
}

// newDefault builds the named learner with its declared defaults, as the
// concrete type T (for tests that look inside).
func newDefault[T Classifier](name string) T {
	s, ok := Lookup(name)
	if !ok {
		panic("no learner " + name)
	}
	c, err := s.New(nil)
	if err != nil {
		panic(err)
	}
	return c.(T)
}

// newWith builds the named learner with the given parameter values.
func newWith[T Classifier](t testing.TB, name string, values map[string]string) T {
	t.Helper()
	s, ok := Lookup(name)
	if !ok {
		t.Fatalf("no learner %s", name)
	}
	c, err := s.New(values)
	if err != nil {
		t.Fatal(err)
	}
	return c.(T)
}
