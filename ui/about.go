package ui

import (
	"fmt"
	"net/url"
	"runtime"
	"runtime/debug"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Licence is EtherLearn's own licence as the About box states it. The
// repository has no LICENSE file yet, so the box says so rather than
// guessing.
const Licence = "not yet chosen by the authors (the source has no LICENSE file)"

// Library is a library EtherLearn is built on, as credited in About.
type Library struct {
	Path, Licence, Use string
}

// Libraries are the libraries the binary is built on (the direct
// dependencies), with their licences as their LICENSE files state them;
// the package test checks each is really linked into the binary.
var Libraries = []Library{
	{"fyne.io/fyne/v2", "BSD-3-Clause", "the window and its widgets"},
	{"github.com/wcharczuk/go-chart/v2", "MIT", "the accuracy charts"},
	{"github.com/gopacket/gopacket", "BSD-3-Clause", "Ethernet/IP/TCP decoding"},
	{"go.bug.st/serial", "BSD-3-Clause", "serial ports and their USB descriptions"},
}

// READMESections are the README's sections the Help menu links to:
// the menu label and the heading's anchor.
var READMESections = []struct{ Label, Anchor string }{
	{"Quick start", "quick-start"},
	{"Install", "install"},
	{"Feeding it real traffic", "feeding-it-real-traffic"},
	{"Simulator scenarios", "simulator-scenarios"},
	{"Feature sets", "feature-sets"},
	{"Labels and scores", "labels-and-scores"},
	{"Command line", "command-line"},
}

// VersionText is the one line `etherlearn --version` prints and About
// shows: the version and build from FyneApp.toml, and the source commit
// when Go recorded one.
func VersionText(meta fyne.AppMetadata) string {
	name := meta.Name
	if name == "" {
		name = "EtherLearn"
	}
	s := fmt.Sprintf("%s %s (build %d", name, meta.Version, meta.Build)
	if rev, modified := vcsRevision(); rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		s += ", commit " + rev
		if modified {
			s += " with local changes"
		}
	}
	return s + ")"
}

func vcsRevision() (rev string, modified bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			modified = kv.Value == "true"
		}
	}
	return rev, modified
}

// libraryVersions maps each module this binary was built with to its
// version.
func libraryVersions() map[string]string {
	out := map[string]string{}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			v := m.Version
			if m.Replace != nil {
				v = m.Replace.Version
			}
			out[m.Path] = v
		}
	}
	return out
}

// AboutText is the About box's text (also what tests check).
func AboutText(meta fyne.AppMetadata) string {
	var b strings.Builder
	b.WriteString(VersionText(meta) + "\n\n")
	b.WriteString("Watch online classifiers learn from live Ethernet traffic: frames from TCP, serial, capture files or the built-in simulator, six learners trained test-then-train.\n\n")
	b.WriteString("Licence: " + Licence + ".\n\n")
	fmt.Fprintf(&b, "Built with %s on %s/%s and these libraries:\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	versions := libraryVersions()
	for _, l := range Libraries {
		v := versions[l.Path]
		if v == "" {
			v = "(version not recorded)"
		}
		fmt.Fprintf(&b, "• %s %s, %s: %s\n", l.Path, v, l.Licence, l.Use)
	}
	return strings.TrimRight(b.String(), "\n")
}

// readmeURL is the address of a README section on the project's website.
func readmeURL(meta fyne.AppMetadata, anchor string) *url.URL {
	site := meta.Custom["Website"]
	if site == "" {
		site = Website
	}
	u, err := url.Parse(site + "#" + anchor)
	if err != nil {
		return nil
	}
	return u
}

// Website is the project's home (FyneApp.toml's Website), used when the
// app's metadata does not carry it.
var Website = "https://github.com/etherlearn/etherlearn"

// showAbout opens the About box.
func (u *UI) showAbout(a fyne.App) {
	meta := a.Metadata()
	text := widget.NewLabel(AboutText(meta))
	text.Wrapping = fyne.TextWrapWord
	var icon fyne.CanvasObject = widget.NewLabel("")
	if res := a.Icon(); res != nil {
		img := canvas.NewImageFromResource(res)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(64, 64))
		icon = img
	}
	links := container.NewVBox(boldLabel("Documentation (README)"))
	for _, s := range READMESections {
		if link := readmeURL(meta, s.Anchor); link != nil {
			links.Add(widget.NewHyperlink(s.Label, link))
		}
	}
	body := container.NewBorder(nil, nil, container.NewVBox(icon), nil,
		container.NewVBox(text, links))
	d := dialog.NewCustom("About EtherLearn", "Close", body, u.win)
	d.Resize(fyne.NewSize(640, 520))
	d.Show()
}
