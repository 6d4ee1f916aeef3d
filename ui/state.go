package ui

import "fyne.io/fyne/v2"

// State is a machine-readable summary of what the window shows. It lets a
// test drive the real window from outside (xdotool, in main_test.go) and
// check what it shows without reading pixels.
type State struct {
	CanvasScale float32    `json:"canvas_scale"`
	StartSim    ObjectRect `json:"start_sim_button"`
	// Tabs are the side tab buttons by name ("Overview", "Frames", and
	// each learner's display name), for clicking them from outside.
	Tabs        map[string]ObjectRect `json:"tabs"`
	Tab         string                `json:"tab"` // the tab shown
	TableRows   int                   `json:"table_rows"`
	ChartPoints int                   `json:"chart_points"` // points in the visible chart's series
	ChartWidth  int                   `json:"chart_width"`  // pixels of the last chart image drawn
	Frames      uint64                `json:"frames"`
	Status      string                `json:"status"`
	Counters    string                `json:"counters"`
	// Evaluation is the line above the tabs that names the run's
	// evaluation mode ("" before a run).
	Evaluation string `json:"evaluation"`
}

// ObjectRect is an object's position and size in canvas units.
type ObjectRect struct {
	X, Y, W, H float32
}

// State collects the State. Call it on the UI goroutine (inside fyne.Do).
func (u *UI) State() State {
	d := fyne.CurrentApp().Driver()
	pos := d.AbsolutePositionForObject(u.conn.startSim)
	sz := u.conn.startSim.Size()
	st := State{
		CanvasScale: u.win.Canvas().Scale(),
		StartSim:    ObjectRect{pos.X, pos.Y, sz.Width, sz.Height},
		TableRows:   u.table.Rows(),
		ChartPoints: u.chartPoints(),
		Status:      u.status.state.Text,
		Counters:    u.status.counters.Text,
	}
	if u.evalLine.shown {
		st.Evaluation = u.evalLine.text.Text
	}
	st.Tabs = map[string]ObjectRect{}
	for i, b := range u.tabs.buttons {
		p, sz := d.AbsolutePositionForObject(b), b.Size()
		st.Tabs[u.tabs.Items[i].Text] = ObjectRect{p.X, p.Y, sz.Width, sz.Height}
	}
	if it := u.tabs.Selected(); it != nil {
		st.Tab = it.Text
	}
	if img := u.overview.chart.image.Image; img != nil {
		st.ChartWidth = img.Bounds().Dx()
	}
	if s := u.sess.Snapshot(); s != nil {
		st.Frames = s.Counters.Received
	}
	return st
}

// chartPoints is the number of points in the visible chart.
func (u *UI) chartPoints() int {
	if lt := u.visibleLearner(); lt != nil {
		return lt.points
	}
	return u.overview.points
}
