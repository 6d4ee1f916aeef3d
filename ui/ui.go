// Package ui holds every Fyne widget of EtherLearn: the toolbar, the
// connection panel, the overview (leaderboard and chart), the live frame
// table, one tab per learner with its chart, scores and hyper-parameters,
// and the status line.
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

	toolbar   *toolbar
	conn      *connectionPanel
	table     *frameTable
	overview  *overviewTab
	learners  []*learnerTab
	status    *statusBar
	hint      *labelHint
	evalLine  *evalLine
	tabs      *sideTabs
	events    *eventLog
	framesTab *container.TabItem
	split     *container.Split

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
	u.status = newStatusBar(u)
	u.table = newFrameTable(u)
	u.overview = newOverviewTab(u)
	u.conn = newConnectionPanel(u)
	u.toolbar = newToolbar(u)
	u.hint = newLabelHint(u)
	u.evalLine = newEvalLine()
	u.events = newEventLog()

	u.framesTab = container.NewTabItem("Frames", u.table.content)
	items := []*container.TabItem{container.NewTabItem("Overview", u.overview.content), u.framesTab}
	for _, spec := range classifiers.Specs() {
		if spec.Baseline {
			continue
		}
		lt := newLearnerTab(u, spec)
		u.learners = append(u.learners, lt)
		items = append(items, container.NewTabItem(spec.Display, lt.content))
	}
	u.tabs = newSideTabs(items...)
	u.bridge = newBridge(u)
	u.toolbar.applyRate()
	u.tabs.OnSelected = func(*container.TabItem) { u.bridge.setOptions(u.chartOptions()) }
	u.bridge.setOptions(u.chartOptions())

	left := container.NewVScroll(container.NewVBox(u.conn.content, u.events.content))
	u.split = container.NewHSplit(left, container.NewBorder(container.NewVBox(u.evalLine.content, u.hint.content), nil, nil, nil, u.tabs.content))
	u.split.Offset = 0.24
	w.SetContent(container.NewBorder(u.toolbar.content, u.status.content, nil, nil, u.split))
	return u
}

// visibleLearner is the learner tab shown, or nil.
func (u *UI) visibleLearner() *learnerTab {
	cur := u.tabs.Selected()
	for _, lt := range u.learners {
		if cur != nil && cur.Content == lt.content {
			return lt
		}
	}
	return nil
}

// chartOptions says which chart is visible and how to draw it (zero when
// no chart is visible). UI goroutine only.
func (u *UI) chartOptions() chartOptions {
	cur := u.tabs.Selected()
	switch {
	case cur == nil:
		return chartOptions{}
	case cur == u.tabs.Items[0]:
		return u.overview.chart.options()
	}
	if lt := u.visibleLearner(); lt != nil {
		return lt.chart.options()
	}
	return chartOptions{}
}

// apply updates the widgets from one tick; hidden tabs are left alone (they
// catch up when shown). UI goroutine only.
func (u *UI) apply(up update) {
	cur := u.tabs.Selected()
	if !up.chartOnly {
		u.status.update(up.snap, up.status, up.running, up.skipped)
		u.conn.update(up.status, up.progress, up.isFile, up.running)
		u.toolbar.update(up.snap, up.running)
		u.hint.update(up.snap, up.running)
		u.evalLine.update(up.snap, up.running)
		u.events.update(u.sess.Events())
		if up.snap != nil && cur == u.framesTab {
			u.table.update(up.snap)
		}
	}
	if up.snap == nil {
		return
	}
	if cur == u.tabs.Items[0] {
		u.overview.update(up.snap, !up.chartOnly, up.redraw && up.opts.Target == "overview", up.img, up.points)
	}
	if lt := u.visibleLearner(); lt != nil {
		lt.update(up.snap, !up.chartOnly, up.redraw && up.opts.Target == lt.spec.Name, up.img, up.points)
	}
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
	u.revealError()
}

// revealError brings the error line into view: the panel comes back if
// it was folded away (Start in the toolbar works without it) and scrolls
// to the line.
func (u *UI) revealError() {
	if u.toolbar != nil && u.toolbar.panelOff {
		u.toolbar.togglePanel()
	}
	scroll, ok := u.split.Leading.(*container.Scroll)
	if !ok {
		return
	}
	u.conn.content.Refresh() // lay out the line just shown
	top := u.conn.content.Position().Y + u.conn.errLabel.Position().Y
	bottom := top + u.conn.errLabel.MinSize().Height
	view := scroll.Size().Height
	switch {
	case bottom > scroll.Offset.Y+view:
		scroll.Offset.Y = bottom - view
	case top < scroll.Offset.Y:
		scroll.Offset.Y = top
	default:
		return
	}
	scroll.Refresh()
}

func boldLabel(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
