package app

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// ScoresReport holds the scores for rare events, the evaluation modes'
// results and the cost of one learner, as `run --report json` prints them
// inside each classifier's object. The names without a prefix are
// cumulative (test-then-train over the run, or over the frames after the
// freeze with --freeze-after); "window_" names are over the last
// pipeline window (1,000 scored frames). precision, recall and f1 are of
// the attack class (label 1) when "averaging" is "binary", macro averages
// when it is "macro". confusion is [true label][predicted label].
type ScoresReport struct {
	Scored           int64     `json:"scored"`
	BalancedAccuracy float64   `json:"balanced_accuracy"`
	Precision        float64   `json:"precision"`
	Recall           float64   `json:"recall"`
	F1               float64   `json:"f1"`
	Averaging        string    `json:"averaging"`
	Confusion        [][]int64 `json:"confusion"`
	NsPerFrame       float64   `json:"ns_per_frame"`
	LearnedPerSecond float64   `json:"learned_per_second"`

	WindowBalancedAccuracy float64   `json:"window_balanced_accuracy"`
	WindowPrecision        float64   `json:"window_precision"`
	WindowRecall           float64   `json:"window_recall"`
	WindowF1               float64   `json:"window_f1"`
	WindowKappa            float64   `json:"window_kappa"`
	WindowKappaM           float64   `json:"window_kappa_m"`
	WindowKappaT           float64   `json:"window_kappa_t"`
	WindowConfusion        [][]int64 `json:"window_confusion"`

	// Frozen is true for a learner frozen by --freeze-after; BeforeFreeze
	// holds its scores on the frames before the freeze.
	Frozen       bool         `json:"frozen,omitempty"`
	BeforeFreeze *eval.Scores `json:"before_freeze,omitempty"`

	Detection eval.DetectionSummary `json:"detection"`
}

func newScoresReport(l pipeline.LearnerState) ScoresReport {
	conf, wconf := l.Confusion, l.WindowConfusion
	if conf == nil {
		conf = [][]int64{}
	}
	if wconf == nil {
		wconf = [][]int64{}
	}
	return ScoresReport{
		Scored: l.Scored, BalancedAccuracy: l.Scores.BalancedAccuracy, Precision: l.Scores.Precision,
		Recall: l.Scores.Recall, F1: l.Scores.F1, Averaging: l.Scores.Averaging, Confusion: conf,
		NsPerFrame: l.NsPerFrame, LearnedPerSecond: l.LearnedPerSecond,
		WindowBalancedAccuracy: l.WindowScores.BalancedAccuracy, WindowPrecision: l.WindowScores.Precision,
		WindowRecall: l.WindowScores.Recall, WindowF1: l.WindowScores.F1, WindowKappa: l.WindowScores.Kappa,
		WindowKappaM: l.WindowKappaM, WindowKappaT: l.WindowKappaT, WindowConfusion: wconf,
		Frozen: l.Frozen, BeforeFreeze: l.BeforeFreeze, Detection: l.Detection,
	}
}

// EvalReport echoes the evaluation modes of a run and the label queue's
// final state.
type EvalReport struct {
	LabelDelayFrames int     `json:"label_delay_frames,omitempty"`
	LabelDelayMS     float64 `json:"label_delay_ms,omitempty"`
	FreezeAfter      int64   `json:"freeze_after,omitempty"`
	// FrozenAtFrame is the frame after which the learners were frozen (0:
	// never, e.g. fewer labels than --freeze-after were learned).
	FrozenAtFrame    uint64 `json:"frozen_at_frame,omitempty"`
	EpisodeGap       int    `json:"episode_gap"`
	LabelsPending    uint64 `json:"labels_pending"`
	LabelsOverflowed uint64 `json:"labels_overflowed"`
}

// NewEvalReport is the evaluation modes and label queue of a snapshot.
func NewEvalReport(s *pipeline.Snapshot) EvalReport {
	m, c := s.Eval, s.Counters
	gap := m.EpisodeGap
	if gap <= 0 {
		gap = eval.DefaultEpisodeGap
	}
	return EvalReport{LabelDelayFrames: m.LabelDelayFrames, LabelDelayMS: float64(m.LabelDelay.Microseconds()) / 1000,
		FreezeAfter: m.FreezeAfter, FrozenAtFrame: s.FrozenAt, EpisodeGap: gap, LabelsPending: c.LabelsPending, LabelsOverflowed: c.LabelsOverflowed}
}

// Modes says in words how the learners learn in this run, one phrase per
// mode that is on; none with instant labels (plain test-then-train).
// ended: the run is over (a freeze not reached by then never happens).
// The text report and the window use the same words.
func (e EvalReport) Modes(ended bool) []string {
	var modes []string
	if e.LabelDelayFrames > 0 {
		modes = append(modes, fmt.Sprintf("labels delayed %d frames", e.LabelDelayFrames))
	}
	if e.LabelDelayMS > 0 {
		d := time.Duration(e.LabelDelayMS * float64(time.Millisecond))
		modes = append(modes, fmt.Sprintf("labels delayed %s of frame time", d))
	}
	switch {
	case e.FreezeAfter > 0 && e.FrozenAtFrame > 0:
		modes = append(modes, fmt.Sprintf("learners frozen after %d labels (at frame %d): the scores are of the frames after it", e.FreezeAfter, e.FrozenAtFrame))
	case e.FreezeAfter > 0 && ended:
		modes = append(modes, fmt.Sprintf("freeze after %d labels: never frozen, fewer labels were learned", e.FreezeAfter))
	case e.FreezeAfter > 0:
		modes = append(modes, fmt.Sprintf("learners learn the first %d labels, then are frozen", e.FreezeAfter))
	}
	return modes
}

// writeScoresText adds the rare-event scores, confusion matrices and
// detection delays to the text report.
func writeScoresText(w io.Writer, r Report) {
	e := r.Evaluation
	if modes := e.Modes(true); len(modes) > 0 {
		fmt.Fprintf(w, "evaluation: %s; labels pending %d, overflowed %d\n", strings.Join(modes, ", "), e.LabelsPending, e.LabelsOverflowed)
	}
	avg := "attack class (label 1)"
	for _, c := range r.Classifiers {
		if c.Averaging == eval.AveragingMacro {
			avg = "macro average"
		}
	}
	fmt.Fprintf(w, "\nrare-event scores (precision/recall/F1: %s; w- = last 1000 frames):\n", avg)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "classifier\tbal.acc\tprecision\trecall\tF1\tw-bal.acc\tw-recall\tw-F1\tw-kappa-T\tns/frame")
	for _, c := range r.Classifiers {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.0f\n", c.Name, c.BalancedAccuracy, c.Precision, c.Recall, c.F1,
			c.WindowBalancedAccuracy, c.WindowRecall, c.WindowF1, c.WindowKappaT, c.NsPerFrame)
	}
	tw.Flush()
	if e.FrozenAtFrame > 0 {
		fmt.Fprintln(w, "\nbefore the freeze:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "classifier\taccuracy\tbal.acc\tprecision\trecall\tF1\tkappa")
		for _, c := range r.Classifiers {
			if b := c.BeforeFreeze; b != nil {
				fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", c.Name, b.Accuracy, b.BalancedAccuracy, b.Precision, b.Recall, b.F1, b.Kappa)
			}
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\nconfusion matrices (rows true label, columns predicted):")
	for _, c := range r.Classifiers {
		rows := make([]string, len(c.Confusion))
		for i, row := range c.Confusion {
			rows[i] = strings.Trim(fmt.Sprint(row), "[]")
		}
		fmt.Fprintf(w, "  %-20s %s\n", c.Name, strings.Join(rows, " | "))
	}
	fmt.Fprintf(w, "\ndetection (an episode ends after %d normal frames; delay to the first correct alarm):\n", e.EpisodeGap)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "classifier\tepisodes\tdetected\tmissed\tmean delay\tmedian delay\tmean ms\tmedian ms\trecall first 50")
	for _, c := range r.Classifiers {
		d := c.Detection
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.4f\n", c.Name, d.Episodes, d.Detected, d.Missed,
			d.MeanDelayFrames, d.MedianDelayFrames, d.MeanDelayMS, d.MedianDelayMS, d.MeanRecallFirst)
	}
	tw.Flush()
}
