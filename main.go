// Command etherlearn watches machine learning learn from live network
// traffic. With no arguments it opens the window; `etherlearn run` runs the
// pipeline without a window and `etherlearn sim` serves simulated traffic.
package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"github.com/BurntSushi/toml"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/assets"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/ui"
)

const usage = `EtherLearn: watch online classifiers learn from live Ethernet traffic.

usage:
  etherlearn                open the window
  etherlearn run [flags]    run the pipeline without a window (see: etherlearn run --help)
  etherlearn sim [flags]    serve or write simulated labelled traffic (see: etherlearn sim --help)
  etherlearn --version      print the version
`

// fyneAppTOML is the app's metadata (name, ID, version, build), embedded
// at build time so that `--version`, the About box and the preferences'
// app ID all come from the one file the packager reads too.
//
//go:embed FyneApp.toml
var fyneAppTOML []byte

// appMetadata parses FyneApp.toml into Fyne's metadata: what `fyne build`
// would have compiled in, so `go build` binaries behave the same
// (including the [Migrations] the app has opted into).
func appMetadata() (fyne.AppMetadata, error) {
	var f struct {
		Website string
		Details struct {
			Icon, Name, ID, Version string
			Build                   int
		}
		Migrations map[string]bool
	}
	if err := toml.Unmarshal(fyneAppTOML, &f); err != nil {
		return fyne.AppMetadata{}, fmt.Errorf("FyneApp.toml: %w", err)
	}
	if f.Details.ID == "" || f.Details.Version == "" {
		return fyne.AppMetadata{}, errors.New("FyneApp.toml: Details.ID and Details.Version are required")
	}
	return fyne.AppMetadata{
		ID: f.Details.ID, Name: f.Details.Name, Version: f.Details.Version, Build: f.Details.Build,
		Icon: fyne.NewStaticResource("icon.png", assets.IconPNG), Release: true,
		Custom: map[string]string{"Website": f.Website}, Migrations: f.Migrations,
	}, nil
}

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

func realMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		openWindow()
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch args[0] {
	case "run":
		err = app.RunCommand(ctx, args[1:], stdout, stderr)
	case "sim":
		err = app.SimCommand(ctx, args[1:], stdout, stderr)
	case "--version", "version":
		meta, err := appMetadata()
		if err != nil {
			fmt.Fprintf(stderr, "etherlearn: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, ui.VersionText(meta))
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "etherlearn: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "etherlearn %s: %v\n", args[0], err)
		var ue app.UsageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

func openWindow() {
	w, u := newWindow()
	w.ShowAndRun()
	// Quitting through the app (not the window) skips OnClosed: end the
	// session here too, so a recording is always closed complete.
	u.Close()
}

// newWindow builds the app's main window (not yet shown); the smoke test
// shows the same window and reads its state. The metadata comes from the
// embedded FyneApp.toml, as `fyne build` would have compiled it in.
func newWindow() (fyne.Window, *ui.UI) {
	meta, err := appMetadata()
	if err != nil {
		// The file is embedded at build time: this is a broken build.
		fmt.Fprintf(os.Stderr, "etherlearn: %v\n", err)
		os.Exit(1)
	}
	fyneapp.SetMetadata(meta)
	a := fyneapp.NewWithID(meta.ID)
	a.SetIcon(meta.Icon)
	w := a.NewWindow("EtherLearn")
	sess := app.NewSession(app.Settings{Features: pipeline.DefaultFeatures, Target: "in-band"})
	u := ui.Create(a, w, sess)
	w.SetOnClosed(u.Close)
	return w, u
}
