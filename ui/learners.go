package ui

import (
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/classifiers"
	"github.com/etherlearn/etherlearn/pipeline"
)

// learnerTab shows one learner: its live accuracy plot, its metrics, and
// its hyper-parameters, editable with the defaults shown; applying new
// values resets this learner only.
type learnerTab struct {
	u       *UI
	spec    classifiers.Spec
	content fyne.CanvasObject
	chart   *canvas.Image
	metrics *widget.Label
	entries map[string]*widget.Entry
	selects map[string]*widget.Select
	errMsg  *widget.Label
	points  int
}

func newLearnerTab(u *UI, spec classifiers.Spec) *learnerTab {
	lt := &learnerTab{u: u, spec: spec, metrics: widget.NewLabel(MetricsText(&pipeline.LearnerState{})),
		entries: map[string]*widget.Entry{}, selects: map[string]*widget.Select{},
		errMsg: widget.NewLabel("")}
	lt.chart = canvas.NewImageFromImage(placeholder(1, 1))
	lt.chart.FillMode = canvas.ImageFillStretch
	lt.chart.SetMinSize(fyne.NewSize(300, 200))
	lt.errMsg.Wrapping = fyne.TextWrapWord
	lt.errMsg.Importance = widget.DangerImportance

	form := widget.NewForm()
	for _, p := range spec.Params {
		label := fmt.Sprintf("%s (default %s)", p.Name, p.Default)
		if len(p.Choices) > 0 {
			sel := widget.NewSelect(p.Choices, nil)
			sel.SetSelected(p.Default)
			lt.selects[p.Name] = sel
			form.Append(label, sel)
		} else {
			e := widget.NewEntry()
			e.SetText(p.Default)
			e.SetPlaceHolder(p.Default)
			lt.entries[p.Name] = e
			form.Append(label, e)
		}
		if p.Help != "" {
			form.Items[len(form.Items)-1].HintText = p.Help
		}
	}
	apply := widget.NewButton("Apply (restarts this learner)", lt.apply)
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
	side := container.NewVBox(boldLabel(spec.Display), lt.metrics, widget.NewSeparator(),
		boldLabel("Hyper-parameters"), form, container.NewHBox(apply, defaults), lt.errMsg)
	split := container.NewHSplit(lt.chart, container.NewScroll(side))
	split.Offset = 0.62
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
	// Rebuilding a running learner waits for the pipeline: done in the
	// background; a bad value is reported here at once.
	if err := lt.u.sess.SetParamsInBackground(lt.spec.Name, lt.Values()); err != nil {
		lt.errMsg.SetText(err.Error())
		return
	}
	lt.errMsg.SetText("")
	lt.u.savePrefs()
}

// MetricsText describes a learner's scores in five lines (always five, so
// the panel's layout does not jump when the first scores arrive).
func MetricsText(l *pipeline.LearnerState) string {
	if l.Learned == 0 {
		return "accuracy –\nwindow accuracy –\nkappa –\nkappa-M –  kappa-T –\nno labelled frames yet"
	}
	return fmt.Sprintf("accuracy %.4f\nwindow accuracy %.4f\nkappa %.3f\nkappa-M %.3f  kappa-T %.3f\nlearned %d frames",
		l.Accuracy, l.WindowAccuracy, l.Kappa, l.KappaM, l.KappaT, l.Learned)
}

// update refreshes the tab; the chart image is swapped in only when this
// tab is visible (img was drawn for it).
func (lt *learnerTab) update(s *pipeline.Snapshot, visible bool, img image.Image) {
	l := findLearner(s, lt.spec.Name)
	if l == nil {
		return
	}
	if !visible {
		return
	}
	if t := MetricsText(l); t != lt.metrics.Text {
		lt.metrics.SetText(t)
	}
	lt.points = len(l.History)
	if img != nil {
		lt.chart.Image = img
		lt.chart.Refresh()
	}
}

// overviewTab compares all learners: one chart of windowed accuracy and a
// table of their scores.
type overviewTab struct {
	content fyne.CanvasObject
	chart   *canvas.Image
	grid    *fyne.Container
	cells   [][]*widget.Label
	points  int
}

var overviewHeaders = []string{"learner", "accuracy", "window", "kappa", "kappa-M", "learned"}

func newOverviewTab() *overviewTab {
	o := &overviewTab{}
	o.chart = canvas.NewImageFromImage(placeholder(1, 1))
	o.chart.FillMode = canvas.ImageFillStretch
	o.chart.SetMinSize(fyne.NewSize(300, 180))
	o.grid = container.NewGridWithColumns(len(overviewHeaders))
	for _, h := range overviewHeaders {
		o.grid.Add(boldLabel(h))
	}
	split := container.NewHSplit(o.chart, container.NewScroll(o.grid))
	split.Offset = 0.55
	o.content = split
	return o
}

func (o *overviewTab) update(s *pipeline.Snapshot, visible bool, img image.Image) {
	for len(o.cells) < len(s.Learners) {
		row := make([]*widget.Label, len(overviewHeaders))
		for i := range row {
			row[i] = widget.NewLabel("")
			o.grid.Add(row[i])
		}
		o.cells = append(o.cells, row)
	}
	for i, l := range s.Learners {
		name := l.Display
		if l.Baseline {
			name += " (base)"
		}
		vals := []string{name, fmt.Sprintf("%.4f", l.Accuracy), fmt.Sprintf("%.4f", l.WindowAccuracy),
			fmt.Sprintf("%.3f", l.Kappa), fmt.Sprintf("%.3f", l.KappaM), fmt.Sprint(l.Learned)}
		for j, v := range vals {
			if o.cells[i][j].Text != v {
				o.cells[i][j].SetText(v)
			}
		}
	}
	if visible && img != nil {
		o.points = 0
		for _, l := range s.Learners {
			o.points += len(l.History)
		}
		o.chart.Image = img
		o.chart.Refresh()
	}
}
