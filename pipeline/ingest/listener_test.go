package ingest

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// listenerRun runs Run on a fresh listener on a loopback port in the
// background, sending events and frame counts to the test.
type listenerRun struct {
	addr   string
	events chan Event
	frames chan int // running total after each frame
	done   chan error
	cancel context.CancelFunc
}

func startListenerRun(t *testing.T, l *TCPListener) *listenerRun {
	t.Helper()
	if err := l.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	r := &listenerRun{addr: l.ListenAddr().String(), events: make(chan Event, 1000),
		frames: make(chan int, 100000), done: make(chan error, 1), cancel: cancel}
	n := 0
	go func() {
		r.done <- Run(ctx, RunConfig{Source: l, Reconnect: true, Events: func(e Event) { r.events <- e }},
			func(*Frame) { n++; r.frames <- n })
	}()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

// waitEvent returns the next event of kind k, failing the test at the
// deadline; the events skipped on the way are returned too.
func (r *listenerRun) waitEvent(t *testing.T, k EventKind) (Event, []Event) {
	t.Helper()
	var seen []Event
	timeout := time.After(testDeadline)
	for {
		select {
		case e := <-r.events:
			seen = append(seen, e)
			if e.Kind == k {
				return e, seen
			}
		case <-timeout:
			t.Fatalf("no %v event; saw %+v", k, seen)
		}
	}
}

func (r *listenerRun) waitFrames(t *testing.T, want int) {
	t.Helper()
	timeout := time.After(testDeadline)
	for {
		select {
		case n := <-r.frames:
			if n == want {
				return
			}
		case <-timeout:
			t.Fatalf("fewer than %d frames arrived", want)
		}
	}
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestListenerPortProbes: ten empty connections (port probes) are each
// reported, counted as no stream error and cause no backoff: the real
// sender after them is served next, and the listener never says it is
// "reconnecting".
func TestListenerPortProbes(t *testing.T) {
	r := startListenerRun(t, &TCPListener{Addr: "127.0.0.1:0"})
	first, _ := r.waitEvent(t, Listening)
	if want := "Listening on " + r.addr + ", waiting for a sender."; first.Message != want {
		t.Errorf("status %q, want %q", first.Message, want)
	}
	for range 10 {
		dial(t, r.addr).Close()
	}
	sender := dial(t, r.addr)
	defer sender.Close()
	if _, err := sender.Write(buildPcap(le(), false, 1, testFrames(5))); err != nil {
		t.Fatal(err)
	}
	connected, seen := r.waitEvent(t, Connected)
	r.waitFrames(t, 5)
	probes := 0
	for _, e := range seen {
		switch e.Kind {
		case Reconnecting, StreamError:
			t.Errorf("a probe caused %v: %s", e.Kind, e.Message)
		case Disconnected:
			probes++
			if !strings.Contains(e.Message, "closed the connection without sending anything") {
				t.Errorf("probe reported as %q", e.Message)
			}
		}
	}
	if probes != 10 {
		t.Errorf("%d probes reported, want 10", probes)
	}
	if connected.Peer != sender.LocalAddr().String() || !strings.Contains(connected.Message, "from "+sender.LocalAddr().String()) {
		t.Errorf("connected event %+v does not name the peer %s", connected, sender.LocalAddr())
	}
}

// TestListenerStalledSender: a sender that sends a pcap header and then
// nothing is disconnected once another sender waits and the idle timeout
// passes; the waiting sender is served. The test waits on events, not on
// the clock: the idle timeout is short so that the test is quick.
func TestListenerStalledSender(t *testing.T) {
	r := startListenerRun(t, &TCPListener{Addr: "127.0.0.1:0", IdleTimeout: 100 * time.Millisecond})
	stalled := dial(t, r.addr)
	defer stalled.Close()
	if _, err := stalled.Write(buildPcap(le(), false, 1, nil)); err != nil {
		t.Fatal(err)
	}
	r.waitEvent(t, Connected)
	good := dial(t, r.addr)
	if _, err := good.Write(buildPcap(le(), false, 1, testFrames(4))); err != nil {
		t.Fatal(err)
	}
	good.Close()
	e, _ := r.waitEvent(t, StreamError)
	if e.Peer != stalled.LocalAddr().String() || !strings.Contains(e.Message, "idle timeout") {
		t.Errorf("stalled sender reported as %+v", e)
	}
	c, _ := r.waitEvent(t, Connected)
	if c.Peer != good.LocalAddr().String() {
		t.Errorf("served %s, want the waiting sender %s", c.Peer, good.LocalAddr())
	}
	r.waitFrames(t, 4)
}

// TestListenerAloneMayBeSilent: with nobody waiting, a silent sender keeps
// its slot (tcpdump on a quiet link) and its later frames arrive.
func TestListenerAloneMayBeSilent(t *testing.T) {
	r := startListenerRun(t, &TCPListener{Addr: "127.0.0.1:0", IdleTimeout: 20 * time.Millisecond})
	c := dial(t, r.addr)
	defer c.Close()
	b := buildPcap(le(), false, 1, testFrames(3))
	c.Write(b[:24+16+60])
	r.waitFrames(t, 1)
	// The idle timeout passes with nobody waiting: the sender keeps its
	// slot, the status says it is silent, and its data is read when it
	// comes.
	idle, _ := r.waitEvent(t, Idle)
	if !strings.Contains(idle.Message, "has sent nothing for 20ms") {
		t.Errorf("idle event %q", idle.Message)
	}
	c.Write(b[24+16+60:])
	r.waitFrames(t, 3)
	resumed, seen := r.waitEvent(t, Connected)
	if !strings.Contains(resumed.Message, "Receiving pcap from "+c.LocalAddr().String()+" again.") {
		t.Errorf("resume event %q", resumed.Message)
	}
	for _, e := range seen {
		if e.Kind == StreamError || e.Kind == Disconnected {
			t.Errorf("unexpected event %+v", e)
		}
	}
}

// TestListenerQueuedSenders: senders that connect while one is served are
// served in the order they connected, each stream whole.
func TestListenerQueuedSenders(t *testing.T) {
	l := &TCPListener{Addr: "127.0.0.1:0"}
	r := startListenerRun(t, l)
	first := dial(t, r.addr)
	first.Write(buildPcap(le(), false, 1, testFrames(2)))
	r.waitEvent(t, Connected)
	var queued []net.Conn
	for i := range 3 {
		c := dial(t, r.addr)
		queued = append(queued, c)
		if _, err := c.Write(buildPcap(le(), false, 1, testFrames(3+i))); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	first.Close()
	var order []string
	for range queued {
		e, _ := r.waitEvent(t, Connected)
		order = append(order, e.Peer)
	}
	for i, c := range queued {
		if order[i] != c.LocalAddr().String() {
			t.Fatalf("served %v, want the order of connection %v, %v, %v", order, queued[0].LocalAddr(), queued[1].LocalAddr(), queued[2].LocalAddr())
		}
	}
	r.waitFrames(t, 2+3+4+5)
}
