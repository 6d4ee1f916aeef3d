package sim

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"

	"github.com/etherlearn/etherlearn/pipeline/pcapng"
)

// FrameWriter writes frames in one wire format. Writes are buffered: call
// Flush to push them out.
type FrameWriter interface {
	WriteFrame(f Frame) error
	Flush() error
}

// formats lists the output formats NewWriter accepts, the default first.
var formats = []string{"pcapng", "pcap", "slip"}

// NewWriter returns a FrameWriter for format ("" means pcapng). File
// headers (pcap, pcapng) are written at once and go out with the first
// Flush.
func NewWriter(w io.Writer, format string) (FrameWriter, error) {
	switch format {
	case "pcapng", "":
		return newPcapngWriter(w), nil
	case "pcap":
		return newPcapWriter(bufio.NewWriterSize(w, 64<<10)), nil
	case "slip":
		return &slipWriter{w: bufio.NewWriterSize(w, 64<<10)}, nil
	}
	return nil, fmt.Errorf("unknown format %q: want pcapng, pcap or slip", format)
}

// pcapngWriter writes one section with one Ethernet interface and one
// Enhanced Packet Block per frame. Each EPB carries an opt_comment
// "label=N scenario=NAME episode=KIND" (the parts after label only when the
// frame names them), which is how Wireshark stores packet comments.
type pcapngWriter struct {
	w       *pcapng.Writer
	comment []byte
}

func newPcapngWriter(w io.Writer) *pcapngWriter {
	return &pcapngWriter{
		w:       pcapng.NewWriter(w, "etherlearn sim", pcapng.Interface{Name: "sim0", SnapLen: 65535}),
		comment: make([]byte, 0, 96),
	}
}

func (p *pcapngWriter) WriteFrame(f Frame) error {
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
	return p.w.WritePacket(f.Time, f.Data, len(f.Data), c)
}

func (p *pcapngWriter) Flush() error { return p.w.Flush() }

var le = binary.LittleEndian

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
