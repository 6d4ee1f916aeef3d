package ingest

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/pcapng"
)

// Recorder writes frames to a pcapng stream (one little-endian section, one
// Ethernet interface with nanosecond timestamps, one enhanced packet block
// per frame) so that a session can be replayed with File or opened in
// Wireshark. A frame's comment is kept; a frame's label is written as
// "label=N" at the start of the comment unless the comment already says so.
//
// A Recorder is not safe for concurrent use.
type Recorder struct {
	w       *pcapng.Writer
	frames  int
	comment []byte
}

const recorderApp = "EtherLearn"

// NewRecorder writes the section header and interface description to w
// (so a destination that cannot be written fails here) and returns a
// Recorder writing to it. Call Flush (or Close) at the end.
func NewRecorder(w io.Writer) (*Recorder, error) {
	r := &Recorder{w: pcapng.NewWriter(w, recorderApp, pcapng.Interface{Nanoseconds: true})}
	if err := r.w.Flush(); err != nil {
		return nil, fmt.Errorf("writing the pcapng header: %w", err)
	}
	return r, nil
}

// WriteFrame appends one frame (Data is copied out before it returns). A
// comment longer than a pcapng option can hold (65535 bytes) is cut.
func (r *Recorder) WriteFrame(f *Frame) error {
	r.comment = r.comment[:0]
	if f.HasLabel {
		if n, ok := ParseLabel(f.Comment); !ok || n != f.Label {
			r.comment = append(r.comment, "label="...)
			r.comment = strconv.AppendInt(r.comment, int64(f.Label), 10)
			if f.Comment != "" {
				r.comment = append(r.comment, ' ')
			}
		}
	}
	r.comment = append(r.comment, f.Comment...)
	ts := f.Timestamp
	if ts.IsZero() {
		ts = time.Now()
	}
	if err := r.w.WritePacket(ts, f.Data, f.OrigLen, r.comment); err != nil {
		return fmt.Errorf("recording frame %d: %w", r.frames+1, err)
	}
	r.frames++
	return nil
}

// Flush writes buffered data to the underlying writer (which the
// Recorder never closes: whoever opened it does).
func (r *Recorder) Flush() error { return r.w.Flush() }
