package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/sim"
)

func runJSON(t *testing.T, args ...string) Report {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := RunCommand(ctx, append(args, "--report", "json"), &out, &errOut); err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, errOut.String())
	}
	var r Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out.String())
	}
	return r
}

func classifier(t *testing.T, r Report, name string) ClassifierReport {
	t.Helper()
	for _, c := range r.Classifiers {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no classifier %q in report", name)
	return ClassifierReport{}
}

// The walking skeleton's acceptance path: a simulator server on a real
// loopback socket, `run --connect` reading it through TCP ingest.
func TestRunConnectToSimulatorServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = sim.Serve(ctx, ln, sim.Config{Seed: 7, Rate: 2000})
	}()
	defer func() { cancel(); ln.Close(); <-served }()

	r := runJSON(t, "--connect", ln.Addr().String(), "--count", "5000")
	// A live TCP source drops (and counts) what the pipeline cannot keep up
	// with rather than stalling the sender; under -race on a busy machine
	// some drops are possible, but every frame must be accounted for.
	if r.Frames != 5000 || r.Decoded+r.Dropped+r.DecodeErrors != r.Frames || r.Labelled != r.Decoded || r.Labelled < 1000 {
		t.Fatalf("frames %d decoded %d dropped %d errors %d labelled %d", r.Frames, r.Decoded, r.Dropped, r.DecodeErrors, r.Labelled)
	}
	if r.Format != "pcapng" {
		t.Errorf("format %q", r.Format)
	}
	perc, maj := classifier(t, r, "perceptron"), classifier(t, r, "majority")
	if !maj.Baseline {
		t.Error("majority not flagged as a baseline")
	}
	if perc.Accuracy <= maj.Accuracy {
		t.Errorf("perceptron %.4f does not beat majority %.4f", perc.Accuracy, maj.Accuracy)
	}
	if r.FramesPerSecond <= 0 || r.Seconds <= 0 {
		t.Errorf("rate %v over %v s", r.FramesPerSecond, r.Seconds)
	}
}

func TestRunSimInProcessWithRuleTargetAndTrace(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "trace.csv")
	r := runJSON(t, "--sim", "default", "--count", "3000", "--features", "basic", "--target", "arp", "--trace", trace)
	if r.Frames != 3000 || r.Labelled != 3000 || r.Target != "arp" {
		t.Fatalf("report %+v", r)
	}
	// 3000 frames of default end before every attack kind has appeared
	if !strings.Contains(r.Warning, "before every attack kind appeared") {
		t.Errorf("no warning about missing attack kinds: %q", r.Warning)
	}
	f, err := os.Open(trace)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3001 {
		t.Fatalf("trace has %d rows, want header + 3000", len(rows))
	}
	if !strings.HasPrefix(strings.Join(rows[0], ","), "frame,dst_mac,src_mac,ethertype,payload_len,label,pred_") {
		t.Errorf("trace header %v", rows[0])
	}
}

// `run --listen` accepts a sender that writes a pcap stream (as
// `tcpdump -U -w - | nc` does), counts every frame, and ends at --count.
func TestRunListenAcceptsAPcapSender(t *testing.T) {
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := probe.Addr().String()
	probe.Close()

	done := make(chan Report, 1)
	go func() { done <- runJSON(t, "--listen", addr, "--count", "1000", "--target", "ipv4") }()
	var conn net.Conn
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err = net.Dial("tcp", addr)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		_, _ = sim.Stream(ctx, conn, sim.Config{Format: "pcap", Count: 5000, Seed: 3})
		conn.Close()
	}()
	r := <-done
	if r.Frames != 1000 || r.Labelled != 1000 || r.Format != "pcap" {
		t.Fatalf("report %+v", r)
	}
}

func TestRunRejectsBadUsage(t *testing.T) {
	cases := [][]string{
		{},
		{"--connect", "x:1", "--sim", "default"},
		{"--sim", "default", "--target", "coin"},
		{"--sim", "default", "--report", "xml"},
	}
	for _, args := range cases {
		var out, errOut bytes.Buffer
		err := RunCommand(context.Background(), args, &out, &errOut)
		var ue UsageError
		if !errors.As(err, &ue) {
			t.Errorf("run %v: got %v, want a usage error", args, err)
		}
	}
	var out, errOut bytes.Buffer
	if err := RunCommand(context.Background(), []string{"--sim", "no-such-scenario"}, &out, &errOut); err == nil ||
		!strings.Contains(err.Error(), "no-such-scenario") {
		t.Errorf("unknown scenario: %v", err)
	}
	if err := RunCommand(context.Background(), []string{"--sim", "default", "--features", "fancy"}, &out, &errOut); err == nil ||
		!strings.Contains(err.Error(), "fancy") {
		t.Errorf("unknown feature set: %v", err)
	}
}
