package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"time"
)

// SLIP special bytes (RFC 1055).
const (
	slipEnd    = 0xc0
	slipEsc    = 0xdb
	slipEscEnd = 0xdc
	slipEscEsc = 0xdd
)

// minEthernet is the length of an Ethernet header; shorter SLIP frames are
// line noise and are dropped.
const minEthernet = 14

// DiscardCounter is implemented by readers that drop damaged input and
// carry on (SLIP): Discarded returns how many damaged or oversized frames
// were dropped so far.
type DiscardCounter interface {
	Discarded() uint64
}

// slipReader splits a SLIP byte stream into frames. A frame with an invalid
// escape, one longer than MaxFrame, one shorter than an Ethernet header, or
// one cut off by the end of the stream is dropped and counted; reading
// resumes after the next END. Empty frames (END END) are ignored.
type slipReader struct {
	br        *bufio.Reader
	maxFrame  int
	buf       []byte
	discarded uint64
	frame     Frame
}

func newSlipReader(br *bufio.Reader, opts Options) *slipReader {
	m := opts.maxFrame()
	return &slipReader{br: br, maxFrame: m, buf: make([]byte, 0, min(m, 2048))}
}

func (r *slipReader) Format() string    { return "slip" }
func (r *slipReader) Discarded() uint64 { return r.discarded }

func (r *slipReader) ReadFrame() (*Frame, error) {
	buf := r.buf[:0]
	bad := false // drop everything up to the next END
	for {
		if r.br.Buffered() == 0 {
			if _, err := r.br.Peek(1); err != nil {
				return nil, r.end(buf, bad, err)
			}
		}
		// Work on what is buffered: copy the run of ordinary bytes up to
		// the next END or ESC in one go.
		chunk, _ := r.br.Peek(r.br.Buffered())
		i := bytes.IndexByte(chunk, slipEnd)
		if i < 0 {
			i = len(chunk)
		}
		if j := bytes.IndexByte(chunk[:i], slipEsc); j >= 0 {
			i = j
		}
		if !bad {
			if len(buf)+i > r.maxFrame {
				bad = true
			} else {
				buf = r.appendBounded(buf, chunk[:i])
			}
		}
		r.br.Discard(i)
		if i == len(chunk) {
			continue
		}
		c, _ := r.br.ReadByte()
		if c == slipEnd {
			if bad || (len(buf) > 0 && len(buf) < minEthernet) {
				r.discarded++
				buf, bad = buf[:0], false
				continue
			}
			if len(buf) == 0 {
				continue // empty frame between ENDs
			}
			r.buf = buf
			r.frame = Frame{Data: buf, Timestamp: time.Now(), OrigLen: len(buf)}
			return &r.frame, nil
		}
		// ESC: the next byte says which special byte was meant.
		e, err := r.br.ReadByte()
		if err != nil {
			return nil, r.end(buf, true, err)
		}
		switch e {
		case slipEscEnd:
			c = slipEnd
		case slipEscEsc:
			c = slipEsc
		case slipEnd: // invalid escape; the END still ends the frame
			r.discarded++
			buf, bad = buf[:0], false
			continue
		default:
			bad = true
		}
		if bad {
			continue
		}
		if len(buf) >= r.maxFrame {
			bad = true
			continue
		}
		buf = r.appendBounded(buf, []byte{c})
	}
}

// end handles the end of the stream in the middle of a frame.
func (r *slipReader) end(buf []byte, bad bool, err error) error {
	if len(buf) > 0 || bad {
		r.discarded++ // a frame cut off by the end of the stream
	}
	r.buf = buf
	if err == io.EOF {
		return io.EOF
	}
	return fmt.Errorf("slip: %w", err)
}

// appendBounded appends b to buf (len(buf)+len(b) <= maxFrame), growing
// the buffer by doubling but never beyond maxFrame.
func (r *slipReader) appendBounded(buf, b []byte) []byte {
	if len(buf)+len(b) > cap(buf) {
		nb := make([]byte, len(buf), min(max(2*cap(buf), len(buf)+len(b), 64), r.maxFrame))
		copy(nb, buf)
		buf = nb
	}
	return append(buf, b...)
}

// u16Reader reads frames each preceded by their length as a big-endian
// 16-bit number. A length above MaxFrame ends the stream (there is no way
// to find the next frame); a zero length is an empty frame and is skipped.
type u16Reader struct {
	br       *bufio.Reader
	maxFrame int
	n        int
	hdr      [2]byte
	buf      []byte
	frame    Frame
}

func newU16Reader(br *bufio.Reader, opts Options) *u16Reader {
	m := opts.maxFrame()
	return &u16Reader{br: br, maxFrame: m, buf: make([]byte, 0, min(m, 2048))}
}

func (r *u16Reader) Format() string { return "u16" }

func (r *u16Reader) ReadFrame() (*Frame, error) {
	for {
		r.n++
		k, err := io.ReadFull(r.br, r.hdr[:])
		if err != nil {
			if k == 0 && err == io.EOF {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("u16 frame %d: length: %w", r.n, unexpected(err))
		}
		length := int(r.hdr[0])<<8 | int(r.hdr[1])
		if length > r.maxFrame {
			return nil, fmt.Errorf("u16 frame %d: length %d exceeds maximum frame size %d", r.n, length, r.maxFrame)
		}
		if length == 0 {
			continue
		}
		r.buf = grow(r.buf, length, r.maxFrame)
		if _, err := io.ReadFull(r.br, r.buf); err != nil {
			return nil, fmt.Errorf("u16 frame %d: data (%d bytes): %w", r.n, length, unexpected(err))
		}
		r.frame = Frame{Data: r.buf, Timestamp: time.Now(), OrigLen: length}
		return &r.frame, nil
	}
}
