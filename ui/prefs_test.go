package ui

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/sim"
)

// buildWithPrefs builds the window as Create does, reading prefs, without
// the bridge's ticker or pollers.
func buildWithPrefs(t *testing.T, a fyne.App, prefs fyne.Preferences) *UI {
	t.Helper()
	w := a.NewWindow("EtherLearn")
	sess := app.NewSession(app.Settings{Features: "basic", Target: "in-band"})
	u := build(w, sess)
	u.usePrefs(prefs)
	t.Cleanup(u.Close)
	return u
}

// Everything the user set in one launch is back in the next: the same
// preferences store is read by a new window and a new session.
func TestSettingsSurviveARelaunch(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	prefs := a.Preferences()
	rec := filepath.Join(t.TempDir(), "next.pcapng")

	first := buildWithPrefs(t, a, prefs)
	if got := first.win.Canvas().Size(); got != DefaultWindowSize {
		t.Fatalf("first launch window %v, want %v", got, DefaultWindowSize)
	}
	defaults := map[string]string{}
	for _, b := range first.bindings {
		defaults[b.key] = b.get()
	}
	scenarios := sim.Scenarios()
	lastScenario := scenarios[len(scenarios)-1].Name
	c := first.conn
	c.kind.SetSelected(kindSerial)
	c.serial.entry.SetText("/dev/ttyACM7")
	c.baud.SetText("9600")
	c.dataBits.SetSelected("7")
	c.parity.SetSelected("even")
	c.stopBits.SetSelected("2")
	c.host.SetText("capture.example")
	c.port.SetText("57099")
	c.scenario.SetSelected(lastScenario)
	c.simClass.SetSelected("which attack")
	c.simRate.SetText("250")
	c.simSeed.SetText("42")
	c.simDrift.SetChecked(true)
	c.featureSet.SetSelected("extended")
	c.target.SetSelected("arp")
	c.maxFrame.SetText("2048")
	c.labelDelay.SetText("2s")
	c.freezeAfter.SetText("100000")
	c.episodeGap.SetText("300")
	c.record.SetChecked(true)
	c.recordPath.SetText(rec)
	_, perc := first.learnerTab("perceptron")
	perc.entries["eta0"].SetText("0.25")
	perc.apply()
	c.serial.remember("/dev/pts/77")
	first.win.Resize(fyne.NewSize(1000, 700))
	first.savePrefs()

	second := buildWithPrefs(t, a, prefs)
	c2 := second.conn
	checks := []struct{ what, got, want string }{
		{"source", c2.kind.Selected, kindSerial},
		{"serial path", c2.serial.Path(), "/dev/ttyACM7"},
		{"baud", c2.baud.Text, "9600"},
		{"data bits", c2.dataBits.Selected, "7"},
		{"parity", c2.parity.Selected, "even"},
		{"stop bits", c2.stopBits.Selected, "2"},
		{"host", c2.host.Text, "capture.example"},
		{"port", c2.port.Text, "57099"},
		{"scenario", c2.scenario.Selected, lastScenario},
		{"labels", c2.simClass.Selected, "which attack"},
		{"rate", c2.simRate.Text, "250"},
		{"seed", c2.simSeed.Text, "42"},
		{"features", c2.featureSet.Selected, "extended"},
		{"target", c2.target.Selected, "arp"},
		{"max frame", c2.maxFrame.Text, "2048"},
		{"label delay", c2.labelDelay.Text, "2s"},
		{"freeze after", c2.freezeAfter.Text, "100000"},
		{"episode gap", c2.episodeGap.Text, "300"},
		{"record path", c2.recordPath.Text, rec},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s after relaunch: %q, want %q", ch.what, ch.got, ch.want)
		}
	}
	if !c2.simDrift.Checked || !c2.record.Checked {
		t.Errorf("drift %v, record %v after relaunch", c2.simDrift.Checked, c2.record.Checked)
	}
	_, perc2 := second.learnerTab("perceptron")
	if got := perc2.entries["eta0"].Text; got != "0.25" {
		t.Errorf("perceptron eta0 in the form after relaunch: %q", got)
	}
	if got := second.sess.Settings().Params["perceptron"]["eta0"]; got != "0.25" {
		t.Errorf("perceptron eta0 in the session after relaunch: %q", got)
	}
	if got := second.win.Canvas().Size(); got != fyne.NewSize(1000, 700) {
		t.Errorf("window size after relaunch %v", got)
	}
	if got := c2.serial.recentPaths(); len(got) != 1 || got[0] != "/dev/pts/77" {
		t.Errorf("remembered serial paths after relaunch %q", got)
	}

	// Reset to defaults: every control back, the store forgets.
	second.resetPrefs()
	for _, b := range second.bindings {
		// The default record path is a new time-stamped name per launch.
		if want := defaults[b.key]; b.key != "record.path" && b.get() != want {
			t.Errorf("%s after reset: %q, want the default %q", b.key, b.get(), want)
		}
		if b.get() != b.def {
			t.Errorf("%s after reset: %q, want this launch's default %q", b.key, b.get(), b.def)
		}
		if v := prefs.String(b.key); v != "" {
			t.Errorf("%s still stored after reset: %q", b.key, v)
		}
	}
	if got, want := second.sess.Settings().Params["perceptron"]["eta0"], perc2.spec.Defaults()["eta0"]; got != want {
		t.Errorf("perceptron eta0 after reset: %q, want %q", got, want)
	}
	if got := second.win.Canvas().Size(); got != DefaultWindowSize {
		t.Errorf("window after reset %v", got)
	}
	third := buildWithPrefs(t, a, prefs)
	if third.conn.kind.Selected != defaults["source.kind"] || len(third.conn.serial.recentPaths()) != 0 {
		t.Errorf("a launch after reset shows %q and %q", third.conn.kind.Selected, third.conn.serial.recentPaths())
	}
}

// A hand-broken preferences file does not break the window: a bad
// learner value falls back to the default, an unknown choice is ignored.
func TestBadStoredSettingsFallBack(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	prefs := a.Preferences()
	prefs.SetString("learner.perceptron.eta0", "fast")
	prefs.SetString("learning.target", "no-such-target")
	prefs.SetString("eval.label_delay", "soon")
	prefs.SetString("eval.freeze_after", "-1")
	prefs.SetString("eval.episode_gap", "many")
	u := buildWithPrefs(t, a, prefs)
	for _, f := range []struct {
		name string
		e    *widget.Entry
		want string
	}{{"label delay", u.conn.labelDelay, "0"}, {"freeze after", u.conn.freezeAfter, "0"}, {"episode gap", u.conn.episodeGap, "1000"}} {
		if f.e.Text != f.want {
			t.Errorf("%s %q from a bad stored value, want the default %q", f.name, f.e.Text, f.want)
		}
	}
	if _, err := u.conn.settings(); err != nil {
		t.Errorf("the settings after bad stored values: %v", err)
	}
	_, perc := u.learnerTab("perceptron")
	if got, want := perc.entries["eta0"].Text, perc.spec.Defaults()["eta0"]; got != want {
		t.Errorf("eta0 %q, want the default %q", got, want)
	}
	if u.conn.target.Selected != "in-band" {
		t.Errorf("target %q", u.conn.target.Selected)
	}
}
