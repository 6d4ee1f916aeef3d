package sim

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
)

// FrameWriter writes frames in one wire format. Writes are buffered: call
// Flush to push them out.
type FrameWriter interface {
	WriteFrame(f Frame) error
	Flush() error
}

// Formats lists the output formats NewWriter accepts, the default first.
func Formats() []string { return []string{"pcapng", "pcap", "slip"} }

// NewWriter returns a FrameWriter for format ("" means pcapng). File
// headers (pcap, pcapng) are written at once and go out with the first
// Flush.
func NewWriter(w io.Writer, format string) (FrameWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case "pcapng", "":
		return newPcapngWriter(bw), nil
	case "pcap":
		return newPcapWriter(bw), nil
	case "slip":
		return &slipWriter{w: bw}, nil
	}
	return nil, fmt.Errorf("unknown format %q: want pcapng, pcap or slip", format)
}

// pcapngWriter writes one section with one Ethernet interface and one
// Enhanced Packet Block per frame. Each EPB carries an opt_comment
// "label=N scenario=NAME episode=KIND" (the parts after label only when the
// frame names them), which is how Wireshark stores packet comments.
type pcapngWriter struct {
	w       *bufio.Writer
	hdr     [28]byte
	opt     [4]byte
	comment []byte
	err     error
}

func newPcapngWriter(w *bufio.Writer) *pcapngWriter {
	p := &pcapngWriter{w: w, comment: make([]byte, 0, 96)}
	p.writeHeader()
	return p
}

const (
	ngSHB = 0x0A0D0D0A
	ngIDB = 0x00000001
	ngEPB = 0x00000006

	optEndOfOpt = 0
	optComment  = 1
	optShbApp   = 4
	optIfName   = 2
	optTsresol  = 9
)

var le = binary.LittleEndian

func pad4(n int) int { return (n + 3) &^ 3 }

// option appends one pcapng option (code, length, value padded to 32 bits).
func option(b []byte, code uint16, val []byte) []byte {
	b = le.AppendUint16(b, code)
	b = le.AppendUint16(b, uint16(len(val)))
	b = append(b, val...)
	for i := len(val); i%4 != 0; i++ {
		b = append(b, 0)
	}
	return b
}

// block frames body as a pcapng block of type t.
func block(t uint32, body []byte) []byte {
	n := uint32(12 + len(body))
	b := make([]byte, 0, n)
	b = le.AppendUint32(b, t)
	b = le.AppendUint32(b, n)
	b = append(b, body...)
	return le.AppendUint32(b, n)
}

func (p *pcapngWriter) writeHeader() {
	var shb []byte
	shb = le.AppendUint32(shb, 0x1A2B3C4D) // byte-order magic
	shb = le.AppendUint16(shb, 1)          // major
	shb = le.AppendUint16(shb, 0)          // minor
	shb = le.AppendUint64(shb, ^uint64(0)) // section length unknown (streamed)
	shb = option(shb, optShbApp, []byte("etherlearn sim"))
	shb = option(shb, optEndOfOpt, nil)
	var idb []byte
	idb = le.AppendUint16(idb, 1) // LINKTYPE_ETHERNET
	idb = le.AppendUint16(idb, 0) // reserved
	idb = le.AppendUint32(idb, 65535)
	idb = option(idb, optIfName, []byte("sim0"))
	idb = option(idb, optTsresol, []byte{6}) // microseconds
	idb = option(idb, optEndOfOpt, nil)
	_, p.err = p.w.Write(block(ngSHB, shb))
	if p.err == nil {
		_, p.err = p.w.Write(block(ngIDB, idb))
	}
}

func (p *pcapngWriter) WriteFrame(f Frame) error {
	if p.err != nil {
		return p.err
	}
	c := append(p.comment[:0], "label="...)
	c = strconv.AppendInt(c, int64(f.Label), 10)
	if f.Scenario != "" {
		c = append(c, " scenario="...)
		c = append(c, f.Scenario...)
	}
	if f.Episode != "" {
		c = append(c, " episode="...)
		c = append(c, f.Episode...)
	}
	p.comment = c
	dlen := len(f.Data)
	optLen := 4 + pad4(len(c)) + 4 // comment + end of options
	total := 28 + pad4(dlen) + optLen + 4
	ts := uint64(f.Time.UnixMicro())
	h := p.hdr[:0]
	h = le.AppendUint32(h, ngEPB)
	h = le.AppendUint32(h, uint32(total))
	h = le.AppendUint32(h, 0) // interface 0
	h = le.AppendUint32(h, uint32(ts>>32))
	h = le.AppendUint32(h, uint32(ts))
	h = le.AppendUint32(h, uint32(dlen))
	h = le.AppendUint32(h, uint32(dlen))
	w := p.w
	w.Write(h)
	w.Write(f.Data)
	writeZeros(w, pad4(dlen)-dlen)
	o := p.opt[:]
	le.PutUint16(o, optComment)
	le.PutUint16(o[2:], uint16(len(c)))
	w.Write(o)
	w.Write(c)
	writeZeros(w, pad4(len(c))-len(c))
	le.PutUint32(o, 0) // opt_endofopt
	w.Write(o)
	le.PutUint32(o, uint32(total))
	_, p.err = w.Write(o)
	return p.err
}

func writeZeros(w *bufio.Writer, n int) {
	for ; n > 0; n-- {
		w.WriteByte(0)
	}
}

func (p *pcapngWriter) Flush() error {
	if p.err != nil {
		return p.err
	}
	p.err = p.w.Flush()
	return p.err
}

// pcapWriter writes a classic microsecond pcap file, link type Ethernet.
// pcap has no place for labels.
type pcapWriter struct {
	w   *bufio.Writer
	hdr [16]byte
	err error
}

func newPcapWriter(w *bufio.Writer) *pcapWriter {
	p := &pcapWriter{w: w}
	var h []byte
	h = le.AppendUint32(h, 0xa1b2c3d4)
	h = le.AppendUint16(h, 2)
	h = le.AppendUint16(h, 4)
	h = le.AppendUint32(h, 0) // thiszone
	h = le.AppendUint32(h, 0) // sigfigs
	h = le.AppendUint32(h, 65535)
	h = le.AppendUint32(h, 1) // LINKTYPE_ETHERNET
	_, p.err = w.Write(h)
	return p
}

func (p *pcapWriter) WriteFrame(f Frame) error {
	if p.err != nil {
		return p.err
	}
	us := f.Time.UnixMicro()
	h := p.hdr[:0]
	h = le.AppendUint32(h, uint32(us/1e6))
	h = le.AppendUint32(h, uint32(us%1e6))
	h = le.AppendUint32(h, uint32(len(f.Data)))
	h = le.AppendUint32(h, uint32(len(f.Data)))
	p.w.Write(h)
	_, p.err = p.w.Write(f.Data)
	return p.err
}

func (p *pcapWriter) Flush() error {
	if p.err != nil {
		return p.err
	}
	p.err = p.w.Flush()
	return p.err
}

// SLIP framing, RFC 1055.
const (
	slipEND    = 0xC0
	slipESC    = 0xDB
	slipESCEND = 0xDC
	slipESCESC = 0xDD
)

// slipWriter writes each frame as END, the RFC 1055-escaped bytes, END.
// SLIP has no place for labels.
type slipWriter struct {
	w   *bufio.Writer
	err error
}

func (s *slipWriter) WriteFrame(f Frame) error {
	if s.err != nil {
		return s.err
	}
	w := s.w
	w.WriteByte(slipEND)
	d := f.Data
	for len(d) > 0 {
		i := slipIndex(d)
		if i < 0 {
			w.Write(d)
			break
		}
		w.Write(d[:i])
		if d[i] == slipEND {
			w.Write(escEND)
		} else {
			w.Write(escESC)
		}
		d = d[i+1:]
	}
	s.err = w.WriteByte(slipEND)
	return s.err
}

var (
	escEND = []byte{slipESC, slipESCEND}
	escESC = []byte{slipESC, slipESCESC}
)

// slipIndex is the index of the first END or ESC byte in d, or -1.
// (bytes.IndexAny would read the bytes as UTF-8.)
func slipIndex(d []byte) int {
	for i, b := range d {
		if b == slipEND || b == slipESC {
			return i
		}
	}
	return -1
}

func (s *slipWriter) Flush() error {
	if s.err != nil {
		return s.err
	}
	s.err = s.w.Flush()
	return s.err
}
