package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
)

// eventLogLines is how many of the session's events the window shows.
const eventLogLines = 6

// eventLog shows the session's most recent events (connections, failures
// and their reasons, retries, recording failures), newest first, so that
// a failure stays visible after the status line has moved on.
type eventLog struct {
	content fyne.CanvasObject
	text    *widget.Label
	count   int
	last    time.Time
}

func newEventLog() *eventLog {
	l := &eventLog{text: widget.NewLabel("No events yet.")}
	l.text.Wrapping = fyne.TextWrapWord
	l.content = container.NewVBox(widget.NewSeparator(), boldLabel("Recent events"), l.text)
	return l
}

// EventLogText is the log's text for a list of events (oldest first).
func EventLogText(events []app.Event) string {
	if len(events) == 0 {
		return "No events yet."
	}
	var b strings.Builder
	for i := len(events) - 1; i >= 0 && i >= len(events)-eventLogLines; i-- {
		e := events[i]
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Time.Format("15:04:05"))
		if e.Failure {
			b.WriteString(" ⚠")
		}
		b.WriteString(" " + e.Message)
	}
	return b.String()
}

// update redraws the log when an event was added. UI goroutine only.
func (l *eventLog) update(events []app.Event) {
	var last time.Time
	if len(events) > 0 {
		last = events[len(events)-1].Time
	}
	if len(events) == l.count && last.Equal(l.last) {
		return
	}
	l.count, l.last = len(events), last
	l.text.SetText(EventLogText(events))
}
