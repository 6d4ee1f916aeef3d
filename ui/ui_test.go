package ui

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/sim"
)

// newTestUI builds the window on Fyne's headless test driver. The bridge's
// ticker is not started: tests call tickUntil on their own goroutine, which
// is the test driver's UI goroutine.
func newTestUI(t *testing.T) *UI {
	t.Helper()
	a := test.NewApp()
	w := a.NewWindow("EtherLearn")
	sess := app.NewSession(app.Settings{Features: "basic", Target: "in-band"})
	u := build(w, sess)
	w.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() {
		u.Close()
		a.Quit()
	})
	return u
}

// tickUntil runs the bridge until cond holds. The deadline only guards
// against a hang; nothing here measures time.
func tickUntil(t *testing.T, u *UI, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached in 60s; status %q", what, u.status.state.Text)
		}
		time.Sleep(RefreshInterval)
		u.bridge.tick()
	}
}

func (u *UI) learnerTab(name string) (int, *learnerTab) {
	for i, lt := range u.learners {
		if lt.spec.Name == name {
			return i + 2, lt // after Overview and Frames
		}
	}
	return -1, nil
}

func TestStartSimulatorFillsTableAndPlot(t *testing.T) {
	u := newTestUI(t)
	idx, perc := u.learnerTab("perceptron")
	if perc == nil {
		t.Fatal("no Perceptron tab")
	}
	u.tabs.SelectIndex(idx)
	u.conn.simRate.SetText("2000")
	test.Tap(u.conn.startSim)
	if u.conn.errLabel.Visible() {
		t.Fatalf("error after Start simulator: %s", u.conn.errLabel.Text)
	}
	tickUntil(t, u, "plot points", func() bool { return perc.points > 2 })
	if !strings.Contains(u.status.state.Text, "simulator: default scenario") || !strings.Contains(u.status.state.Text, "pcapng") {
		t.Errorf("status line %q does not name the simulator and the detected format", u.status.state.Text)
	}
	if img := perc.chart.image.Image; img == nil || img.Bounds().Dx() < 100 {
		t.Errorf("perceptron chart not drawn: %v", img)
	}
	// The table fills once shown.
	u.tabs.Select(u.framesTab)
	tickUntil(t, u, "table rows", func() bool { return u.table.Rows() > 50 })
	// The table shows the label and the predictions first, MAC addresses
	// with their codes later.
	row := u.table.Rows() - 1
	if got := u.table.headers[colLabel]; got != "label" {
		t.Errorf("label column %q", got)
	}
	if got := u.table.headers[fixedCols]; got != ShortName(u.sess.Snapshot().Learners[0].Display) {
		t.Errorf("first prediction column %q", got)
	}
	macCol := fixedCols + u.table.nLearn + 2
	if got, _ := u.table.CellText(row, macCol); !strings.Contains(got, ":") || !strings.Contains(got, "#") {
		t.Errorf("dst_mac cell %q", got)
	}
	if got := u.table.headers[macCol]; got != "dst_mac" {
		t.Errorf("header %q", got)
	}
	if !strings.Contains(u.status.counters.Text, "frames ") {
		t.Errorf("counters %q", u.status.counters.Text)
	}
	test.Tap(u.conn.disconnect)
	tickUntil(t, u, "stopped", func() bool { return !u.sess.Running() })
}

func TestBadPortIsAClearErrorAndTheAppCarriesOn(t *testing.T) {
	u := newTestUI(t)
	u.conn.kind.SetSelected(kindConnect)
	u.conn.port.SetText("http")
	test.Tap(u.conn.connect)
	if !u.conn.errLabel.Visible() || !strings.Contains(u.conn.errLabel.Text, "port") {
		t.Fatalf("error label %q visible=%v", u.conn.errLabel.Text, u.conn.errLabel.Visible())
	}
	if u.sess.Running() {
		t.Fatal("session started with a bad port")
	}
}

func TestRefusedConnectionSaysSoAndRetries(t *testing.T) {
	// A port with nothing listening: take one, then close it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()

	u := newTestUI(t)
	u.conn.kind.SetSelected(kindConnect)
	u.conn.host.SetText("127.0.0.1")
	u.conn.port.SetText(port)
	test.Tap(u.conn.connect)
	tickUntil(t, u, "reconnecting status", func() bool {
		return strings.HasPrefix(u.status.state.Text, string(app.StateReconnecting))
	})
	if !u.sess.Running() {
		t.Fatal("session gave up instead of retrying")
	}
}

func TestLearnerParamsRejectBadValues(t *testing.T) {
	u := newTestUI(t)
	_, perc := u.learnerTab("perceptron")
	perc.entries["eta0"].SetText("fast")
	perc.apply()
	if !strings.Contains(perc.errMsg.Text, "eta0") {
		t.Fatalf("error %q", perc.errMsg.Text)
	}
	perc.entries["eta0"].SetText("0.5")
	perc.apply()
	if perc.errMsg.Text != "" {
		t.Fatalf("error %q for a good value", perc.errMsg.Text)
	}
	if got := u.sess.Settings().Params["perceptron"]["eta0"]; got != "0.5" {
		t.Fatalf("kept params %q", got)
	}
}

// A capture file replays through the panel: the table fills, the progress
// bar shows, and the state ends as finished; with Record on, the frames go
// to a pcapng file too.
func TestFileSourceWithRecording(t *testing.T) {
	dir := t.TempDir()
	capture := filepath.Join(dir, "in.pcapng")
	f, err := os.Create(capture)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Stream(context.Background(), f, sim.Config{Count: 3000, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	f.Close()

	u := newTestUI(t)
	u.conn.kind.SetSelected(kindFile)
	u.conn.filePath.SetText(capture)
	u.conn.record.SetChecked(true)
	rec := filepath.Join(dir, "rec.pcapng")
	u.conn.recordPath.SetText(rec)
	test.Tap(u.conn.connect)
	if u.conn.errLabel.Visible() {
		t.Fatalf("error: %s", u.conn.errLabel.Text)
	}
	u.tabs.Select(u.framesTab)
	tickUntil(t, u, "file finished", func() bool {
		// The source finishes before the pipeline has drained its queue:
		// wait for the session to end too.
		return strings.HasPrefix(u.status.state.Text, string(app.StateFinished)) && u.table.Rows() > 0 && !u.sess.Running()
	})
	if !strings.Contains(u.status.state.Text, "recording to "+rec) {
		t.Errorf("status %q does not say it records", u.status.state.Text)
	}
	if s := u.sess.Snapshot(); s.Counters.Received != 3000 || s.Counters.Labelled != 3000 {
		t.Fatalf("counters %+v", s.Counters)
	}
	if fi, err := os.Stat(rec); err != nil || fi.Size() < 3000*60 {
		t.Fatalf("recording %v %v", fi, err)
	}
}

// With the extended feature set the table shows every feature, raw and
// scaled, with its name in the header.
func TestExtendedFeaturesInTheTable(t *testing.T) {
	u := newTestUI(t)
	u.conn.featureSet.SetSelected("extended")
	u.conn.simRate.SetText("0")
	test.Tap(u.conn.startSim)
	u.tabs.Select(u.framesTab)
	tickUntil(t, u, "rows", func() bool { return u.table.Rows() > 10 })
	snap := u.sess.Snapshot()
	if snap.FeatureSet != "extended" || len(snap.Features) < 20 {
		t.Fatalf("feature set %q with %d features", snap.FeatureSet, len(snap.Features))
	}
	want := fixedCols + len(snap.Learners) + 2 + len(snap.Features) + 1
	if len(u.table.headers) != want {
		t.Fatalf("%d columns, want %d", len(u.table.headers), want)
	}
	first := fixedCols + len(snap.Learners) + 2
	for i, f := range snap.Features {
		if u.table.headers[first+i] != f.Name {
			t.Errorf("column %d is %q, want %q", first+i, u.table.headers[first+i], f.Name)
		}
	}
	row := u.table.Rows() - 1
	for col := first; col < first+len(snap.Features); col++ {
		if got, _ := u.table.CellText(row, col); got == "" {
			t.Errorf("empty cell in column %q", u.table.headers[col])
		}
	}
	// With scaled columns on, each feature is followed by its scaled value.
	u.table.scaled.SetChecked(true)
	if got := u.table.headers[first+1]; got != snap.Features[0].Name+" ·s" {
		t.Errorf("scaled column header %q", got)
	}
}

// The window must fit a small laptop screen: every part shrinks or
// scrolls rather than forcing a wide minimum.
func TestWindowFitsASmallScreen(t *testing.T) {
	u := newTestUI(t)
	if min := u.win.Content().MinSize(); min.Width > 1024 || min.Height > 600 {
		t.Fatalf("window content needs at least %v, more than 1024×600", min)
	}
}

// sliceError is an error whose dynamic type is not comparable: == on two
// interfaces holding it panics.
type sliceError []string

func (e sliceError) Error() string { return strings.Join(e, "; ") }

// TestSameStatusWithNonComparableError: the bridge's "anything new?" check
// must not compare a status error with == (it used to, and panicked).
func TestSameStatusWithNonComparableError(t *testing.T) {
	st := func(err error) app.Status {
		return app.Status{State: app.StateFailed, Message: "x", Err: err}
	}
	a, b := st(sliceError{"read", "reset"}), st(sliceError{"read", "reset"})
	if !sameStatus(a, b) {
		t.Error("equal non-comparable errors: statuses differ")
	}
	if sameStatus(a, st(sliceError{"read", "eof"})) {
		t.Error("different errors: statuses the same")
	}
	if sameStatus(a, st(nil)) || sameStatus(st(nil), a) {
		t.Error("error against no error: statuses the same")
	}
	if !sameStatus(st(nil), st(nil)) {
		t.Error("no error: statuses differ")
	}
	c := st(sliceError{"read", "reset"})
	c.Message = "y"
	if sameStatus(a, c) {
		t.Error("another message: statuses the same")
	}
}
