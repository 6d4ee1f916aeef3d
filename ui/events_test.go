package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
)

// findButton returns the button labelled text in o's widget tree.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	if b, ok := o.(*widget.Button); ok && b.Text == text {
		return b
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, child := range c.Objects {
			if b := findButton(t, child, text); b != nil {
				return b
			}
		}
	}
	if w, ok := o.(fyne.Widget); ok {
		r := test.TempWidgetRenderer(t, w)
		for _, child := range r.Objects() {
			if b := findButton(t, child, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// Record onto an existing file asks first: nothing starts and the file is
// untouched until the user says yes; then the recording replaces it. The
// event log shows what happened.
func TestRecordAsksBeforeReplacing(t *testing.T) {
	u := newTestUI(t)
	path := filepath.Join(t.TempDir(), "rec.pcapng")
	if err := os.WriteFile(path, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	u.conn.record.SetChecked(true)
	u.conn.recordPath.SetText(path)
	u.conn.simRate.SetText("2000")
	test.Tap(u.conn.startSim)
	if u.sess.Running() {
		t.Fatal("started before the user agreed to replace the recording")
	}
	overlay := u.win.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no confirmation dialog")
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Fatal("the file was touched before the user agreed")
	}
	yes := findButton(t, overlay, "Yes")
	if yes == nil {
		t.Fatal("no Yes button in the dialog")
	}
	test.Tap(yes)
	// Start runs in the background: wait for the frames it brings.
	tickUntil(t, u, "frames after Yes", func() bool {
		s := u.sess.Snapshot()
		return u.sess.Running() && s != nil && s.Counters.Received > 10
	})
	u.sess.Stop()
	if b, _ := os.ReadFile(path); string(b) == "precious" || len(b) < 100 {
		t.Fatalf("the recording did not replace the file (%d bytes)", len(b))
	}
	tickUntil(t, u, "event log", func() bool { return strings.Contains(u.events.text.Text, "Receiving pcapng") })
}

// A bad setting is refused before anything starts, with one sentence.
func TestConnectValidatesFirst(t *testing.T) {
	u := newTestUI(t)
	u.conn.kind.SetSelected(kindFile)
	u.conn.filePath.SetText(filepath.Join(t.TempDir(), "missing.pcap"))
	u.conn.onConnect()
	if u.sess.Running() || !strings.Contains(u.conn.errLabel.Text, "no such file or directory") {
		t.Fatalf("running %v, error %q", u.sess.Running(), u.conn.errLabel.Text)
	}
}

func TestEventLogText(t *testing.T) {
	var evs []app.Event
	if EventLogText(evs) != "No events yet." {
		t.Error("empty log")
	}
	for i := range 10 {
		evs = append(evs, app.Event{Kind: "reconnecting", Message: "attempt " + string(rune('0'+i)), Failure: i%2 == 1})
	}
	lines := strings.Split(EventLogText(evs), "\n")
	if len(lines) != eventLogLines || !strings.HasSuffix(lines[0], "⚠ attempt 9") || !strings.HasSuffix(lines[5], " attempt 4") {
		t.Errorf("log %q", lines)
	}
}
