package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// writePeer writes b to the peer end in small writes, as a UART would
// deliver them; it runs in its own goroutine and reports errors with
// t.Error (the reading side then times out and fails too).
func writePeer(t *testing.T, peer string, b []byte) {
	f, err := os.OpenFile(peer, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	for len(b) > 0 {
		n := min(len(b), 64)
		if _, err := f.Write(b[:n]); err != nil {
			t.Error(err)
			return
		}
		b = b[n:]
	}
}

// TestSerialPTY carries SLIP through a pseudo-terminal pair into the
// Serial source, unplugs the "device" (socat exits), and plugs in one that
// sends a pcap stream (with a banner, as serial sniffers print one): Run
// must report the unplug, reconnect and go on counting.
func TestSerialPTY(t *testing.T) {
	dir := t.TempDir()
	dev, peer := filepath.Join(dir, "ttyEL0"), filepath.Join(dir, "peer")
	sc := testkit.PTYPair(t, dev, peer)

	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	events := make(chan Event, 100)
	frames := make(chan Frame, 100)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, RunConfig{
			Source:     &Serial{Path: dev, Baud: 115200},
			Reconnect:  true,
			MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
			Events: func(e Event) { events <- e },
		}, func(f *Frame) { frames <- Frame{Data: append([]byte(nil), f.Data...)} })
	}()
	waitFor := func(k EventKind) Event {
		t.Helper()
		for {
			select {
			case e := <-events:
				if e.Kind == k {
					return e
				}
			case <-ctx.Done():
				t.Fatalf("no %v event", k)
			}
		}
	}
	waitFor(Connecting)
	fs := testFrames(10)
	escFrame := testFrame(9, 40)
	escFrame[20], escFrame[30] = slipEnd, slipEsc
	fs = append(fs, escFrame)
	go writePeer(t, peer, slipEncode(fs...))
	if e := waitFor(Connected); e.Format != "slip" {
		t.Fatalf("format %q, want slip", e.Format)
	}
	for i, want := range fs {
		select {
		case f := <-frames:
			if string(f.Data) != string(want) {
				t.Fatalf("SLIP frame %d differs", i)
			}
		case <-ctx.Done():
			t.Fatalf("only %d SLIP frames arrived", i)
		}
	}

	// Unplug.
	sc.Process.Kill()
	sc.Wait()
	e := waitFor(Disconnected)
	if e.Err == nil {
		t.Errorf("disconnect without a reason: %+v", e)
	}
	r := waitFor(Reconnecting)
	if !strings.Contains(r.Message, "serial "+dev) {
		t.Errorf("reconnecting message %q does not name the port", r.Message)
	}
	t.Logf("events: %q / %q", e.Message, r.Message)

	// Plug in a device that sends a pcap stream after a banner.
	testkit.PTYPair(t, dev, peer)
	pcapStream := append([]byte("sniffer ready\r\n"), buildPcap(le(), false, 1, testFrames(7))...)
	go writePeer(t, peer, pcapStream)
	for {
		e := waitFor(Connected)
		if e.Format == "pcap" {
			break
		}
	}
	for i := range 7 {
		select {
		case f := <-frames:
			if string(f.Data) != string(testFrame(i, len(f.Data))) {
				t.Fatalf("pcap frame %d differs", i)
			}
		case <-ctx.Done():
			t.Fatalf("only %d pcap frames arrived after reconnecting", i)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestSerialOptions(t *testing.T) {
	for _, s := range []Serial{{Parity: "weird"}, {StopBits: 3}, {DataBits: 9}, {DataBits: 4}} {
		if _, err := s.mode(); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
	m, err := (&Serial{Parity: "even", StopBits: 2, DataBits: 7}).mode()
	if err != nil || m.BaudRate != DefaultBaud || m.DataBits != 7 {
		t.Errorf("mode %+v, %v", m, err)
	}
	if _, err := ListSerialPorts(); err != nil {
		t.Errorf("ListSerialPorts: %v", err)
	}
}
