package ingest

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// Recorder writes frames to a pcapng stream (one little-endian section, one
// Ethernet interface with nanosecond timestamps, one enhanced packet block
// per frame) so that a session can be replayed with File or opened in
// Wireshark. A frame's comment is kept; a frame's label is written as
// "label=N" at the start of the comment unless the comment already says so.
//
// A Recorder is not safe for concurrent use.
type Recorder struct {
	w       *bufio.Writer
	c       io.Closer
	frames  int
	hdr     [28]byte
	comment []byte
	err     error
}

const recorderApp = "EtherLearn"

// NewRecorder writes the section header and interface description to w and
// returns a Recorder writing to it. Call Flush (or Close) at the end.
func NewRecorder(w io.Writer) (*Recorder, error) {
	r := &Recorder{w: bufio.NewWriterSize(w, 64<<10)}
	le := binary.LittleEndian
	// SHB: byte-order magic, version 1.0, unknown section length, shb_userappl.
	shbOpts := ngOptBytes(4, []byte(recorderApp))
	shb := make([]byte, 0, 28+len(shbOpts))
	shb = le.AppendUint32(shb, ngBlockSHB)
	shb = le.AppendUint32(shb, uint32(28+len(shbOpts)))
	shb = le.AppendUint32(shb, ngByteOrderMagic)
	shb = le.AppendUint16(shb, 1)
	shb = le.AppendUint16(shb, 0)
	shb = le.AppendUint64(shb, ^uint64(0))
	shb = append(shb, shbOpts...)
	shb = le.AppendUint32(shb, uint32(28+len(shbOpts)))
	// IDB: Ethernet, no snap length limit, if_tsresol = 9 (nanoseconds).
	idbOpts := ngOptBytes(ngOptIfTsresol, []byte{9})
	idb := make([]byte, 0, 20+len(idbOpts))
	idb = le.AppendUint32(idb, ngBlockIDB)
	idb = le.AppendUint32(idb, uint32(20+len(idbOpts)))
	idb = le.AppendUint16(idb, linkTypeEthernet)
	idb = le.AppendUint16(idb, 0)
	idb = le.AppendUint32(idb, 0)
	idb = append(idb, idbOpts...)
	idb = le.AppendUint32(idb, uint32(20+len(idbOpts)))
	if _, err := r.w.Write(shb); err != nil {
		return nil, err
	}
	if _, err := r.w.Write(idb); err != nil {
		return nil, err
	}
	return r, nil
}

// CreateRecording creates (or truncates) a pcapng file at path. Close
// flushes and closes it.
func CreateRecording(path string) (*Recorder, error) {
	fh, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	r, err := NewRecorder(fh)
	if err != nil {
		fh.Close()
		return nil, err
	}
	r.c = fh
	return r, nil
}

// ngOptBytes encodes one option followed by opt_endofopt.
func ngOptBytes(code uint16, v []byte) []byte {
	le := binary.LittleEndian
	b := le.AppendUint16(nil, code)
	b = le.AppendUint16(b, uint16(len(v)))
	b = append(b, v...)
	b = append(b, make([]byte, (4-len(v)%4)%4)...)
	return append(b, 0, 0, 0, 0)
}

var zeros [4]byte

// WriteFrame appends one frame (Data is copied out before it returns). A
// comment longer than a pcapng option can hold (65535 bytes) is cut.
func (r *Recorder) WriteFrame(f *Frame) error {
	if r.err != nil {
		return r.err
	}
	le := binary.LittleEndian
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
	if len(r.comment) > 0xffff {
		r.comment = r.comment[:0xffff]
	}
	pad := (4 - len(f.Data)%4) % 4
	optLen := 0
	cpad := 0
	if len(r.comment) > 0 {
		cpad = (4 - len(r.comment)%4) % 4
		optLen = 4 + len(r.comment) + cpad + 4
	}
	total := 32 + len(f.Data) + pad + optLen
	ts := f.Timestamp
	if ts.IsZero() {
		ts = time.Now()
	}
	ns := uint64(ts.UnixNano())
	orig := max(f.OrigLen, len(f.Data))
	h := r.hdr[:0]
	h = le.AppendUint32(h, ngBlockEPB)
	h = le.AppendUint32(h, uint32(total))
	h = le.AppendUint32(h, 0)
	h = le.AppendUint32(h, uint32(ns>>32))
	h = le.AppendUint32(h, uint32(ns))
	h = le.AppendUint32(h, uint32(len(f.Data)))
	h = le.AppendUint32(h, uint32(orig))
	r.write(h)
	r.write(f.Data)
	r.write(zeros[:pad])
	if len(r.comment) > 0 {
		h = le.AppendUint16(r.hdr[:0], ngOptComment)
		h = le.AppendUint16(h, uint16(len(r.comment)))
		r.write(h)
		r.write(r.comment)
		r.write(zeros[:cpad])
		r.write(zeros[:4]) // opt_endofopt
	}
	r.write(le.AppendUint32(r.hdr[:0], uint32(total)))
	if r.err != nil {
		return fmt.Errorf("recording frame %d: %w", r.frames+1, r.err)
	}
	r.frames++
	return nil
}

func (r *Recorder) write(b []byte) {
	if r.err == nil && len(b) > 0 {
		_, r.err = r.w.Write(b)
	}
}

// Frames returns the number of frames written.
func (r *Recorder) Frames() int { return r.frames }

// Flush writes buffered data to the underlying writer.
func (r *Recorder) Flush() error {
	if r.err != nil {
		return r.err
	}
	return r.w.Flush()
}

// Close flushes, and closes the file if the Recorder created it.
func (r *Recorder) Close() error {
	err := r.Flush()
	if r.c != nil {
		if cerr := r.c.Close(); err == nil {
			err = cerr
		}
		r.c = nil
	}
	return err
}
