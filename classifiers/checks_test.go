package classifiers

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// The generic checks River runs on every estimator (river/checks), run
// here on every registered learner, present and future, in every
// configuration a choice or keyword parameter selects:
//   - PredictOne and LearnOne leave x unchanged;
//   - the same parameters (seed included) give the same predictions;
//   - every parameter is documented: help, a default the declaration
//     accepts, and a range or a list of choices where it has one.

// checkConfigs lists the parameter sets the checks run: the defaults, then
// each other choice or keyword of each parameter on its own.
func checkConfigs(s Spec) []map[string]string {
	configs := []map[string]string{nil}
	for _, p := range s.Params {
		for _, v := range append(slices.Clone(p.Choices), p.Keywords...) {
			if v != p.Default {
				configs = append(configs, map[string]string{p.Name: v})
			}
		}
		if p.Name == "seed" {
			configs = append(configs, map[string]string{p.Name: "7"})
		}
	}
	return configs
}

// checkStream: 4 classes, 5 features, a few samples of another length
// (which learners ignore) and values of every sign and scale.
func checkStream() ([][]float64, []int) {
	xs, ys := learnableStream(400, 5, 9)
	for i := range ys {
		if i%7 == 0 {
			ys[i] = 3
		}
	}
	xs = append(xs, []float64{1, 2}, []float64{-1e6, 0, 1e-300, 3, 4}, []float64{0, 0, 0, 0, 0, 0, 0})
	ys = append(ys, 1, 2, 0)
	return xs, ys
}

func TestEveryLearnerLeavesXUnchanged(t *testing.T) {
	xs, ys := checkStream()
	for _, s := range Specs() {
		for _, cfg := range checkConfigs(s) {
			c, err := s.New(cfg)
			if err != nil {
				t.Fatalf("%s %v: %v", s.Name, cfg, err)
			}
			for i, x := range xs {
				before := slices.Clone(x)
				c.PredictOne(x)
				if !sameBits(x, before) {
					t.Errorf("%s %v: PredictOne changed sample %d from %v to %v", s.Name, cfg, i, before, x)
					break
				}
				c.LearnOne(x, ys[i])
				if !sameBits(x, before) {
					t.Errorf("%s %v: LearnOne changed sample %d from %v to %v", s.Name, cfg, i, before, x)
					break
				}
			}
		}
	}
}

func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

func TestEveryLearnerRepeatsWithTheSameParameters(t *testing.T) {
	xs, ys := checkStream()
	for _, s := range Specs() {
		for _, cfg := range checkConfigs(s) {
			a, _ := s.New(cfg)
			b, _ := s.New(cfg)
			for i, x := range xs {
				if pa, pb := a.PredictOne(x), b.PredictOne(x); pa != pb {
					t.Errorf("%s %v: two learners with the same parameters predict %d and %d at sample %d", s.Name, cfg, pa, pb, i)
					break
				}
				a.LearnOne(x, ys[i])
				b.LearnOne(x, ys[i])
			}
		}
	}
}

func TestEveryParameterDocumented(t *testing.T) {
	for _, s := range Specs() {
		if s.Display == "" {
			t.Errorf("%s has no display name", s.Name)
		}
		for _, p := range s.Params {
			where := fmt.Sprintf("%s.%s", s.Name, p.Name)
			if len(p.Help) < 10 {
				t.Errorf("%s: help %q says too little", where, p.Help)
			}
			if p.Default == "" && p.Type != ParamLabels {
				t.Errorf("%s: no default", where)
			}
			switch p.Type {
			case ParamFloat, ParamInt:
				if math.IsInf(p.Min, -1) && math.IsInf(p.Max, 1) && p.Name != "bias" {
					t.Errorf("%s: a number without a range (declare one, or list it here as unbounded on purpose)", where)
				}
			case ParamChoice, ParamBool:
				if len(p.Choices) < 2 || !slices.Contains(p.Choices, p.Default) {
					t.Errorf("%s: choices %v, default %q", where, p.Choices, p.Default)
				}
			}
		}
	}
}
