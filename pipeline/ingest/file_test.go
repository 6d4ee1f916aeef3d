package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

func TestFileSource(t *testing.T) {
	src := &File{Path: filepath.Join("testdata", "lo-udp.pcap.gz")}
	var log eventLog
	n := 0
	err := Run(context.Background(), RunConfig{Source: src, Reconnect: true, Events: log.add}, func(*Frame) { n++ })
	if err != nil {
		t.Fatal(err)
	}
	if n != 12 {
		t.Errorf("%d frames, want 12", n)
	}
	if p := src.Progress(); p != 1 {
		t.Errorf("progress %v at the end, want 1", p)
	}
	if k := log.kinds(); k[len(k)-1] != Finished {
		t.Errorf("events %v, want finished last (a file does not reconnect)", k)
	}
}

func TestFileMissing(t *testing.T) {
	err := Run(context.Background(), RunConfig{Source: &File{Path: filepath.Join(t.TempDir(), "nope.pcap")}, Reconnect: true}, func(*Frame) {})
	if err == nil || !strings.Contains(err.Error(), "nope.pcap") {
		t.Fatalf("error %v, want one naming the file", err)
	}
}

// TestFilePacedAndPaused replays a capture whose frames are 30 ms apart:
// paced replay must not hand a frame on before its time (relative to the
// first), and a paused replay must hand on nothing until resumed.
func TestFilePacedAndPaused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "paced.pcap")
	fs := testFrames(4)
	b := buildPcap(le(), false, 1, fs)
	// re-stamp the records 30 ms apart
	off := 24
	for i := range fs {
		le().PutUint32(b[off:], 1000)
		le().PutUint32(b[off+4:], uint32(i*30000))
		off += 16 + len(fs[i])
	}
	os.WriteFile(path, b, 0o644)
	src := &File{Path: path, Paced: true}
	src.SetPaused(true)
	got := make(chan time.Time, 10)
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), RunConfig{Source: src}, func(*Frame) { got <- time.Now() })
	}()
	select {
	case <-got:
		t.Fatal("a frame was handed on while paused")
	case <-time.After(100 * time.Millisecond):
	}
	if !src.Paused() {
		t.Fatal("not paused")
	}
	src.SetPaused(false)
	var times []time.Time
	for range fs {
		times = append(times, <-got)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Lower bounds only: a busy machine may be late, never early.
	if d := times[3].Sub(times[0]); d < 90*time.Millisecond {
		t.Errorf("4 frames 30 ms apart replayed in %v", d)
	}
}

// TestRecorderRoundTrip records frames (labelled, commented, both) and
// reads them back with our reader and with pcapgo.
func TestRecorderRoundTrip(t *testing.T) {
	in := []Frame{
		{Data: testFrame(1, 60), Timestamp: testEpoch, OrigLen: 60},
		{Data: testFrame(2, 61), Timestamp: testEpoch.Add(time.Millisecond), OrigLen: 1500, Label: 4, HasLabel: true},
		{Data: testFrame(3, 62), Timestamp: testEpoch.Add(2 * time.Millisecond), OrigLen: 62, Comment: "from the field"},
		{Data: testFrame(4, 63), Timestamp: testEpoch.Add(3 * time.Millisecond), OrigLen: 63, Label: 2, HasLabel: true, Comment: "label=2 scenario=scan"},
		{Data: testFrame(5, 64), Timestamp: testEpoch.Add(4 * time.Millisecond), OrigLen: 64, Label: 1, HasLabel: true, Comment: "rule target"},
	}
	wantComments := []string{"", "label=4", "from the field", "label=2 scenario=scan", "label=1 rule target"}
	path := filepath.Join(t.TempDir(), "rec.pcapng")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := NewRecorder(fh)
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if err := rec.WriteFrame(&in[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	fr, err := NewReader(bytes.NewReader(b), Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := readAll(t, fr, DefaultMaxFrame)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d frames back, want %d", len(out), len(in))
	}
	for i := range in {
		o := out[i]
		if !bytes.Equal(o.Data, in[i].Data) || !o.Timestamp.Equal(in[i].Timestamp) || o.OrigLen != in[i].OrigLen ||
			o.HasLabel != in[i].HasLabel || o.Label != in[i].Label || o.Comment != wantComments[i] {
			t.Errorf("frame %d: got %+v", i, o)
		}
	}
	r, err := pcapgo.NewNgReader(bytes.NewReader(b), pcapgo.NgReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		data, ci, opts, err := r.ReadPacketDataWithOptions()
		if err != nil {
			t.Fatalf("pcapgo frame %d: %v", i, err)
		}
		var c string
		if len(opts.Comments) > 0 {
			c = opts.Comments[0]
		}
		if !bytes.Equal(data, in[i].Data) || !ci.Timestamp.Equal(in[i].Timestamp) || c != wantComments[i] {
			t.Errorf("pcapgo frame %d: %d bytes at %v, comment %q", i, len(data), ci.Timestamp, c)
		}
	}
	if n := tsharkCount(t, path); n != len(in) {
		t.Errorf("tshark reads %d frames from the recording, want %d", n, len(in))
	}
}
