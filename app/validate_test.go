package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
	"github.com/etherlearn/etherlearn/sim"
)

// Bad settings fail at once, before anything is opened or created, with a
// usage error (exit 2) of one line and nothing else on stderr.
func TestRunBadSettingsFailAtOnce(t *testing.T) {
	dir := t.TempDir()
	capture := filepath.Join(dir, "in.pcapng")
	writeSimFile(t, capture, "pcapng", 10)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--serial", "/nonexistent"}, "serial device /nonexistent: no such file or directory"},
		{[]string{"--serial", capture, "--parity", "weird"}, `unknown parity "weird"`},
		{[]string{"--serial", capture, "--data-bits", "9"}, "unsupported data bits 9"},
		{[]string{"--serial", capture, "--stop-bits", "3"}, "unsupported stop bits 3"},
		{[]string{"--serial", capture, "--baud", "-1"}, "baud rate -1"},
		{[]string{"--sim", "default", "--rate", "-5"}, "simulator rate -5 must be"},
		{[]string{"--connect", "57099"}, `"57099" is a port without a host`},
		{[]string{"--connect", "127.0.0.1:0"}, "port \"0\" is not a number from 1 to 65535"},
		{[]string{"--connect", "127.0.0.1:http"}, `port "http" is not a number`},
		{[]string{"--listen", "127.0.0.1:70000"}, `port "70000" is not a number from 0 to 65535`},
		{[]string{"--listen", "127.0.0.1:0", "--idle-timeout", "-1s"}, "--idle-timeout -1s is negative"},
		{[]string{"--file", filepath.Join(dir, "missing.pcap")}, "missing.pcap: no such file or directory"},
		{[]string{"--file", dir}, "is a directory"},
		{[]string{"--sim", "default", "--max-frame", "10"}, "--max-frame must be between 64"},
		{[]string{"--sim", "default", "--record", filepath.Join(dir, "no-such-dir", "r.pcapng")}, "no-such-dir: no such file or directory"},
		{[]string{"--sim", "default", "--trace", dir}, "is a folder"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		start := time.Now()
		err := RunCommand(context.Background(), c.args, &out, &errOut)
		var ue UsageError
		if !errors.As(err, &ue) {
			t.Errorf("run %v: %v, want a usage error", c.args, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("run %v: %q, want one line containing %q", c.args, err, c.want)
		}
		if errOut.Len() > 0 || out.Len() > 0 {
			t.Errorf("run %v printed %q / %q before failing", c.args, out.String(), errOut.String())
		}
		t.Logf("%v -> %v (%s)", c.args, err, time.Since(start).Round(time.Millisecond))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed runs left files behind: %v", entries)
	}
}

func TestAddresses(t *testing.T) {
	for in, want := range map[string]string{
		"57099":          ":57099",
		":57099":         ":57099",
		"127.0.0.1":      "127.0.0.1:57012",
		"127.0.0.1:0":    "127.0.0.1:0",
		"::1":            "[::1]:57012",
		"[::1]":          "[::1]:57012",
		"[::1]:4000":     "[::1]:4000",
		" localhost:80 ": "localhost:80",
	} {
		if got, err := ListenAddress(in); err != nil || got != want {
			t.Errorf("ListenAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"sensor.example": "sensor.example:57012",
		"10.0.0.1:9":     "10.0.0.1:9",
		"fe80::1":        "[fe80::1]:57012",
		"[fe80::1]:22":   "[fe80::1]:22",
	} {
		if got, err := ConnectAddress(in); err != nil || got != want {
			t.Errorf("ConnectAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "57099", ":80", "host:", "host:99999", "a b:1"} {
		if got, err := ConnectAddress(bad); err == nil {
			t.Errorf("ConnectAddress(%q) = %q, want an error", bad, got)
		}
	}
}

// --listen with a bare port listens on that port on every interface.
func TestRunListenBarePort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	sess := NewSession(Settings{})
	if err := sess.Start(SourceConfig{Kind: SourceListen, Addr: strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:")}); err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	if src := sess.Status().Source; !strings.Contains(src, "[::]:") && !strings.Contains(src, "0.0.0.0:") {
		t.Errorf("listening as %q, want all interfaces on port %d", src, port)
	}
}

// The input file is never an output: --record or --trace naming it (by
// any path: os.SameFile) is refused even with --force, and the input is
// left as it was.
func TestRunRefusesRecordingOntoInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pcapng")
	writeSimFile(t, in, "pcapng", 50)
	before, _ := os.ReadFile(in)
	link := filepath.Join(dir, "link.pcapng")
	if err := os.Link(in, link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--file", in, "--record", in},
		{"--file", in, "--record", in, "--force"},
		{"--file", in, "--trace", in, "--force"},
		{"--file", in, "--record", link, "--force"},
		{"--file", in, "--record", "./" + filepath.Base(in)},
	} {
		var out, errOut bytes.Buffer
		wd, _ := os.Getwd()
		os.Chdir(dir)
		err := RunCommand(context.Background(), args, &out, &errOut)
		os.Chdir(wd)
		var ue UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "is the input") {
			t.Errorf("run %v: %v, want a refusal naming the input", args, err)
		}
	}
	if after, _ := os.ReadFile(in); !bytes.Equal(before, after) {
		t.Fatal("the input file was changed")
	}
}

// Existing outputs are replaced only with --force; a failed start-up
// touches no file; outputs appear whole or not at all.
func TestRunOutputsNeverDestroyed(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "rec.pcapng")
	trace := filepath.Join(dir, "t.csv")
	os.WriteFile(rec, []byte("precious"), 0o644)
	os.WriteFile(trace, []byte("precious"), 0o644)
	var out, errOut bytes.Buffer
	for _, args := range [][]string{
		{"--sim", "default", "--count", "10", "--record", rec},
		{"--sim", "default", "--count", "10", "--trace", trace},
		{"--sim", "default", "--count", "10", "--trace", trace, "--features", "fancy", "--force"},
	} {
		err := RunCommand(context.Background(), args, &out, &errOut)
		var ue UsageError
		if !errors.As(err, &ue) {
			t.Errorf("run %v: %v, want a usage error", args, err)
		}
	}
	for _, p := range []string{rec, trace} {
		if b, _ := os.ReadFile(p); string(b) != "precious" {
			t.Fatalf("%s was changed: %q", p, b)
		}
	}
	if err := RunCommand(context.Background(), []string{"--sim", "default", "--count", "10", "--record", rec, "--trace", trace, "--force"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if again := runJSON(t, "--file", rec); again.Frames != 10 {
		t.Errorf("the forced recording replays %d frames, want 10", again.Frames)
	}
	if b, _ := os.ReadFile(trace); !bytes.HasPrefix(b, []byte("frame,")) {
		t.Errorf("trace not replaced: %q", b[:min(len(b), 20)])
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	var ee *ExistsError
	if err := Validate(SourceConfig{Kind: SourceSim, Scenario: "default"}, Settings{RecordPath: rec}); !errors.As(err, &ee) || ee.Path != rec {
		t.Errorf("Validate of an existing recording: %v, want an ExistsError the window can ask about", err)
	}
}

// A source that cannot be reached is retried with backoff; each failure
// and retry is printed on stderr as it happens, and the run exits with an
// error when it ends without a frame.
func TestRunUnreachableSourceIsLoud(t *testing.T) {
	var out, errOut testkit.LockedBuffer
	err := RunCommand(context.Background(), []string{"--connect", "127.0.0.1:1", "--duration", "1500ms", "--report", "json"}, &out, &errOut)
	var ue UsageError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "no frame received from tcp 127.0.0.1:1; last error:") {
		t.Fatalf("run: %v, want a run error saying no frame was received and why", err)
	}
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if len(lines) < 2 {
		t.Fatalf("stderr %q, want a line per failed attempt", errOut.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "etherlearn run: Could not open tcp 127.0.0.1:1: ") || !strings.Contains(l, "Retrying in") {
			t.Errorf("stderr line %q", l)
		}
	}
	var r Report
	if err := json.Unmarshal([]byte(out.String()), &r); err != nil {
		t.Fatal(err)
	}
	if r.Error == "" || len(r.Events) != len(lines) || r.Events[0].Kind != "reconnecting" || r.Events[0].Time.IsZero() {
		t.Errorf("report error %q, events %+v", r.Error, r.Events)
	}
}

// The last failure's reason stays in the status while the source retries
// and is cleared by the next frame.
func TestStatusKeepsTheLastError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	next := make(chan struct{})
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Write([]byte("definitely not a capture\n\x00\x00\x00"))
		c.Close()
		<-next
		c, err = ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		sim.Stream(context.Background(), c, sim.Config{Format: "pcapng", Count: 5, Seed: 1})
		<-next
	}()
	defer close(next)
	sess := NewSession(Settings{})
	if err := sess.Start(SourceConfig{Kind: SourceConnect, Addr: ln.Addr().String()}); err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	st := waitStatus(t, sess, func(st Status) bool { return st.State == StateReconnecting && st.Err != nil })
	if !strings.Contains(st.Message, "Last error:") && !strings.Contains(st.Message, "text banner") {
		t.Errorf("status while retrying: %q does not give the reason", st.Message)
	}
	next <- struct{}{}
	waitStatus(t, sess, func(st Status) bool { return st.State == StateRunning && st.Err == nil })
}

func waitStatus(t *testing.T, s *Session, ok func(Status) bool) Status {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := s.Status()
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("status stuck at %+v", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A recording that fills the disk stops at once and says so at once (an
// event, printed on stderr, before the run ends); the run goes on
// learning, ends with the error, and leaves no partial file.
func TestRunRecordingDiskFull(t *testing.T) {
	dir := t.TempDir()
	testkit.NeedRoot(t, "mounting a 64 KiB tmpfs")
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		testkit.Unavailable(t, "cannot mount a 64 KiB tmpfs: "+strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	for _, flag := range []string{"--record", "--trace"} {
		path := filepath.Join(dir, "out")
		var out, errOut testkit.LockedBuffer
		err := RunCommand(context.Background(), []string{"--sim", "default", "--count", "3000", flag, path, "--report", "json"}, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "no space left on device") {
			t.Fatalf("%s on a full disk: %v", flag, err)
		}
		var r Report
		if err := json.Unmarshal([]byte(out.String()), &r); err != nil {
			t.Fatal(err)
		}
		if r.Frames != 3000 {
			t.Errorf("%s: the run stopped learning at %d frames", flag, r.Frames)
		}
		found := false
		for _, e := range r.Events {
			if strings.HasSuffix(e.Kind, " failed") && strings.Contains(e.Message, "no space left on device") {
				found = true
			}
		}
		if !found || !strings.Contains(errOut.String(), "failed: write") {
			t.Errorf("%s: failure not reported as it happened: events %+v, stderr %q", flag, r.Events, errOut.String())
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%s: files left on the full disk: %v", flag, entries)
		}
		t.Logf("%s: %v; stderr: %s", flag, err, strings.TrimSpace(errOut.String()))
	}
}

// --idle-timeout 0 means never, and is accepted.
func TestRunIdleTimeoutZero(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // start, then stop at once: only the settings are under test
	var out, errOut bytes.Buffer
	err := RunCommand(ctx, []string{"--listen", "127.0.0.1:0", "--idle-timeout", "0"}, &out, &errOut)
	var ue UsageError
	if errors.As(err, &ue) {
		t.Fatalf("--idle-timeout 0 refused: %v", err)
	}
}

// Frames a SLIP reader drops reach the report: a SLIP capture joined in
// the middle of its first frame gives every other frame and one discarded.
func TestRunCountsDiscardedFrames(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.slip")
	writeSimFile(t, full, "slip", 300)
	b, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.slip")
	if err := os.WriteFile(cut, b[37:], 0o644); err != nil {
		t.Fatal(err)
	}
	r := runJSON(t, "--file", cut)
	if r.Frames != 299 || r.Discarded != 1 || r.Format != "slip" {
		t.Fatalf("report: %d frames, %d discarded, format %q; want 299, 1, slip", r.Frames, r.Discarded, r.Format)
	}
}

// A bad setting given to a running session leaves it running.
func TestBadSettingLeavesTheRunningSourceAlone(t *testing.T) {
	sess := NewSession(Settings{})
	if err := sess.Start(SourceConfig{Kind: SourceSim, Scenario: "default", Rate: 100}); err != nil {
		t.Fatal(err)
	}
	defer sess.Stop()
	if err := sess.Start(SourceConfig{Kind: SourceSerial, Path: "/nonexistent"}); err == nil {
		t.Fatal("a missing serial device was accepted")
	}
	if !sess.Running() {
		t.Fatal("the running simulator was stopped by a start that could not happen")
	}
}
