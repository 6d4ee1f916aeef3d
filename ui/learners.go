package ui

import (
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/classifiers"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// learnerTab shows one learner: its chart, its scores and confusion
// matrix, and its hyper-parameters, editable with the defaults shown;
// applying new values restarts this learner only.
type learnerTab struct {
	u         *UI
	spec      classifiers.Spec
	content   fyne.CanvasObject
	chart     *chartPanel
	scores    *widget.Label
	detection *widget.Label
	detKey    detectionKey
	// The Scores sub-tab, and its content's size when last laid out.
	scoresScroll *container.Scroll
	scoresBox    *fyne.Container
	scoresMin    fyne.Size
	confusion    *fyne.Container
	confCells    []*widget.Label
	confK        int
	entries      map[string]*widget.Entry
	selects      map[string]*widget.Select
	errMsg       *widget.Label
	applied      *widget.Label
	points       int
	snap         *pipeline.Snapshot
	inner        *container.AppTabs
	form         *fyne.Container
}

func newLearnerTab(u *UI, spec classifiers.Spec) *learnerTab {
	lt := &learnerTab{u: u, spec: spec, scores: widget.NewLabel(ScoresText(nil, -1)),
		entries: map[string]*widget.Entry{}, selects: map[string]*widget.Select{},
		errMsg: widget.NewLabel(""), applied: widget.NewLabel("")}
	lt.chart = newChartPanel(u, spec.Name)
	names := learnerSeriesNames[:]
	lt.chart.setLegend(names, learnerSeriesColors[:], []bool{false, false, true, true})
	lt.scores.TextStyle.Monospace = true
	lt.detection = widget.NewLabel(DetectionText(&eval.DetectionSummary{}, eval.DefaultEpisodeGap))
	lt.detection.TextStyle.Monospace = true
	lt.errMsg.Wrapping = fyne.TextWrapWord
	lt.errMsg.Importance = widget.DangerImportance
	lt.errMsg.Hide()
	lt.applied.Wrapping = fyne.TextWrapWord
	lt.applied.Importance = widget.SuccessImportance
	lt.applied.Hide()
	lt.confusion = container.NewGridWithColumns(1)

	// The matrix beside the scores, at its own width: both in view at once.
	confTitle := widget.NewLabel("Confusion matrix\n(rows: true label,\ncolumns: predicted)")
	confTitle.TextStyle.Bold = true
	// Detection per attack episode under both.
	lt.scoresBox = container.NewVBox(container.NewHBox(lt.scores, container.NewVBox(confTitle, container.NewHBox(lt.confusion))), lt.detection)

	// The form is laid out once, complete: each input with its help as a
	// caption underneath, so nothing is added after layout and a rebuilt
	// tab looks the same.
	form := container.New(layout.NewFormLayout())
	lt.form = form
	for _, p := range spec.Params {
		var input fyne.CanvasObject
		if len(p.Choices) > 0 {
			sel := widget.NewSelect(p.Choices, nil)
			sel.SetSelected(p.Default)
			lt.selects[p.Name] = sel
			input = sel
		} else {
			e := widget.NewEntry()
			e.SetText(p.Default)
			e.SetPlaceHolder(p.Default)
			// Checked as typed, by the learner's own declaration.
			name := p.Name
			e.Validator = func(v string) error {
				return spec.Validate(map[string]string{name: strings.TrimSpace(v)})
			}
			lt.entries[p.Name] = e
			input = e
		}
		cell := container.NewVBox(input)
		def := "default " + p.Default
		if p.Default == "" {
			def = "empty by default"
		}
		help := def
		if p.Help != "" {
			help = p.Help + " (" + def + ")"
		}
		caption := widget.NewLabel(help)
		caption.Wrapping = fyne.TextWrapWord
		caption.SizeName = theme.SizeNameCaptionText
		cell.Add(caption)
		form.Add(widget.NewLabel(p.Name))
		form.Add(cell)
	}
	apply := widget.NewButton("Apply (restarts this learner)", lt.apply)
	apply.Importance = widget.HighImportance
	defaults := widget.NewButton("Defaults", func() {
		for _, p := range spec.Params {
			if e, ok := lt.entries[p.Name]; ok {
				e.SetText(p.Default)
			}
			if s, ok := lt.selects[p.Name]; ok {
				s.SetSelected(p.Default)
			}
		}
		lt.apply()
	})
	// The buttons and what they did come first: visible without scrolling.
	params := container.NewVBox(container.NewHBox(apply, defaults), lt.applied, lt.errMsg, form)

	lt.scoresScroll = container.NewScroll(lt.scoresBox)
	lt.inner = container.NewAppTabs(
		container.NewTabItem("Scores", lt.scoresScroll),
		container.NewTabItem("Hyper-parameters", container.NewVScroll(params)),
	)
	split := container.NewVSplit(lt.chart.content, lt.inner)
	split.Offset = 0.5
	lt.content = split
	return lt
}

// Values returns the parameter values in the form.
func (lt *learnerTab) Values() map[string]string {
	v := map[string]string{}
	for name, e := range lt.entries {
		v[name] = strings.TrimSpace(e.Text)
	}
	for name, s := range lt.selects {
		v[name] = s.Selected
	}
	return v
}

func (lt *learnerTab) apply() {
	running := lt.u.sess.Running()
	// Rebuilding a running learner waits for the pipeline: done in the
	// background; a bad value is reported here at once.
	if err := lt.u.sess.SetParamsInBackground(lt.spec.Name, lt.Values()); err != nil {
		lt.errMsg.SetText(err.Error())
		lt.errMsg.Show()
		lt.applied.Hide()
		return
	}
	lt.errMsg.SetText("")
	lt.errMsg.Hide()
	when := time.Now().Format("15:04:05")
	if running {
		var n uint64
		if s := lt.u.sess.Snapshot(); s != nil {
			n = s.Counters.Learned
		}
		lt.applied.SetText(fmt.Sprintf("Applied at %s: %s restarted at labelled frame %d (marked on the chart).", when, lt.spec.Display, n))
	} else {
		lt.applied.SetText(fmt.Sprintf("Saved at %s: used when the next run starts.", when))
	}
	lt.applied.Show()
	lt.u.savePrefs()
}

// ScoresText describes learner i's scores, cumulative and over the last
// window, in a fixed number of lines so the panel does not jump when the
// first scores arrive.
func ScoresText(s *pipeline.Snapshot, i int) string {
	rows := []string{"accuracy", "balanced accuracy", "precision", "recall", "F1", "kappa", "kappa-M", "kappa-T"}
	var b strings.Builder
	fmt.Fprintf(&b, "%-18s %10s %10s\n", "", "cumulative", "window")
	if s == nil || i < 0 || s.Learners[i].Learned == 0 && s.Learners[i].Scored == 0 {
		for _, r := range rows {
			fmt.Fprintf(&b, "%-18s %10s %10s\n", r, "–", "–")
		}
		b.WriteString("no labelled frames yet\n\n")
		return b.String()
	}
	l := &s.Learners[i]
	c, w := l.Scores, l.WindowScores
	vals := [][2]float64{{c.Accuracy, w.Accuracy}, {c.BalancedAccuracy, w.BalancedAccuracy}, {precisionOf(c), precisionOf(w)},
		{recallOf(c), recallOf(w)}, {f1Of(c), f1Of(w)}, {c.Kappa, w.Kappa}, {l.KappaM, l.WindowKappaM}, {l.KappaT, l.WindowKappaT}}
	cell := func(v float64) string {
		if math.IsNaN(v) {
			return "–"
		}
		return strconv.FormatFloat(v, 'f', 4, 64)
	}
	if bf := l.BeforeFreeze; bf != nil {
		// Frozen (--freeze-after): the cumulative scores are of the
		// frames after the freeze; the ones before it beside them.
		before := []float64{bf.Accuracy, bf.BalancedAccuracy, precisionOf(*bf), recallOf(*bf), f1Of(*bf), bf.Kappa, math.NaN(), math.NaN()}
		b.Reset()
		fmt.Fprintf(&b, "%-18s %12s %10s %15s\n", "", "after freeze", "window", "before freeze")
		for k, r := range rows {
			fmt.Fprintf(&b, "%-18s %12s %10s %15s\n", r, cell(vals[k][0]), cell(vals[k][1]), cell(before[k]))
		}
	} else {
		for k, r := range rows {
			fmt.Fprintf(&b, "%-18s %10s %10s\n", r, cell(vals[k][0]), cell(vals[k][1]))
		}
	}
	drifts := 0
	if s.Timeline != nil {
		drifts = s.Timeline.DriftCount(i)
	}
	avg := c.Averaging
	if avg == "" {
		avg = "binary"
	}
	frozen := ""
	if l.Frozen {
		frozen = " (then frozen)"
	}
	fmt.Fprintf(&b, "learned %d frames%s, %.0f/s, %.1f µs per frame\n", l.Learned, frozen, l.LearnedPerSecond, l.NsPerFrame/1000)
	fmt.Fprintf(&b, "drifts detected %d · precision/recall/F1: %s", drifts, avg)
	return b.String()
}

// confusionOf is learner i's cumulative confusion matrix, [true][predicted].
func confusionOf(s *pipeline.Snapshot, i int) [][]int64 {
	return s.Learners[i].Confusion
}

// setConfusion shows a k×k matrix with a header row and column.
func (lt *learnerTab) setConfusion(m [][]int64) {
	k := len(m)
	if k != lt.confK {
		lt.confK = k
		lt.confusion.RemoveAll()
		lt.confCells = lt.confCells[:0]
		if k == 0 {
			lt.confusion.Layout = layout.NewGridLayoutWithColumns(1)
			lt.confusion.Add(widget.NewLabel("no labelled frames yet"))
		} else {
			lt.confusion.Layout = layout.NewGridLayoutWithColumns(k + 1)
			lt.confusion.Add(widget.NewLabel("true \\ pred"))
			for j := 0; j < k; j++ {
				lt.confusion.Add(boldLabel(strconv.Itoa(j)))
			}
			for r := 0; r < k; r++ {
				lt.confusion.Add(boldLabel(strconv.Itoa(r)))
				for j := 0; j < k; j++ {
					c := widget.NewLabel("")
					if r == j {
						c.Importance = widget.SuccessImportance
					}
					lt.confCells = append(lt.confCells, c)
					lt.confusion.Add(c)
				}
			}
		}
		lt.confusion.Refresh()
	}
	for r := 0; r < k; r++ {
		for j := 0; j < k; j++ {
			if t := strconv.FormatInt(m[r][j], 10); lt.confCells[r*k+j].Text != t {
				lt.confCells[r*k+j].SetText(t)
			}
		}
	}
}

// setDetection shows learner i's detection record; the text is built only
// when the record changed (an episode began, ended or was detected).
func (lt *learnerTab) setDetection(s *pipeline.Snapshot, i int) {
	d := &s.Learners[i].Detection
	gap := episodeGapOf(s)
	k := newDetectionKey(d, gap)
	if k == lt.detKey {
		return
	}
	lt.detKey = k
	lt.detection.SetText(DetectionText(d, gap))
}

// update refreshes the tab (only called while it is visible); the chart
// image is swapped in when it was drawn for this tab.
func (lt *learnerTab) update(s *pipeline.Snapshot, text, drawn bool, img image.Image, points int) {
	i := findLearnerIndex(s, lt.spec.Name)
	if i < 0 {
		return
	}
	if text && s != lt.snap {
		lt.snap = s
		if t := ScoresText(s, i); t != lt.scores.Text {
			lt.scores.SetText(t)
		}
		lt.setConfusion(confusionOf(s, i))
		lt.setDetection(s, i)
		// A wider text (the before-freeze column, longer numbers) must
		// push the matrix aside, not run under it: lay the tab out again.
		if m := lt.scoresBox.MinSize(); m != lt.scoresMin {
			lt.scoresMin = m
			lt.scoresScroll.Refresh()
		}
	}
	if drawn {
		lt.points = points
		lt.chart.show(img)
	}
}
