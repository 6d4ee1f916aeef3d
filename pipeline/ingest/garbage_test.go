package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// uartResample is what a UART receiving at rxBaud makes of bytes sent at
// txBaud (8N1, idle line high): it waits for a start bit's falling edge,
// samples eight data bits and the stop bit in the middle of its own bit
// periods, and keeps the byte whatever the stop bit (a framing error is
// not reported through a tty in raw mode). This is how a wrong baud rate
// turns a SLIP stream into noise.
func uartResample(b []byte, txBaud, rxBaud int) []byte {
	// The line level over time in units of 1/(txBaud*rxBaud) s: one sent
	// bit lasts rxBaud units, one received bit period txBaud units.
	bits := make([]bool, 0, len(b)*10+10)
	for _, c := range b {
		bits = append(bits, false) // start bit
		for i := range 8 {
			bits = append(bits, c>>i&1 == 1)
		}
		bits = append(bits, true) // stop bit
	}
	bits = append(bits, true, true)
	level := func(t int) bool {
		i := t / rxBaud
		if i >= len(bits) {
			return true
		}
		return bits[i]
	}
	end := len(bits) * rxBaud
	var out []byte
	for t := 0; t < end; {
		if level(t) {
			t += rxBaud / 4 // idle: look again a quarter of a sent bit later
			continue
		}
		var c byte
		for i := range 8 {
			if level(t + txBaud/2 + (i+1)*txBaud) {
				c |= 1 << i
			}
		}
		out = append(out, c)
		t += txBaud*9 + txBaud/2 // to the middle of the stop bit
		for t < end && !level(t) {
			t += rxBaud / 4
		}
	}
	return out
}

// runOnce reads one stream from src without reconnecting and returns what
// it saw: frames handled, frames discarded, the error and the events.
// With stopAfter > 0 it stops once that many frames arrived.
func runOnce(t *testing.T, src Source, stopAfter int) (frames int, discarded uint64, log *eventLog, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	stop, stopped := context.WithCancel(ctx)
	defer stopped()
	log = &eventLog{}
	err = Run(stop, RunConfig{Source: src, Events: log.add, OnDiscarded: func(n uint64) { discarded += n }},
		func(*Frame) {
			frames++
			if frames == stopAfter {
				stopped()
			}
		})
	if ctx.Err() != nil {
		t.Fatalf("the stream did not end before the test deadline (%d frames, events %v)", frames, log.kinds())
	}
	return frames, discarded, log, err
}

// TestRandomBytesOverTCP: megabytes of random bytes from a TCP server are
// not learned: the stream ends with an error that says what was seen, and
// what was framed is counted as discarded.
func TestRandomBytesOverTCP(t *testing.T) {
	ln := localListener(t)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		for i := range 8 {
			if _, err := c.Write(randomBytes(uint64(i+7), 1<<20)); err != nil {
				return // Run closed the stream after its error: expected
			}
		}
	}()
	frames, discarded, log, err := runOnce(t, &TCPClient{Addr: ln.Addr().String()}, 0)
	if frames != 0 {
		t.Errorf("%d frames of random bytes were handed on to be learned", frames)
	}
	if err == nil || !strings.Contains(err.Error(), "do not look like Ethernet") {
		t.Fatalf("error %v, want one saying the frames do not look like Ethernet", err)
	}
	if discarded < MaxImplausibleRun {
		t.Errorf("%d frames counted as discarded, want at least %d", discarded, MaxImplausibleRun)
	}
	if e, ok := log.find(StreamError); !ok || e.Err == nil {
		t.Errorf("no stream error event: %v", log.kinds())
	}
	t.Logf("random bytes: %v (%d discarded)", err, discarded)
}

// TestUnrecognisedOverTCP: bytes with no SLIP END and no plausible u16
// record are refused at detection, naming what was seen.
func TestUnrecognisedOverTCP(t *testing.T) {
	ln := localListener(t)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		b := randomBytes(3, 8192)
		for i := range b {
			if b[i] == slipEnd {
				b[i] = 0
			}
		}
		c.Write(b)
	}()
	frames, _, _, err := runOnce(t, &TCPClient{Addr: ln.Addr().String()}, 0)
	if frames != 0 || err == nil || !strings.Contains(err.Error(), "no SLIP END (c0) in the first 4096 bytes; not u16 frames") {
		t.Fatalf("%d frames, error %v", frames, err)
	}
}

// serialOnce writes b into a pseudo-terminal pair and reads it through
// the Serial source until the stream fails or stopAfter frames arrived.
func serialOnce(t *testing.T, b []byte, stopAfter int) (int, uint64, *eventLog, error) {
	t.Helper()
	dir := t.TempDir()
	dev, peer := filepath.Join(dir, "ttyEL0"), filepath.Join(dir, "peer")
	testkit.PTYPair(t, dev, peer)
	go func() {
		// The reader may close the port once it has seen enough: write
		// errors are expected then.
		f, err := os.OpenFile(peer, os.O_RDWR|syscall.O_NOCTTY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		for len(b) > 0 {
			n, err := f.Write(b[:min(len(b), 64)])
			if err != nil {
				return
			}
			b = b[n:]
		}
	}()
	return runOnce(t, &Serial{Path: dev, Baud: 115200}, stopAfter)
}

// TestSerialSLIPJoinedMidFrame: a reader that opens the port while a SLIP
// sender is in the middle of a frame (no END at the start) detects SLIP at
// the first END, drops the partial frame (counted) and delivers the rest.
func TestSerialSLIPJoinedMidFrame(t *testing.T) {
	fs := testFrames(30)
	stream := slipEncode(fs...)
	frames, discarded, log, err := serialOnce(t, stream[37:], 29) // inside frame 1
	e, ok := log.find(Connected)
	if !ok || e.Format != "slip" {
		t.Fatalf("connected %+v, events %v", e, log.kinds())
	}
	if frames != 29 {
		t.Errorf("%d frames, want 29 (all but the one joined in the middle)", frames)
	}
	if discarded != 1 {
		t.Errorf("%d frames discarded, want 1 (the partial one)", discarded)
	}
	if err != nil {
		t.Errorf("stream ended with %v", err)
	}
}

// TestSerialWrongBaud: a SLIP sender at 115200 baud read at 57600, 38400
// and 230400 baud (resampled as a UART would) is not learned: the stream
// ends with an error saying the frames do not look like Ethernet, or is
// not recognised at all.
func TestSerialWrongBaud(t *testing.T) {
	stream := slipEncode(testFrames(200)...)
	for _, rx := range []int{57600, 38400, 230400} {
		garbled := uartResample(stream, 115200, rx)
		frames, discarded, _, err := serialOnce(t, garbled, 0)
		if frames != 0 {
			t.Errorf("rx %d baud: %d garbled frames handed on to be learned", rx, frames)
		}
		if err == nil || !strings.Contains(err.Error(), "do not look like Ethernet") && !strings.Contains(err.Error(), "unrecognised stream format") {
			t.Errorf("rx %d baud: error %v", rx, err)
		}
		t.Logf("rx %d baud: %d bytes in, %d discarded: %v", rx, len(garbled), discarded, err)
	}
	// The resampler is faithful at the right speed.
	if got := uartResample(stream, 115200, 115200); string(got) != string(stream) {
		t.Fatal("uartResample changes bytes at the same baud rate")
	}
}

// TestSerialLineNoise: random bytes on a serial line (a floating RX pin)
// are not learned.
func TestSerialLineNoise(t *testing.T) {
	frames, _, _, err := serialOnce(t, randomBytes(11, 256<<10), 0)
	if frames != 0 || err == nil || !strings.Contains(err.Error(), "do not look like Ethernet") {
		t.Fatalf("%d frames, error %v", frames, err)
	}
}
