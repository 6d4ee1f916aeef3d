package ingest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// EventKind says what happened to a source.
type EventKind int

const (
	Connecting     EventKind = iota // opening the source (dialling, listening, opening the port)
	Connected                       // a stream is open; Format is set once detected
	Disconnected                    // the stream ended; Err or Message says why
	Reconnecting                    // waiting Delay before opening the source again
	StreamError                     // the stream could not be read (bad format, corrupt record)
	InterfaceDrops                  // a pcapng interface statistics block reported drops
	Finished                        // the source is done (end of a file, or no reconnect)
	Listening                       // a listener waits for its next sender
	Idle                            // a listener's sender has been silent for its idle timeout
)

func (k EventKind) String() string {
	switch k {
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	case Disconnected:
		return "disconnected"
	case Reconnecting:
		return "reconnecting"
	case StreamError:
		return "stream error"
	case InterfaceDrops:
		return "interface drops"
	case Finished:
		return "finished"
	case Listening:
		return "listening"
	case Idle:
		return "idle"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event reports a change in a source's state. Message is a sentence for a
// status line.
type Event struct {
	Kind    EventKind
	Source  string // Source.String()
	Format  string // detected wire format, once known
	Err     error
	Message string
	Drops   uint64        // InterfaceDrops: packets the capturing interface dropped
	Delay   time.Duration // Reconnecting: how long until the next attempt
	Peer    string        // the sender's address on a TCP stream, once connected
}

// Backoff defaults: the delay before reopening a source starts at
// MinBackoff and doubles after each failed attempt up to MaxBackoff. It
// starts again from MinBackoff once a stream has delivered a frame.
const (
	MinBackoff = 250 * time.Millisecond
	MaxBackoff = 5 * time.Second
)

// RunConfig configures Run.
type RunConfig struct {
	Source  Source
	Options Options
	// Reconnect reopens the source after its stream ends or fails, with
	// backoff (TCP client and listener, serial). A finite source (a file)
	// finishes at its end whatever Reconnect says.
	Reconnect bool
	// Events, if set, is called from the Run goroutine for every event.
	Events func(Event)
	// MinBackoff and MaxBackoff override the package defaults if > 0.
	MinBackoff, MaxBackoff time.Duration
	// OnDiscarded, if set, is called from the Run goroutine with the
	// number of frames a reader dropped as damaged or not Ethernet-like
	// (SLIP, u16) since the last call; they never reach handle.
	OnDiscarded func(n uint64)
}

// ErrEmptyStream is returned (wrapped) when a stream ends before its first
// byte: a port probe, a sender that had nothing to send.
var ErrEmptyStream = errors.New("empty stream: no bytes to detect a format from")

// FiniteSource is implemented by sources that end (files): Run finishes at
// the end of their stream instead of reopening them.
type FiniteSource interface {
	Source
	Finite() bool
}

// framePacer is implemented by sources that delay or pause frames (a paced
// File). Run calls it before handing each frame on.
type framePacer interface {
	pace(ctx context.Context, f *Frame) error
}

// Run opens the source, reads frames and calls handle for each (Frame.Data
// is valid only during the call), until ctx is done or the source is
// finished. It returns nil on ctx cancellation or clean finish; otherwise
// the error that ended the last stream (or opening it) when not
// reconnecting.
//
// A source implementing io.Closer (TCPListener) is closed when Run returns.
func Run(ctx context.Context, cfg RunConfig, handle func(*Frame)) error {
	minB, maxB := cfg.MinBackoff, cfg.MaxBackoff
	if minB <= 0 {
		minB = MinBackoff
	}
	if maxB <= 0 {
		maxB = MaxBackoff
	}
	if maxB < minB {
		maxB = minB
	}
	name := cfg.Source.String()
	emit := func(e Event) {
		if cfg.Events != nil {
			e.Source = name
			cfg.Events(e)
		}
	}
	if c, ok := cfg.Source.(io.Closer); ok {
		defer c.Close()
	}
	finite := false
	if fs, ok := cfg.Source.(FiniteSource); ok {
		finite = fs.Finite()
	}
	pacer, _ := cfg.Source.(framePacer)

	_, isListener := cfg.Source.(*TCPListener)
	delay := minB
	for {
		if ctx.Err() != nil {
			return nil
		}
		if isListener {
			emit(Event{Kind: Listening, Message: fmt.Sprintf("Listening on %s, waiting for a sender.", listenAddr(cfg.Source))})
		} else {
			emit(Event{Kind: Connecting, Message: fmt.Sprintf("Opening %s…", name)})
		}
		rc, err := cfg.Source.Open(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !cfg.Reconnect || finite {
				emit(Event{Kind: Finished, Err: err, Message: fmt.Sprintf("Could not open %s: %v.", name, err)})
				return err
			}
			emit(Event{Kind: Reconnecting, Err: err, Delay: delay,
				Message: fmt.Sprintf("Could not open %s: %v. Retrying in %s.", name, err, roundDelay(delay))})
			if !sleep(ctx, delay) {
				return nil
			}
			delay = min(2*delay, maxB)
			continue
		}
		peer := name
		if c, ok := rc.(net.Conn); ok && isListener {
			peer = c.RemoteAddr().String()
		}
		frames, format, err := readStream(ctx, rc, peer, cfg, emit, handle, pacer)
		if frames > 0 {
			delay = minB
		}
		if ctx.Err() != nil {
			return nil
		}
		empty := errors.Is(err, ErrEmptyStream)
		switch {
		case err == nil:
			emit(Event{Kind: Disconnected, Format: format, Peer: peer,
				Message: fmt.Sprintf("The stream from %s ended after %d frames.", peer, frames)})
		case empty:
			// Not a stream error: a port probe or a sender with nothing
			// to say. Said, but not counted; for a listener not even a
			// failure (the next sender is served at once).
			e := Event{Kind: Disconnected, Peer: peer, Err: err,
				Message: fmt.Sprintf("%s closed the connection without sending anything.", peer)}
			if isListener {
				e.Err = nil
			}
			emit(e)
		default:
			emit(Event{Kind: StreamError, Format: format, Err: err, Peer: peer,
				Message: fmt.Sprintf("Reading %s failed after %d frames: %v.", peer, frames, err)})
			emit(Event{Kind: Disconnected, Format: format, Err: err, Peer: peer,
				Message: fmt.Sprintf("Disconnected from %s: %v.", peer, err)})
		}
		if finite || !cfg.Reconnect {
			msg := fmt.Sprintf("Finished reading %s (%d frames).", name, frames)
			if err != nil {
				msg = fmt.Sprintf("Stopped reading %s after %d frames.", name, frames)
			}
			emit(Event{Kind: Finished, Format: format, Err: err, Message: msg})
			return err
		}
		if isListener {
			// A sender's stream ended, however it ended: serve the next
			// one at once. One sender cannot delay another.
			continue
		}
		emit(Event{Kind: Reconnecting, Err: err, Delay: delay,
			Message: fmt.Sprintf("Reconnecting to %s in %s.", name, roundDelay(delay))})
		if !sleep(ctx, delay) {
			return nil
		}
		delay = min(2*delay, maxB)
	}
}

// listenAddr is the listener's bound address for the status line.
func listenAddr(src Source) string {
	if l, ok := src.(*TCPListener); ok {
		if a := l.ListenAddr(); a != nil {
			return a.String()
		}
		return l.address()
	}
	return src.String()
}

// readStream reads one opened stream to its end. It returns the number of
// frames handled, the detected format and the error that ended the stream
// (nil for a clean end of stream or cancellation).
func readStream(ctx context.Context, rc io.ReadCloser, peer string, cfg RunConfig, emit func(Event), handle func(*Frame), pacer framePacer) (int, string, error) {
	// Closing the stream is what unblocks a pending Read on cancellation.
	stop := context.AfterFunc(ctx, func() { rc.Close() })
	defer func() {
		if stop() {
			rc.Close()
		}
	}()
	opts := cfg.Options
	userStats := opts.OnInterfaceStats
	opts.OnInterfaceStats = func(s InterfaceStats) {
		if userStats != nil {
			userStats(s)
		}
		if s.HasDropped && s.Dropped > 0 {
			ifname := fmt.Sprintf("interface %d", s.Interface)
			if s.Name != "" {
				ifname = fmt.Sprintf("interface %s", s.Name)
			}
			emit(Event{Kind: InterfaceDrops, Format: "pcapng", Drops: s.Dropped,
				Message: fmt.Sprintf("The capture on %s dropped %d packets.", ifname, s.Dropped)})
		}
	}
	format := ""
	if lc, ok := rc.(*listenedConn); ok {
		lc.onIdle = func() {
			emit(Event{Kind: Idle, Format: format, Peer: peer,
				Message: fmt.Sprintf("%s has sent nothing for %s; it keeps the connection until another sender waits.", peer, lc.idle)})
		}
		lc.onResume = func() {
			emit(Event{Kind: Connected, Format: format, Peer: peer,
				Message: fmt.Sprintf("Receiving %s from %s again.", cmp.Or(format, "data"), peer)})
		}
	}
	fr, err := NewReader(rc, opts)
	if err != nil {
		if ctx.Err() != nil {
			return 0, "", nil
		}
		return 0, "", err
	}
	format = fr.Format()
	msg := fmt.Sprintf("Receiving %s from %s.", format, peer)
	if peer != cfg.Source.String() {
		msg = fmt.Sprintf("Receiving %s from %s (%s).", format, peer, cfg.Source.String())
	}
	emit(Event{Kind: Connected, Format: format, Peer: peer, Message: msg})
	frames := 0
	dc, _ := fr.(DiscardCounter)
	var discarded uint64
	noteDiscards := func() {
		if dc == nil || cfg.OnDiscarded == nil {
			return
		}
		if d := dc.Discarded(); d != discarded {
			cfg.OnDiscarded(d - discarded)
			discarded = d
		}
	}
	defer noteDiscards()
	for {
		f, err := fr.ReadFrame()
		noteDiscards()
		if err != nil {
			if err == io.EOF || ctx.Err() != nil {
				return frames, format, nil
			}
			return frames, format, err
		}
		if pacer != nil {
			if err := pacer.pace(ctx, f); err != nil {
				return frames, format, nil
			}
		}
		frames++
		handle(f)
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func roundDelay(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}
