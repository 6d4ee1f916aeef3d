package ingest

import (
	"encoding/binary"
	"fmt"
	"io"
)

// SLIP and u16 carry no magic number: almost any two bytes are a valid u16
// length and any byte stream splits into "SLIP frames" at its c0 bytes. So
// these two formats are accepted, and kept, only while what they deliver
// looks like Ethernet. A frame looks like Ethernet when its EtherType is one
// that equipment actually sends (the list below) or when it is an IEEE
// 802.3 frame whose length field fits the frame and whose LLC header has
// equal DSAP and SSAP (STP, SNAP, IPX, NetBIOS, OSI all do). Random bytes
// pass with a probability of about 1 in 1,000.
var knownEtherTypes = map[uint16]bool{
	0x0800: true, // IPv4
	0x0806: true, // ARP
	0x0842: true, // Wake-on-LAN
	0x22f0: true, // AVTP
	0x22f3: true, // TRILL
	0x22ea: true, // SRP
	0x6002: true, // DEC MOP
	0x6003: true, // DECnet
	0x6004: true, // DEC LAT
	0x8035: true, // RARP
	0x809b: true, // AppleTalk
	0x80f3: true, // AARP
	0x8100: true, // 802.1Q VLAN tag
	0x8137: true, // IPX
	0x8204: true, // QNX Qnet
	0x86dd: true, // IPv6
	0x8808: true, // Ethernet flow control
	0x8809: true, // slow protocols (LACP)
	0x8847: true, // MPLS
	0x8848: true, // MPLS multicast
	0x8863: true, // PPPoE discovery
	0x8864: true, // PPPoE session
	0x887b: true, // HomePlug 1.0
	0x888e: true, // EAPOL
	0x8892: true, // PROFINET
	0x88a2: true, // ATA over Ethernet
	0x88a4: true, // EtherCAT
	0x88a8: true, // 802.1ad QinQ
	0x88ab: true, // Ethernet Powerlink
	0x88b5: true, // local experimental 1
	0x88b6: true, // local experimental 2
	0x88b8: true, // GOOSE
	0x88b9: true, // GSE
	0x88ba: true, // sampled values
	0x88cc: true, // LLDP
	0x88cd: true, // SERCOS III
	0x88e1: true, // HomePlug AV
	0x88e3: true, // MRP
	0x88e5: true, // MACsec
	0x88e7: true, // PBB
	0x88f7: true, // PTP
	0x88f8: true, // NC-SI
	0x88fb: true, // PRP
	0x8902: true, // CFM
	0x8906: true, // FCoE
	0x8914: true, // FIP
	0x8915: true, // RoCE
	0x892f: true, // HSR
	0x893a: true, // IEEE 1905.1
	0x9000: true, // loopback
	0x9100: true, // QinQ (pre-802.1ad)
	0x9200: true, // QinQ (pre-802.1ad)
}

// looksLikeEthernet reports whether b is plausibly an Ethernet frame (see
// knownEtherTypes).
func looksLikeEthernet(b []byte) bool { return plausibleHeader(b, len(b)) }

// plausibleHeader is looksLikeEthernet for a frame of frameLen bytes of
// which h holds the start (at least 16 bytes, or the whole frame).
func plausibleHeader(h []byte, frameLen int) bool {
	if len(h) < minEthernet || frameLen < minEthernet {
		return false
	}
	t := binary.BigEndian.Uint16(h[12:14])
	if t >= 0x0600 {
		return knownEtherTypes[t]
	}
	// IEEE 802.3: a length (at most 1500) the frame holds, then LLC.
	return t >= 3 && t <= 1500 && int(t) <= frameLen-minEthernet && len(h) >= minEthernet+2 && h[14] == h[15]&^1
}

// describeBytes names a frame for an error: its length and first bytes.
func describeBytes(b []byte) string {
	return fmt.Sprintf("%d bytes starting %s", len(b), describeHead(b))
}

// describeHead shows the first bytes of a frame and its EtherType.
func describeHead(b []byte) string {
	s := fmt.Sprintf("% x", b[:min(len(b), 16)])
	if len(b) >= minEthernet {
		s += fmt.Sprintf(" (EtherType %#04x)", binary.BigEndian.Uint16(b[12:14]))
	}
	return s
}

// Bounds of the run of frames that do not look like Ethernet which a SLIP
// or u16 stream may deliver before it is ended as "not frames".
const (
	// MaxImplausibleRun frames in a row that do not look like Ethernet
	// (or that SLIP dropped as damaged) end a SLIP or u16 stream.
	MaxImplausibleRun = 8
	// maxHeldBytes bounds (beyond one frame) the memory held for such
	// frames while it is not yet known whether the stream is sound.
	maxHeldBytes = 1 << 20
)

// plausibilityGate wraps a SLIP or u16 reader. A frame that looks like
// Ethernet passes at once. One that does not is held back: if a frame that
// does look like Ethernet follows, the held ones are delivered first, in
// order (a sound stream may carry a rare EtherType); if MaxImplausibleRun
// of them come in a row (counting frames SLIP dropped as damaged), the
// stream is ended with an error saying what was seen and the held frames
// are counted as discarded. Garbage is therefore counted, never learned.
type plausibilityGate struct {
	inner    FrameReader
	counter  DiscardCounter // inner's, if it drops frames itself
	seenDrop uint64         // inner's Discarded() when last looked at

	held      []Frame // copies of frames that do not look like Ethernet
	heldBytes int
	run       int    // frames in a row that did not look like Ethernet
	first     string // description of the first frame of the run
	out       []*Frame
	outFrame  Frame
	discarded uint64
	limit     int // maxHeldBytes plus one maximum frame
}

func newPlausibilityGate(inner FrameReader, maxFrame int) *plausibilityGate {
	g := &plausibilityGate{inner: inner, limit: maxHeldBytes + maxFrame}
	g.counter, _ = inner.(DiscardCounter)
	return g
}

func (g *plausibilityGate) Format() string { return g.inner.Format() }

// Discarded counts the frames dropped by the inner reader and by the gate.
func (g *plausibilityGate) Discarded() uint64 {
	n := g.discarded
	if g.counter != nil {
		n += g.counter.Discarded()
	}
	return n
}

func (g *plausibilityGate) ReadFrame() (*Frame, error) {
	for {
		if len(g.out) > 0 {
			f := g.out[0]
			g.out = g.out[1:]
			return f, nil
		}
		f, err := g.inner.ReadFrame()
		if g.counter != nil {
			if d := g.counter.Discarded(); d != g.seenDrop {
				g.run += int(d - g.seenDrop)
				g.seenDrop = d
				if g.first == "" {
					g.first = "a frame the reader dropped as damaged: bad escape, shorter than 14 bytes or over the maximum size"
				}
			}
		}
		if err != nil {
			if err == io.EOF && g.run < MaxImplausibleRun {
				// A short stream may end with an odd frame or two.
				g.release()
				if len(g.out) > 0 {
					continue
				}
			} else {
				g.drop()
			}
			return nil, err
		}
		if looksLikeEthernet(f.Data) {
			g.run, g.first = 0, ""
			if len(g.held) == 0 {
				return f, nil
			}
			g.release()
			g.outFrame = *f
			g.out = append(g.out, &g.outFrame)
			continue
		}
		if g.run == 0 {
			g.first = describeBytes(f.Data)
		}
		g.run++
		cp := *f
		cp.Data = make([]byte, len(f.Data)) // exactly: no frame may exceed MaxFrame, not even in capacity
		copy(cp.Data, f.Data)
		g.held = append(g.held, cp)
		g.heldBytes += len(cp.Data)
		if g.run >= MaxImplausibleRun || g.heldBytes > g.limit {
			run := g.run
			g.drop()
			return nil, fmt.Errorf("%s: %d frames in a row do not look like Ethernet (first seen: %s): the input is not %s-framed Ethernet, or the line's speed or framing is wrong",
				g.inner.Format(), run, g.first, g.inner.Format())
		}
	}
}

// release queues the held frames for delivery.
func (g *plausibilityGate) release() {
	for i := range g.held {
		g.out = append(g.out, &g.held[i])
	}
	g.held, g.heldBytes = nil, 0
}

// drop counts the held frames as discarded.
func (g *plausibilityGate) drop() {
	g.discarded += uint64(len(g.held))
	g.held, g.heldBytes = nil, 0
}
