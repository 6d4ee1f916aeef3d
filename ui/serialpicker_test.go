package ui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/etherlearn/etherlearn/pipeline/ingest"
	"github.com/etherlearn/etherlearn/pipeline/testkit"
	"github.com/etherlearn/etherlearn/sim"
)

// ptyPair starts a socat pseudo-terminal pair linked at dir/ttyA and
// dir/ttyB; unplug kills it.
func ptyPair(t *testing.T, dir string) (a, b string, unplug func()) {
	t.Helper()
	a, b = filepath.Join(dir, "ttyA"), filepath.Join(dir, "ttyB")
	cmd := testkit.PTYPair(t, a, b)
	return a, b, func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
}

// The picker lists the system's ports with their USB descriptions and the
// pseudo-terminal the user used, drops the terminal when it goes away,
// preselects the last port when it is back, and takes a typed path.
func TestSerialPickerListsPortsAndUsedTerminals(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	dir := t.TempDir()
	ttyA, _, unplug := ptyPair(t, dir)

	p := newSerialPicker()
	usb := ingest.SerialPortInfo{Path: "/dev/ttyUSB0", IsUSB: true, VID: "2341", PID: "0043", Product: "Arduino Uno", Manufacturer: "Arduino"}
	system := []ingest.SerialPortInfo{usb}
	p.list = func() ([]ingest.SerialPortInfo, error) { return system, nil }
	w := a.NewWindow("picker")
	w.SetContent(p.entry)

	p.apply(p.scan(), pathExists)
	if len(p.options) != 1 || !strings.Contains(p.options[0], "Arduino Uno") || !strings.HasPrefix(p.options[0], "/dev/ttyUSB0 (USB 2341:0043") {
		t.Fatalf("options %q", p.options)
	}
	if !strings.Contains(p.hint.Text, "1 port(s)") {
		t.Errorf("hint %q", p.hint.Text)
	}

	// The user types the terminal's path and runs with it.
	p.entry.SetText(ttyA)
	if p.Path() != ttyA {
		t.Fatalf("typed path read as %q", p.Path())
	}
	p.remember(p.Path())
	p.apply(p.scan(), pathExists)
	if len(p.options) != 2 || serialPathOf(p.options[1]) != ttyA {
		t.Fatalf("options after using %s: %q", ttyA, p.options)
	}
	// Choosing an option puts its description in the control; the path
	// is still what is opened.
	p.entry.SetText(p.options[0])
	if p.Path() != "/dev/ttyUSB0" {
		t.Fatalf("chosen option read as %q", p.Path())
	}

	// Unplugged: the terminal leaves the list, and the USB port too.
	unplug()
	system = nil
	p.apply(p.scan(), pathExists)
	if len(p.options) != 0 || !strings.Contains(p.hint.Text, "No serial ports") {
		t.Fatalf("after unplugging: options %q, hint %q", p.options, p.hint.Text)
	}

	// Plugged in again with the control empty: the last port used
	// (ttyA) is preselected once it exists.
	p.entry.SetText("")
	ttyA2, _, _ := ptyPair(t, dir)
	if ttyA2 != ttyA {
		t.Fatal("the pair came back under another name")
	}
	system = []ingest.SerialPortInfo{usb}
	p.apply(p.scan(), pathExists)
	if p.Path() != ttyA {
		t.Fatalf("last port not preselected: control shows %q, options %q", p.entry.Text, p.options)
	}
	// What the user typed meanwhile is never overwritten.
	p.entry.SetText("/dev/ttyS3")
	p.apply(p.scan(), pathExists)
	if p.Path() != "/dev/ttyS3" {
		t.Fatalf("typed path replaced by %q", p.entry.Text)
	}
}

// End to end through the window: the simulator writes SLIP into one end of
// a pseudo-terminal pair, the user types the other end into the picker and
// connects; frames arrive and the terminal is remembered for next time.
func TestSerialSourceThroughThePicker(t *testing.T) {
	dir := t.TempDir()
	ttyA, ttyB, _ := ptyPair(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		var out strings.Builder
		_ = sim.RunCommand(ctx, []string{"--serial", ttyB, "--format", "slip", "--rate", "500", "--seed", "5"}, &out, &out)
	}()

	u := newTestUI(t)
	u.conn.kind.SetSelected(kindSerial)
	u.conn.serial.entry.SetText(ttyA)
	u.conn.target.SetSelected("ipv4")
	u.tabs.Select(u.framesTab)
	test.Tap(u.conn.connect)
	tickUntil(t, u, "frames from the serial line", func() bool {
		return u.table.Rows() > 20 && strings.Contains(u.status.state.Text, "slip")
	})
	if got := u.conn.serial.recentPaths(); len(got) == 0 || got[0] != ttyA {
		t.Errorf("used terminal not remembered: %q", got)
	}
	test.Tap(u.conn.disconnect)
	tickUntil(t, u, "stopped", func() bool { return !u.sess.Running() })
}

// The poller refreshes the list by itself: a port plugged in appears and
// an unplugged terminal goes, with no Refresh. The test reads the list
// only while the poller is stopped (stopping waits for it).
func TestSerialPickerPollsForPlugAndUnplug(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	ttyA, _, unplug := ptyPair(t, t.TempDir())
	p := newSerialPicker()
	p.every = 10 * time.Millisecond
	var mu sync.Mutex
	var system []ingest.SerialPortInfo
	p.list = func() ([]ingest.SerialPortInfo, error) {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(system), nil
	}
	p.remember(ttyA)
	pollTwice := func() {
		t.Helper()
		p.mu.Lock()
		start := p.scans
		p.mu.Unlock()
		p.setPolling(true)
		deadline := time.Now().Add(30 * time.Second)
		for {
			p.mu.Lock()
			n := p.scans
			p.mu.Unlock()
			if n >= start+2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the poller did not poll")
			}
			time.Sleep(5 * time.Millisecond)
		}
		p.setPolling(false)
	}

	pollTwice()
	if len(p.options) != 1 || serialPathOf(p.options[0]) != ttyA {
		t.Fatalf("options %q, want the used terminal", p.options)
	}
	mu.Lock()
	system = []ingest.SerialPortInfo{{Path: "/dev/ttyACM0", IsUSB: true, VID: "1a86", PID: "7523", Product: "USB Serial"}}
	mu.Unlock()
	unplug()
	pollTwice()
	if len(p.options) != 1 || !strings.HasPrefix(p.options[0], "/dev/ttyACM0 (USB 1a86:7523 USB Serial)") {
		t.Fatalf("after plugging a USB adapter and unplugging the terminal: %q", p.options)
	}
}
