package app

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/eval"
	"github.com/etherlearn/etherlearn/sim"
)

// traceRow is one labelled row of a --trace CSV.
type traceRow struct {
	frame uint64
	label int
	preds map[string]int
}

func readTrace(t *testing.T, path string) []traceRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	labelCol := slices.Index(head, "label")
	var rows []traceRow
	for _, rec := range recs[1:] {
		if rec[labelCol] == "" {
			continue
		}
		r := traceRow{preds: map[string]int{}}
		r.frame, _ = strconv.ParseUint(rec[0], 10, 64)
		r.label, _ = strconv.Atoi(rec[labelCol])
		for i, h := range head {
			if name, ok := strings.CutPrefix(h, "pred_"); ok {
				r.preds[name], _ = strconv.Atoi(rec[i])
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// traceScores recomputes, from (truth, prediction) pairs only, what the
// report claims: scikit-learn's definitions written out again here, not
// eval's code.
type traceScores struct {
	n, correct                 int
	conf                       [][]int64
	acc, bal, prec, rec, f1, k float64
	averaging                  string
}

func scoreRows(rows []traceRow, name string, k int) traceScores {
	s := traceScores{conf: make([][]int64, k), averaging: "binary"}
	for i := range s.conf {
		s.conf[i] = make([]int64, k)
	}
	for _, r := range rows {
		s.n++
		if r.preds[name] == r.label {
			s.correct++
		}
		s.conf[r.label][r.preds[name]]++
	}
	if s.n == 0 {
		return s
	}
	s.acc = float64(s.correct) / float64(s.n)
	var recSum, precSum, f1Sum, pe float64
	var truthLabels, seenLabels int
	for c := 0; c < k; c++ {
		var row, col int64
		for j := 0; j < k; j++ {
			row += s.conf[c][j]
			col += s.conf[j][c]
		}
		var p, r, f float64
		if col > 0 {
			p = float64(s.conf[c][c]) / float64(col)
		}
		if row > 0 {
			r = float64(s.conf[c][c]) / float64(row)
			recSum += r
			truthLabels++
		}
		if p+r > 0 {
			f = 2 * p * r / (p + r)
		}
		if row > 0 || col > 0 {
			precSum += p
			f1Sum += f
			seenLabels++
		}
		if k <= 2 && c == 1 {
			s.prec, s.rec, s.f1 = p, r, f
		}
		pe += (float64(row) / float64(s.n)) * (float64(col) / float64(s.n))
	}
	s.bal = recSum / float64(truthLabels)
	if k > 2 {
		s.averaging = "macro"
		s.prec, s.rec, s.f1 = precSum/float64(seenLabels), recSum/float64(seenLabels), f1Sum/float64(seenLabels)
	}
	if pe < 1 {
		s.k = (s.acc - pe) / (1 - pe)
	}
	return s
}

func kappaVs(acc, base float64) float64 {
	if base >= 1 {
		return 0
	}
	return (acc - base) / (1 - base)
}

// TestScoresAgreeWithTrace: every score in the JSON report is recomputed
// from the predictions --trace wrote, and must agree exactly: plain
// test-then-train, multiclass (macro averages), and label delay with a
// freeze (scores after the freeze, and before it).
func TestScoresAgreeWithTrace(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"binary", nil},
		{"multiclass", []string{"--multiclass"}},
		{"delay-freeze", []string{"--label-delay", "300", "--freeze-after", "15000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trace := filepath.Join(t.TempDir(), "trace.csv")
			args := append([]string{"--sim", "default", "--seed", "3", "--count", "40000", "--trace", trace}, tc.args...)
			rep := runJSON(t, args...)
			rows := readTrace(t, trace)
			// the episode kind of every frame, as the simulator tags it
			// (the scenario is deterministic per seed)
			g, err := sim.NewGenerator(sim.Config{Scenario: "default", Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			kinds := make([]string, rep.Frames+1)
			for i := 1; i < len(kinds); i++ {
				kinds[i] = g.Next().Episode
			}
			if len(rows) != int(rep.Labelled) {
				t.Fatalf("%d labelled trace rows, report says %d", len(rows), rep.Labelled)
			}
			k := 0
			for _, r := range rows {
				k = max(k, r.label+1)
				for _, p := range r.preds {
					k = max(k, p+1)
				}
			}
			before, after := rows, rows[:0:0]
			if f := rep.Evaluation.FrozenAtFrame; f > 0 {
				i := slices.IndexFunc(rows, func(r traceRow) bool { return r.frame > f })
				before, after = rows[:i], rows[i:]
			} else if len(tc.args) > 2 {
				t.Fatal("never frozen")
			}
			scored := before
			if len(after) > 0 {
				scored = after
			}
			window := scored[max(0, len(scored)-eval.DefaultWindow):]
			maj, nc := scoreRows(scored, "majority", k), scoreRows(scored, "no_change", k)
			wmaj, wnc := scoreRows(window, "majority", k), scoreRows(window, "no_change", k)
			for _, c := range rep.Classifiers {
				s, w := scoreRows(scored, c.Name, k), scoreRows(window, c.Name, k)
				for _, v := range []struct {
					what      string
					got, want float64
				}{
					{"accuracy", c.Accuracy, s.acc}, {"balanced_accuracy", c.BalancedAccuracy, s.bal},
					{"precision", c.Precision, s.prec}, {"recall", c.Recall, s.rec}, {"f1", c.F1, s.f1},
					{"kappa", c.Kappa, s.k}, {"kappa_m", c.KappaM, kappaVs(s.acc, maj.acc)}, {"kappa_t", c.KappaT, kappaVs(s.acc, nc.acc)},
					{"window_accuracy", c.WindowAccuracy, w.acc}, {"window_balanced_accuracy", c.WindowBalancedAccuracy, w.bal},
					{"window_precision", c.WindowPrecision, w.prec}, {"window_recall", c.WindowRecall, w.rec}, {"window_f1", c.WindowF1, w.f1},
					{"window_kappa", c.WindowKappa, w.k}, {"window_kappa_m", c.WindowKappaM, kappaVs(w.acc, wmaj.acc)},
					{"window_kappa_t", c.WindowKappaT, kappaVs(w.acc, wnc.acc)},
				} {
					if v.got != v.want {
						t.Errorf("%s %s: report %.17g, trace %.17g", c.Name, v.what, v.got, v.want)
					}
				}
				if c.Averaging != s.averaging || c.Scored != int64(s.n) {
					t.Errorf("%s: averaging %q scored %d, trace %q %d", c.Name, c.Averaging, c.Scored, s.averaging, s.n)
				}
				if !slices.EqualFunc(c.Confusion, s.conf, slices.Equal) || !slices.EqualFunc(c.WindowConfusion, w.conf, slices.Equal) {
					t.Errorf("%s: confusion %v / window %v, trace %v / %v", c.Name, c.Confusion, c.WindowConfusion, s.conf, w.conf)
				}
				if c.NsPerFrame <= 0 {
					t.Errorf("%s: ns_per_frame %v", c.Name, c.NsPerFrame)
				}
				if len(after) > 0 {
					b := scoreRows(before, c.Name, k)
					if c.BeforeFreeze == nil || c.BeforeFreeze.Accuracy != b.acc || c.BeforeFreeze.Recall != b.rec || c.BeforeFreeze.N != int64(b.n) {
						t.Errorf("%s: before_freeze %+v, trace acc %v recall %v n %d", c.Name, c.BeforeFreeze, b.acc, b.rec, b.n)
					}
					if c.Frozen == c.Baseline {
						t.Errorf("%s: frozen %v", c.Name, c.Frozen)
					}
				}
				checkDetection(t, c, rows, kinds, rep.Evaluation.EpisodeGap)
			}
		})
	}
}

// checkDetection recomputes the detection record from the trace's label
// runs: an episode starts at an attack frame (a new one when the label or
// the simulator's episode kind, kinds[frame], changes) and ends after gap
// consecutive normal frames.
func checkDetection(t *testing.T, c ClassifierReport, rows []traceRow, kinds []string, gap int) {
	t.Helper()
	type ep struct {
		start, alarm       uint64
		label, first, hits int
		kind               string
		detected, finished bool
	}
	var eps []*ep
	var cur *ep
	normal := 0
	for _, r := range rows {
		if r.label == 0 {
			if cur != nil {
				normal++
				if normal >= gap {
					cur.finished, cur = true, nil
				}
			}
			continue
		}
		if cur != nil && (cur.label != r.label || cur.kind != kinds[r.frame]) {
			cur.finished, cur = true, nil
		}
		if cur == nil {
			cur = &ep{start: r.frame, label: r.label, kind: kinds[r.frame]}
			eps = append(eps, cur)
		}
		normal = 0
		hit := r.preds[c.Name] == r.label
		if cur.first < eval.RecallFrames {
			cur.first++
			if hit {
				cur.hits++
			}
		}
		if hit && !cur.detected {
			cur.detected, cur.alarm = true, r.frame
		}
	}
	var detected, missed int64
	var sumDelay float64
	for _, e := range eps {
		if e.detected {
			detected++
			sumDelay += float64(e.alarm - e.start)
		} else if e.finished {
			missed++
		}
	}
	d := c.Detection
	if d.Episodes != int64(len(eps)) || d.Detected != detected || d.Missed != missed {
		t.Errorf("%s detection: episodes %d detected %d missed %d, trace %d %d %d", c.Name, d.Episodes, d.Detected, d.Missed, len(eps), detected, missed)
		return
	}
	if detected > 0 && d.MeanDelayFrames != sumDelay/float64(detected) {
		t.Errorf("%s mean delay %v, trace %v", c.Name, d.MeanDelayFrames, sumDelay/float64(detected))
	}
	last := d.Recent[len(d.Recent)-1]
	e := eps[len(eps)-1]
	if last.StartFrame != e.start || last.RecallFirst != float64(e.hits)/float64(e.first) {
		t.Errorf("%s last episode %+v, trace start %d recall %d/%d", c.Name, last, e.start, e.hits, e.first)
	}
}

// run --metrics writes the history under a temporary name, renames it when
// done, and its last rows are the final report's scores; an existing file
// is never replaced.
func TestRunMetricsHistory(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "metrics.csv")
	rep := runJSON(t, "--sim", "default", "--count", "5500", "--metrics", path, "--metrics-every", "1000")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("no column %q in %v", name, head)
		}
		return i
	}
	nl := len(rep.Classifiers)
	// rows at 1000, ..., 5000 and at the end (5500)
	if got := len(recs) - 1; got != 6*nl {
		t.Fatalf("%d rows, want %d", got, 6*nl)
	}
	last := recs[len(recs)-nl:]
	for i, c := range rep.Classifiers {
		r := last[i]
		if r[col("learner")] != c.Name || r[col("frame")] != "5500" {
			t.Fatalf("last row %v", r)
		}
		for name, want := range map[string]float64{"accuracy": c.Accuracy, "recall": c.Recall, "f1": c.F1,
			"kappa_t": c.KappaT, "window_balanced_accuracy": c.WindowBalancedAccuracy, "window_kappa_m": c.WindowKappaM} {
			got, _ := strconv.ParseFloat(r[col(name)], 64)
			if got != want {
				t.Errorf("%s %s: metrics %v, report %v", c.Name, name, got, want)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	var out, errOut strings.Builder
	err = RunCommand(t.Context(), []string{"--sim", "default", "--count", "10", "--metrics", path}, &out, &errOut)
	var usage UsageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second run into the same file: %v", err)
	}
}

// --param and the evaluation flags are checked before anything starts.
func TestRunRejectsBadEvalFlagsAndParams(t *testing.T) {
	for _, args := range [][]string{
		{"--param", "sgd.alpha"},
		{"--param", "nope.alpha=1"},
		{"--param", "sgd.nope=1"},
		{"--param", "sgd.alpha=abc"},
		{"--param", "svm.kernel=bogus"},
		{"--label-delay", "soon"},
		{"--label-delay", "-5"},
		{"--freeze-after", "-1"},
		{"--metrics-every", "0"},
	} {
		var out, errOut strings.Builder
		err := RunCommand(t.Context(), append([]string{"--sim", "default", "--count", "10"}, args...), &out, &errOut)
		var usage UsageError
		if !errors.As(err, &usage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error is not one line: %q", args, err)
		}
	}
	// A valid --param reaches the learner.
	rep := runJSON(t, "--sim", "default", "--count", "2000", "--param", "sgd.alpha=0.01", "--param", "random_forest.n_models=3")
	if rep.Labelled != 2000 {
		t.Errorf("labelled %d", rep.Labelled)
	}
}
