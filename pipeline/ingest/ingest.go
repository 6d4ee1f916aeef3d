// Package ingest turns byte streams from capture tools, serial devices and
// files into Ethernet frames.
//
// A Source opens byte streams (a TCP connection, a serial port, a file); a
// FrameReader, chosen by auto-detection on the first bytes of each stream,
// splits a stream into frames. Stream ties the two together, reconnecting
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
	MaxFrame int
}

// Source opens byte streams. A TCP client source dials; a listening source
// accepts; a serial source opens the port; a file source opens the file.
type Source interface {
	// Open blocks until a stream is available or ctx is done.
	Open(ctx context.Context) (io.ReadCloser, error)
	// String describes the source for the status line ("tcp 127.0.0.1:57012").
	String() string
}
