package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/etherlearn/etherlearn/classifiers"
	"github.com/etherlearn/etherlearn/pipeline/eval"
	"github.com/etherlearn/etherlearn/pipeline/ingest"
)

// frame builds a valid Ethernet frame: ARP when arp is true, else an
// IPv4/UDP datagram with n payload bytes.
func frame(t testing.TB, src, dst net.HardwareAddr, arp bool, n int) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	eth := &layers.Ethernet{SrcMAC: src, DstMAC: dst}
	var err error
	if arp {
		eth.EthernetType = layers.EthernetTypeARP
		err = gopacket.SerializeLayers(buf, opts, eth, &layers.ARP{
			AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
			HwAddressSize: 6, ProtAddressSize: 4, Operation: layers.ARPRequest,
			SourceHwAddress: src, SourceProtAddress: []byte{10, 0, 0, 1},
			DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 2}})
	} else {
		eth.EthernetType = layers.EthernetTypeIPv4
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP,
			SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
		udp := &layers.UDP{SrcPort: 5000, DstPort: 53}
		_ = udp.SetNetworkLayerForChecksum(ip)
		err = gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(make([]byte, n)))
	}
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func runFrames(t *testing.T, cfg Config, frames []ingest.Frame) *Snapshot {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	for i := range frames {
		if err := p.Submit(ctx, &frames[i]); err != nil {
			t.Fatalf("submit %d: %v", i, err)
		}
	}
	p.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return p.Snapshot()
}

func TestPipelineLearnsRuleTargetAndCountsEverything(t *testing.T) {
	hostA, _ := net.ParseMAC("02:00:00:00:00:0a")
	hostB, _ := net.ParseMAC("02:00:00:00:00:0b")
	bcast, _ := net.ParseMAC("ff:ff:ff:ff:ff:ff")
	var frames []ingest.Frame
	for i := 0; i < 3000; i++ {
		var data []byte
		if i%3 == 0 {
			data = frame(t, hostA, bcast, true, 0)
		} else {
			data = frame(t, hostB, hostA, false, 20+i%400)
		}
		frames = append(frames, ingest.Frame{Data: data})
	}
	frames = append(frames, ingest.Frame{Data: []byte{1, 2, 3}}) // too short: a decode error
	var trace bytes.Buffer
	s := runFrames(t, Config{Features: "basic", Target: "arp", Learners: []string{"perceptron", "majority"}, Trace: &trace}, frames)

	c := s.Counters
	if c.Received != 3001 || c.Decoded != 3000 || c.DecodeErrors != 1 || c.Dropped != 0 {
		t.Fatalf("counters %+v", c)
	}
	if c.Decoded+c.DecodeErrors+c.Dropped != c.Received {
		t.Fatalf("frames unaccounted for: %+v", c)
	}
	if c.Labelled != 3000 || c.Learned != 3000 {
		t.Fatalf("labelled/learned %+v", c)
	}
	perc, maj := s.Learners[0], s.Learners[1]
	if perc.Name != "perceptron" || !maj.Baseline {
		t.Fatalf("learners %+v %+v", perc.Name, maj.Name)
	}
	if perc.Accuracy < 0.95 || perc.Accuracy <= maj.Accuracy {
		t.Errorf("perceptron accuracy %.3f, majority %.3f", perc.Accuracy, maj.Accuracy)
	}
	if len(perc.History) == 0 || perc.History[len(perc.History)-1].N > 3000 {
		t.Errorf("history %v", perc.History)
	}
	if len(s.Rows) != DefaultTableRows || s.Rows[len(s.Rows)-1].Err == "" {
		t.Errorf("table: %d rows, last error %q", len(s.Rows), s.Rows[len(s.Rows)-1].Err)
	}

	rows, err := csv.NewReader(&trace).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "frame,dst_mac,src_mac,ethertype,payload_len,label,pred_perceptron,pred_majority" {
		t.Errorf("trace header %q", got)
	}
	if len(rows) != 3001 {
		t.Errorf("trace has %d rows, want header + 3000", len(rows))
	}
}

func TestInBandLabelsAndUnlabelledFramesAreNotLearned(t *testing.T) {
	a, _ := net.ParseMAC("02:00:00:00:00:01")
	b, _ := net.ParseMAC("02:00:00:00:00:02")
	frames := []ingest.Frame{
		{Data: frame(t, a, b, false, 10), Label: 1, HasLabel: true},
		{Data: frame(t, a, b, false, 10)},
		{Data: frame(t, a, b, false, 10), Label: 100000, HasLabel: true},
	}
	s := runFrames(t, Config{Learners: []string{"perceptron"}}, frames)
	c := s.Counters
	if c.Labelled != 1 || c.Unlabelled != 2 || c.BadLabels != 1 || c.Learned != 1 {
		t.Fatalf("counters %+v", c)
	}
	if s.Learners[0].Learned != 1 {
		t.Fatalf("learned %d", s.Learners[0].Learned)
	}
}

func TestDropWhenBusyCountsDrops(t *testing.T) {
	p, err := New(Config{QueueSize: 2, DropWhenBusy: true, Learners: []string{"majority"}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := net.ParseMAC("02:00:00:00:00:01")
	f := ingest.Frame{Data: frame(t, a, a, false, 10)}
	ctx := context.Background()
	// Run is not started: the queue holds two frames, the rest are dropped.
	for i := 0; i < 5; i++ {
		_ = p.Submit(ctx, &f)
	}
	p.Close()
	if err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	c := p.Snapshot().Counters
	if c.Received != 5 || c.Dropped != 3 || c.Decoded != 2 {
		t.Fatalf("counters %+v", c)
	}
}

func TestSetParamsResetsOnlyThatLearner(t *testing.T) {
	p, err := New(Config{Target: "ipv4", Learners: []string{"perceptron", "majority"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.SetParams("perceptron", map[string]string{"eta0": "abc"}); err == nil {
		t.Fatal("bad parameter accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	a, _ := net.ParseMAC("02:00:00:00:00:01")
	f := ingest.Frame{Data: frame(t, a, a, false, 10)}
	for i := 0; i < 10; i++ {
		_ = p.Submit(ctx, &f)
	}
	waitFor(t, func() bool { return p.Snapshot().Counters.Learned == 10 })
	if err := p.SetParams("perceptron", map[string]string{"eta0": "0.5"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		_ = p.Submit(ctx, &f)
	}
	p.Close()
	<-done
	s := p.Snapshot()
	if s.Learners[0].Learned != 5 || s.Learners[0].Params["eta0"] != "0.5" {
		t.Errorf("perceptron after reset: learned %d params %v", s.Learners[0].Learned, s.Learners[0].Params)
	}
	if s.Learners[1].Learned != 15 {
		t.Errorf("majority learned %d, want 15", s.Learners[1].Learned)
	}
	// The restart is marked at the session's frame count, and the
	// restarted learner's curve goes on along the session's frames (not
	// from 0 again).
	marks := s.Timeline.Markers(0, nil)
	if len(marks) == 0 || marks[len(marks)-1].Kind != eval.MarkRestart || marks[len(marks)-1].Learner != 0 || marks[len(marks)-1].N != 10 {
		t.Errorf("markers %+v, want a restart of learner 0 at frame 10", marks)
	}
	whole := s.Timeline.Whole(0, nil)
	if last := whole[len(whole)-1]; last.N != 15 {
		t.Errorf("perceptron's last point at frame %d, want 15", last.N)
	}
}

// waitFor polls cond until it holds; the deadline is generous because it
// only guards against a hang, it measures nothing.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 30s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A pipeline with nothing new publishes nothing new, so an idle window
// (waiting for a sender, say) redraws nothing; the final publication at
// the end of Run always happens.
func TestPublishOnlyOnChange(t *testing.T) {
	p, err := New(Config{Learners: []string{"majority"}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := net.ParseMAC("02:00:00:00:00:01")
	p.publish(false)
	first := p.Snapshot().Seq
	p.publish(false)
	if got := p.Snapshot().Seq; got != first {
		t.Fatalf("published again with nothing new: seq %d -> %d", first, got)
	}
	f := ingest.Frame{Data: frame(t, a, a, false, 10), Label: 1, HasLabel: true}
	_ = p.Submit(context.Background(), &f)
	p.publish(false)
	if got := p.Snapshot(); got.Seq == first || got.Counters.Received != 1 {
		t.Fatalf("a received frame was not published: seq %d, counters %+v", got.Seq, got.Counters)
	}
	before := p.Snapshot().Seq
	p.Close()
	if err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := p.Snapshot(); s.Seq == before || s.Counters.Learned != 1 {
		t.Fatalf("final snapshot seq %d (before %d), counters %+v", s.Seq, before, s.Counters)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// A trace that cannot be written is an error of the run, not lost.
func TestTraceWriteErrorIsReturned(t *testing.T) {
	p, err := New(Config{Learners: []string{"majority"}, Trace: failingWriter{}})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if err := p.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run returned %v, want the trace's write error", err)
	}
}

// TestZeroConfigDefaults checks what Config's doc promises for the zero
// value: the DefaultFeatures set (extended), in-band labels, every
// registered learner.
func TestZeroConfigDefaults(t *testing.T) {
	s := runFrames(t, Config{}, nil)
	if s.FeatureSet != DefaultFeatures || DefaultFeatures != "extended" {
		t.Errorf("zero Config: feature set %q, want %q (extended)", s.FeatureSet, DefaultFeatures)
	}
	if s.Target != "in-band" {
		t.Errorf("zero Config: target %q, want in-band", s.Target)
	}
	if len(s.Learners) != len(classifiers.Specs()) {
		t.Errorf("zero Config: %d learners, want all %d registered", len(s.Learners), len(classifiers.Specs()))
	}
}
