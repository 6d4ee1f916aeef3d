package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
)

// statusBar is the line at the bottom: the source's state, the counters
// and rates, and the last error. Each line is cut to the window's width;
// hovering shows it in full.
type statusBar struct {
	u        *UI
	content  fyne.CanvasObject
	state    *hoverLabel
	counters *hoverLabel
}

func newStatusBar(u *UI) *statusBar {
	s := &statusBar{u: u, state: newHoverLabel("Not connected."), counters: newHoverLabel("")}
	s.content = container.NewVBox(widget.NewSeparator(), s.state, s.counters)
	return s
}

// StatusText is the status line's first line: the source's state in
// words, naming the simulator as such.
func StatusText(st app.Status, src *app.SourceConfig) string {
	text := string(st.State)
	source := st.Source
	if src != nil && src.Kind == app.SourceSim {
		scen := src.Scenario
		if scen == "" {
			scen = "default"
		}
		source = "simulator: " + scen + " scenario"
		if src.Rate > 0 {
			source += " at " + strconv.FormatFloat(src.Rate, 'f', -1, 64) + " frames/s"
		}
	}
	if source != "" {
		text += " · " + source
	}
	if st.Format != "" {
		text += " (" + st.Format + ")"
	}
	if st.Message != "" && (src == nil || src.Kind != app.SourceSim || st.State != app.StateRunning) {
		text += " · " + st.Message
	}
	if st.Recording != "" {
		text += " · recording to " + st.Recording
	}
	return text
}

// CountersText is the status line's second line; the rate is 0 once the
// source has stopped.
func CountersText(s *pipeline.Snapshot, running bool, skipped uint64) string {
	if s == nil {
		return ""
	}
	c := s.Counters
	rate := s.Rate
	if !running {
		rate = 0
	}
	text := fmt.Sprintf("frames %d · %.0f/s · decoded %d · learned %d · unlabelled %d · dropped %d · decode errors %d · malformed %d · stream errors %d",
		c.Received, rate, c.Decoded, c.Learned, c.Unlabelled, c.Dropped, c.DecodeErrors, c.Malformed, c.StreamErrors)
	if s.LearnOneIn > 1 {
		text += fmt.Sprintf(" · learning 1 in %d", s.LearnOneIn)
	}
	if s.PredictOneIn > 1 {
		text += fmt.Sprintf(" · predicting 1 in %d", s.PredictOneIn)
	}
	if c.InterfaceDrops > 0 {
		text += fmt.Sprintf(" · capture drops %d", c.InterfaceDrops)
	}
	if c.Discarded > 0 {
		text += fmt.Sprintf(" · discarded %d", c.Discarded)
	}
	if skipped > 0 {
		text += fmt.Sprintf(" · UI skipped %d updates", skipped)
	}
	if s.LastError != "" {
		text += " · last error: " + s.LastError
	}
	return text
}

func (s *statusBar) update(snap *pipeline.Snapshot, st app.Status, running bool, skipped uint64) {
	s.state.set(StatusText(st, s.u.toolbar.lastSrc))
	s.counters.set(CountersText(snap, running, skipped))
}

// hoverLabel is a one-line label cut with an ellipsis that shows its whole
// text in a pop-up while the pointer is over it.
type hoverLabel struct {
	widget.Label
	pop *widget.PopUp
}

func newHoverLabel(text string) *hoverLabel {
	h := &hoverLabel{}
	h.Text = text
	h.Truncation = fyne.TextTruncateEllipsis
	h.ExtendBaseWidget(h)
	return h
}

func (h *hoverLabel) set(text string) {
	if h.Text != text {
		h.SetText(text)
	}
}

// MouseIn shows the full text above the label.
func (h *hoverLabel) MouseIn(*desktop.MouseEvent) {
	c := fyne.CurrentApp().Driver().CanvasForObject(h)
	if c == nil || h.Text == "" {
		return
	}
	full := widget.NewLabel(h.Text)
	full.Wrapping = fyne.TextWrapWord
	h.pop = widget.NewPopUp(full, c)
	w := min(c.Size().Width-20, max(h.Size().Width, 400))
	full.Resize(fyne.NewSize(w, 10))
	size := fyne.NewSize(w, full.MinSize().Height)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(h)
	h.pop.ShowAtPosition(fyne.NewPos(10, max(0, pos.Y-size.Height-8)))
	h.pop.Resize(size)
}

// MouseMoved is needed for desktop.Hoverable.
func (h *hoverLabel) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the pop-up.
func (h *hoverLabel) MouseOut() {
	if h.pop != nil {
		h.pop.Hide()
		h.pop = nil
	}
}
