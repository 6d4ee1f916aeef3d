package ingest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// pcap magic numbers as they appear in the first four bytes of a stream.
const (
	pcapMagicMicro = 0xa1b2c3d4 // microsecond timestamps
	pcapMagicNano  = 0xa1b23c4d // nanosecond timestamps
)

// Link types this package understands.
const linkTypeEthernet = 1

// pcap link-type field layout (libpcap's LT_* macros): the low 16 bits are
// the link type; bit 26 says the top four bits give the length of the FCS
// appended to every packet, in 16-bit words.
const (
	pcapLinkTypeMask   = 0x0000ffff
	pcapFCSPresentFlag = 0x04000000
)

// isPcapMagic reports whether b starts with one of the four pcap magics and
// returns the byte order and whether timestamps are in nanoseconds.
func isPcapMagic(b []byte) (order binary.ByteOrder, nano, ok bool) {
	if len(b) < 4 {
		return nil, false, false
	}
	switch binary.LittleEndian.Uint32(b) {
	case pcapMagicMicro:
		return binary.LittleEndian, false, true
	case pcapMagicNano:
		return binary.LittleEndian, true, true
	}
	switch binary.BigEndian.Uint32(b) {
	case pcapMagicMicro:
		return binary.BigEndian, false, true
	case pcapMagicNano:
		return binary.BigEndian, true, true
	}
	return nil, false, false
}

// pcapReader decodes a classic pcap stream (libpcap savefile format).
type pcapReader struct {
	br       *bufio.Reader
	order    binary.ByteOrder
	nano     bool
	maxFrame int
	fcsLen   int // bytes of FCS to strip from each packet
	snapLen  uint32
	record   int // number of the record being read, from 1
	hdr      [24]byte
	buf      []byte
	frame    Frame
}

func newPcapReader(br *bufio.Reader, opts Options) (*pcapReader, error) {
	r := &pcapReader{br: br, maxFrame: opts.maxFrame()}
	if _, err := io.ReadFull(br, r.hdr[:24]); err != nil {
		return nil, fmt.Errorf("pcap file header: %w", unexpected(err))
	}
	var ok bool
	r.order, r.nano, ok = isPcapMagic(r.hdr[:4])
	if !ok {
		return nil, fmt.Errorf("pcap file header: bad magic % x", r.hdr[:4])
	}
	major := r.order.Uint16(r.hdr[4:6])
	if major != 2 {
		return nil, fmt.Errorf("pcap file header: unsupported version %d.%d (want 2.x)", major, r.order.Uint16(r.hdr[6:8]))
	}
	r.snapLen = r.order.Uint32(r.hdr[16:20])
	lt := r.order.Uint32(r.hdr[20:24])
	if link := lt & pcapLinkTypeMask; link != linkTypeEthernet {
		return nil, fmt.Errorf("pcap link type %d (%s) is not Ethernet (1): capture on an Ethernet interface", link, linkTypeName(link))
	}
	if lt&pcapFCSPresentFlag != 0 {
		r.fcsLen = int(lt>>28) * 2
	}
	r.buf = make([]byte, 0, min(r.maxFrame, 2048))
	return r, nil
}

func (r *pcapReader) Format() string { return "pcap" }

func (r *pcapReader) ReadFrame() (*Frame, error) {
	r.record++
	n, err := io.ReadFull(r.br, r.hdr[:16])
	if err != nil {
		if n == 0 && err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("pcap record %d: header: %w", r.record, unexpected(err))
	}
	sec := r.order.Uint32(r.hdr[0:4])
	frac := r.order.Uint32(r.hdr[4:8])
	capLen := r.order.Uint32(r.hdr[8:12])
	origLen := r.order.Uint32(r.hdr[12:16])
	if uint64(capLen) > uint64(r.maxFrame) {
		return nil, fmt.Errorf("pcap record %d: captured length %d exceeds maximum frame size %d", r.record, capLen, r.maxFrame)
	}
	r.buf = grow(r.buf, int(capLen), r.maxFrame)
	if _, err := io.ReadFull(r.br, r.buf); err != nil {
		return nil, fmt.Errorf("pcap record %d: packet data (%d bytes): %w", r.record, capLen, unexpected(err))
	}
	data := r.buf
	orig := int(origLen)
	if orig < len(data) {
		orig = len(data)
	}
	if r.fcsLen > 0 {
		data, orig = stripFCS(data, orig, r.fcsLen)
	}
	var ns int64
	if r.nano {
		ns = int64(frac)
	} else {
		ns = int64(frac) * 1000
	}
	r.frame = Frame{Data: data, Timestamp: time.Unix(int64(sec), ns), OrigLen: orig}
	return &r.frame, nil
}

// stripFCS removes an FCS of fcsLen bytes from the end of a frame whose
// length on the wire (FCS included) is orig. A truncated capture may hold
// part of the FCS or none of it.
func stripFCS(data []byte, orig, fcsLen int) ([]byte, int) {
	wire := orig - fcsLen
	if wire < 0 {
		wire = 0
	}
	if len(data) > wire {
		data = data[:wire]
	}
	return data, wire
}

// grow returns b resized to n bytes (n <= limit), reusing its storage when
// it can; a new buffer never exceeds limit bytes.
func grow(b []byte, n, limit int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	c := min(max(2*cap(b), n), limit)
	return make([]byte, n, c)
}

// unexpected turns io.EOF met inside a record into io.ErrUnexpectedEOF
// with a word a user understands.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("stream ended in the middle of it (truncated): %w", io.ErrUnexpectedEOF)
	}
	return err
}

// linkTypeName names the link types a user is most likely to meet by mistake.
func linkTypeName(lt uint32) string {
	switch lt {
	case 0:
		return "NULL/loopback"
	case 1:
		return "Ethernet"
	case 101:
		return "raw IP"
	case 105:
		return "IEEE 802.11"
	case 113:
		return "Linux cooked capture (SLL), e.g. from '-i any'"
	case 127:
		return "IEEE 802.11 radiotap"
	case 228:
		return "raw IPv4"
	case 229:
		return "raw IPv6"
	case 276:
		return "Linux cooked capture v2 (SLL2), e.g. from '-i any'"
	}
	return "unknown"
}
