// Package ui holds every Fyne widget of EtherLearn: the connection panel,
// the live feature table, one tab per learner with its go-chart plot, the
// overview, and the status line.
//
// Background work reaches widgets in one place only: the bridge (bridge.go)
// takes the newest pipeline snapshot at most 20 times a second, renders the
// visible chart off the UI goroutine and applies everything in one fyne.Do.
package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/classifiers"
)

// UI is the main window's content and the bridge that feeds it.
type UI struct {
	win  fyne.Window
	sess *app.Session

	conn     *connectionPanel
	table    *frameTable
	overview *overviewTab
	learners []*learnerTab
	status   *statusBar
	events   *eventLog
	tabs     *container.AppTabs

	bridge *bridge

	// live is set for the real window (Create): background pollers run
	// only then, tests drive everything from their own goroutine.
	live bool
	// prefs remembers the settings between launches (prefs.go).
	prefs     fyne.Preferences
	bindings  []prefBinding
	closeOnce sync.Once
}

// Create builds the window's content for a session and starts the bridge.
// Call Close when the window closes.
func Create(a fyne.App, w fyne.Window, sess *app.Session) *UI {
	u := build(w, sess)
	u.live = true
	u.usePrefs(a.Preferences())
	w.SetMainMenu(u.mainMenu(a))
	u.bridge.start()
	return u
}

// build makes the widgets without starting the bridge's ticker (tests
// drive it with bridge.tick on their own goroutine).
func build(w fyne.Window, sess *app.Session) *UI {
	u := &UI{win: w, sess: sess}
	u.status = newStatusBar()
	u.table = newFrameTable()
	u.overview = newOverviewTab()
	u.conn = newConnectionPanel(u)
	u.events = newEventLog()

	// The first tab shows the live table above the comparison of all
	// learners, so the frames and the learning are seen together.
	live := container.NewVSplit(u.table.content, u.overview.content)
	live.Offset = 0.45
	items := []*container.TabItem{container.NewTabItem("Overview", live)}
	for _, spec := range classifiers.Specs() {
		if spec.Baseline {
			continue
		}
		lt := newLearnerTab(u, spec)
		u.learners = append(u.learners, lt)
		items = append(items, container.NewTabItem(spec.Display, lt.content))
	}
	u.tabs = container.NewAppTabs(items...)
	u.bridge = newBridge(u)
	u.tabs.OnSelected = func(*container.TabItem) { u.bridge.setVisible(u.visibleChart()) }
	u.bridge.setVisible(u.visibleChart())

	left := container.NewVScroll(container.NewVBox(u.conn.content, u.events.content))
	split := container.NewHSplit(left, u.tabs)
	split.Offset = 0.24
	w.SetContent(container.NewBorder(nil, u.status.content, nil, nil, split))
	return u
}

// visibleChart names what the bridge should draw: "overview", a learner's
// name, or "" when no chart is visible. Called on the UI goroutine.
func (u *UI) visibleChart() string {
	cur := u.tabs.Selected()
	if cur == nil {
		return ""
	}
	if cur == u.tabs.Items[0] {
		return "overview"
	}
	for _, lt := range u.learners {
		if cur.Content == lt.content {
			return lt.spec.Name
		}
	}
	return ""
}

// Close remembers the settings and ends everything at once: the bridge,
// the serial port poller and the session (without learning what is still
// queued; a recording is closed complete). It may be called more than once.
func (u *UI) Close() {
	u.closeOnce.Do(func() {
		u.savePrefs()
		u.bridge.stop()
		u.conn.serial.setPolling(false)
		u.sess.Shutdown()
	})
}

// showError shows a one-sentence error under the connection panel; the
// app keeps running.
func (u *UI) showError(err error) {
	if err == nil {
		u.conn.errLabel.SetText("")
		u.conn.errLabel.Hide()
		return
	}
	u.conn.errLabel.SetText(err.Error())
	u.conn.errLabel.Show()
}

func boldLabel(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
