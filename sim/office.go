package sim

import (
	"net"
	"strconv"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Background activities, drawn by weight from the current mix.
const (
	actTCPRemote = iota // TCP session to an internet server
	actTCPLocal         // TCP session to a local server
	actDNS              // one lookup
	actARP              // ARP request and reply
	actPing             // a few echo requests
	actDHCP             // lease renewal
	actND               // IPv6 neighbour solicitation and advertisement
	actRA               // the router's advertisement
	actMDNS             // mDNS query and answer (multicast)
	actSSDP             // SSDP search (multicast)
	actSIP              // a phone's SIP keepalive (voice VLAN, tagged)
	actCall             // an RTP call between the phones (voice VLAN, tagged)
	actBusy             // look-alike: a client opening many connections at once
	actMonitor          // look-alike: the monitoring server's half-open port checks
	actDNSBurst         // look-alike: a burst of lookups, some with large answers
	actBoot             // look-alike: a laptop joining (DHCP, gratuitous ARP, ND, mDNS, SSDP)
	nAct
)

// mix is the relative weight of each background activity.
type mix [nAct]int

var (
	// mixOffice is an ordinary working day.
	mixOffice = mix{actTCPRemote: 22, actTCPLocal: 8, actDNS: 22, actARP: 9, actPing: 4, actDHCP: 2,
		actND: 6, actRA: 1, actMDNS: 4, actSSDP: 3, actSIP: 3, actCall: 1,
		actBusy: 1, actMonitor: 1, actDNSBurst: 2, actBoot: 1}
	// mixFiles is month-end: file server and backup traffic dominate.
	mixFiles = mix{actTCPRemote: 10, actTCPLocal: 24, actDNS: 12, actARP: 8, actPing: 2, actDHCP: 2,
		actND: 4, actRA: 1, actMDNS: 2, actSSDP: 2, actSIP: 3, actCall: 2,
		actBusy: 4, actMonitor: 2, actDNSBurst: 1, actBoot: 1}
	// mixChatty is a day of many small exchanges: lookups, multicast, calls.
	mixChatty = mix{actTCPRemote: 12, actTCPLocal: 4, actDNS: 30, actARP: 12, actPing: 6, actDHCP: 3,
		actND: 9, actRA: 2, actMDNS: 8, actSSDP: 6, actSIP: 5, actCall: 2,
		actBusy: 1, actMonitor: 1, actDNSBurst: 4, actBoot: 2}
)

func (m *mix) pick(g *Generator) int {
	total := 0
	for _, w := range m {
		total += w
	}
	r := g.rng.IntN(total)
	for i, w := range m {
		if r < w {
			return i
		}
		r -= w
	}
	return 0
}

func pickHost(g *Generator, hs []*host) *host { return hs[g.rng.IntN(len(hs))] }

// startBackground starts one everyday activity drawn from the current mix.
func (g *Generator) startBackground() {
	l := &g.lan
	c := pickHost(g, l.clients)
	switch g.mix.pick(g) {
	case actTCPRemote:
		s := pickHost(g, l.remote)
		g.schedule(0, EpisodeNormal, g.newTCPSession(c, s, s.svc[g.rng.IntN(len(s.svc))], g.intn(1, 4)))
	case actTCPLocal:
		s := pickHost(g, l.servers)
		g.schedule(0, EpisodeNormal, g.newTCPSession(c, s, s.svc[g.rng.IntN(len(s.svc))], g.intn(1, 6)))
	case actDNS:
		g.schedule(0, EpisodeNormal, g.newLookup(c))
	case actARP:
		t := pickHost(g, l.all)
		if t == c {
			t = l.gw
		}
		g.schedule(0, EpisodeNormal, &arpExchange{asker: c, target: t})
	case actPing:
		var t *host
		switch g.rng.IntN(3) {
		case 0:
			t = l.gw
		case 1:
			t = pickHost(g, l.servers)
		default:
			t = pickHost(g, l.remote)
		}
		g.schedule(0, EpisodeNormal, &ping{src: c, dst: t, id: uint16(g.rng.Uint32()), count: g.intn(1, 4)})
	case actDHCP:
		g.schedule(0, EpisodeNormal, &dhcpRenew{client: c, xid: g.rng.Uint32()})
	case actND:
		t := pickHost(g, l.all)
		if t == c {
			t = l.gw
		}
		g.schedule(0, EpisodeNormal, &ndExchange{asker: c, target: t})
	case actRA:
		g.schedule(0, EpisodeNormal, &routerAdvert{})
	case actMDNS:
		g.schedule(0, EpisodeNormal, &mdnsQuery{client: c})
	case actSSDP:
		g.schedule(0, EpisodeNormal, &ssdpSearch{client: c, left: g.intn(1, 3)})
	case actSIP:
		g.schedule(0, EpisodeNormal, &sipKeepalive{phone: pickHost(g, l.phones), cseq: g.rng.Uint32() >> 16})
	case actCall:
		if !g.callActive {
			g.callActive = true
			g.schedule(0, EpisodeNormal, g.newCall())
		}
	case actBusy:
		if g.busyActive < 1 {
			g.busyActive++
			g.schedule(0, EpisodeNormal, g.newBusyClient(c))
		}
	case actMonitor:
		if !g.monitorActive {
			g.monitorActive = true
			g.schedule(0, EpisodeNormal, g.newMonitorSweep())
		}
	case actDNSBurst:
		g.schedule(0, EpisodeNormal, &dnsBurst{client: c, left: g.intn(8, 40)})
	case actBoot:
		g.schedule(0, EpisodeNormal, &bootBurst{h: pickHost(g, l.clients), xid: g.rng.Uint32()})
	}
}

func (g *Generator) newLookup(c *host) *dnsLookup {
	return &dnsLookup{client: c, server: g.lan.gw, name: g.rng.IntN(len(g.lan.names)), sport: c.ephemeral(), id: uint16(g.rng.Uint32())}
}

// dhcpRenew is a lease renewal: unicast DHCPREQUEST, DHCPACK.
type dhcpRenew struct {
	client *host
	xid    uint32
	acked  bool
}

func (d *dhcpRenew) act(g *Generator) (bool, time.Duration, bool) {
	gw := g.lan.gw
	if !d.acked {
		g.buildDHCP(d.client, gw, d.client, gw, layers.DHCPMsgTypeRequest, d.xid, d.client.ip, nil)
		d.acked = true
		return true, g.between(300*time.Microsecond, 3*time.Millisecond), false
	}
	g.buildDHCP(gw, d.client, d.client, gw, layers.DHCPMsgTypeAck, d.xid, d.client.ip, d.client.ip)
	return true, 0, true
}

// ndExchange is IPv6 neighbour discovery between link-local addresses.
type ndExchange struct {
	asker, target *host
	answered      bool
}

func (n *ndExchange) act(g *Generator) (bool, time.Duration, bool) {
	if !n.answered {
		g.buildNS(n.asker, n.target)
		n.answered = true
		return true, g.between(50*time.Microsecond, 500*time.Microsecond), false
	}
	g.buildNA(n.target, n.asker)
	return true, 0, true
}

type routerAdvert struct{}

func (routerAdvert) act(g *Generator) (bool, time.Duration, bool) {
	g.buildRA(g.lan.gw)
	return true, 0, true
}

var (
	mdnsService = []byte("_ipp._tcp.local")
	mdnsPrinter = []byte("printer._ipp._tcp.local")
)

// mdnsQuery asks the link for printers; the printer answers.
type mdnsQuery struct {
	client   *host
	answered bool
}

func (m *mdnsQuery) act(g *Generator) (bool, time.Duration, bool) {
	grp := &g.lan.mdns
	g.dns = layers.DNS{OpCode: layers.DNSOpCodeQuery}
	g.question[0] = layers.DNSQuestion{Name: mdnsService, Type: layers.DNSTypePTR, Class: layers.DNSClassIN}
	g.dns.Questions = g.question[:]
	g.ttl = 255
	if !m.answered {
		g.buildUDP(m.client, grp, 5353, 5353, &g.dns, nil)
		m.answered = true
		return true, g.between(time.Millisecond, 40*time.Millisecond), false
	}
	g.dns.QR, g.dns.AA = true, true
	g.dns.Questions = nil
	g.answers[0] = layers.DNSResourceRecord{Name: mdnsService, Type: layers.DNSTypePTR, Class: layers.DNSClassIN, TTL: 4500, PTR: mdnsPrinter}
	g.dns.Answers = g.answers[:1]
	g.buildUDP(g.lan.servers[2], grp, 5353, 5353, &g.dns, nil)
	return true, 0, true
}

const ssdpSearchText = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: urn:dial-multiscreen-org:service:dial:1\r\nUSER-AGENT: Chromium/120.0 Linux\r\n\r\n"

// ssdpSearch is a browser looking for cast devices: a few M-SEARCHes.
type ssdpSearch struct {
	client *host
	left   int
	port   uint16
}

func (s *ssdpSearch) act(g *Generator) (bool, time.Duration, bool) {
	if s.port == 0 {
		s.port = s.client.ephemeral()
	}
	g.ttl = 4
	g.buildUDP(s.client, &g.lan.ssdp, s.port, 1900, nil, append(g.text[:0], ssdpSearchText...))
	s.left--
	return true, time.Second, s.left == 0
}

// sipKeepalive is a phone's OPTIONS ping to the PBX on the router and the
// 200 OK, on the tagged voice VLAN.
type sipKeepalive struct {
	phone    *host
	cseq     uint32
	answered bool
}

func (s *sipKeepalive) act(g *Generator) (bool, time.Duration, bool) {
	pbx := g.lan.gw20
	b := g.text[:0]
	if !s.answered {
		b = append(b, "OPTIONS sip:"...)
	} else {
		b = append(b, "SIP/2.0 200 OK"...)
	}
	if !s.answered {
		b = append(b, pbx.ip.String()...)
		b = append(b, " SIP/2.0"...)
	}
	b = append(b, "\r\nVia: SIP/2.0/UDP "...)
	b = append(b, s.phone.ip.String()...)
	b = append(b, ":5060;branch=z9hG4bK"...)
	b = strconv.AppendUint(b, uint64(s.cseq)*7919, 16)
	b = append(b, "\r\nFrom: <sip:"...)
	b = append(b, s.phone.name...)
	b = append(b, "@office.lan>;tag="...)
	b = strconv.AppendUint(b, uint64(s.cseq), 16)
	b = append(b, "\r\nTo: <sip:pbx@office.lan>"...)
	if s.answered {
		b = append(b, ";tag=pbx1"...)
	}
	b = append(b, "\r\nCall-ID: ka"...)
	b = strconv.AppendUint(b, uint64(s.cseq), 10)
	b = append(b, "@"...)
	b = append(b, s.phone.ip.String()...)
	b = append(b, "\r\nCSeq: "...)
	b = strconv.AppendUint(b, uint64(s.cseq), 10)
	b = append(b, " OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"...)
	if !s.answered {
		g.buildUDP(s.phone, pbx, 5060, 5060, nil, b)
		s.answered = true
		return true, g.between(200*time.Microsecond, 2*time.Millisecond), false
	}
	g.buildUDP(pbx, s.phone, 5060, 5060, nil, b)
	return true, 0, true
}

// rtpCall is a G.711 call between the two phones: one 20 ms packet each
// way per period, tagged on the voice VLAN.
type rtpCall struct {
	a, b       *host
	aPort      uint16
	bPort      uint16
	seq        [2]uint16
	ts         [2]uint32
	ssrc       [2]uint32
	left, turn int
}

func (g *Generator) newCall() *rtpCall {
	p := g.lan.phones
	c := &rtpCall{a: p[0], b: p[1], aPort: uint16(16384 + 2*g.rng.IntN(500)), bPort: uint16(16384 + 2*g.rng.IntN(500)),
		left: 2 * g.intn(100, 600)}
	for i := range 2 {
		c.seq[i] = uint16(g.rng.Uint32())
		c.ts[i] = g.rng.Uint32()
		c.ssrc[i] = g.rng.Uint32()
	}
	return c
}

func (c *rtpCall) act(g *Generator) (bool, time.Duration, bool) {
	i := c.turn
	b := g.text[:0]
	b = append(b, 0x80, 0x00, byte(c.seq[i]>>8), byte(c.seq[i]))
	b = append(b, byte(c.ts[i]>>24), byte(c.ts[i]>>16), byte(c.ts[i]>>8), byte(c.ts[i]))
	b = append(b, byte(c.ssrc[i]>>24), byte(c.ssrc[i]>>16), byte(c.ssrc[i]>>8), byte(c.ssrc[i]))
	b = append(b, g.payload(160)...)
	c.seq[i]++
	c.ts[i] += 160
	if i == 0 {
		g.buildUDP(c.a, c.b, c.aPort, c.bPort, nil, b)
	} else {
		g.buildUDP(c.b, c.a, c.bPort, c.aPort, nil, b)
	}
	c.turn = 1 - c.turn
	c.left--
	if c.left == 0 {
		g.callActive = false
		return true, 0, true
	}
	if c.turn == 1 {
		return true, g.between(time.Millisecond, 3*time.Millisecond), false
	}
	return true, g.between(17*time.Millisecond, 19*time.Millisecond), false
}

// busyClient is a legitimate client opening many short connections in a
// burst (a sync or backup tool, a browser on a heavy page): many SYNs from
// one host to one server, as in a scan, but every one a full session.
type busyClient struct {
	c, s *host
	port uint16
	left int
}

func (g *Generator) newBusyClient(c *host) *busyClient {
	b := &busyClient{c: c, left: g.intn(15, 60)}
	if g.rng.IntN(2) == 0 {
		b.s, b.port = g.lan.servers[0], 445
	} else {
		b.s = g.lan.remote[2]
		b.port = 443
	}
	return b
}

func (b *busyClient) act(g *Generator) (bool, time.Duration, bool) {
	t := g.newTCPSession(b.c, b.s, b.port, 1)
	t.think = 2 * time.Millisecond
	g.schedule(0, EpisodeNormal, t)
	b.left--
	if b.left == 0 {
		g.busyActive--
		return false, 0, true
	}
	return false, g.between(500*time.Microsecond, 8*time.Millisecond), false
}

// monitorPorts are what the monitoring server checks on every server.
var monitorPorts = []uint16{22, 53, 80, 443, 445, 631, 9100}

// monitorSweep is the intranet server's monitoring job: half-open checks
// (SYN, then RST after the SYN/ACK) of a few ports on every local server
// and the router. It looks like a small port scan, and is not one.
type monitorSweep struct {
	src      *host
	targets  []*host
	t, p     int
	state    int
	sport    uint16
	seq, ack uint32
}

func (g *Generator) newMonitorSweep() *monitorSweep {
	l := &g.lan
	return &monitorSweep{src: l.servers[1], targets: []*host{l.gw, l.servers[0], l.servers[2]}}
}

func (m *monitorSweep) act(g *Generator) (bool, time.Duration, bool) {
	dst := m.targets[m.t]
	port := monitorPorts[m.p]
	switch m.state {
	case 0:
		m.sport = m.src.ephemeral()
		m.seq = g.rng.Uint32()
		g.buildTCP(m.src, dst, m.sport, port, m.seq, 0, fSYN, 0)
		m.state = 1
		return true, g.rtt(m.src, dst) / 2, false
	case 1:
		if dst.listens(port) {
			m.ack = g.rng.Uint32()
			g.buildTCP(dst, m.src, port, m.sport, m.ack, m.seq+1, fSYN|fACK, 0)
			m.state = 2
			return true, g.rtt(m.src, dst) / 2, false
		}
		g.buildTCP(dst, m.src, port, m.sport, 0, m.seq+1, fRST|fACK, 0)
	default:
		g.buildTCP(m.src, dst, m.sport, port, m.seq+1, 0, fRST, 0)
	}
	m.state = 0
	m.p++
	if m.p == len(monitorPorts) {
		m.p = 0
		m.t++
		if m.t == len(m.targets) {
			g.monitorActive = false
			return true, 0, true
		}
	}
	return true, g.between(2*time.Millisecond, 10*time.Millisecond), false
}

var (
	txtName = []byte("_spf.example.org")
	txtBody = []byte("v=spf1 ip4:203.0.113.0/24 ip4:198.51.100.0/24 include:_spf.mail.example.net include:_spf.cdn.example.net ~all")
)

// dnsBurst is a page load or mail check: many lookups within a fraction of
// a second, a few with large TXT answers. It resembles an amplification
// flood's first frames and is benign.
type dnsBurst struct {
	client *host
	left   int
	txt    bool
	sport  uint16
	id     uint16
}

func (d *dnsBurst) act(g *Generator) (bool, time.Duration, bool) {
	gw := g.lan.gw
	if d.txt { // the answer to the TXT query
		d.txt = false
		g.txtAnswer(gw, d.client, 53, d.sport, d.id, txtName, g.intn(2, 5), false)
		return d.step(g, true)
	}
	if g.rng.IntN(8) == 0 {
		d.sport, d.id = d.client.ephemeral(), uint16(g.rng.Uint32())
		g.buildDNS(d.client, gw, d.sport, 53, d.id, txtName, layers.DNSTypeTXT, -1, nil)
		d.txt = true
		return true, g.between(2*time.Millisecond, 30*time.Millisecond), false
	}
	g.schedule(0, EpisodeNormal, g.newLookup(d.client))
	return d.step(g, false)
}

func (d *dnsBurst) step(g *Generator, emitted bool) (bool, time.Duration, bool) {
	d.left--
	return emitted, g.between(500*time.Microsecond, 12*time.Millisecond), d.left <= 0
}

// txtAnswer builds a DNS response for name with n TXT records (type ANY
// if anyQuery, as amplification uses).
func (g *Generator) txtAnswer(src, dst *host, sport, dport uint16, id uint16, name []byte, n int, anyQuery bool) {
	g.dns = layers.DNS{ID: id, QR: true, RD: true, RA: true, OpCode: layers.DNSOpCodeQuery}
	qt := layers.DNSTypeTXT
	if anyQuery {
		qt = dnsTypeANY
	}
	g.question[0] = layers.DNSQuestion{Name: name, Type: qt, Class: layers.DNSClassIN}
	g.dns.Questions = g.question[:]
	for i := range n {
		g.txt[i&7] = txtBody
		g.answers[i] = layers.DNSResourceRecord{Name: name, Type: layers.DNSTypeTXT, Class: layers.DNSClassIN, TTL: 3600, TXTs: g.txt[i&7 : i&7+1]}
	}
	g.dns.Answers = g.answers[:n]
	g.buildUDP(src, dst, sport, dport, &g.dns, nil)
}

// bootBurst is a laptop arriving: DHCP discover/offer/request/ack from
// 0.0.0.0, three gratuitous ARPs announcing its address, a router
// solicitation, an mDNS announcement and SSDP searches. Broadcast-heavy and
// ARP-heavy, like a storm or a spoof, and benign.
type bootBurst struct {
	h    *host
	xid  uint32
	step int
}

func (b *bootBurst) act(g *Generator) (bool, time.Duration, bool) {
	l := &g.lan
	h, gw := b.h, l.gw
	zero := &g.lan.zero
	zero.mac = h.mac
	b.step++
	switch b.step {
	case 1:
		g.buildDHCP(zero, &l.bcast, h, gw, layers.DHCPMsgTypeDiscover, b.xid, net.IPv4zero.To4(), nil)
	case 2:
		g.buildDHCP(gw, &l.bcast, h, gw, layers.DHCPMsgTypeOffer, b.xid, net.IPv4zero.To4(), h.ip)
	case 3:
		g.buildDHCP(zero, &l.bcast, h, gw, layers.DHCPMsgTypeRequest, b.xid, net.IPv4zero.To4(), nil)
	case 4:
		g.buildDHCP(gw, &l.bcast, h, gw, layers.DHCPMsgTypeAck, b.xid, net.IPv4zero.To4(), h.ip)
	case 5, 6, 7: // gratuitous ARP: the host announces its own address
		g.buildARP(h.mac, broadcastMAC, 0, layers.ARPRequest, h.mac, h.ip, nil, h.ip)
	case 8:
		g.buildRS(h)
	case 9:
		g.ttl = 4
		g.buildUDP(h, &l.ssdp, h.ephemeral(), 1900, nil, append(g.text[:0], ssdpSearchText...))
		return true, 0, true
	}
	if b.step < 4 {
		return true, g.between(time.Millisecond, 5*time.Millisecond), false
	}
	return true, g.between(20*time.Millisecond, 300*time.Millisecond), false
}

// dnsTypeANY is QTYPE * (255), which gopacket has no name for.
const dnsTypeANY layers.DNSType = 255
