package ingest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testDeadline bounds every wait in tests that use real sockets; it is
// generous because the machines are shared.
const testDeadline = 30 * time.Second

func localListener(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

type eventLog struct{ events []Event }

func (l *eventLog) add(e Event) { l.events = append(l.events, e) }

func (l *eventLog) kinds() []EventKind {
	var k []EventKind
	for _, e := range l.events {
		k = append(k, e.Kind)
	}
	return k
}

func (l *eventLog) find(k EventKind) (Event, bool) {
	for _, e := range l.events {
		if e.Kind == k {
			return e, true
		}
	}
	return Event{}, false
}

// TestRunTCPClientReconnect serves a pcapng stream that ends after 3
// frames, then a pcap stream on the next connection: Run must reconnect,
// detect the new format and deliver all frames.
func TestRunTCPClientReconnect(t *testing.T) {
	ln := localListener(t)
	done := make(chan struct{})
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		b := pcapngLabelled(le())
		c.Write(b)
		c.Close()
		c, err = ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write(buildPcap(be(), true, 1, testFrames(2)))
		<-done // keep the connection open: Run must stop on cancellation
	}()
	defer close(done)

	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	var log eventLog
	var labels []int
	var formats []string
	n := 0
	err := Run(ctx, RunConfig{
		Source:     &TCPClient{Addr: ln.Addr().String()},
		Reconnect:  true,
		MinBackoff: 10 * time.Millisecond,
		Events: func(e Event) {
			log.add(e)
			if e.Kind == Connected {
				formats = append(formats, e.Format)
			}
		},
	}, func(f *Frame) {
		n++
		if f.HasLabel {
			labels = append(labels, f.Label)
		}
		if n == 6 {
			cancel()
		}
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if ctx.Err() != context.Canceled {
		t.Fatalf("Run returned before all frames arrived: %d frames, events %v", n, log.kinds())
	}
	if strings.Join(formats, ",") != "pcapng,pcap" {
		t.Errorf("formats %v, want pcapng then pcap", formats)
	}
	if len(labels) != 2 || labels[0] != 3 || labels[1] != 0 {
		t.Errorf("labels %v, want [3 0]", labels)
	}
	e, ok := log.find(Reconnecting)
	if !ok || e.Delay != 10*time.Millisecond || !strings.Contains(e.Message, "Reconnecting to tcp 127.0.0.1:") {
		t.Errorf("reconnecting event %+v (found %v)", e, ok)
	}
	if _, ok := log.find(Disconnected); !ok {
		t.Errorf("no Disconnected event in %v", log.kinds())
	}
}

// TestRunCorruptStream: a corrupt record length over TCP ends the stream
// with a clear error after the good frames.
func TestRunCorruptStream(t *testing.T) {
	ln := localListener(t)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Write(corruptPcapLength())
		c.Close()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	var log eventLog
	n := 0
	err := Run(ctx, RunConfig{Source: &TCPClient{Addr: ln.Addr().String()}, Events: log.add},
		func(*Frame) { n++ })
	want := "pcap record 12: captured length 4294967295 exceeds maximum frame size 65535"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Run error %v, want %q", err, want)
	}
	if n != 11 {
		t.Errorf("%d frames before the corrupt record, want 11", n)
	}
	e, ok := log.find(StreamError)
	if !ok || !strings.Contains(e.Message, want) {
		t.Errorf("stream error event %+v", e)
	}
	if k := log.kinds(); k[len(k)-1] != Finished {
		t.Errorf("last event %v, want finished", k[len(k)-1])
	}
}

// TestRunConnectRefusedBackoff: nobody listens; Run retries with doubling
// delays until cancelled.
func TestRunConnectRefusedBackoff(t *testing.T) {
	ln := localListener(t)
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	var delays []time.Duration
	err := Run(ctx, RunConfig{
		Source: &TCPClient{Addr: addr}, Reconnect: true,
		MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
		Events: func(e Event) {
			if e.Kind == Reconnecting {
				delays = append(delays, e.Delay)
				if len(delays) == 5 {
					cancel()
				}
			}
		},
	}, func(*Frame) { t.Error("unexpected frame") })
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{1, 2, 4, 4, 4}
	for i := range want {
		if i >= len(delays) || delays[i] != want[i]*time.Millisecond {
			t.Fatalf("delays %v, want %v ms", delays, want)
		}
	}
}

// TestRunTCPListener: two senders one after another, the second connecting
// while the first is still sending (it is queued).
func TestRunTCPListener(t *testing.T) {
	src := &TCPListener{Addr: "127.0.0.1:0"}
	if err := src.Listen(); err != nil {
		t.Fatal(err)
	}
	addr := src.ListenAddr().String()
	first := pcapngLabelled(le())
	second := buildPcap(le(), false, 1, testFrames(5))
	c1, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		c2.Write(second)
		c2.Close()
		c1.Write(first[:100])
		time.Sleep(10 * time.Millisecond)
		c1.Write(first[100:])
		c1.Close()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	var formats []string
	n := 0
	err = Run(ctx, RunConfig{Source: src, Reconnect: true, Events: func(e Event) {
		if e.Kind == Connected {
			formats = append(formats, e.Format)
		}
	}}, func(*Frame) {
		n++
		if n == 9 {
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 9 || strings.Join(formats, ",") != "pcapng,pcap" {
		t.Fatalf("%d frames, formats %v; want 9 frames, pcapng then pcap", n, formats)
	}
	if src.ListenAddr() != nil {
		t.Error("Run did not close the listener")
	}
}

// TestRunInterfaceDrops: a pcapng interface statistics block reporting
// drops becomes an InterfaceDrops event with a sentence.
func TestRunInterfaceDrops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drops.pcapng")
	if err := os.WriteFile(path, pcapngTwoSections(), 0o644); err != nil {
		t.Fatal(err)
	}
	var log eventLog
	n := 0
	err := Run(context.Background(), RunConfig{Source: &File{Path: path}, Options: Options{SkipNonEthernet: true}, Events: log.add},
		func(*Frame) { n++ })
	if err != nil {
		t.Fatal(err)
	}
	e, ok := log.find(InterfaceDrops)
	if !ok || e.Drops != 4 || !strings.Contains(e.Message, "dropped 4 packets") {
		t.Fatalf("drops event %+v (found %v); events %v", e, ok, log.kinds())
	}
	if n != 3 {
		t.Errorf("%d frames, want 3", n)
	}
}

func TestListenerDefaultPort(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1":      "127.0.0.1:57012",
		"::1":            "[::1]:57012",
		"":               ":57012",
		"127.0.0.1:4000": "127.0.0.1:4000",
	} {
		if got := (&TCPListener{Addr: in}).address(); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
