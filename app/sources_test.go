package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
	"github.com/etherlearn/etherlearn/sim"
)

func writeSimFile(t *testing.T, path, format string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Stream(context.Background(), f, sim.Config{Format: format, Count: n, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// A capture file is read to its end; a recording made while reading it
// replays to the same frames and labels.
func TestRunFileAndRecordRoundTrip(t *testing.T) {
	dir := t.TempDir()
	capture := filepath.Join(dir, "sim.pcapng")
	writeSimFile(t, capture, "pcapng", 2500)
	rec := filepath.Join(dir, "rec.pcapng")

	first := runJSON(t, "--file", capture, "--record", rec)
	if first.Frames != 2500 || first.Labelled != 2500 || first.Dropped != 0 || first.Error != "" {
		t.Fatalf("file run: %+v", first)
	}
	again := runJSON(t, "--file", rec)
	if again.Frames != 2500 || again.Labelled != 2500 {
		t.Fatalf("replay of the recording: %+v", again)
	}
	for i := range first.Classifiers {
		a, b := first.Classifiers[i], again.Classifiers[i]
		if a.Name != b.Name || a.Accuracy != b.Accuracy {
			t.Errorf("%s: accuracy %.6f first, %.6f on replay", a.Name, a.Accuracy, b.Accuracy)
		}
	}
}

func TestRunFileErrorsAreSentences(t *testing.T) {
	dir := t.TempDir()
	var out, errOut testkit.LockedBuffer
	missing := filepath.Join(dir, "missing.pcap")
	err := RunCommand(context.Background(), []string{"--file", missing}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing file: %v, want an error naming the file", err)
	}
	// A file that is not a capture ends with a stream error that says
	// where it failed, and the report still comes out, counting it.
	junk := filepath.Join(dir, "junk.bin")
	if err := os.WriteFile(junk, []byte("this is not a capture at all, just text\x00\x01"), 0o644); err != nil {
		t.Fatal(err)
	}
	var rep testkit.LockedBuffer
	err = RunCommand(context.Background(), []string{"--file", junk, "--report", "json"}, &rep, &errOut)
	if err == nil || !strings.Contains(err.Error(), "record 1") {
		t.Fatalf("junk file: %v, want an error naming the record", err)
	}
	var r Report
	if jerr := json.Unmarshal([]byte(rep.String()), &r); jerr != nil {
		t.Fatalf("no JSON report after the error: %v\n%s", jerr, rep.String())
	}
	if r.Frames != 0 || r.StreamErrors != 1 || r.Error == "" {
		t.Fatalf("report after a stream error: %+v", r)
	}
	// A trace that cannot be written is reported, not lost.
	if err := RunCommand(context.Background(), []string{"--sim", "default", "--count", "10", "--trace", dir}, &out, &errOut); err == nil {
		t.Fatal("a directory accepted as the trace file")
	}
}

// The serial path end to end: the simulator writes SLIP into one end of a
// socat pseudo-terminal pair, `run --serial` reads the other.
func TestRunSerialThroughPseudoTerminal(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "ttyA"), filepath.Join(dir, "ttyB")
	testkit.PTYPair(t, a, b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		var out, errOut testkit.LockedBuffer
		_ = sim.RunCommand(ctx, []string{"--serial", b, "--format", "slip", "--rate", "500", "--seed", "5"}, &out, &errOut)
	}()
	r := runJSON(t, "--serial", a, "--count", "300", "--target", "ipv4")
	if r.Frames != 300 || r.Format != "slip" || r.Decoded+r.DecodeErrors+r.Dropped != r.Frames {
		t.Fatalf("serial run: %+v", r)
	}
	if r.Labelled != r.Decoded || r.Decoded < 290 {
		t.Fatalf("serial run decoded %d labelled %d of %d", r.Decoded, r.Labelled, r.Frames)
	}
}
