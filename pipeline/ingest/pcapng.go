package ingest

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"time"
)

// pcapng block types (draft-ietf-opsawg-pcapng).
const (
	ngBlockSHB = 0x0a0d0d0a // section header; the same bytes in both orders
	ngBlockIDB = 0x00000001 // interface description
	ngBlockSPB = 0x00000003 // simple packet
	ngBlockISB = 0x00000005 // interface statistics
	ngBlockEPB = 0x00000006 // enhanced packet

	ngByteOrderMagic = 0x1a2b3c4d
)

// pcapng option codes used here.
const (
	ngOptEnd       = 0
	ngOptComment   = 1
	ngOptIfName    = 2
	ngOptIfTsresol = 9
	ngOptIfFcslen  = 13
	ngOptIfTsoff   = 14
	ngOptIsbIfRecv = 4
	ngOptIsbIfDrop = 5
	ngOptIsbOsDrop = 7
)

const (
	// ngBlockSlack is how much a pcapng block may exceed MaxFrame (headers
	// and options). Blocks are streamed, never buffered whole, so this
	// bounds how far a corrupt length can make the reader skip, not memory.
	ngBlockSlack = 1 << 16
	// ngMaxOption bounds the stored value of one option; a longer comment is
	// truncated to this many bytes.
	ngMaxOption = 4096
	// Up to ngCommentCacheSize distinct comments of up to
	// ngCommentCacheMax bytes are kept as strings, so that repeated
	// comments ("label=1 scenario=x") cost no allocation per frame while
	// the table stays small (at most 32 KiB).
	ngCommentCacheSize = 256
	ngCommentCacheMax  = 128
	// ngMaxInterfaces bounds the interfaces one section may describe.
	ngMaxInterfaces = 1024
)

// InterfaceStats are the counters of a pcapng interface statistics block.
type InterfaceStats struct {
	Interface  int
	Name       string // if_name of the interface, if given
	Received   uint64 // isb_ifrecv
	Dropped    uint64 // isb_ifdrop, else isb_osdrop
	HasRecv    bool
	HasDropped bool
}

type ngInterface struct {
	linkType  uint16
	snapLen   uint32
	unitsPerS uint64 // timestamp units per second (if_tsresol)
	offset    int64  // if_tsoffset, seconds
	fcsLen    int
	name      string
}

// pcapngReader decodes a pcapng stream block by block. Blocks are streamed:
// packet data goes into one reused buffer bounded by MaxFrame, options are
// parsed one at a time into a fixed buffer.
type pcapngReader struct {
	br          *bufio.Reader
	order       binary.ByteOrder
	maxFrame    int
	skipForeign bool
	onStats     func(InterfaceStats)

	block   int // blocks read, for error messages
	packet  int // packets read
	section int
	ifaces  []ngInterface

	hdr        [32]byte
	opt        [ngMaxOption]byte
	commentBuf [ngMaxOption]byte
	buf        []byte

	// per-block option results
	comment    []byte
	hasComment bool
	stats      InterfaceStats

	comments map[string]string
	frame    Frame
}

// newPcapngReader reads nothing yet: the section header is checked by the
// first ReadFrame, so it cannot fail.
func newPcapngReader(br *bufio.Reader, opts Options) *pcapngReader {
	r := &pcapngReader{
		br:          br,
		maxFrame:    opts.maxFrame(),
		skipForeign: opts.SkipNonEthernet,
		onStats:     opts.OnInterfaceStats,
		comments:    make(map[string]string),
	}
	r.buf = make([]byte, 0, min(r.maxFrame, 2048))
	return r
}

func (r *pcapngReader) Format() string { return "pcapng" }

func (r *pcapngReader) errf(format string, args ...any) error {
	return fmt.Errorf("pcapng block %d: "+format, append([]any{r.block}, args...)...)
}

func (r *pcapngReader) ReadFrame() (*Frame, error) {
	for {
		r.block++
		n, err := io.ReadFull(r.br, r.hdr[:8])
		if err != nil {
			if n == 0 && err == io.EOF && r.section > 0 {
				return nil, io.EOF
			}
			return nil, r.errf("block header: %w", unexpected(err))
		}
		if binary.LittleEndian.Uint32(r.hdr[0:4]) == ngBlockSHB {
			if err := r.readSHB(); err != nil {
				return nil, err
			}
			continue
		}
		if r.section == 0 {
			return nil, r.errf("stream does not start with a section header block (saw % x)", r.hdr[:4])
		}
		typ := r.order.Uint32(r.hdr[0:4])
		length := r.order.Uint32(r.hdr[4:8])
		if length < 12 || length%4 != 0 {
			return nil, r.errf("type %#x: invalid block length %d (must be a multiple of 4, at least 12)", typ, length)
		}
		if uint64(length) > uint64(r.maxFrame)+ngBlockSlack {
			return nil, r.errf("type %#x: block length %d exceeds maximum frame size %d plus %d bytes of headers", typ, length, r.maxFrame, ngBlockSlack)
		}
		body := int(length) - 12
		var f *Frame
		switch typ {
		case ngBlockIDB:
			err = r.readIDB(body)
		case ngBlockEPB:
			f, err = r.readEPB(body)
		case ngBlockSPB:
			f, err = r.readSPB(body)
		case ngBlockISB:
			err = r.readISB(body)
		default: // unknown or uninteresting block: skip it
			err = r.discard(body)
		}
		if err != nil {
			return nil, err
		}
		if err := r.readTrailer(length); err != nil {
			return nil, err
		}
		if f != nil {
			return f, nil
		}
	}
}

func (r *pcapngReader) discard(n int) error {
	if _, err := r.br.Discard(n); err != nil {
		return r.errf("%w", unexpected(err))
	}
	return nil
}

func (r *pcapngReader) readTrailer(length uint32) error {
	if _, err := io.ReadFull(r.br, r.hdr[:4]); err != nil {
		return r.errf("block trailer: %w", unexpected(err))
	}
	if t := r.order.Uint32(r.hdr[:4]); t != length {
		return r.errf("trailing block length %d does not match leading length %d (corrupt stream)", t, length)
	}
	return nil
}

// readSHB reads a section header after its block type; it sets the byte
// order for the section and forgets the previous section's interfaces.
func (r *pcapngReader) readSHB() error {
	if _, err := io.ReadFull(r.br, r.hdr[8:12]); err != nil {
		return r.errf("section header: %w", unexpected(err))
	}
	switch {
	case binary.LittleEndian.Uint32(r.hdr[8:12]) == ngByteOrderMagic:
		r.order = binary.LittleEndian
	case binary.BigEndian.Uint32(r.hdr[8:12]) == ngByteOrderMagic:
		r.order = binary.BigEndian
	default:
		return r.errf("section header: bad byte-order magic % x", r.hdr[8:12])
	}
	length := r.order.Uint32(r.hdr[4:8])
	if length < 28 || length%4 != 0 || uint64(length) > uint64(r.maxFrame)+ngBlockSlack {
		return r.errf("section header: invalid block length %d", length)
	}
	if _, err := io.ReadFull(r.br, r.hdr[12:24]); err != nil {
		return r.errf("section header: %w", unexpected(err))
	}
	if major := r.order.Uint16(r.hdr[12:14]); major != 1 {
		return r.errf("section header: unsupported pcapng version %d.%d (want 1.x)", major, r.order.Uint16(r.hdr[14:16]))
	}
	if err := r.readOptions(ngBlockSHB, int(length)-28); err != nil {
		return err
	}
	r.section++
	r.ifaces = r.ifaces[:0]
	return r.readTrailer(length)
}

func (r *pcapngReader) readIDB(body int) error {
	if body < 8 {
		return r.errf("interface description block too short (%d bytes)", body)
	}
	if len(r.ifaces) >= ngMaxInterfaces {
		return r.errf("more than %d interfaces in one section", ngMaxInterfaces)
	}
	if _, err := io.ReadFull(r.br, r.hdr[:8]); err != nil {
		return r.errf("interface description: %w", unexpected(err))
	}
	r.ifaces = append(r.ifaces, ngInterface{
		linkType:  r.order.Uint16(r.hdr[0:2]),
		snapLen:   r.order.Uint32(r.hdr[4:8]),
		unitsPerS: 1_000_000,
	})
	return r.readOptions(ngBlockIDB, body-8)
}

// iface returns the interface a packet refers to; kind names the packet
// block in errors.
func (r *pcapngReader) iface(id uint32, kind string) (*ngInterface, error) {
	if uint64(id) >= uint64(len(r.ifaces)) {
		return nil, r.errf("%s %d refers to interface %d but the section describes %d interface(s)", kind, r.packet, id, len(r.ifaces))
	}
	ifc := &r.ifaces[id]
	if ifc.linkType != linkTypeEthernet && !r.skipForeign {
		return nil, r.errf("%s %d on interface %d with link type %d (%s), not Ethernet (1): capture on an Ethernet interface, or set SkipNonEthernet", kind, r.packet, id, ifc.linkType, linkTypeName(uint32(ifc.linkType)))
	}
	return ifc, nil
}

func (r *pcapngReader) readEPB(body int) (*Frame, error) {
	if body < 20 {
		return nil, r.errf("enhanced packet block too short (%d bytes)", body)
	}
	if _, err := io.ReadFull(r.br, r.hdr[:20]); err != nil {
		return nil, r.errf("enhanced packet: %w", unexpected(err))
	}
	r.packet++
	id := r.order.Uint32(r.hdr[0:4])
	ts := uint64(r.order.Uint32(r.hdr[4:8]))<<32 | uint64(r.order.Uint32(r.hdr[8:12]))
	capLen := r.order.Uint32(r.hdr[12:16])
	origLen := r.order.Uint32(r.hdr[16:20])
	ifc, err := r.iface(id, "packet")
	if err != nil {
		return nil, err
	}
	if uint64(capLen) > uint64(r.maxFrame) {
		return nil, r.errf("packet %d: captured length %d exceeds maximum frame size %d", r.packet, capLen, r.maxFrame)
	}
	padded := (int(capLen) + 3) &^ 3
	if 20+padded > body {
		return nil, r.errf("packet %d: captured length %d does not fit in a block of %d bytes", r.packet, capLen, body+12)
	}
	r.buf = grow(r.buf, int(capLen), r.maxFrame)
	if _, err := io.ReadFull(r.br, r.buf); err != nil {
		return nil, r.errf("packet %d data: %w", r.packet, unexpected(err))
	}
	if err := r.discard(padded - int(capLen)); err != nil {
		return nil, err
	}
	r.hasComment = false
	if err := r.readOptions(ngBlockEPB, body-20-padded); err != nil {
		return nil, err
	}
	if ifc.linkType != linkTypeEthernet {
		return nil, nil // skipped (SkipNonEthernet)
	}
	return r.makeFrame(ifc, int(id), ts, int(origLen), true), nil
}

func (r *pcapngReader) readSPB(body int) (*Frame, error) {
	if body < 4 {
		return nil, r.errf("simple packet block too short (%d bytes)", body)
	}
	if _, err := io.ReadFull(r.br, r.hdr[:4]); err != nil {
		return nil, r.errf("simple packet: %w", unexpected(err))
	}
	r.packet++
	origLen := r.order.Uint32(r.hdr[0:4])
	ifc, err := r.iface(0, "simple packet")
	if err != nil {
		return nil, err
	}
	room := body - 4
	capLen := uint64(origLen)
	if ifc.snapLen != 0 && uint64(ifc.snapLen) < capLen {
		capLen = uint64(ifc.snapLen)
	}
	if uint64(room) < capLen {
		capLen = uint64(room)
	}
	if capLen > uint64(r.maxFrame) {
		return nil, r.errf("simple packet %d: captured length %d exceeds maximum frame size %d", r.packet, capLen, r.maxFrame)
	}
	r.buf = grow(r.buf, int(capLen), r.maxFrame)
	if _, err := io.ReadFull(r.br, r.buf); err != nil {
		return nil, r.errf("simple packet %d data: %w", r.packet, unexpected(err))
	}
	if err := r.discard(room - int(capLen)); err != nil {
		return nil, err
	}
	if ifc.linkType != linkTypeEthernet {
		return nil, nil
	}
	r.hasComment = false
	return r.makeFrame(ifc, 0, 0, int(origLen), false), nil
}

func (r *pcapngReader) readISB(body int) error {
	if body < 12 {
		return r.errf("interface statistics block too short (%d bytes)", body)
	}
	if _, err := io.ReadFull(r.br, r.hdr[:12]); err != nil {
		return r.errf("interface statistics: %w", unexpected(err))
	}
	id := r.order.Uint32(r.hdr[0:4])
	r.stats = InterfaceStats{Interface: int(id)}
	if uint64(id) < uint64(len(r.ifaces)) {
		r.stats.Name = r.ifaces[id].name
	}
	if err := r.readOptions(ngBlockISB, body-12); err != nil {
		return err
	}
	if r.onStats != nil {
		r.onStats(r.stats)
	}
	return nil
}

func (r *pcapngReader) makeFrame(ifc *ngInterface, id int, ts uint64, origLen int, hasTS bool) *Frame {
	data := r.buf
	if origLen < len(data) {
		origLen = len(data)
	}
	if ifc.fcsLen > 0 {
		data, origLen = stripFCS(data, origLen, ifc.fcsLen)
	}
	r.frame = Frame{Data: data, OrigLen: origLen, Interface: id}
	if hasTS {
		sec := ts / ifc.unitsPerS
		rem := ts % ifc.unitsPerS
		hi, lo := bits.Mul64(rem, 1e9)
		nsec, _ := bits.Div64(hi, lo, ifc.unitsPerS)
		r.frame.Timestamp = time.Unix(int64(sec)+ifc.offset, int64(nsec))
	} else {
		r.frame.Timestamp = time.Now()
	}
	if r.hasComment {
		r.frame.Comment = r.internComment(r.comment)
		r.frame.Label, r.frame.HasLabel = ParseLabel(r.frame.Comment)
	}
	return &r.frame
}

// internComment returns b as a string, reusing an earlier string for a
// comment seen before so that steady labelled streams do not allocate.
func (r *pcapngReader) internComment(b []byte) string {
	if s, ok := r.comments[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(r.comments) < ngCommentCacheSize && len(s) <= ngCommentCacheMax {
		r.comments[s] = s
	}
	return s
}

// readOptions parses n bytes of options of a block of type typ, one option
// at a time, keeping what this package uses.
func (r *pcapngReader) readOptions(typ uint32, n int) error {
	for n > 0 {
		if n < 4 {
			return r.discard(n)
		}
		if _, err := io.ReadFull(r.br, r.hdr[:4]); err != nil {
			return r.errf("options: %w", unexpected(err))
		}
		n -= 4
		code := r.order.Uint16(r.hdr[0:2])
		vlen := int(r.order.Uint16(r.hdr[2:4]))
		if code == ngOptEnd {
			return r.discard(n)
		}
		padded := (vlen + 3) &^ 3
		if padded > n {
			return r.errf("option %d of length %d overruns its block", code, vlen)
		}
		keep := min(vlen, ngMaxOption)
		if _, err := io.ReadFull(r.br, r.opt[:keep]); err != nil {
			return r.errf("options: %w", unexpected(err))
		}
		if err := r.discard(padded - keep); err != nil {
			return err
		}
		n -= padded
		r.option(typ, code, r.opt[:keep])
	}
	return nil
}

func (r *pcapngReader) option(typ uint32, code uint16, v []byte) {
	switch typ {
	case ngBlockEPB:
		// Keep the first comment; later ones are ignored.
		if code == ngOptComment && !r.hasComment {
			r.comment = r.commentBuf[:copy(r.commentBuf[:], v)]
			r.hasComment = true
		}
	case ngBlockIDB:
		ifc := &r.ifaces[len(r.ifaces)-1]
		switch code {
		case ngOptIfName:
			ifc.name = string(v)
		case ngOptIfTsresol:
			if len(v) >= 1 {
				if u, ok := tsResolution(v[0]); ok {
					ifc.unitsPerS = u
				}
			}
		case ngOptIfFcslen:
			// In bits (as Wireshark reads it); the spec once left the
			// unit open, so a value that is not whole bytes is ignored.
			if len(v) >= 1 && v[0]%8 == 0 {
				ifc.fcsLen = int(v[0]) / 8
			}
		case ngOptIfTsoff:
			if len(v) >= 8 {
				ifc.offset = int64(r.order.Uint64(v))
			}
		}
	case ngBlockISB:
		if len(v) < 8 {
			return
		}
		x := r.order.Uint64(v)
		switch code {
		case ngOptIsbIfRecv:
			r.stats.Received, r.stats.HasRecv = x, true
		case ngOptIsbIfDrop:
			r.stats.Dropped, r.stats.HasDropped = x, true
		case ngOptIsbOsDrop:
			if !r.stats.HasDropped {
				r.stats.Dropped, r.stats.HasDropped = x, true
			}
		}
	}
}

// tsResolution decodes if_tsresol: the high bit selects a power of two,
// otherwise a power of ten, of the remaining value.
func tsResolution(b byte) (uint64, bool) {
	e := uint(b & 0x7f)
	if b&0x80 != 0 {
		if e > 63 {
			return 0, false
		}
		return 1 << e, true
	}
	if e > 19 {
		return 0, false
	}
	u := uint64(1)
	for range e {
		u *= 10
	}
	return u, true
}

// ParseLabel finds "label=N" in a packet comment (at the start or after a
// non-alphanumeric character, N a decimal integer 0..1000000 ending the
// comment or followed by a non-alphanumeric character).
func ParseLabel(comment string) (int, bool) {
	const key = "label="
	for i := 0; i+len(key) <= len(comment); i++ {
		if comment[i:i+len(key)] != key || (i > 0 && isAlnum(comment[i-1])) {
			continue
		}
		j := i + len(key)
		n, digits := 0, 0
		for j < len(comment) && comment[j] >= '0' && comment[j] <= '9' {
			n = n*10 + int(comment[j]-'0')
			j++
			digits++
			if n > 1_000_000 {
				break
			}
		}
		if digits == 0 || n > 1_000_000 || (j < len(comment) && isAlnum(comment[j])) {
			continue
		}
		return n, true
	}
	return 0, false
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
