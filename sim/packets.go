package sim

import (
	"fmt"
	"net"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// layerSet holds one of each layer the generator writes, reused for every
// frame so that building a frame allocates as little as possible.
type layerSet struct {
	eth   layers.Ethernet
	dot1q layers.Dot1Q
	arp   layers.ARP
	ip4   layers.IPv4
	ip6   layers.IPv6
	tcp   layers.TCP
	udp   layers.UDP
	icmp4 layers.ICMPv4
	icmp6 layers.ICMPv6
	ns    layers.ICMPv6NeighborSolicitation
	na    layers.ICMPv6NeighborAdvertisement
	dns   layers.DNS
	dhcp  layers.DHCPv4
	pl    gopacket.Payload

	synOpts   [1]layers.TCPOption
	mss       [2]byte
	question  [1]layers.DNSQuestion
	answers   [16]layers.DNSResourceRecord
	ndOpts    [1]layers.ICMPv6Option
	dhcpOpts  [8]layers.DHCPOption
	dhcpBytes [64]byte
	txt       [8][]byte
	text      [1600]byte // application payloads are composed here
}

var broadcastMAC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

func (g *Generator) initLayers() {
	g.mss = [2]byte{0x05, 0xb4} // 1460
	g.synOpts[0] = layers.TCPOption{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: g.mss[:]}
}

// payload returns n bytes cut from the random pool at a random offset.
func (g *Generator) payload(n int) []byte {
	off := g.rng.IntN(len(g.pool) - n)
	return g.pool[off : off+n]
}

// serialize writes the first n layers of g.stack into g.buf. A failure is
// a bug in this package, never a property of the input.
func (g *Generator) serialize(n int) {
	if err := gopacket.SerializeLayers(g.buf, g.opts, g.stack[:n]...); err != nil {
		panic(fmt.Sprintf("sim: serializing frame: %v", err))
	}
}

// link fills the Ethernet (and, for tagged hosts, 802.1Q) header of a
// frame of the given EtherType and returns how many layers it used.
func (g *Generator) link(src, dst net.HardwareAddr, vlan uint16, et layers.EthernetType) int {
	g.eth = layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: et}
	g.stack[0] = &g.eth
	if vlan == 0 {
		return 1
	}
	g.eth.EthernetType = layers.EthernetTypeDot1Q
	g.dot1q = layers.Dot1Q{Priority: 0, VLANIdentifier: vlan, Type: et}
	if vlan == 20 {
		g.dot1q.Priority = 5 // voice
	}
	g.stack[1] = &g.dot1q
	return 2
}

// ipv4 fills link and IPv4 headers for a packet from src to dst and returns
// the number of layers used.
func (g *Generator) ipv4(src, dst *host, proto layers.IPProtocol, df bool) int {
	s, d := g.lan.macs(src, dst)
	n := g.link(s, d, vlanOf(src, dst), layers.EthernetTypeIPv4)
	g.ip4 = layers.IPv4{Version: 4, TTL: src.ttl, Protocol: proto, SrcIP: src.ip, DstIP: dst.ip, Id: src.nextID()}
	if df {
		g.ip4.Flags = layers.IPv4DontFragment
	}
	g.stack[n] = &g.ip4
	return n + 1
}

// TCP flag bits for buildTCP.
const (
	fFIN = 1 << iota
	fSYN
	fRST
	fPSH
	fACK
)

// buildTCP builds one TCP segment with plen random payload bytes.
func (g *Generator) buildTCP(src, dst *host, sport, dport uint16, seq, ack uint32, flags int, plen int) {
	var p []byte
	if plen > 0 {
		p = g.payload(plen)
	}
	g.buildTCPPayload(src, dst, sport, dport, seq, ack, flags, p)
}

// buildTCPPayload builds one TCP segment carrying p.
func (g *Generator) buildTCPPayload(src, dst *host, sport, dport uint16, seq, ack uint32, flags int, p []byte) {
	n := g.ipv4(src, dst, layers.IPProtocolTCP, true)
	g.tcp = layers.TCP{
		SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport),
		Seq: seq, Ack: ack, Window: 64240,
		FIN: flags&fFIN != 0, SYN: flags&fSYN != 0, RST: flags&fRST != 0,
		PSH: flags&fPSH != 0, ACK: flags&fACK != 0,
	}
	if flags&fACK == 0 {
		g.tcp.Ack = 0
	}
	if flags&fRST != 0 {
		g.tcp.Window = 0
	}
	if flags&fSYN != 0 {
		g.tcp.Options = g.synOpts[:]
	}
	g.tcp.SetNetworkLayerForChecksum(&g.ip4)
	g.stack[n] = &g.tcp
	n++
	if len(p) > 0 {
		g.pl = p
		g.stack[n] = &g.pl
		n++
	}
	g.serialize(n)
}

// buildUDP builds one UDP datagram whose payload is the layer app (nil for
// plen random bytes).
func (g *Generator) buildUDP(src, dst *host, sport, dport uint16, app gopacket.SerializableLayer, plen int) {
	n := g.ipv4(src, dst, layers.IPProtocolUDP, false)
	g.udp = layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	g.udp.SetNetworkLayerForChecksum(&g.ip4)
	g.stack[n] = &g.udp
	n++
	if app != nil {
		g.stack[n] = app
		n++
	} else if plen > 0 {
		g.pl = g.payload(plen)
		g.stack[n] = &g.pl
		n++
	}
	g.serialize(n)
}

// buildICMPEcho builds an echo request (reply=false) or reply.
func (g *Generator) buildICMPEcho(src, dst *host, reply bool, id, seq uint16, plen int) {
	n := g.ipv4(src, dst, layers.IPProtocolICMPv4, false)
	t := uint8(layers.ICMPv4TypeEchoRequest)
	if reply {
		t = layers.ICMPv4TypeEchoReply
	}
	g.icmp4 = layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(t, 0), Id: id, Seq: seq}
	g.stack[n] = &g.icmp4
	g.pl = g.pool[:plen] // ping payloads are the same in request and reply
	g.stack[n+1] = &g.pl
	g.serialize(n + 2)
}

// buildARP builds an ARP request (dstHW nil: broadcast) or reply.
func (g *Generator) buildARP(ethSrc, ethDst net.HardwareAddr, vlan uint16, op uint16, srcHW net.HardwareAddr, srcIP net.IP, dstHW net.HardwareAddr, dstIP net.IP) {
	n := g.link(ethSrc, ethDst, vlan, layers.EthernetTypeARP)
	if dstHW == nil {
		dstHW = zeroMAC
	}
	g.arp = layers.ARP{
		AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: op,
		SourceHwAddress: srcHW, SourceProtAddress: srcIP,
		DstHwAddress: dstHW, DstProtAddress: dstIP,
	}
	g.stack[n] = &g.arp
	g.serialize(n + 1)
}

var zeroMAC = net.HardwareAddr{0, 0, 0, 0, 0, 0}

// buildDNS builds a DNS query (answers<0) or a response with answers A
// records for name (all with address ip).
func (g *Generator) buildDNS(src, dst *host, sport, dport uint16, id uint16, name string, qtype layers.DNSType, answers int, ip net.IP) {
	g.dns = layers.DNS{ID: id, RD: true, OpCode: layers.DNSOpCodeQuery}
	g.question[0] = layers.DNSQuestion{Name: []byte(name), Type: qtype, Class: layers.DNSClassIN}
	g.dns.Questions = g.question[:]
	if answers >= 0 {
		g.dns.QR, g.dns.RA = true, true
		g.dns.ResponseCode = layers.DNSResponseCodeNoErr
		for i := 0; i < answers; i++ {
			g.answers[i] = layers.DNSResourceRecord{Name: g.question[0].Name, Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 300, IP: ip}
		}
		g.dns.Answers = g.answers[:answers]
	}
	g.buildUDP(src, dst, sport, dport, &g.dns, 0)
}
