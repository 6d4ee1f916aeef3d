package features

import (
	"errors"
	"fmt"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Packet is one decoded frame. The layer structs are owned by the Decoder
// and overwritten by the next Decode; Has* fields say which were decoded.
type Packet struct {
	Data []byte
	Time time.Time

	Eth   *layers.Ethernet
	Dot1Q *layers.Dot1Q
	IPv4  *layers.IPv4
	IPv6  *layers.IPv6
	TCP   *layers.TCP
	UDP   *layers.UDP
	ICMP4 *layers.ICMPv4
	ICMP6 *layers.ICMPv6
	ARP   *layers.ARP

	HasDot1Q, HasIPv4, HasIPv6, HasTCP, HasUDP, HasICMP4, HasICMP6, HasARP bool

	// UpperErr is set when the Ethernet header decoded but a higher layer
	// was malformed (truncated IP header, bad TCP offset, ...). The frame
	// is still usable; the pipeline counts it as malformed.
	UpperErr error
}

// ErrShortFrame is returned for frames too short to hold an Ethernet header.
var ErrShortFrame = errors.New("frame shorter than an Ethernet header (14 bytes)")

// Decoder decodes frames with gopacket's DecodingLayerParser into
// preallocated layers: no allocation per frame.
type Decoder struct {
	parser  *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType

	eth   layers.Ethernet
	dot1q layers.Dot1Q
	ip4   layers.IPv4
	ip6   layers.IPv6
	tcp   layers.TCP
	udp   layers.UDP
	icmp4 layers.ICMPv4
	icmp6 layers.ICMPv6
	arp   layers.ARP
	pl    gopacket.Payload

	pkt Packet
}

// NewDecoder returns a Decoder for Ethernet frames.
func NewDecoder() *Decoder {
	d := &Decoder{decoded: make([]gopacket.LayerType, 0, 8)}
	d.parser = gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet)
	// The parser's default container is a map; our layer types are small
	// numbers, so a slice indexed by type finds each next layer's decoder
	// without hashing (gopacket's DecodingLayerSparse).
	d.parser.SetDecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
	for _, l := range []gopacket.DecodingLayer{&d.eth, &d.dot1q, &d.ip4, &d.ip6, &d.tcp, &d.udp, &d.icmp4, &d.icmp6, &d.arp, &d.pl} {
		d.parser.AddDecodingLayer(l)
	}
	// Layers we do not model (IPv6 extension headers, DNS, ...) end the
	// walk without an error: the frame is still valid.
	d.parser.IgnoreUnsupported = true
	d.pkt = Packet{Eth: &d.eth, Dot1Q: &d.dot1q, IPv4: &d.ip4, IPv6: &d.ip6, TCP: &d.tcp,
		UDP: &d.udp, ICMP4: &d.icmp4, ICMP6: &d.icmp6, ARP: &d.arp}
	return d
}

// Decode decodes one frame. It fails only when the Ethernet header itself
// cannot be read; errors in higher layers are reported in Packet.UpperErr.
// The returned Packet is valid until the next call.
func (d *Decoder) Decode(data []byte, ts time.Time) (*Packet, error) {
	if len(data) < 14 {
		return nil, ErrShortFrame
	}
	p := &d.pkt
	p.Data, p.Time = data, ts
	p.HasDot1Q, p.HasIPv4, p.HasIPv6, p.HasTCP, p.HasUDP = false, false, false, false, false
	p.HasICMP4, p.HasICMP6, p.HasARP = false, false, false
	p.UpperErr = nil
	err := d.parser.DecodeLayers(data, &d.decoded)
	ethOK := false
	for _, t := range d.decoded {
		switch t {
		case layers.LayerTypeEthernet:
			ethOK = true
		case layers.LayerTypeDot1Q:
			p.HasDot1Q = true
		case layers.LayerTypeIPv4:
			p.HasIPv4 = true
		case layers.LayerTypeIPv6:
			p.HasIPv6 = true
		case layers.LayerTypeTCP:
			p.HasTCP = true
		case layers.LayerTypeUDP:
			p.HasUDP = true
		case layers.LayerTypeICMPv4:
			p.HasICMP4 = true
		case layers.LayerTypeICMPv6:
			p.HasICMP6 = true
		case layers.LayerTypeARP:
			p.HasARP = true
		}
	}
	if !ethOK {
		if err == nil {
			err = ErrShortFrame
		}
		return nil, fmt.Errorf("ethernet header: %w", err)
	}
	if err != nil {
		p.UpperErr = err
	}
	return p, nil
}
