package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Settings are remembered between launches with Fyne's Preferences (a
// JSON file under the user's config folder, named by the app ID). Each
// remembered control is a binding: a key, how to read the control and how
// to set it. The controls' values when the window is built are the
// defaults that "Reset to defaults" restores.

const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
	prefSerialRecent = "source.serial.recent"
)

// DefaultWindowSize is the window's size on the first launch.
var DefaultWindowSize = fyne.NewSize(1280, 800)

type prefBinding struct {
	key string
	get func() string
	set func(string)
	def string // the control's value when the window was built
	// valid, if set, checks a stored value; a bad one (a hand-edited
	// file, an older version) leaves the default.
	valid func(string) error
}

func entryBinding(key string, e *widget.Entry) prefBinding {
	return prefBinding{key: key, get: func() string { return e.Text }, set: e.SetText, valid: e.Validator}
}

func selectBinding(key string, s *widget.Select) prefBinding {
	return prefBinding{key: key, get: func() string { return s.Selected }, set: func(v string) {
		for _, o := range s.Options {
			if o == v {
				s.SetSelected(v)
				return
			}
		}
	}}
}

func radioBinding(key string, r *widget.RadioGroup) prefBinding {
	return prefBinding{key: key, get: func() string { return r.Selected }, set: func(v string) {
		for _, o := range r.Options {
			if o == v {
				r.SetSelected(v)
				return
			}
		}
	}}
}

func checkBinding(key string, c *widget.Check) prefBinding {
	return prefBinding{key: key, get: func() string { return strconv.FormatBool(c.Checked) },
		set: func(v string) { c.SetChecked(v == "true") }}
}

// prefBindings lists every remembered control.
func (u *UI) prefBindings() []prefBinding {
	c := u.conn
	b := []prefBinding{
		selectBinding("source.kind", c.kind),
		entryBinding("source.connect.host", c.host),
		entryBinding("source.connect.port", c.port),
		entryBinding("source.listen.addr", c.listenAddr),
		{key: "source.serial.path", get: c.serial.Path, set: func(v string) {
			c.serial.last = v
			c.serial.SetPath(v)
		}},
		entryBinding("source.serial.baud", c.baud),
		selectBinding("source.serial.data_bits", c.dataBits),
		selectBinding("source.serial.parity", c.parity),
		selectBinding("source.serial.stop_bits", c.stopBits),
		entryBinding("source.file.path", c.filePath),
		checkBinding("source.file.paced", c.paced),
		selectBinding("sim.scenario", c.scenario),
		radioBinding("sim.labels", c.simClass),
		entryBinding("sim.rate", c.simRate),
		entryBinding("sim.seed", c.simSeed),
		checkBinding("sim.drift", c.simDrift),
		selectBinding("learning.features", c.featureSet),
		selectBinding("learning.target", c.target),
		entryBinding("learning.max_frame", c.maxFrame),
		entryBinding("eval.label_delay", c.labelDelay),
		entryBinding("eval.freeze_after", c.freezeAfter),
		entryBinding("eval.episode_gap", c.episodeGap),
		checkBinding("record.enabled", c.record),
		{key: "record.path", get: func() string { return c.recordPath.Text }, set: func(v string) {
			// A file that exists is never recorded over: the next
			// recording goes to a new name in the same folder.
			if _, err := os.Stat(v); err == nil {
				v = filepath.Join(filepath.Dir(v), "etherlearn-"+time.Now().Format("20060102-150405")+".pcapng")
			}
			c.recordPath.SetText(v)
		}},
	}
	for _, lt := range u.learners {
		for _, p := range lt.spec.Params {
			key := "learner." + lt.spec.Name + "." + p.Name
			if e, ok := lt.entries[p.Name]; ok {
				b = append(b, entryBinding(key, e))
			}
			if s, ok := lt.selects[p.Name]; ok {
				b = append(b, selectBinding(key, s))
			}
		}
	}
	return b
}

// usePrefs reads the remembered settings into the controls, the learners'
// parameters into the session, and the window's size.
func (u *UI) usePrefs(p fyne.Preferences) {
	u.prefs = p
	u.bindings = u.prefBindings()
	for i := range u.bindings {
		u.bindings[i].def = u.bindings[i].get()
	}
	u.conn.serial.setRecent(p.StringList(prefSerialRecent))
	for _, b := range u.bindings {
		if v := p.String(b.key); v != "" && (b.valid == nil || b.valid(v) == nil) {
			b.set(v)
		}
	}
	u.applyLearnerParams()
	w, h := p.Float(prefWindowWidth), p.Float(prefWindowHeight)
	if w >= 200 && h >= 150 {
		u.win.Resize(fyne.NewSize(float32(w), float32(h)))
	} else {
		u.win.Resize(DefaultWindowSize)
	}
}

// applyLearnerParams hands the learners' forms to the session for the next
// Start; values the session rejects (a hand-edited preferences file) go
// back to the defaults.
func (u *UI) applyLearnerParams() {
	for _, lt := range u.learners {
		if err := u.sess.SetParams(lt.spec.Name, lt.Values()); err != nil {
			lt.setValues(lt.spec.Defaults())
			_ = u.sess.SetParams(lt.spec.Name, lt.Values())
		}
	}
}

// savePrefs writes the controls' values and the window's size. UI
// goroutine only; a no-op before usePrefs.
func (u *UI) savePrefs() {
	if u.prefs == nil {
		return
	}
	for _, b := range u.bindings {
		u.prefs.SetString(b.key, b.get())
	}
	u.prefs.SetStringList(prefSerialRecent, u.conn.serial.recentPaths())
	if sz := u.win.Canvas().Size(); sz.Width >= 200 && sz.Height >= 150 {
		u.prefs.SetFloat(prefWindowWidth, float64(sz.Width))
		u.prefs.SetFloat(prefWindowHeight, float64(sz.Height))
	}
}

// resetPrefs puts every control back to its default, forgets the
// remembered settings and the used serial paths, and restores the window's
// size.
func (u *UI) resetPrefs() {
	if u.prefs == nil {
		return
	}
	for _, b := range u.bindings {
		b.set(b.def)
		u.prefs.RemoveValue(b.key)
	}
	u.conn.serial.setRecent(nil)
	u.conn.serial.last = ""
	u.prefs.RemoveValue(prefSerialRecent)
	u.prefs.RemoveValue(prefWindowWidth)
	u.prefs.RemoveValue(prefWindowHeight)
	u.applyLearnerParams()
	u.win.Resize(DefaultWindowSize)
}

// setValues puts parameter values in the learner's form.
func (lt *learnerTab) setValues(values map[string]string) {
	for name, v := range values {
		if e, ok := lt.entries[name]; ok {
			e.SetText(v)
		}
		if s, ok := lt.selects[name]; ok {
			s.SetSelected(v)
		}
	}
}
