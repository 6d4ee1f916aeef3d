package eval

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// scoresReference is testdata/scores_reference.json, written by
// testdata/gen_scores.py with scikit-learn (the version is in the file).
type scoresReference struct {
	Sklearn string `json:"sklearn"`
	Window  int    `json:"window"`
	Cases   []struct {
		Name        string `json:"name"`
		YTrue       []int  `json:"y_true"`
		YPred       []int  `json:"y_pred"`
		YMajority   []int  `json:"y_majority"`
		YNoChange   []int  `json:"y_no_change"`
		Checkpoints []struct {
			N          int            `json:"n"`
			Cumulative referenceScore `json:"cumulative"`
			Window     referenceScore `json:"window"`
		} `json:"checkpoints"`
	} `json:"cases"`
}

type referenceScore struct {
	Scores
	KappaM    float64   `json:"kappa_m"`
	KappaT    float64   `json:"kappa_t"`
	Confusion [][]int64 `json:"confusion"`
}

// TestScoresMatchScikitLearn checks every score of PrequentialScore, on
// every prefix checkpoint of two fixed streams, cumulative and windowed,
// against scikit-learn's metrics (testdata/gen_scores.py: accuracy_score,
// balanced_accuracy_score, precision_recall_fscore_support binary/macro
// with zero_division=0, cohen_kappa_score, confusion_matrix).
func TestScoresMatchScikitLearn(t *testing.T) {
	raw, err := os.ReadFile("testdata/scores_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref scoresReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference from scikit-learn %s", ref.Sklearn)
	const tol = 1e-12
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.17g, scikit-learn %.17g", what, got, want)
		}
	}
	for _, c := range ref.Cases {
		model, maj, nc := NewPrequentialScore(ref.Window), NewPrequentialScore(ref.Window), NewPrequentialScore(ref.Window)
		n := 0
		for _, cp := range c.Checkpoints {
			for ; n < cp.N; n++ {
				model.Add(c.YTrue[n], c.YPred[n])
				maj.Add(c.YTrue[n], c.YMajority[n])
				nc.Add(c.YTrue[n], c.YNoChange[n])
			}
			for _, v := range []struct {
				kind        string
				got         Scores
				conf        [][]int64
				acc, mAcc   float64
				ncAcc       float64
				want        referenceScore
				wantN       int64
				kappaNative float64
			}{
				{"cumulative", model.Scores(), model.Confusion(), model.Accuracy(), maj.Accuracy(), nc.Accuracy(), cp.Cumulative, model.N(), model.Kappa()},
				{"window", model.WindowScores(), model.WindowConfusion(), model.WindowAccuracy(), maj.WindowAccuracy(), nc.WindowAccuracy(), cp.Window, int64(model.winFill), ScoresOf(model.winConf).Kappa},
			} {
				at := c.Name + " " + v.kind + " n=" + strconv.Itoa(cp.N) + ": "
				w := v.want
				if v.got.N != int64(w.N) || v.wantN != int64(w.N) {
					t.Errorf("%sn = %d/%d, want %d", at, v.got.N, v.wantN, w.N)
				}
				if v.got.Averaging != w.Averaging {
					t.Errorf("%saveraging %q, want %q", at, v.got.Averaging, w.Averaging)
				}
				near(at+"accuracy", v.got.Accuracy, w.Accuracy)
				near(at+"accuracy (running)", v.acc, w.Accuracy)
				near(at+"balanced_accuracy", v.got.BalancedAccuracy, w.BalancedAccuracy)
				near(at+"precision", v.got.Precision, w.Precision)
				near(at+"recall", v.got.Recall, w.Recall)
				near(at+"f1", v.got.F1, w.F1)
				near(at+"kappa", v.got.Kappa, w.Kappa)
				near(at+"kappa (method)", v.kappaNative, w.Kappa)
				near(at+"kappa_m", KappaAgainst(v.acc, v.mAcc), w.KappaM)
				near(at+"kappa_t", KappaAgainst(v.acc, v.ncAcc), w.KappaT)
				if !slices.EqualFunc(v.conf, w.Confusion, slices.Equal) {
					t.Errorf("%sconfusion %v, want %v", at, v.conf, w.Confusion)
				}
			}
		}
	}
}

// Labels outside 0..MaxLabel are counted in accuracy but not in the
// matrices, and leave the window's books even when they slide out.
func TestScoreOutOfRangeLabels(t *testing.T) {
	s := NewPrequentialScore(2)
	s.Add(MaxLabel+1, MaxLabel+1) // hit, not scorable
	s.Add(-1, 0)                  // miss
	if s.Accuracy() != 0.5 || s.WindowAccuracy() != 0.5 || len(s.Confusion()) != 0 {
		t.Fatalf("acc %v window %v confusion %v", s.Accuracy(), s.WindowAccuracy(), s.Confusion())
	}
	s.Add(1, 1)
	s.Add(1, 0)
	if s.WindowAccuracy() != 0.5 || s.WindowScores().N != 2 {
		t.Errorf("window acc %v n %d after sliding", s.WindowAccuracy(), s.WindowScores().N)
	}
}

// Once the matrices have their size, scoring allocates nothing.
func TestScoreAddAllocatesNothing(t *testing.T) {
	s := NewPrequentialScore(100)
	s.Add(3, 3)
	i := 0
	if n, check := testkit.AllocsPerRun(t, 1000, func() { s.Add(i%4, (i/3)%4); i++ }); check && n != 0 {
		t.Errorf("%v allocations per Add", n)
	}
}
