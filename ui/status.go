package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
)

// statusBar is the line at the bottom: the source's state, the counters
// and rates, and the last error.
type statusBar struct {
	content  fyne.CanvasObject
	state    *widget.Label
	counters *widget.Label
}

func newStatusBar() *statusBar {
	s := &statusBar{state: widget.NewLabel("Not connected."), counters: widget.NewLabel("")}
	s.state.Truncation = fyne.TextTruncateEllipsis
	s.counters.Truncation = fyne.TextTruncateEllipsis
	s.content = container.NewVBox(widget.NewSeparator(), s.state, s.counters)
	return s
}

// StatusText is the status line's first line: the source's state.
func StatusText(st app.Status) string {
	text := string(st.State)
	if st.Source != "" {
		text += " · " + st.Source
	}
	if st.Format != "" {
		text += " (" + st.Format + ")"
	}
	if st.Message != "" {
		text += " · " + st.Message
	}
	if st.Recording != "" {
		text += " · recording to " + st.Recording
	}
	return text
}

// CountersText is the status line's second line.
func CountersText(s *pipeline.Snapshot, skipped uint64) string {
	if s == nil {
		return ""
	}
	c := s.Counters
	text := fmt.Sprintf("frames %d · %.0f/s · decoded %d · learned %d · unlabelled %d · dropped %d · decode errors %d · malformed %d · stream errors %d",
		c.Received, s.Rate, c.Decoded, c.Learned, c.Unlabelled, c.Dropped, c.DecodeErrors, c.Malformed, c.StreamErrors)
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

func (s *statusBar) update(snap *pipeline.Snapshot, st app.Status, skipped uint64) {
	if t := StatusText(st); s.state.Text != t {
		s.state.SetText(t)
	}
	if t := CountersText(snap, skipped); s.counters.Text != t {
		s.counters.SetText(t)
	}
}
