package ui

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
	"github.com/etherlearn/etherlearn/pipeline/features"
	"github.com/etherlearn/etherlearn/sim"
)

// Source kinds offered in the connection panel.
const (
	kindConnect = "TCP: connect to a capture server"
	kindListen  = "TCP: listen for senders"
	kindSerial  = "Serial device"
	kindFile    = "Capture file"
)

// connectionPanel picks a source and the learning settings, and starts and
// stops the session.
type connectionPanel struct {
	u       *UI
	content fyne.CanvasObject

	// Simulator.
	scenario     *widget.Select
	scenarioHelp *widget.Label
	simClass     *widget.RadioGroup
	simRate      *widget.Entry
	simSeed      *widget.Entry
	simDrift     *widget.Check
	startSim     *widget.Button

	// Sources.
	kind       *widget.Select
	host, port *widget.Entry
	listenAddr *widget.Entry
	serial     *serialPicker
	baud       *widget.Entry
	dataBits   *widget.Select
	parity     *widget.Select
	stopBits   *widget.Select
	filePath   *widget.Entry
	paced      *widget.Check
	forms      map[string]fyne.CanvasObject
	connect    *widget.Button

	// Learning.
	featureSet *widget.Select
	target     *widget.Select

	// Evaluation modes (the same text as run's --label-delay,
	// --freeze-after and --episode-gap).
	labelDelay  *widget.Entry
	freezeAfter *widget.Entry
	episodeGap  *widget.Entry

	// Recording and limits.
	record     *widget.Check
	recordPath *widget.Entry
	maxFrame   *widget.Entry

	disconnect *widget.Button
	progress   *widget.ProgressBar
	pause      *widget.Check
	errLabel   *widget.Label
}

func newConnectionPanel(u *UI) *connectionPanel {
	c := &connectionPanel{u: u, forms: map[string]fyne.CanvasObject{}}

	var scen []string
	for _, s := range sim.Scenarios() {
		scen = append(scen, s.Name)
	}
	summaries := map[string]string{}
	for _, s := range sim.Scenarios() {
		summaries[s.Name] = s.Summary
	}
	c.scenarioHelp = widget.NewLabel("")
	c.scenarioHelp.Wrapping = fyne.TextWrapWord
	c.scenarioHelp.SizeName = theme.SizeNameCaptionText
	c.scenario = widget.NewSelect(scen, func(name string) { c.scenarioHelp.SetText(summaries[name]) })
	if len(scen) > 0 {
		c.scenario.SetSelected(scen[0])
	}
	c.simClass = widget.NewRadioGroup([]string{"attack / normal", "which attack"}, nil)
	c.simClass.Horizontal = true
	c.simClass.SetSelected("attack / normal")
	c.simRate = widget.NewEntry()
	c.simRate.SetText("1000")
	c.simSeed = widget.NewEntry()
	c.simSeed.SetText("1")
	c.simDrift = widget.NewCheck("Concept drift", nil)
	c.startSim = widget.NewButton("Start simulator", c.onStartSim)
	c.startSim.Importance = widget.HighImportance
	simForm := widget.NewForm(
		widget.NewFormItem("Scenario", c.scenario),
		widget.NewFormItem("Labels", c.simClass),
		widget.NewFormItem("Frames/s", c.simRate),
		widget.NewFormItem("Seed", c.simSeed),
		widget.NewFormItem("", c.simDrift),
	)

	c.host = widget.NewEntry()
	c.host.SetText("127.0.0.1")
	c.port = widget.NewEntry()
	c.port.SetText(app.DefaultPort)
	c.forms[kindConnect] = widget.NewForm(widget.NewFormItem("Host", c.host), widget.NewFormItem("Port", c.port))
	c.listenAddr = widget.NewEntry()
	c.listenAddr.SetText("127.0.0.1:" + app.DefaultPort)
	c.forms[kindListen] = widget.NewForm(widget.NewFormItem("Address", c.listenAddr))
	c.serial = newSerialPicker()
	c.baud = widget.NewEntry()
	c.baud.SetText("115200")
	c.dataBits = widget.NewSelect([]string{"5", "6", "7", "8"}, nil)
	c.dataBits.SetSelected("8")
	c.parity = widget.NewSelect([]string{"none", "odd", "even", "mark", "space"}, nil)
	c.parity.SetSelected("none")
	c.stopBits = widget.NewSelect([]string{"1", "1.5", "2"}, nil)
	c.stopBits.SetSelected("1")
	c.forms[kindSerial] = container.NewVBox(widget.NewForm(
		widget.NewFormItem("Port", c.serial.entry),
		widget.NewFormItem("Baud", c.baud),
		widget.NewFormItem("Data bits", c.dataBits),
		widget.NewFormItem("Parity", c.parity),
		widget.NewFormItem("Stop bits", c.stopBits),
	), c.serial.hint)
	c.filePath = widget.NewEntry()
	c.filePath.SetPlaceHolder("capture.pcapng")
	browse := widget.NewButton("Browse…", func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				c.filePath.SetText(r.URI().Path())
				r.Close()
			}
		}, u.win)
		d.Show()
	})
	c.paced = widget.NewCheck("At the capture's own pace", nil)
	c.forms[kindFile] = container.NewVBox(
		widget.NewForm(widget.NewFormItem("File", container.NewBorder(nil, nil, nil, browse, c.filePath))), c.paced)

	kinds := []string{kindConnect, kindListen, kindSerial, kindFile}
	formStack := container.NewStack()
	for _, k := range kinds {
		formStack.Add(c.forms[k])
	}
	c.kind = widget.NewSelect(kinds, func(sel string) {
		for k, f := range c.forms {
			if k == sel {
				f.Show()
			} else {
				f.Hide()
			}
		}
		// The port list keeps itself current while it is shown.
		c.serial.setPolling(sel == kindSerial && c.u.live)
	})
	c.kind.SetSelected(kindConnect)
	c.connect = widget.NewButton("Connect", c.onConnect)

	c.featureSet = widget.NewSelect(features.SetNames(), nil)
	c.featureSet.SetSelected(u.sess.Settings().Features)
	if c.featureSet.Selected == "" {
		c.featureSet.SetSelected(pipeline.DefaultFeatures)
	}
	c.target = widget.NewSelect(pipeline.TargetNames, nil)
	c.target.SetSelected("in-band")

	// Checked as typed, with run's parser; the form shows a short reason
	// under the field (a long one would widen the panel), the panel's
	// error line the whole sentence when Start is pressed.
	c.labelDelay = evalEntry("0", "0 = instant", func(v string) error {
		_, err := app.ParseEvalModes(v, "", "")
		return shortError(err, "want frames (500) or a duration (2s)")
	})
	c.freezeAfter = evalEntry("0", "0 = never", func(v string) error {
		_, err := app.ParseEvalModes("", v, "")
		return shortError(err, "want a whole number ≥ 0")
	})
	c.episodeGap = evalEntry(strconv.Itoa(eval.DefaultEpisodeGap), strconv.Itoa(eval.DefaultEpisodeGap), func(v string) error {
		_, err := app.ParseEvalModes("", "", v)
		return shortError(err, "want a whole number ≥ 0")
	})
	delayItem := widget.NewFormItem("Label delay", c.labelDelay)
	delayItem.HintText = "frames (500) or time (2s)"
	freezeItem := widget.NewFormItem("Freeze after", c.freezeAfter)
	freezeItem.HintText = "labels learned, 0 = never"
	gapItem := widget.NewFormItem("Episode gap", c.episodeGap)
	gapItem.HintText = "normal frames that end an episode"
	evalForm := widget.NewForm(delayItem, freezeItem, gapItem)

	c.record = widget.NewCheck("Record received frames (pcapng)", nil)
	c.recordPath = widget.NewEntry()
	c.recordPath.SetText(defaultRecordPath())
	c.maxFrame = widget.NewEntry()
	c.maxFrame.SetText("65535")

	c.disconnect = widget.NewButton("Disconnect", c.stop)
	c.disconnect.Disable()
	c.progress = widget.NewProgressBar()
	c.progress.Hide()
	c.pause = widget.NewCheck("Pause", func(p bool) { u.sess.PauseFile(p) })
	c.pause.Hide()
	c.errLabel = widget.NewLabel("")
	c.errLabel.Wrapping = fyne.TextWrapWord
	c.errLabel.Importance = widget.DangerImportance
	c.errLabel.Hide()

	c.content = container.NewVBox(
		boldLabel("Simulator"), simForm, c.scenarioHelp, c.startSim,
		widget.NewSeparator(),
		boldLabel("Source"), c.kind, formStack, c.connect,
		widget.NewSeparator(),
		boldLabel("Learning"),
		widget.NewForm(widget.NewFormItem("Features", c.featureSet), widget.NewFormItem("Target", c.target),
			widget.NewFormItem("Max frame", c.maxFrame)),
		c.record, c.recordPath,
		widget.NewSeparator(),
		boldLabel("Evaluation"), evalForm,
		widget.NewSeparator(),
		c.disconnect, c.progress, c.pause, c.errLabel,
	)
	return c
}

func (c *connectionPanel) settings() (app.Settings, error) {
	st := c.u.sess.Settings()
	st.Features = c.featureSet.Selected
	st.Target = c.target.Selected
	mf, err := strconv.Atoi(strings.TrimSpace(c.maxFrame.Text))
	if err != nil || mf < 64 || mf > 1<<24 {
		return st, fmt.Errorf("max frame must be a whole number of bytes from 64 to %d, not %q", 1<<24, c.maxFrame.Text)
	}
	st.MaxFrame = mf
	modes, err := c.evalModes()
	if err != nil {
		return st, err
	}
	st.Eval = modes
	st.RecordPath, st.Force = "", false
	if c.record.Checked {
		st.RecordPath = strings.TrimSpace(c.recordPath.Text)
		if st.RecordPath == "" {
			return st, fmt.Errorf("enter a file to record to")
		}
	}
	return st, nil
}

// evalModes reads the evaluation fields with run's parser.
func (c *connectionPanel) evalModes() (pipeline.EvalModes, error) {
	return app.ParseEvalModes(c.labelDelay.Text, c.freezeAfter.Text, c.episodeGap.Text)
}

// shortError is reason when err is set.
func shortError(err error, reason string) error {
	if err != nil {
		return errors.New(reason)
	}
	return nil
}

// evalEntry is an entry for an evaluation mode, checked as it is typed.
func evalEntry(text, placeholder string, valid func(string) error) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(text)
	e.SetPlaceHolder(placeholder)
	e.Validator = valid
	return e
}

func (c *connectionPanel) start(src app.SourceConfig) {
	st, err := c.settings()
	if err != nil {
		c.u.showError(err)
		return
	}
	// The same checks as `run`, before anything starts; replacing an
	// existing recording needs the user's yes.
	if err := app.Validate(src, st); err != nil {
		var exists *app.ExistsError
		if errors.As(err, &exists) {
			dialog.ShowConfirm("Replace the file?", fmt.Sprintf("%s already exists. Replace it with this session's recording?", exists.Path),
				func(yes bool) {
					if yes {
						st.Force = true
						c.startValidated(src, st)
					}
				}, c.u.win)
			return
		}
		c.u.showError(err)
		return
	}
	c.startValidated(src, st)
}

func (c *connectionPanel) startValidated(src app.SourceConfig, st app.Settings) {
	c.u.sess.SetSettings(st)
	c.u.showError(nil)
	// Opening a source can take a while (a serial device, a dial); the
	// session does it in the background and the status line reports it.
	c.u.sess.StartInBackground(src, nil)
	c.u.toolbar.started(src, st)
	c.u.savePrefs()
	if c.record.Checked {
		// The next recording goes to a new file.
		c.recordPath.SetText(defaultRecordPath())
	}
}

// stop disconnects in the background; the status line reports it.
func (c *connectionPanel) stop() {
	c.u.sess.StopInBackground(nil)
}

// defaultRecordPath is a new file name in the user's home folder.
func defaultRecordPath() string {
	dir, err := os.UserHomeDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "etherlearn-"+time.Now().Format("20060102-150405")+".pcapng")
}

func (c *connectionPanel) onStartSim() {
	rate, err := strconv.ParseFloat(strings.TrimSpace(c.simRate.Text), 64)
	if err != nil || rate < 0 {
		c.u.showError(fmt.Errorf("frames/s must be a number ≥ 0 (0 = as fast as possible), not %q", c.simRate.Text))
		return
	}
	seed, err := strconv.ParseInt(strings.TrimSpace(c.simSeed.Text), 10, 64)
	if err != nil {
		c.u.showError(fmt.Errorf("seed must be a whole number, not %q", c.simSeed.Text))
		return
	}
	// The simulator's labels are in-band: learn them unless the user picked a rule.
	c.start(app.SourceConfig{Kind: app.SourceSim, Scenario: c.scenario.Selected, Rate: rate, Seed: seed,
		Multiclass: c.simClass.Selected == "which attack", Drift: c.simDrift.Checked})
}

func (c *connectionPanel) onConnect() {
	switch c.kind.Selected {
	case kindConnect:
		host := strings.TrimSpace(c.host.Text)
		port := strings.TrimSpace(c.port.Text)
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			c.u.showError(fmt.Errorf("port must be a number from 1 to 65535, not %q", port))
			return
		}
		c.start(app.SourceConfig{Kind: app.SourceConnect, Addr: net.JoinHostPort(strings.Trim(host, "[]"), port)}) // IPv6 works
	case kindListen:
		c.start(app.SourceConfig{Kind: app.SourceListen, Addr: strings.TrimSpace(c.listenAddr.Text)})
	case kindSerial:
		baud, err := strconv.Atoi(strings.TrimSpace(c.baud.Text))
		if err != nil || baud <= 0 {
			c.u.showError(fmt.Errorf("baud must be a positive whole number, not %q", c.baud.Text))
			return
		}
		db, _ := strconv.Atoi(c.dataBits.Selected)
		sb, _ := strconv.ParseFloat(c.stopBits.Selected, 64)
		path := c.serial.Path()
		c.serial.remember(path)
		c.start(app.SourceConfig{Kind: app.SourceSerial, Path: path, Baud: baud,
			DataBits: db, Parity: c.parity.Selected, StopBits: sb})
	case kindFile:
		c.start(app.SourceConfig{Kind: app.SourceFile, Path: strings.TrimSpace(c.filePath.Text), Paced: c.paced.Checked})
	}
}

// update follows the session's state. UI goroutine only.
func (c *connectionPanel) update(st app.Status, progress float64, isFile, running bool) {
	// One run at a time: Stop (or the toolbar's Restart) first.
	setEnabled(c.disconnect, running)
	setEnabled(c.startSim, !running)
	setEnabled(c.connect, !running)
	if isFile {
		c.progress.Show()
		c.pause.Show()
		c.progress.SetValue(progress)
	} else {
		c.progress.Hide()
		c.pause.Hide()
	}
}

// panelKinds maps a source kind to the panel's choice.
var panelKinds = map[app.SourceKind]string{app.SourceConnect: kindConnect, app.SourceListen: kindListen,
	app.SourceSerial: kindSerial, app.SourceFile: kindFile}

// startKind starts a source of the given kind from the panel's fields.
func (c *connectionPanel) startKind(kind app.SourceKind) {
	if k, ok := panelKinds[kind]; ok {
		c.kind.SetSelected(k)
	}
	c.onConnect()
}

// changedSince names the panel's settings that differ from what the
// running source was started with ("" when none): they apply on restart.
func (c *connectionPanel) changedSince(src app.SourceConfig, st app.Settings) string {
	var ch []string
	if c.featureSet.Selected != st.Features {
		ch = append(ch, "Features")
	}
	if c.target.Selected != st.Target {
		ch = append(ch, "Target")
	}
	if mf, err := strconv.Atoi(strings.TrimSpace(c.maxFrame.Text)); err == nil && mf != st.MaxFrame {
		ch = append(ch, "Max frame")
	}
	if m, err := c.evalModes(); err == nil {
		if m.LabelDelayFrames != st.Eval.LabelDelayFrames || m.LabelDelay != st.Eval.LabelDelay {
			ch = append(ch, "Label delay")
		}
		if m.FreezeAfter != st.Eval.FreezeAfter {
			ch = append(ch, "Freeze after")
		}
		if gapOrDefault(m.EpisodeGap) != gapOrDefault(st.Eval.EpisodeGap) {
			ch = append(ch, "Episode gap")
		}
	}
	if src.Kind == app.SourceSim {
		if c.scenario.Selected != src.Scenario {
			ch = append(ch, "Scenario")
		}
		if r, err := strconv.ParseFloat(strings.TrimSpace(c.simRate.Text), 64); err == nil && r != src.Rate {
			ch = append(ch, "Frames/s")
		}
		if sd, err := strconv.ParseInt(strings.TrimSpace(c.simSeed.Text), 10, 64); err == nil && sd != src.Seed {
			ch = append(ch, "Seed")
		}
		if (c.simClass.Selected == "which attack") != src.Multiclass {
			ch = append(ch, "Labels")
		}
		if c.simDrift.Checked != src.Drift {
			ch = append(ch, "Concept drift")
		}
	}
	return strings.Join(ch, ", ")
}

// gapOrDefault is the episode gap in effect (0 means the default).
func gapOrDefault(gap int) int {
	if gap <= 0 {
		return eval.DefaultEpisodeGap
	}
	return gap
}
