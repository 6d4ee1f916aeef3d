package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

func findItem(t *testing.T, m *fyne.MainMenu, menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, mm := range m.Items {
		if mm.Label != menu {
			continue
		}
		for _, it := range mm.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no %s > %s in the menu", menu, label)
	return nil
}

// The menu has File, Run and Help with shortcuts shown, and the Run items
// drive the same session as the panel's buttons.
func TestMainMenuRunsTheSession(t *testing.T) {
	u := newTestUI(t)
	m := u.mainMenu(fyne.CurrentApp())
	var labels []string
	for _, mm := range m.Items {
		labels = append(labels, mm.Label)
	}
	if strings.Join(labels, ",") != "File,Run,Help" {
		t.Fatalf("menus %q", labels)
	}
	for _, want := range []struct{ menu, label, key string }{
		{"File", "Open capture…", "O"},
		{"File", "Record to file…", "R"},
		{"File", "Export scores (JSON)…", "E"},
		{"File", "Quit", "Q"},
		{"Run", "Start simulator", "R"},
		{"Run", "Connect to the chosen source", "K"},
		{"Run", "Stop / Disconnect", "D"},
	} {
		it := findItem(t, m, want.menu, want.label)
		sc, ok := it.Shortcut.(*desktop.CustomShortcut)
		if !ok || string(sc.KeyName) != want.key {
			t.Errorf("%s > %s shortcut %v", want.menu, want.label, it.Shortcut)
		}
	}
	findItem(t, m, "File", "Reset settings to defaults…")
	findItem(t, m, "Help", "About EtherLearn")
	findItem(t, m, "Help", "README: Quick start")

	u.conn.simRate.SetText("0")
	u.tabs.Select(u.framesTab)
	findItem(t, m, "Run", "Start simulator").Action()
	tickUntil(t, u, "frames after Run > Start simulator", func() bool { return u.table.Rows() > 20 })
	findItem(t, m, "Run", "Stop / Disconnect").Action()
	tickUntil(t, u, "stopped after Run > Stop", func() bool {
		return !u.sess.Running() && strings.HasPrefix(u.status.state.Text, "stopped")
	})
}

func TestAboutNamesVersionLicenceAndLibraries(t *testing.T) {
	meta := fyne.AppMetadata{Name: "EtherLearn", Version: "1.2.3", Build: 4}
	if v := VersionText(meta); !strings.HasPrefix(v, "EtherLearn 1.2.3 (build 4") {
		t.Fatalf("version %q", v)
	}
	text := AboutText(meta)
	for _, want := range []string{"EtherLearn 1.2.3", "Licence:", "fyne.io/fyne/v2", "BSD-3-Clause",
		"github.com/wcharczuk/go-chart/v2", "MIT", "github.com/gopacket/gopacket", "go.bug.st/serial"} {
		if !strings.Contains(text, want) {
			t.Errorf("About does not mention %q:\n%s", want, text)
		}
	}
	u := newTestUI(t)
	u.showAbout(test.NewTempApp(t))
	if len(u.win.Canvas().Overlays().List()) == 0 {
		t.Fatal("About did not open")
	}
	if got := readmeURL(meta, "quick-start").String(); got != Website+"#quick-start" {
		t.Errorf("README link %q", got)
	}
}

// The Help menu's links go to headings the README has.
func TestREADMESectionsExist(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range READMESections {
		if !strings.Contains(string(b), "\n## "+s.Label+"\n") {
			t.Errorf("README has no section %q", s.Label)
		}
	}
}
