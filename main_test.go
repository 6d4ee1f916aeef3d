package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/etherlearn/etherlearn/pipeline/ingest"
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
		u.Close() // as openWindow does
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
	exited, logs := startApp(t, app)

	wait := func(what string, cond func(ui.State) bool) ui.State {
		t.Helper()
		return waitForState(t, statePath, exited, logs, 90*time.Second, what, cond)
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
	// The line above the tabs says how the scores were made.
	if !strings.Contains(st.Evaluation, "instant labels") {
		t.Errorf("evaluation line %q does not say the labels are instant", st.Evaluation)
	}
	clickTab("Frames")
	st = wait("table rows", func(s ui.State) bool { return s.TableRows >= 100 })

	shot := os.Getenv("ETHERLEARN_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(dir, "shot.png")
	} else {
		// For the README: let the run go on for a few minutes, so the
		// charts show what a long run looks like.
		waitForState(t, statePath, exited, logs, 10*time.Minute, "a few minutes on the simulator",
			func(s ui.State) bool { return s.Frames >= 180000 })
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

// goTool finds the go command for tests that build the real binary.
func goTool(t *testing.T) string {
	t.Helper()
	return testkit.NeedTool(t, "go", "golang-go")
}

// desktopEntry reads the keys of a .desktop file's [Desktop Entry] group.
func desktopEntry(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			keys[k] = v
		}
	}
	return keys
}

// validateDesktopEntry runs desktop-file-validate; hints are fine,
// warnings and errors are not.
func validateDesktopEntry(t *testing.T, validator, path string) {
	t.Helper()
	out, err := exec.Command(validator, path).CombinedOutput()
	if err != nil || strings.Contains(string(out), "error:") || strings.Contains(string(out), "warning:") {
		t.Errorf("desktop-file-validate %s: %v\n%s", path, err, out)
	}
}

// The package as a user gets it: built from the binary by the same script
// `make package` runs, extracted into a temporary folder, its .desktop
// entry valid, installed without root into a temporary prefix where Exec
// and Icon resolve, the installed binary's version matching FyneApp.toml,
// its window appearing under Xvfb (found by WM class), and uninstall
// removing every file install put there.
func TestPackageInstallsAndLaunches(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and opens a real window")
	}
	validator := testkit.NeedTool(t, "desktop-file-validate", "desktop-file-utils")
	xdotool := testkit.NeedTool(t, "xdotool", "xdotool")
	makeTool := testkit.NeedTool(t, "make", "make")
	testkit.NeedTool(t, "xz", "xz-utils")
	dir := t.TempDir()

	tarball := os.Getenv("ETHERLEARN_PACKAGE")
	if tarball == "" {
		// Build the binary the way this test was built, so the compiled
		// packages come from the cache and only the link is new.
		bin := filepath.Join(dir, "etherlearn")
		args := []string{"build", "-o", bin}
		if testkit.RaceEnabled {
			args = append(args, "-race")
		}
		build := exec.Command(goTool(t), append(args, ".")...)
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		tarball = filepath.Join(dir, "etherlearn-test.tar.xz")
		if out, err := exec.Command("scripts/package.sh", bin, "tar", tarball).CombinedOutput(); err != nil {
			t.Fatalf("scripts/package.sh: %v\n%s", err, out)
		}
	}
	extracted := filepath.Join(dir, "extracted")
	if err := os.MkdirAll(extracted, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("tar", "-C", extracted, "-xJf", tarball).CombinedOutput(); err != nil {
		t.Fatalf("extracting %s: %v\n%s", tarball, err, out)
	}
	tops, err := os.ReadDir(extracted)
	if err != nil || len(tops) != 1 || !tops[0].IsDir() {
		t.Fatalf("the package should hold one folder, holds %v (%v)", tops, err)
	}
	pkg := filepath.Join(extracted, tops[0].Name())

	meta, err := appMetadata()
	if err != nil {
		t.Fatal(err)
	}
	entryName := meta.ID + ".desktop"
	packaged := filepath.Join(pkg, "share", "applications", entryName)
	validateDesktopEntry(t, validator, packaged)
	keys := desktopEntry(t, packaged)
	for _, k := range []string{"Name", "GenericName", "Comment", "Keywords", "Icon", "Exec", "StartupWMClass"} {
		if keys[k] == "" {
			t.Errorf("the .desktop entry has no %s", k)
		}
	}
	if keys["Categories"] != "Network;Education;Science;" {
		t.Errorf("Categories=%q", keys["Categories"])
	}
	if strings.Contains(keys["Keywords"], "fyne") || strings.Count(keys["Keywords"], ";") < 5 {
		t.Errorf("Keywords=%q are not about what the app does", keys["Keywords"])
	}

	prefix := filepath.Join(dir, "prefix")
	install := exec.Command(makeTool, "-C", pkg, "install", "PREFIX="+prefix)
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	installedEntry := filepath.Join(prefix, "share", "applications", entryName)
	validateDesktopEntry(t, validator, installedEntry)
	keys = desktopEntry(t, installedEntry)
	exe := strings.Trim(keys["Exec"], `"`)
	if fi, err := os.Stat(exe); err != nil || fi.Mode()&0o111 == 0 || !strings.HasPrefix(exe, prefix) {
		t.Fatalf("Exec=%s does not resolve to the installed binary: %v", keys["Exec"], err)
	}
	for _, size := range []int{16, 32, 48, 64, 128, 256, 512} {
		p := filepath.Join(prefix, "share", "icons", "hicolor", fmt.Sprintf("%dx%d", size, size), "apps", keys["Icon"]+".png")
		f, err := os.Open(p)
		if err != nil {
			t.Errorf("Icon=%s: no %d px icon: %v", keys["Icon"], size, err)
			continue
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != size || cfg.Height != size {
			t.Errorf("%s: %dx%d (%v), want %d px", p, cfg.Width, cfg.Height, err, size)
		}
	}

	// The About box credits only libraries this binary is built with.
	mods, err := exec.Command(goTool(t), "version", "-m", exe).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	for _, l := range ui.Libraries {
		if !strings.Contains(string(mods), "\tdep\t"+l.Path+"\t") {
			t.Errorf("About credits %s, which the binary is not built with", l.Path)
		}
	}

	out, err := exec.Command(exe, "--version").Output()
	want := fmt.Sprintf("%s %s (build %d", meta.Name, meta.Version, meta.Build)
	if err != nil || !strings.HasPrefix(string(out), want) {
		t.Fatalf("installed --version: %q (%v), want it to start %q", out, err, want)
	}

	// Launch the installed app as the menu entry would and wait for its
	// window by WM class.
	display := startXvfb(t)
	home := filepath.Join(dir, "home")
	app := exec.Command(exe)
	app.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_RUNTIME_DIR="+dir, "LANG=en_US.UTF-8")
	exited, logs := startApp(t, app)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	search := exec.CommandContext(ctx, xdotool, "search", "--sync", "--onlyvisible", "--class", "^"+keys["StartupWMClass"]+"$")
	search.Env = append(os.Environ(), "DISPLAY="+display)
	wid, err := search.Output()
	if err != nil || len(strings.Fields(string(wid))) == 0 {
		t.Fatalf("no window of class %s appeared: %v\n%s", keys["StartupWMClass"], err, logs.String())
	}
	t.Logf("packaged app's window %s (class %s) is up", strings.Fields(string(wid))[0], keys["StartupWMClass"])
	closeWindow(t, xdotool, display, strings.Fields(string(wid))[0])
	select {
	case <-exited:
		exited <- nil
	case <-time.After(30 * time.Second):
		t.Errorf("the packaged app did not quit on Ctrl+Q:\n%s", logs.String())
	}

	uninstall := exec.Command(makeTool, "-C", pkg, "uninstall", "PREFIX="+prefix)
	if out, err := uninstall.CombinedOutput(); err != nil {
		t.Fatalf("make uninstall: %v\n%s", err, out)
	}
	var left []string
	_ = filepath.WalkDir(prefix, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("uninstall left %q", left)
	}
}

// closeWindow presses Ctrl+Q (File > Quit) in the window, which closes it
// the way the window manager's close button does.
func closeWindow(t *testing.T, xdotool, display, wid string) {
	t.Helper()
	for _, args := range [][]string{{"windowfocus", "--sync", wid}, {"key", "--clearmodifiers", "ctrl+q"}} {
		cmd := exec.Command(xdotool, args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v %s", args, err, out)
		}
	}
}

// launchWindow starts this test binary as the app (with the race detector
// when the test has it) on display, with home as its HOME; the state file
// lets the test see what the window shows.
func launchWindow(t *testing.T, display, home, statePath string) (*exec.Cmd, chan error, *testkit.LockedBuffer) {
	t.Helper()
	app := exec.Command(os.Args[0], "-test.run=^$")
	app.Env = append(os.Environ(), smokeChildEnv+"=1", "DISPLAY="+display, "ETHERLEARN_UI_STATE="+statePath,
		"LANG=en_US.UTF-8", "XDG_RUNTIME_DIR="+home, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	exited, logs := startApp(t, app)
	return app, exited, logs
}

// startApp starts app with its output collected in logs; exited receives
// its Wait result (a reader that only looks may put it back). The process
// is killed, if still running, when the test ends.
func startApp(t *testing.T, app *exec.Cmd) (exited chan error, logs *testkit.LockedBuffer) {
	t.Helper()
	logs = &testkit.LockedBuffer{}
	app.Stdout, app.Stderr = logs, logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited = make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() {
		_ = app.Process.Kill()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
		}
	})
	return exited, logs
}

// waitForState polls the window's state file (ETHERLEARN_UI_STATE) until
// cond holds and returns that state; it fails the test if the app exits
// first (putting its result back on exited) or within passes.
func waitForState(t *testing.T, statePath string, exited chan error, logs *testkit.LockedBuffer,
	within time.Duration, what string, cond func(ui.State) bool) ui.State {
	t.Helper()
	deadline := time.Now().Add(within)
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
			t.Fatalf("%s: not reached in %v; state %+v\n%s", what, within, st, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Closing the window while the simulator runs and records ends the process
// promptly and leaves the recording complete; the settings written on
// close (the record file, the window's size) are what the next launch
// uses. Three launches in a row: the measured exit times are logged, and
// only a generous bound (5 s) is asserted.
func TestClosingWhileRecordingEndsPromptly(t *testing.T) {
	if testing.Short() {
		t.Skip("opens a real window")
	}
	xdotool := testkit.NeedTool(t, "xdotool", "xdotool")
	display := startXvfb(t)
	home := t.TempDir()
	prefsPath := filepath.Join(home, ".config", "fyne", "io.etherlearn.app", "preferences.json")
	if err := os.MkdirAll(filepath.Dir(prefsPath), 0o755); err != nil {
		t.Fatal(err)
	}
	// The first launch finds these settings as if a user had left them.
	first := map[string]any{"record.enabled": "true", "record.path": filepath.Join(home, "first.pcapng"), "sim.rate": "3000"}
	b, _ := json.Marshal(first)
	if err := os.WriteFile(prefsPath, b, 0o644); err != nil {
		t.Fatal(err)
	}

	var exits []time.Duration
	for run := 1; run <= 3; run++ {
		var prefs map[string]any
		if b, err := os.ReadFile(prefsPath); err != nil || json.Unmarshal(b, &prefs) != nil {
			t.Fatalf("run %d: preferences %s unreadable: %v", run, prefsPath, err)
		}
		recPath, _ := prefs["record.path"].(string)
		if recPath == "" || prefs["record.enabled"] != "true" {
			t.Fatalf("run %d: the settings did not keep recording on: %v", run, prefs)
		}
		if run > 1 && (prefs["window.width"] == nil || prefs["sim.rate"] != "3000") {
			t.Fatalf("run %d: the last launch did not save its settings: %v", run, prefs)
		}
		statePath := filepath.Join(home, fmt.Sprintf("state%d.json", run))
		_, exited, logs := launchWindow(t, display, home, statePath)
		wait := func(what string, cond func(ui.State) bool) ui.State {
			t.Helper()
			return waitForState(t, statePath, exited, logs, 90*time.Second, fmt.Sprintf("run %d, %s", run, what), cond)
		}
		st := wait("window up", func(s ui.State) bool { return s.StartSim.W > 0 })
		search := exec.Command(xdotool, "search", "--sync", "--onlyvisible", "--class", "^EtherLearn$")
		search.Env = append(os.Environ(), "DISPLAY="+display)
		out, err := search.Output()
		if err != nil || len(strings.Fields(string(out))) == 0 {
			t.Fatalf("xdotool search: %v", err)
		}
		wid := strings.Fields(string(out))[0]
		x := int((st.StartSim.X + st.StartSim.W/2) * st.CanvasScale)
		y := int((st.StartSim.Y + st.StartSim.H/2) * st.CanvasScale)
		click := exec.Command(xdotool, "mousemove", "--window", wid, fmt.Sprint(x), fmt.Sprint(y), "click", "1")
		click.Env = append(os.Environ(), "DISPLAY="+display)
		if b, err := click.CombinedOutput(); err != nil {
			t.Fatalf("xdotool click: %v %s", err, b)
		}
		st = wait("frames recorded", func(s ui.State) bool { return s.Frames >= 3000 && strings.Contains(s.Status, "recording to") })

		start := time.Now()
		closeWindow(t, xdotool, display, wid)
		select {
		case err := <-exited:
			exits = append(exits, time.Since(start))
			if err != nil {
				t.Errorf("run %d: the app exited with %v:\n%s", run, err, logs.String())
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("run %d: the process was still there 5 s after the window closed\n%s", run, logs.String())
		}
		for _, bad := range []string{"Error in Fyne call thread", "panic:", "DATA RACE"} {
			if strings.Contains(logs.String(), bad) {
				t.Errorf("run %d: the app's log contains %q:\n%s", run, bad, logs.String())
			}
		}

		// The recording is complete: every record reads, up to a clean end.
		n := countRecordedFrames(t, recPath)
		if n < int(st.Frames) {
			t.Errorf("run %d: %s holds %d frames, fewer than the %d the window showed", run, recPath, n, st.Frames)
		}
		t.Logf("run %d: exit %v after Ctrl+Q; %s complete with %d frames", run, exits[len(exits)-1].Round(time.Millisecond), filepath.Base(recPath), n)
	}
	sorted := slices.Clone(exits)
	slices.Sort(sorted)
	t.Logf("window close to process exit: median %v of %v", sorted[len(sorted)/2].Round(time.Millisecond), exits)
}

// countRecordedFrames reads a pcapng recording to its end.
func countRecordedFrames(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("recording: %v", err)
	}
	defer f.Close()
	r, err := ingest.NewReader(f, ingest.Options{})
	if err != nil {
		t.Fatalf("recording %s: %v", path, err)
	}
	n := 0
	for {
		_, err := r.ReadFrame()
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			t.Fatalf("recording %s, frame %d: %v", path, n+1, err)
		}
		n++
	}
}

// `etherlearn --version` prints the version and build of the embedded
// FyneApp.toml, which is the file in the repository.
func TestVersionComesFromFyneAppTOML(t *testing.T) {
	b, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, fyneAppTOML) {
		t.Fatal("the embedded FyneApp.toml differs from the file")
	}
	var version, build string
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			switch strings.TrimSpace(k) {
			case "Version":
				version = strings.Trim(strings.TrimSpace(v), `"`)
			case "Build":
				build = strings.TrimSpace(v)
			}
		}
	}
	var out, errOut bytes.Buffer
	if code := realMain([]string{"--version"}, &out, &errOut); code != 0 {
		t.Fatalf("--version: exit %d, %s", code, errOut.String())
	}
	if want := "EtherLearn " + version + " (build " + build; !strings.HasPrefix(out.String(), want) {
		t.Fatalf("--version printed %q, want it to start %q", out.String(), want)
	}
	meta, err := appMetadata()
	if err != nil || meta.ID != "io.etherlearn.app" || !meta.Migrations["fyneDo"] {
		t.Fatalf("metadata %+v (%v)", meta, err)
	}
}
