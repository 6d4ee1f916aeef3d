package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"

	"github.com/etherlearn/etherlearn/app"
)

// Keyboard shortcuts of the main menu (Ctrl on Linux and Windows, Cmd on
// macOS). The menu shows them next to each item.
var (
	shortcutOpen       = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutRecord     = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	shortcutExport     = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutQuit       = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutStartSim   = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutConnect    = &desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutDisconnect = &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault}
)

// mainMenu builds File, Run and Help. The Run items call the same actions
// as the connection panel's buttons.
func (u *UI) mainMenu(a fyne.App) *fyne.MainMenu {
	c := u.conn
	item := func(label string, sc fyne.Shortcut, action func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, action)
		it.Shortcut = sc
		return it
	}
	// Fyne fills in a Quit item's action: it closes the window as the
	// window manager's close button does, so the same clean shutdown runs.
	quit := item(lang.L("Quit"), shortcutQuit, nil)
	quit.IsQuit = true

	file := fyne.NewMenu("File",
		item("Open capture…", shortcutOpen, u.openCapture),
		item("Record to file…", shortcutRecord, u.chooseRecording),
		item("Export scores (JSON)…", shortcutExport, u.exportScores),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Reset settings to defaults…", u.confirmReset),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	run := fyne.NewMenu("Run",
		item("Start simulator", shortcutStartSim, c.onStartSim),
		item("Connect to the chosen source", shortcutConnect, c.onConnect),
		item("Stop / Disconnect", shortcutDisconnect, c.stop),
	)
	help := fyne.NewMenu("Help")
	for _, s := range READMESections {
		link := readmeURL(a.Metadata(), s.Anchor)
		help.Items = append(help.Items, fyne.NewMenuItem("README: "+s.Label, func() {
			if link != nil {
				if err := a.OpenURL(link); err != nil {
					u.showError(fmt.Errorf("opening %s: %w", link, err))
				}
			}
		}))
	}
	help.Items = append(help.Items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("About EtherLearn", func() { u.showAbout(a) }))
	return fyne.NewMainMenu(file, run, help)
}

// openCapture picks a capture file and replays it.
func (u *UI) openCapture() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		u.conn.kind.SetSelected(kindFile)
		u.conn.filePath.SetText(path)
		u.conn.onConnect()
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pcap", ".pcapng", ".gz", ".cap"}))
	d.Show()
}

// chooseRecording picks the pcapng file the next Start records to.
func (u *UI) chooseRecording() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		// The recorder creates the file itself when the run starts.
		w.Close()
		u.conn.record.SetChecked(true)
		u.conn.recordPath.SetText(path)
		u.savePrefs()
	}, u.win)
	d.SetFileName("etherlearn-" + time.Now().Format("20060102-150405") + ".pcapng")
	d.Show()
}

// exportScores writes the scores so far as `etherlearn run --report json`
// would.
func (u *UI) exportScores() {
	snap := u.sess.Snapshot()
	if snap == nil {
		dialog.ShowError(errors.New("there are no scores yet: start the simulator or a source first"), u.win)
		return
	}
	rep := app.NewReport(snap, snap.Elapsed.Seconds(), u.sess.Status())
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		dialog.ShowError(fmt.Errorf("exporting the scores: %w", err), u.win)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		_, werr := w.Write(append(b, '\n'))
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			dialog.ShowError(fmt.Errorf("writing %s: %w", w.URI().Path(), werr), u.win)
		}
	}, u.win)
	d.SetFileName("etherlearn-scores-" + time.Now().Format("20060102-150405") + ".json")
	d.Show()
}

func (u *UI) confirmReset() {
	dialog.ShowConfirm("Reset settings",
		"Put every setting (source, serial line, simulator, features, target, learners' parameters, window size) back to its default?",
		func(ok bool) {
			if ok {
				u.resetPrefs()
			}
		}, u.win)
}
