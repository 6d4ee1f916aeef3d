package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
	"github.com/etherlearn/etherlearn/ui"
)

// smokeChildEnv makes the test binary open the real window instead of
// running tests: the smoke test starts itself as the app, so the window
// runs with the race detector on and without a second build. The child
// writes the window's ui.State to the file named by smokeStateEnv.
const (
	smokeChildEnv = "ETHERLEARN_SMOKE_CHILD"
	smokeStateEnv = "ETHERLEARN_UI_STATE"
)

func TestMain(m *testing.M) {
	if os.Getenv(smokeChildEnv) == "1" {
		w, u := newWindow()
		go writeStates(u, os.Getenv(smokeStateEnv), 500*time.Millisecond)
		w.ShowAndRun()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// writeStates writes the window's state to path every interval, from this
// one goroutine, so writes never overlap; the state is collected on the UI
// goroutine. It runs until the process exits.
func writeStates(u *ui.UI, path string, interval time.Duration) {
	for range time.Tick(interval) {
		var st ui.State
		fyne.DoAndWait(func() { st = u.State() })
		if err := writeState(path, st); err != nil {
			fmt.Fprintf(os.Stderr, "smoke child: %v\n", err)
		}
	}
}

// writeState writes st to path atomically (write, then rename), so the
// test never reads half a file.
func writeState(path string, st ui.State) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// startXvfb starts a virtual X server on a free display and returns its
// DISPLAY value.
func startXvfb(t *testing.T) string {
	xvfb := testkit.NeedTool(t, "Xvfb", "xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case d := <-line:
		if d == "" {
			t.Fatal("Xvfb did not report a display")
		}
		return ":" + d
	case <-time.After(60 * time.Second):
		t.Fatal("Xvfb did not start in 60s")
	}
	return ""
}

func readState(path string) (ui.State, bool) {
	var st ui.State
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &st) != nil {
		return st, false
	}
	return st, true
}

// TestWindowSmokeUnderXvfb opens the real window on a virtual display,
// clicks "Start simulator" with xdotool like a person would, and checks
// that the live table fills and the plot gets points. With
// ETHERLEARN_SCREENSHOT=FILE it saves a screenshot there (the README's).
func TestWindowSmokeUnderXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("opens a real window")
	}
	xdotool := testkit.NeedTool(t, "xdotool", "xdotool")
	importBin := testkit.NeedTool(t, "import", "imagemagick")
	display := startXvfb(t)
	dir := t.TempDir()
	statePath := filepath.Join(dir, "state.json")

	app := exec.Command(os.Args[0], "-test.run=^$")
	app.Env = append(os.Environ(), smokeChildEnv+"=1", "DISPLAY="+display, smokeStateEnv+"="+statePath,
		"LANG=en_US.UTF-8", "XDG_RUNTIME_DIR="+dir, "HOME="+dir)
	logs := &testkit.LockedBuffer{}
	app.Stdout, app.Stderr = logs, logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() {
		_ = app.Process.Kill()
		<-exited
	}()

	wait := func(what string, cond func(ui.State) bool) ui.State {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for {
			select {
			case err := <-exited:
				exited <- err
				t.Fatalf("%s: the app exited (%v):\n%s", what, err, logs.String())
			default:
			}
			if st, ok := readState(statePath); ok && cond(st) {
				return st
			}
			if time.Now().After(deadline) {
				st, _ := readState(statePath)
				t.Fatalf("%s: not reached in 90s; state %+v\n%s", what, st, logs.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	st := wait("window up", func(s ui.State) bool { return s.StartSim.W > 0 })

	search := exec.Command(xdotool, "search", "--sync", "--name", "^EtherLearn$")
	search.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := search.Output()
	if err != nil {
		t.Fatalf("xdotool search: %v", err)
	}
	wid := strings.Fields(string(out))[0]
	clickAt := func(r ui.ObjectRect) {
		t.Helper()
		x := int((r.X + r.W/2) * st.CanvasScale)
		y := int((r.Y + r.H/2) * st.CanvasScale)
		click := exec.Command(xdotool, "mousemove", "--window", wid, fmt.Sprint(x), fmt.Sprint(y), "click", "1")
		click.Env = append(os.Environ(), "DISPLAY="+display)
		if b, err := click.CombinedOutput(); err != nil {
			t.Fatalf("xdotool click: %v %s", err, b)
		}
	}
	clickTab := func(name string) {
		t.Helper()
		cur, _ := readState(statePath)
		r, ok := cur.Tabs[name]
		if !ok {
			t.Fatalf("no tab %q in %v", name, cur.Tabs)
		}
		clickAt(r)
		wait("tab "+name, func(s ui.State) bool { return s.Tab == name })
	}
	clickAt(st.StartSim)

	st = wait("plot points", func(s ui.State) bool {
		return s.Frames >= 100 && s.ChartPoints > 10 && s.ChartWidth > 100
	})
	t.Logf("after Start simulator: %d plot points, status %q, %s", st.ChartPoints, st.Status, st.Counters)
	if !strings.Contains(st.Status, "pcapng") {
		t.Errorf("status %q does not name the stream's format", st.Status)
	}
	clickTab("Frames")
	st = wait("table rows", func(s ui.State) bool { return s.TableRows >= 100 })

	shot := os.Getenv("ETHERLEARN_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(dir, "shot.png")
	} else {
		// For the README: let the run go on for a few minutes, so the
		// charts show what a long run looks like.
		wait := func(what string, cond func(ui.State) bool) {
			t.Helper()
			for deadline := time.Now().Add(10 * time.Minute); ; time.Sleep(time.Second) {
				if cur, ok := readState(statePath); ok && cond(cur) {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: not reached in 10 minutes", what)
				}
			}
		}
		wait("a few minutes on the simulator", func(s ui.State) bool { return s.Frames >= 180000 })
	}
	if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
		t.Fatal(err)
	}
	screenshot := func(path string) {
		t.Helper()
		cap := exec.Command(importBin, "-window", "root", path)
		cap.Env = append(os.Environ(), "DISPLAY="+display)
		if b, err := cap.CombinedOutput(); err != nil {
			t.Fatalf("screenshot: %v %s", err, b)
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() < 10000 {
			t.Fatalf("screenshot %s missing or blank: %v", path, err)
		}
	}
	// The overview, then one learner's tab (screenshot-learner.png beside
	// the first).
	// Each picture waits until a thousand more frames were shown on the
	// tab, so it is not of the first, half-drawn refresh.
	settled := func(what string) {
		t.Helper()
		first := wait(what, func(s ui.State) bool { return s.ChartPoints > 10 })
		wait(what+" refreshed", func(s ui.State) bool { return s.Frames >= first.Frames+1000 && s.ChartPoints > 10 })
	}
	clickTab("Overview")
	settled("overview chart")
	screenshot(shot)
	clickTab("Perceptron")
	settled("learner chart")
	screenshot(strings.TrimSuffix(shot, ".png") + "-learner.png")

	for _, bad := range []string{"Error in Fyne call thread", "panic:", "DATA RACE"} {
		if strings.Contains(logs.String(), bad) {
			t.Errorf("the app's log contains %q:\n%s", bad, logs.String())
		}
	}
}

func TestCommandLineErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := realMain([]string{"frobnicate"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errOut.String())
	}
	errOut.Reset()
	if code := realMain([]string{"run", "--bogus"}, &out, &errOut); code != 2 {
		t.Errorf("bad flag: exit %d, %q", code, errOut.String())
	}
	out.Reset()
	if code := realMain([]string{"--help"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "etherlearn run") {
		t.Errorf("help: exit %d, %q", code, out.String())
	}
}
