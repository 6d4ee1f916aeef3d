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
	ra    layers.ICMPv6RouterAdvertisement
	rs    layers.ICMPv6RouterSolicitation
	dns   layers.DNS
	dhcp  layers.DHCPv4
	pl    gopacket.Payload

	synOpts  [1]layers.TCPOption
	mss      [2]byte
	question [1]layers.DNSQuestion
	answers  [16]layers.DNSResourceRecord
	ndOpts   [1]layers.ICMPv6Option
	raOpts   [2]layers.ICMPv6Option
	dhcpOpts [8]layers.DHCPOption
	txt      [8][]byte
	text     [1600]byte // application payloads are composed here
	ttl      uint8      // if not 0, the TTL of the next IPv4 packet (multicast protocols set their own)
	window   uint16     // if not 0, the window of the next TCP segment (attack tools set their own)
	bareSYN  bool       // the next SYN carries no options (flood tools send none)
	mcast    [16]byte   // solicited-node multicast address
	mcastMAC [6]byte
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
	g.dot1q.Priority = 5 // only the voice VLAN is tagged
	g.stack[1] = &g.dot1q
	return 2
}

// ipv4 fills link and IPv4 headers for a packet from src to dst and returns
// the number of layers used.
func (g *Generator) ipv4(src, dst *host, proto layers.IPProtocol, df bool) int {
	s, d := g.lan.macs(src, dst)
	n := g.link(s, d, vlanOf(src, dst), layers.EthernetTypeIPv4)
	if g.misdirect(src, dst) {
		// The victim's ARP cache is poisoned: the frame goes to the
		// attacker's MAC (the attacker relays it on, see relay).
		g.eth.DstMAC = src.poisonedBy.mac
	}
	ttl := src.ttl
	if g.ttl != 0 {
		ttl, g.ttl = g.ttl, 0
	}
	g.ip4 = layers.IPv4{Version: 4, TTL: ttl, Protocol: proto, SrcIP: src.ip, DstIP: dst.ip, Id: src.nextID()}
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
	if flags&fSYN != 0 && !g.bareSYN {
		g.tcp.Options = g.synOpts[:]
	}
	if g.window != 0 {
		g.tcp.Window = g.window
	}
	g.window, g.bareSYN = 0, false
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

// buildUDP builds one UDP datagram whose payload is the layer app, or the
// bytes p when app is nil.
func (g *Generator) buildUDP(src, dst *host, sport, dport uint16, app gopacket.SerializableLayer, p []byte) {
	n := g.ipv4(src, dst, layers.IPProtocolUDP, false)
	g.udp = layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	g.udp.SetNetworkLayerForChecksum(&g.ip4)
	g.stack[n] = &g.udp
	n++
	if app != nil {
		g.stack[n] = app
		n++
	} else if len(p) > 0 {
		g.pl = p
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
func (g *Generator) buildDNS(src, dst *host, sport, dport uint16, id uint16, name []byte, qtype layers.DNSType, answers int, ip net.IP) {
	g.dns = layers.DNS{ID: id, RD: true, OpCode: layers.DNSOpCodeQuery}
	g.question[0] = layers.DNSQuestion{Name: name, Type: qtype, Class: layers.DNSClassIN}
	g.dns.Questions = g.question[:]
	if answers >= 0 {
		g.dns.QR, g.dns.RA = true, true
		g.dns.ResponseCode = layers.DNSResponseCodeNoErr
		for i := 0; i < answers; i++ {
			g.answers[i] = layers.DNSResourceRecord{Name: g.question[0].Name, Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 300, IP: ip}
		}
		g.dns.Answers = g.answers[:answers]
	}
	g.buildUDP(src, dst, sport, dport, &g.dns, nil)
}

// buildNS builds an IPv6 neighbour solicitation from src for target's
// link-local address, sent to target's solicited-node multicast group.
func (g *Generator) buildNS(src, target *host) {
	m := &g.mcast
	*m = [16]byte{0xff, 0x02, 11: 0x01, 12: 0xff}
	m[13], m[14], m[15] = target.ip6[13], target.ip6[14], target.ip6[15]
	g.mcastMAC = [6]byte{0x33, 0x33, m[12], m[13], m[14], m[15]}
	n := g.link(src.mac, g.mcastMAC[:], src.vlan, layers.EthernetTypeIPv6)
	n = g.icmp6Header(n, src.ip6, m[:], layers.ICMPv6TypeNeighborSolicitation)
	g.ndOpts[0] = layers.ICMPv6Option{Type: layers.ICMPv6OptSourceAddress, Data: src.mac}
	g.ns = layers.ICMPv6NeighborSolicitation{TargetAddress: target.ip6, Options: g.ndOpts[:]}
	g.stack[n] = &g.ns
	g.serialize(n + 1)
}

// buildNA builds the solicited neighbour advertisement of src to asker.
func (g *Generator) buildNA(src, asker *host) {
	n := g.link(src.mac, asker.mac, src.vlan, layers.EthernetTypeIPv6)
	n = g.icmp6Header(n, src.ip6, asker.ip6, layers.ICMPv6TypeNeighborAdvertisement)
	g.ndOpts[0] = layers.ICMPv6Option{Type: layers.ICMPv6OptTargetAddress, Data: src.mac}
	g.na = layers.ICMPv6NeighborAdvertisement{Flags: 0x60, TargetAddress: src.ip6, Options: g.ndOpts[:]} // solicited, override
	g.stack[n] = &g.na
	g.serialize(n + 1)
}

var (
	allNodesIP  = net.ParseIP("ff02::1")
	allNodesMAC = net.HardwareAddr{0x33, 0x33, 0, 0, 0, 1}
	routersIP   = net.ParseIP("ff02::2")
	routersMAC  = net.HardwareAddr{0x33, 0x33, 0, 0, 0, 2}
	// prefix information: 2001:db8:1::/64, on-link and autonomous, 1 day / 4 h
	prefixInfo = []byte{64, 0xc0, 0, 1, 0x51, 0x80, 0, 0, 0x38, 0x40, 0, 0, 0, 0,
		0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
)

// buildRA builds the gateway's periodic router advertisement.
func (g *Generator) buildRA(gw *host) {
	n := g.link(gw.mac, allNodesMAC, gw.vlan, layers.EthernetTypeIPv6)
	n = g.icmp6Header(n, gw.ip6, allNodesIP, layers.ICMPv6TypeRouterAdvertisement)
	g.raOpts[0] = layers.ICMPv6Option{Type: layers.ICMPv6OptSourceAddress, Data: gw.mac}
	g.raOpts[1] = layers.ICMPv6Option{Type: layers.ICMPv6OptPrefixInfo, Data: prefixInfo}
	g.ra = layers.ICMPv6RouterAdvertisement{HopLimit: 64, RouterLifetime: 1800, Options: g.raOpts[:]}
	g.stack[n] = &g.ra
	g.serialize(n + 1)
}

// buildRS builds a host's router solicitation.
func (g *Generator) buildRS(src *host) {
	n := g.link(src.mac, routersMAC, src.vlan, layers.EthernetTypeIPv6)
	n = g.icmp6Header(n, src.ip6, routersIP, layers.ICMPv6TypeRouterSolicitation)
	g.ndOpts[0] = layers.ICMPv6Option{Type: layers.ICMPv6OptSourceAddress, Data: src.mac}
	g.rs = layers.ICMPv6RouterSolicitation{Options: g.ndOpts[:]}
	g.stack[n] = &g.rs
	g.serialize(n + 1)
}

func (g *Generator) icmp6Header(n int, src, dst net.IP, t uint8) int {
	g.ip6 = layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolICMPv6, SrcIP: src, DstIP: dst}
	g.icmp6 = layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(t, 0)}
	g.icmp6.SetNetworkLayerForChecksum(&g.ip6)
	g.stack[n], g.stack[n+1] = &g.ip6, &g.icmp6
	return n + 2
}

var (
	dhcpMsg   = [...][]byte{nil, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}} // DHCPDISCOVER=1 ... DHCPINFORM=8
	leaseTime = []byte{0, 0, 0x0e, 0x10}                                 // 3600 s
	netmask24 = []byte{255, 255, 255, 0}
	paramReq  = []byte{1, 3, 6, 15, 51}
	domain    = []byte("office.lan")
)

// buildDHCP builds one DHCP message of type msg (layers.DHCPMsgType)
// between client (whose address is ciaddr, 0.0.0.0 before it has one) and
// server, addressed from src to dst at the IP level.
func (g *Generator) buildDHCP(src, dst *host, client *host, server *host, msg layers.DHCPMsgType, xid uint32, ciaddr, yiaddr net.IP) {
	op := layers.DHCPOpRequest
	sport, dport := uint16(68), uint16(67)
	if msg == layers.DHCPMsgTypeOffer || msg == layers.DHCPMsgTypeAck || msg == layers.DHCPMsgTypeNak {
		op, sport, dport = layers.DHCPOpReply, 67, 68
	}
	g.dhcp = layers.DHCPv4{
		Operation: op, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: xid,
		ClientIP: ciaddr, YourClientIP: yiaddr, NextServerIP: net.IPv4zero.To4(), RelayAgentIP: net.IPv4zero.To4(),
		ClientHWAddr: client.mac,
	}
	if yiaddr == nil {
		g.dhcp.YourClientIP = net.IPv4zero.To4()
	}
	if ciaddr.Equal(net.IPv4zero) {
		g.dhcp.Flags = 0x8000 // no address yet: answer by broadcast
	}
	o := g.dhcpOpts[:0]
	o = append(o, layers.NewDHCPOption(layers.DHCPOptMessageType, dhcpMsg[msg]))
	if op == layers.DHCPOpRequest {
		if msg == layers.DHCPMsgTypeRequest && ciaddr.Equal(net.IPv4zero) {
			o = append(o, layers.NewDHCPOption(layers.DHCPOptRequestIP, client.ip),
				layers.NewDHCPOption(layers.DHCPOptServerID, server.ip))
		}
		o = append(o, layers.NewDHCPOption(layers.DHCPOptParamsRequest, paramReq))
	} else {
		o = append(o, layers.NewDHCPOption(layers.DHCPOptServerID, server.ip),
			layers.NewDHCPOption(layers.DHCPOptLeaseTime, leaseTime),
			layers.NewDHCPOption(layers.DHCPOptSubnetMask, netmask24),
			layers.NewDHCPOption(layers.DHCPOptRouter, server.ip),
			layers.NewDHCPOption(layers.DHCPOptDNS, server.ip),
			layers.NewDHCPOption(layers.DHCPOptDomainName, domain))
	}
	g.dhcp.Options = o
	g.buildUDP(src, dst, sport, dport, &g.dhcp, nil)
}
