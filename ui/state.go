package ui

import "fyne.io/fyne/v2"

// State is a machine-readable summary of what the window shows. It lets a
// test drive the real window from outside (xdotool, in main_test.go) and
// check what it shows without reading pixels.
type State struct {
	CanvasScale float32    `json:"canvas_scale"`
	StartSim    ObjectRect `json:"start_sim_button"`
	TableRows   int        `json:"table_rows"`
	ChartPoints int        `json:"chart_points"` // points in the visible chart's series
	ChartWidth  int        `json:"chart_width"`  // pixels of the last chart image drawn
	Frames      uint64     `json:"frames"`
	Status      string     `json:"status"`
	Counters    string     `json:"counters"`
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
		ChartPoints: u.overview.points,
		Status:      u.status.state.Text,
		Counters:    u.status.counters.Text,
	}
	if img := u.overview.chart.Image; img != nil {
		st.ChartWidth = img.Bounds().Dx()
	}
	if u.table.snap != nil {
		st.Frames = u.table.snap.Counters.Received
	}
	return st
}
