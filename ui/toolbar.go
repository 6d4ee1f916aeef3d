package ui

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// Refresh rates offered in the toolbar.
var refreshRates = []string{"20/s", "10/s", "5/s", "2/s", "1/s"}

// toolbar is the row above everything, always in view: Start, Stop and
// Restart, what a restart would apply, the refresh rate, the metrics
// export and the source panel's toggle.
type toolbar struct {
	u        *UI
	content  fyne.CanvasObject
	start    *widget.Button
	stop     *widget.Button
	restart  *widget.Button
	pending  *widget.Label
	rate     *widget.Select
	metrics  *widget.Button
	panel    *widget.Button
	panelOff bool

	// What the current (or last) run was started with.
	lastSrc      *app.SourceConfig
	lastSettings app.Settings
}

func newToolbar(u *UI) *toolbar {
	tb := &toolbar{u: u}
	tb.start = widget.NewButtonWithIcon("Start simulator", theme.MediaPlayIcon(), tb.onStart)
	tb.start.Importance = widget.HighImportance
	tb.stop = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), func() { u.conn.stop() })
	tb.stop.Disable()
	tb.restart = widget.NewButtonWithIcon("Restart", theme.ViewRefreshIcon(), tb.onRestart)
	tb.restart.Disable()
	tb.pending = widget.NewLabel("")
	tb.pending.Importance = widget.WarningImportance
	tb.pending.Truncation = fyne.TextTruncateEllipsis
	tb.rate = widget.NewSelect(refreshRates, func(string) { tb.applyRate() })
	// Two updates a second by default: a chart of the last minutes moves
	// by a pixel or so each time, and on machines without a GPU (Xvfb,
	// remote desktops) every update repaints the whole window in software,
	// about 15-20 ms of CPU each. Faster rates are a click away.
	tb.rate.SetSelected("2/s")
	tb.metrics = widget.NewButtonWithIcon("Metrics CSV…", theme.DocumentSaveIcon(), tb.exportMetrics)
	tb.panel = widget.NewButtonWithIcon("Sources", theme.MenuIcon(), tb.togglePanel)
	right := container.NewHBox(widget.NewLabel("Refresh"), tb.rate, tb.metrics)
	left := container.NewHBox(tb.panel, tb.start, tb.stop, tb.restart)
	tb.content = container.NewVBox(container.NewBorder(nil, nil, left, right, tb.pending), widget.NewSeparator())
	return tb
}

// applyRate hands the chosen refresh rate to the bridge.
func (tb *toolbar) applyRate() {
	n, _ := strconv.Atoi(strings.TrimSuffix(tb.rate.Selected, "/s"))
	if n > 0 && tb.u.bridge != nil {
		tb.u.bridge.setInterval(time.Second / time.Duration(n))
	}
}

// started records what a run was started with (for Restart and for
// spotting settings changed since).
func (tb *toolbar) started(src app.SourceConfig, st app.Settings) {
	// On a small screen the source panel gives its room to the charts
	// once a run starts; the toolbar's Sources button brings it back.
	if !tb.panelOff && tb.u.win.Canvas().Size().Width < 1400 {
		tb.togglePanel()
	}
	tb.lastSrc = &src
	tb.lastSettings = st
	if src.Kind == app.SourceSim {
		tb.start.SetText("Start simulator")
	} else {
		tb.start.SetText("Start " + sourceNoun(src))
	}
}

func sourceNoun(src app.SourceConfig) string {
	switch src.Kind {
	case app.SourceConnect:
		return "connection"
	case app.SourceListen:
		return "listener"
	case app.SourceSerial:
		return "serial"
	case app.SourceFile:
		return "file"
	}
	return "simulator"
}

// onStart starts the last source again, or the simulator the first time.
func (tb *toolbar) onStart() {
	if tb.lastSrc == nil || tb.lastSrc.Kind == app.SourceSim {
		tb.u.conn.onStartSim()
		return
	}
	tb.u.conn.startKind(tb.lastSrc.Kind)
}

// onRestart restarts the running source with the panel's settings; if
// learners have learned something, it asks first.
func (tb *toolbar) onRestart() {
	var learned uint64
	if s := tb.u.sess.Snapshot(); s != nil {
		learned = s.Counters.Learned
	}
	if learned == 0 {
		tb.onRestartConfirmed()
		return
	}
	confirmRestart(tb.u.win, learned, tb.onRestartConfirmed)
}

// onRestartConfirmed stops the run and starts it again.
func (tb *toolbar) onRestartConfirmed() {
	// Queued on the session's worker, before the start: neither waits here.
	tb.u.sess.StopInBackground(nil)
	tb.onStart()
}

// confirmRestart asks before wiping what the learners learned.
func confirmRestart(w fyne.Window, learned uint64, do func()) {
	dialog.ShowConfirm("Restart and start learning again?",
		fmt.Sprintf("Restarting clears what every learner has learned from %d labelled frames, and every chart.", learned),
		func(ok bool) {
			if ok {
				do()
			}
		}, w)
}

// update follows the session. UI goroutine only.
func (tb *toolbar) update(_ *pipeline.Snapshot, running bool) {
	setEnabled(tb.stop, running)
	setEnabled(tb.start, !running)
	changes := ""
	if running && tb.lastSrc != nil {
		changes = tb.u.conn.changedSince(*tb.lastSrc, tb.lastSettings)
	}
	setEnabled(tb.restart, running)
	text := ""
	if changes != "" {
		text = changes + " changed: applies on restart."
		tb.restart.Importance = widget.WarningImportance
	} else {
		tb.restart.Importance = widget.MediumImportance
	}
	if tb.pending.Text != text {
		tb.pending.SetText(text)
		tb.restart.Refresh()
	}
}

func setEnabled(b *widget.Button, on bool) {
	if on && b.Disabled() {
		b.Enable()
	} else if !on && !b.Disabled() {
		b.Disable()
	}
}

func (tb *toolbar) togglePanel() {
	left := tb.u.split.Leading
	tb.panelOff = !tb.panelOff
	if tb.panelOff {
		left.Hide()
	} else {
		left.Show()
	}
	tb.u.split.Refresh()
}

// exportMetrics saves every learner's whole-run history as CSV.
func (tb *toolbar) exportMetrics() {
	s := tb.u.sess.Snapshot()
	if s == nil || s.Timeline == nil {
		dialog.ShowInformation("Nothing to save", "Start a run first: there is no metrics history yet.", tb.u.win)
		return
	}
	saveFile(tb.u.win, "etherlearn-metrics.csv", ".csv", func(path string) error {
		return writeMetricsCSV(path, s)
	})
}

// writeMetricsCSV writes one row per learner and whole-run bucket: when,
// the session's labelled frames, the windowed accuracy's lowest, highest
// and last value in the bucket, and the cumulative accuracy.
func writeMetricsCSV(path string, s *pipeline.Snapshot) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"learner", "baseline", "time", "seconds", "labelled_frames", "window_accuracy_min",
		"window_accuracy_max", "window_accuracy", "accuracy", "samples"})
	var buf []eval.Bucket
	start := s.Timeline.Start()
	ff := func(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
	for i, l := range s.Learners {
		buf = s.Timeline.Whole(i, buf[:0])
		for _, b := range buf {
			at := start.Add(time.Duration(b.T * float64(time.Second)))
			_ = w.Write([]string{l.Name, strconv.FormatBool(l.Baseline), at.Format(time.RFC3339Nano), ff(b.T),
				strconv.FormatInt(b.N, 10), ff(b.Min), ff(b.Max), ff(b.Last), ff(b.Cum), strconv.Itoa(int(b.Count))})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// labelHint explains, above the tabs, why nothing is learned when no frame
// carries a label, and offers the rule targets.
type labelHint struct {
	u       *UI
	content *fyne.Container
	text    *widget.Label
	buttons *fyne.Container
	shown   bool
}

func newLabelHint(u *UI) *labelHint {
	h := &labelHint{u: u}
	h.text = widget.NewLabel("")
	h.text.Wrapping = fyne.TextWrapWord
	h.text.Importance = widget.WarningImportance
	h.buttons = container.NewHBox()
	for _, name := range pipeline.TargetNames {
		if name == "in-band" {
			continue
		}
		h.buttons.Add(widget.NewButton(name, func() { h.useTarget(name) }))
	}
	h.content = container.NewVBox(h.text, container.NewHScroll(h.buttons), widget.NewSeparator())
	h.content.Hide()
	return h
}

// useTarget switches to a rule target and starts the same source again
// (nothing was learned, so nothing is lost).
func (h *labelHint) useTarget(name string) {
	h.u.conn.target.SetSelected(name)
	h.u.sess.StopInBackground(nil)
	h.u.toolbar.onStart()
}

func (h *labelHint) update(s *pipeline.Snapshot, _ bool) {
	show := s != nil && s.Counters.Labelled == 0 && s.Counters.Decoded >= 50
	if show {
		t := fmt.Sprintf("%d frames received and none carries a label, so nothing is learned. "+
			"In-band labels come only from pcapng packet comments (label=N). Pick a rule target to learn from these frames:",
			s.Counters.Decoded)
		if s.Target != "in-band" {
			t = fmt.Sprintf("%d frames received and the %q target labelled none of them. Pick another rule target:", s.Counters.Decoded, s.Target)
		}
		if h.text.Text != t {
			h.text.SetText(t)
		}
	}
	if show != h.shown {
		h.shown = show
		if show {
			h.content.Show()
		} else {
			h.content.Hide()
		}
	}
}
