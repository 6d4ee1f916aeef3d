package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// evalLine is the line above the tabs that says how the shown run's
// learners learn: with instant labels, or delayed, or frozen. Every score
// in the window means something else in each mode, so a screenshot must
// say which it is.
type evalLine struct {
	content fyne.CanvasObject
	text    *hoverLabel
	key     evalLineKey
	shown   bool
}

// evalLineKey is what the line's text depends on; the text is built only
// when it changes (rarely: at the start, at the freeze, at the end).
type evalLineKey struct {
	report app.EvalReport
	ended  bool
}

func newEvalLine() *evalLine {
	l := &evalLine{text: newHoverLabel("")}
	l.content = l.text
	l.content.Hide()
	return l
}

func evalLineText(e app.EvalReport, ended bool) string {
	modes := e.Modes(ended)
	if len(modes) == 0 {
		return "Evaluation: test-then-train with instant labels: each frame is scored, then its label is learned at once."
	}
	text := "Evaluation: " + strings.Join(modes, "; ") + "."
	if e.LabelsOverflowed > 0 {
		text += fmt.Sprintf(" %d delayed labels were dropped unlearned (queue full).", e.LabelsOverflowed)
	}
	return text
}

// update follows the run's modes. UI goroutine only; allocates nothing
// unless the modes changed.
func (l *evalLine) update(s *pipeline.Snapshot, running bool) {
	if s == nil {
		if l.shown {
			l.shown = false
			l.content.Hide()
		}
		return
	}
	e := app.NewEvalReport(s)
	e.LabelsPending = 0 // changes with every frame, not shown
	k := evalLineKey{report: e, ended: !running}
	if l.shown && k == l.key {
		return
	}
	l.key = k
	l.text.set(evalLineText(e, !running))
	if len(e.Modes(!running)) == 0 {
		l.text.Importance = widget.MediumImportance
	} else {
		// Not the usual prequential scores: stands out.
		l.text.Importance = widget.WarningImportance
	}
	l.text.Refresh()
	if !l.shown {
		l.shown = true
		l.content.Show()
	}
}

// detectionKey is what a learner's detection text depends on.
type detectionKey struct {
	episodes, detected, missed int64
	mean, median, recall       float64
	last                       eval.EpisodeResult
	gap                        int
}

func newDetectionKey(d *eval.DetectionSummary, gap int) detectionKey {
	k := detectionKey{episodes: d.Episodes, detected: d.Detected, missed: d.Missed,
		mean: d.MeanDelayFrames, median: d.MedianDelayFrames, recall: d.MeanRecallFirst, gap: gap}
	if n := len(d.Recent); n > 0 {
		k.last = d.Recent[n-1]
	}
	return k
}

// recentEpisodesShown is how many of the latest episodes the learner tab
// lists.
const recentEpisodesShown = 5

// DetectionText describes a learner's detection of attack episodes, as
// `run` reports it under "detection": episodes, detected, missed, the
// delay from an episode's first frame to the first correct alarm (mean
// and median, frames and milliseconds of frame time), the recall over
// each episode's first 50 attack frames, and the latest episodes. gap is
// the number of normal frames that ends an episode. A fixed number of
// lines, so the tab does not jump when episodes arrive.
func DetectionText(d *eval.DetectionSummary, gap int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "detection of attack episodes (an episode ends after %d normal frames)\n", gap)
	open := 0
	if n := len(d.Recent); n > 0 && d.Recent[n-1].Open {
		open = 1
	}
	fmt.Fprintf(&b, "episodes %d · detected %d · missed %d · open %d\n", d.Episodes, d.Detected, d.Missed, open)
	if d.Detected > 0 {
		fmt.Fprintf(&b, "delay to the first correct alarm: mean %.1f frames (%.1f ms) · median %.1f frames (%.1f ms)\n",
			d.MeanDelayFrames, d.MeanDelayMS, d.MedianDelayFrames, d.MedianDelayMS)
	} else {
		b.WriteString("delay to the first correct alarm: – (no episode detected yet)\n")
	}
	if finished := d.Episodes - int64(open); finished > 0 {
		fmt.Fprintf(&b, "recall over an episode's first %d frames: %.4f (mean of %d finished episodes)\n", eval.RecallFrames, d.MeanRecallFirst, finished)
	} else {
		fmt.Fprintf(&b, "recall over an episode's first %d frames: – (no finished episode yet)\n", eval.RecallFrames)
	}
	fmt.Fprintf(&b, "%-7s %-18s %8s %8s  %-27s %s", "latest", "kind", "start", "attacks", "first correct alarm", "recall first 50")
	shown := 0
	for k := len(d.Recent) - 1; k >= 0 && shown < recentEpisodesShown; k-- {
		e := &d.Recent[k]
		kind := e.Kind
		if kind == "" {
			kind = fmt.Sprintf("label %d", e.Label)
		}
		alarm := "missed"
		switch {
		case e.Detected:
			alarm = fmt.Sprintf("after %d frames, %.1f ms", e.DelayFrames, e.DelayMS)
		case e.Open:
			alarm = "none yet"
		}
		open := ""
		if e.Open {
			open = " (open)"
		}
		fmt.Fprintf(&b, "\n#%-6d %-18s %8d %8d  %-27s %.4f%s", e.ID, kind, e.StartFrame, e.AttackFrames, alarm, e.RecallFirst, open)
		shown++
	}
	for ; shown < recentEpisodesShown; shown++ {
		b.WriteString("\n")
		if shown == 0 {
			b.WriteString("  none yet")
		}
	}
	return b.String()
}

// episodeGapOf is the snapshot's episode gap in effect.
func episodeGapOf(s *pipeline.Snapshot) int { return gapOrDefault(s.Eval.EpisodeGap) }
