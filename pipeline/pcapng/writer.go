// Package pcapng writes pcapng streams: one little-endian section with one
// Ethernet interface and one Enhanced Packet Block per frame, with an
// optional packet comment (where Wireshark keeps packet comments and
// EtherLearn keeps "label=N"). The simulator and the recorder both write
// through it, so there is one encoder to get right.
//
// It imports nothing of the project, so both pipeline and sim may use it.
// Format: the pcapng draft (IETF opsawg-pcapng), sections 4.1-4.3.
package pcapng

import (
	"bufio"
	"encoding/binary"
	"io"
	"time"
)

// Interface describes the capture interface written into the section.
type Interface struct {
	// Name is if_name; empty writes no name.
	Name string
	// SnapLen is the interface's snapshot length; 0 means no limit.
	SnapLen uint32
	// Nanoseconds selects if_tsresol 9 (nanoseconds) instead of 6
	// (microseconds) for the packet timestamps.
	Nanoseconds bool
}

// Writer writes one pcapng section. Writes are buffered: call Flush at the
// end. After the first error every call returns it. A Writer is not safe
// for concurrent use; it does not allocate per packet.
type Writer struct {
	w     *bufio.Writer
	nanos bool
	hdr   [28]byte
	err   error
}

const (
	blockSHB = 0x0A0D0D0A
	blockIDB = 0x00000001
	blockEPB = 0x00000006

	byteOrderMagic = 0x1A2B3C4D
	linkTypeEther  = 1

	optEndOfOpt  = 0
	optComment   = 1
	optIfName    = 2
	optShbUserAp = 4
	optIfTsresol = 9

	// MaxComment is the longest comment an option can hold; longer
	// comments are cut.
	MaxComment = 0xffff
)

var le = binary.LittleEndian

// NewWriter returns a Writer on w whose section header names app
// (shb_userappl) and describes iface. The headers go out with the first
// Flush.
func NewWriter(w io.Writer, app string, iface Interface) *Writer {
	p := &Writer{w: bufio.NewWriterSize(w, 64<<10), nanos: iface.Nanoseconds}
	var shb []byte
	shb = le.AppendUint32(shb, byteOrderMagic)
	shb = le.AppendUint16(shb, 1)          // major
	shb = le.AppendUint16(shb, 0)          // minor
	shb = le.AppendUint64(shb, ^uint64(0)) // section length unknown (streamed)
	shb = appendOption(shb, optShbUserAp, []byte(app))
	shb = appendOption(shb, optEndOfOpt, nil)
	var idb []byte
	idb = le.AppendUint16(idb, linkTypeEther)
	idb = le.AppendUint16(idb, 0) // reserved
	idb = le.AppendUint32(idb, iface.SnapLen)
	if iface.Name != "" {
		idb = appendOption(idb, optIfName, []byte(iface.Name))
	}
	resol := byte(6)
	if iface.Nanoseconds {
		resol = 9
	}
	idb = appendOption(idb, optIfTsresol, []byte{resol})
	idb = appendOption(idb, optEndOfOpt, nil)
	p.write(appendBlock(nil, blockSHB, shb))
	p.write(appendBlock(nil, blockIDB, idb))
	return p
}

func pad4(n int) int { return (n + 3) &^ 3 }

// appendOption appends one option: code, length, value padded to 32 bits.
func appendOption(b []byte, code uint16, val []byte) []byte {
	b = le.AppendUint16(b, code)
	b = le.AppendUint16(b, uint16(len(val)))
	b = append(b, val...)
	return append(b, zeros[:pad4(len(val))-len(val)]...)
}

// appendBlock appends body as a block of type t (type, length, body,
// length).
func appendBlock(b []byte, t uint32, body []byte) []byte {
	n := uint32(12 + len(body))
	b = le.AppendUint32(b, t)
	b = le.AppendUint32(b, n)
	b = append(b, body...)
	return le.AppendUint32(b, n)
}

var zeros [4]byte

func (p *Writer) write(b []byte) {
	if p.err == nil && len(b) > 0 {
		_, p.err = p.w.Write(b)
	}
}

// WritePacket appends one Enhanced Packet Block on interface 0: data
// captured at ts, origLen bytes on the wire (at least len(data)), and the
// comment when it is not empty (cut to MaxComment bytes). data and comment
// are copied before it returns.
func (p *Writer) WritePacket(ts time.Time, data []byte, origLen int, comment []byte) error {
	if p.err != nil {
		return p.err
	}
	if len(comment) > MaxComment {
		comment = comment[:MaxComment]
	}
	optLen := 0
	if len(comment) > 0 {
		optLen = 4 + pad4(len(comment)) + 4 // comment, end of options
	}
	total := 32 + pad4(len(data)) + optLen
	var t uint64
	if p.nanos {
		t = uint64(ts.UnixNano())
	} else {
		t = uint64(ts.UnixMicro())
	}
	h := p.hdr[:0]
	h = le.AppendUint32(h, blockEPB)
	h = le.AppendUint32(h, uint32(total))
	h = le.AppendUint32(h, 0) // interface 0
	h = le.AppendUint32(h, uint32(t>>32))
	h = le.AppendUint32(h, uint32(t))
	h = le.AppendUint32(h, uint32(len(data)))
	h = le.AppendUint32(h, uint32(max(origLen, len(data))))
	p.write(h)
	p.write(data)
	p.write(zeros[:pad4(len(data))-len(data)])
	if len(comment) > 0 {
		h = le.AppendUint16(p.hdr[:0], optComment)
		h = le.AppendUint16(h, uint16(len(comment)))
		p.write(h)
		p.write(comment)
		p.write(zeros[:pad4(len(comment))-len(comment)])
		p.write(zeros[:4]) // opt_endofopt
	}
	p.write(le.AppendUint32(p.hdr[:0], uint32(total)))
	return p.err
}

// Flush writes buffered data to the underlying writer.
func (p *Writer) Flush() error {
	if p.err != nil {
		return p.err
	}
	p.err = p.w.Flush()
	return p.err
}
