// Package ingest turns byte streams from capture tools, serial devices and
// files into Ethernet frames.
//
// A Source opens byte streams (a TCP connection, a serial port, a file); a
// FrameReader, chosen by auto-detection on the first bytes of each stream,
// splits a stream into frames. Run ties the two together, reconnecting
// where the source allows it. Nothing here imports Fyne.
package ingest

import (
	"context"
	"io"
	"time"
)

// DefaultMaxFrame is the default largest frame a reader accepts. A record
// that claims more is an error, never an allocation.
const DefaultMaxFrame = 65535

// Frame is one received Ethernet frame.
//
// Data is owned by the reader and valid only until the next ReadFrame call:
// copy it to keep it.
type Frame struct {
	Data      []byte
	Timestamp time.Time // capture timestamp, or receive time where the format has none
	OrigLen   int       // length on the wire (>= len(Data) when the capture was truncated)
	Label     int       // in-band label (pcapng comment "label=N"); valid if HasLabel
	HasLabel  bool
	Comment   string // the packet comment, if any (pcapng)
	Interface int    // pcapng interface number within its section; 0 otherwise
}

// FrameReader reads frames from one byte stream.
type FrameReader interface {
	// ReadFrame returns the next frame. It returns io.EOF at a clean end of
	// stream; any other error ends the stream and says why in a sentence
	// with context (format, record number).
	ReadFrame() (*Frame, error)
	// Format names the detected wire format: "pcap", "pcapng", "slip", "u16".
	Format() string
}

// Options configure readers.
type Options struct {
	// MaxFrame bounds the size of one frame; 0 means DefaultMaxFrame.
	// No input makes a reader allocate more than MaxFrame plus a small
	// constant for a frame.
	MaxFrame int
	// SkipNonEthernet makes the pcapng reader skip packets of interfaces
	// whose link type is not Ethernet instead of ending the stream with an
	// error naming the link type. (A pcap stream has one link type for the
	// whole stream and is always refused if it is not Ethernet.)
	SkipNonEthernet bool
	// OnInterfaceStats, if set, is called from ReadFrame for every pcapng
	// interface statistics block (dumpcap writes them at the end of a
	// capture). Run uses it to emit InterfaceDrops events.
	OnInterfaceStats func(InterfaceStats)
}

func (o Options) maxFrame() int {
	if o.MaxFrame <= 0 {
		return DefaultMaxFrame
	}
	return o.MaxFrame
}

// Source opens byte streams. A TCP client source dials; a listening source
// accepts; a serial source opens the port; a file source opens the file.
type Source interface {
	// Open blocks until a stream is available or ctx is done.
	Open(ctx context.Context) (io.ReadCloser, error)
	// String describes the source for the status line ("tcp 127.0.0.1:57012").
	String() string
}
