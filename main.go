// Command etherlearn watches machine learning learn from live network
// traffic. With no arguments it opens the window; `etherlearn run` runs the
// pipeline without a window and `etherlearn sim` serves simulated traffic.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

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
`

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
	w, _ := newWindow()
	w.ShowAndRun()
}

// newWindow builds the app's main window (not yet shown); the smoke test
// shows the same window and reads its state.
func newWindow() (fyne.Window, *ui.UI) {
	a := fyneapp.NewWithID("io.etherlearn.app")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	w := a.NewWindow("EtherLearn")
	sess := app.NewSession(app.Settings{Features: pipeline.DefaultFeatures, Target: "in-band"})
	u := ui.Create(a, w, sess)
	w.Resize(fyne.NewSize(1280, 800))
	w.SetOnClosed(u.Close)
	return w, u
}
