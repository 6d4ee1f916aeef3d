package classifiers

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The reference data in testdata/reference.json is produced by
// testdata/gen_reference.py with Debian's python3-sklearn (scikit-learn
// 1.2.1, numpy 1.24.2); the file records the versions in "generator".

type refStream struct {
	X       [][]float64 `json:"X"`
	Y       []int       `json:"y"`
	Classes []int       `json:"classes"`
}

type refCheckpoint struct {
	N          int         `json:"n"`
	Coef       [][]float64 `json:"coef"`
	Intercept  []float64   `json:"intercept"`
	Theta      [][]float64 `json:"theta"`
	Var        [][]float64 `json:"var"`
	ClassCount []float64   `json:"class_count"`
	Epsilon    float64     `json:"epsilon"`
}

type refCase struct {
	Stream      string            `json:"stream"`
	Learner     string            `json:"learner"`
	Params      map[string]string `json:"params"`
	Pred        []int             `json:"pred"`
	Checkpoints []refCheckpoint   `json:"checkpoints"`
}

type refFile struct {
	Generator string               `json:"generator"`
	Streams   map[string]refStream `json:"streams"`
	Cases     []refCase            `json:"cases"`
}

var (
	refOnce sync.Once
	refData refFile
	refErr  error
)

func loadReference(t *testing.T) *refFile {
	t.Helper()
	refOnce.Do(func() {
		b, err := os.ReadFile("testdata/reference.json")
		if err != nil {
			refErr = err
			return
		}
		refErr = json.Unmarshal(b, &refData)
	})
	if refErr != nil {
		t.Fatalf("reference data: %v (regenerate with testdata/gen_reference.py)", refErr)
	}
	if !strings.HasPrefix(refData.Generator, "scikit-learn 1.2.1") {
		t.Logf("reference produced by %s (tests were written against scikit-learn 1.2.1)", refData.Generator)
	}
	return &refData
}

func caseName(c refCase) string {
	keys := make([]string, 0, len(c.Params))
	for k := range c.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(c.Stream + "/" + c.Learner)
	for _, k := range keys {
		fmt.Fprintf(&b, ",%s=%s", k, c.Params[k])
	}
	return b.String()
}

// close reports whether got matches want within 1e-9, relative for large
// magnitudes.
func closeTo(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*max(1, math.Abs(want))
}

type coefer interface {
	Coef() ([][]float64, []float64)
}

// TestLinearMatchesScikitLearn replays each reference stream through the
// Go learner with the same parameters and fixed class set, and checks the
// test-then-train prediction of every sample and coef_/intercept_ at the
// checkpoints against scikit-learn's partial_fit on the same prefix.
func TestLinearMatchesScikitLearn(t *testing.T) {
	ref := loadReference(t)
	n := 0
	for _, c := range ref.Cases {
		if c.Learner == "naive_bayes" {
			continue
		}
		n++
		t.Run(caseName(c), func(t *testing.T) {
			s := ref.Streams[c.Stream]
			spec, ok := Lookup(c.Learner)
			if !ok {
				t.Fatalf("no learner %q", c.Learner)
			}
			params := map[string]string{}
			for k, v := range c.Params {
				params[k] = v
			}
			if len(s.Classes) > 2 {
				params["classes"] = strings.Trim(strings.Join(strings.Fields(fmt.Sprint(s.Classes)), ","), "[]")
			} // binary: the default class policy ({0,1} from the start) must match partial_fit(classes=[0,1])
			clf, err := spec.New(params)
			if err != nil {
				t.Fatal(err)
			}
			cp := 0
			mismatches := 0
			for i, x := range s.X {
				if got := clf.PredictOne(x); got != c.Pred[i] {
					mismatches++
					if mismatches <= 3 {
						t.Errorf("sample %d: predicted %d, scikit-learn %d", i, got, c.Pred[i])
					}
				}
				clf.LearnOne(x, s.Y[i])
				if cp < len(c.Checkpoints) && c.Checkpoints[cp].N == i+1 {
					want := c.Checkpoints[cp]
					cp++
					ws, bs := clf.(coefer).Coef()
					if len(ws) != len(want.Coef) {
						t.Fatalf("n=%d: %d models, scikit-learn %d", want.N, len(ws), len(want.Coef))
					}
					for k := range ws {
						for j := range ws[k] {
							if !closeTo(ws[k][j], want.Coef[k][j]) {
								t.Errorf("n=%d coef[%d][%d] = %.17g, scikit-learn %.17g", want.N, k, j, ws[k][j], want.Coef[k][j])
							}
						}
						if !closeTo(bs[k], want.Intercept[k]) {
							t.Errorf("n=%d intercept[%d] = %.17g, scikit-learn %.17g", want.N, k, bs[k], want.Intercept[k])
						}
					}
				}
			}
			if cp != len(c.Checkpoints) {
				t.Errorf("checked %d of %d checkpoints", cp, len(c.Checkpoints))
			}
			if mismatches > 0 {
				t.Errorf("%d prediction mismatches", mismatches)
			}
		})
	}
	if n < 46 {
		t.Errorf("only %d linear reference cases, want 46 (20 SGD + 2 PA + perceptron, two streams)", n)
	}
}
