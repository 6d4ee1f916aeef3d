package sim

import (
	"time"

	"github.com/gopacket/gopacket/layers"
)

// portScan is an nmap-style SYN scan: the attacker sends one SYN per port
// from a fixed source port; the victim answers closed ports with RST/ACK
// and open ports with SYN/ACK, which the attacker resets. Windows clients
// drop most probes silently (their firewall). Every frame of the episode,
// the victim's answers included, belongs to the episode.
type portScan struct {
	attacker, victim *host
	sport            uint16
	seq              uint32
	probes           int // probes left
	i                int // probes sent
	off, stride      int // the port order: a stride walk over 1..1024, then over 1025..65535
	port             uint16
	state            int // 0 probe, 1 victim answers, 2 attacker resets an open port
	gap              time.Duration
	silent           bool // victim drops closed-port probes
}

func (g *Generator) newPortScan() *portScan {
	l := &g.lan
	victims := len(l.servers) + len(l.clients)
	i := g.rng.IntN(victims)
	var v *host
	if i < len(l.servers) {
		v = l.servers[i]
	} else {
		v = l.clients[i-len(l.servers)]
	}
	p := &portScan{
		attacker: g.attacker(),
		victim:   v,
		sport:    uint16(g.intn(33000, 61000)),
		seq:      g.rng.Uint32(),
		probes:   g.intn(300, 1500),
		off:      g.rng.IntN(1 << 16),
		stride:   2*g.rng.IntN(400) + 101, // odd: visits every port below 1024 once
		gap:      g.between(60*time.Microsecond, 600*time.Microsecond),
		silent:   v.ttl == 128,
	}
	if p.victim == p.attacker {
		p.victim = l.servers[0]
	}
	if g.phase%3 == 2 { // the compromised workstation scans slowly, to stay unseen
		p.gap = g.between(3*time.Millisecond, 15*time.Millisecond)
		p.probes = g.intn(200, 600)
	}
	return p
}

// attacker is the host episodes attack from in the current phase.
func (g *Generator) attacker() *host { return g.lan.attackers[g.phase%len(g.lan.attackers)] }

func (p *portScan) act(g *Generator) (bool, time.Duration, bool) {
	switch p.state {
	case 0:
		// each port once: well-known ports first, as scanners do
		if p.i < 1024 {
			p.port = uint16(1 + (p.off+p.i*p.stride)%1024)
		} else {
			// 64511 = 31 * 2081; 4099 is prime and shares no factor with it
			p.port = uint16(1025 + (p.off+(p.i-1024)*4099)%64511)
		}
		p.i++
		g.window = 1024 // as nmap's SYN scan sends
		g.buildTCP(p.attacker, p.victim, p.sport, p.port, p.seq, 0, fSYN, 0)
		p.probes--
		open := p.victim.listens(p.port)
		if open || !p.silent || g.rng.IntN(10) == 0 {
			p.state = 1
			return true, g.between(80*time.Microsecond, 400*time.Microsecond), false
		}
		return p.next(g)
	case 1:
		if p.victim.listens(p.port) {
			g.buildTCP(p.victim, p.attacker, p.port, p.sport, g.rng.Uint32(), p.seq+1, fSYN|fACK, 0)
			p.state = 2
			return true, g.between(30*time.Microsecond, 200*time.Microsecond), false
		}
		g.buildTCP(p.victim, p.attacker, p.port, p.sport, 0, p.seq+1, fRST|fACK, 0)
		return p.next(g)
	default:
		g.buildTCP(p.attacker, p.victim, p.sport, p.port, p.seq+1, 0, fRST, 0)
		return p.next(g)
	}
}

func (p *portScan) next(g *Generator) (bool, time.Duration, bool) {
	p.state = 0
	if p.probes <= 0 {
		g.episodeDone()
		return true, 0, true
	}
	return true, g.exp(p.gap), false
}

// synFlood is SYNs from spoofed internet sources at one server port,
// arriving through the router. The server answers SYN/ACKs (to the router,
// towards addresses that never reply) until its backlog is full, then only
// now and then.
type synFlood struct {
	victim  *host
	port    uint16
	left    int
	gap     time.Duration
	backlog int
	spoof   *host
	window  uint16 // the flood tool's fixed window
	sport   uint16
	seq     uint32
	answer  bool
}

func (g *Generator) newSYNFlood() *synFlood {
	l := &g.lan
	f := &synFlood{left: g.intn(1500, 5000), gap: g.between(50*time.Microsecond, 200*time.Microsecond), backlog: g.intn(64, 256), spoof: &g.spoof,
		window: floodWindows[g.rng.IntN(len(floodWindows))]}
	switch g.phase % 3 {
	case 0:
		f.victim, f.port = l.servers[1], 443
	case 1:
		f.victim, f.port = l.servers[1], 80
	default:
		f.victim, f.port = l.servers[0], 445
	}
	return f
}

// floodWindows are windows flood tools send with (hping3's default is 512).
var floodWindows = []uint16{512, 1024, 5840, 65535}

// spoofAddress fills h with a random public-looking IPv4 address.
func (g *Generator) spoofAddress(h *host) {
	for {
		a := g.rng.Uint32()
		b0 := byte(a >> 24)
		if b0 == 0 || b0 == 10 || b0 == 127 || b0 >= 224 || b0 == 192 || b0 == 172 || b0 == 169 || b0 == 100 {
			continue
		}
		h.ip = append(h.ip[:0], b0, byte(a>>16), byte(a>>8), byte(a))
		return
	}
}

func (f *synFlood) act(g *Generator) (bool, time.Duration, bool) {
	if f.answer {
		f.answer = false
		g.buildTCP(f.victim, f.spoof, f.port, f.sport, g.rng.Uint32(), f.seq+1, fSYN|fACK, 0)
		return f.next(g)
	}
	g.spoofAddress(f.spoof)
	f.spoof.ttl = uint8(g.intn(40, 120))
	f.spoof.ipid = uint16(g.rng.Uint32())
	f.sport = uint16(g.intn(1024, 65535))
	f.seq = g.rng.Uint32()
	g.window, g.bareSYN = f.window, true
	g.buildTCP(f.spoof, f.victim, f.sport, f.port, f.seq, 0, fSYN, 0)
	if f.backlog > 0 || g.rng.IntN(20) == 0 {
		f.backlog--
		f.answer = true
		f.left--
		return true, g.between(20*time.Microsecond, 60*time.Microsecond), false
	}
	return f.next(g)
}

func (f *synFlood) next(g *Generator) (bool, time.Duration, bool) {
	f.left--
	if f.left <= 0 {
		g.episodeDone()
		return true, 0, true
	}
	return true, g.exp(f.gap), false
}

// arpSpoof is an ARP cache-poisoning man in the middle: the attacker tells
// each victim that the gateway's address is at its MAC, and the gateway
// that each victim's is, again every fraction of a second. While a victim
// is poisoned its frames for the gateway go to the attacker, which
// forwards them (TTL one less); those frames belong to the episode too.
// At the end the attacker restores the true mappings.
type arpSpoof struct {
	attacker *host
	victims  []*host
	rounds   int
	i        int // next message in the round: victim i/2, to victim (even) or gateway (odd)
	restore  bool
}

func (g *Generator) newARPSpoof() *arpSpoof {
	a := &arpSpoof{attacker: g.attacker(), rounds: g.intn(10, 30)}
	n := g.intn(1, 3)
	for _, i := range g.rng.Perm(len(g.lan.clients)) {
		c := g.lan.clients[i]
		if c != a.attacker && len(a.victims) < n {
			a.victims = append(a.victims, c)
		}
	}
	return a
}

func (a *arpSpoof) act(g *Generator) (bool, time.Duration, bool) {
	gw := g.lan.gw
	v := a.victims[a.i/2]
	claimMAC := a.attacker.mac
	if a.restore {
		claimMAC = gw.mac
		if a.i%2 == 1 {
			claimMAC = v.mac
		}
	}
	if a.i%2 == 0 { // to the victim: the gateway is at ...
		g.buildARP(a.attacker.mac, v.mac, 0, layers.ARPReply, claimMAC, gw.ip, v.mac, v.ip)
		if !a.restore {
			v.poisonedBy = a.attacker
		} else {
			v.poisonedBy = nil
		}
	} else { // to the gateway: the victim is at ...
		g.buildARP(a.attacker.mac, gw.mac, 0, layers.ARPReply, claimMAC, v.ip, gw.mac, gw.ip)
	}
	a.i++
	if a.i < 2*len(a.victims) {
		return true, g.between(50*time.Microsecond, 500*time.Microsecond), false
	}
	a.i = 0
	if a.restore {
		g.episodeDone()
		return true, 0, true
	}
	a.rounds--
	if a.rounds == 0 {
		a.restore = true
	}
	return true, g.between(150*time.Millisecond, 600*time.Millisecond), false
}

// misdirect says whether a packet from src to dst leaves src towards an
// attacker that poisoned its ARP cache (dst is the gateway or beyond it),
// and notes it so that Next labels the frame and queues the forwarded copy.
func (g *Generator) misdirect(src, dst *host) bool {
	if src.poisonedBy == nil || !(dst == g.lan.gw || !dst.local) {
		return false
	}
	g.misdirected = src.poisonedBy
	return true
}

// relay is the attacker forwarding one intercepted frame to the gateway.
type relay struct {
	data []byte
}

func (r *relay) act(g *Generator) (bool, time.Duration, bool) {
	g.buf.Clear()
	b, _ := g.buf.AppendBytes(len(r.data))
	copy(b, r.data)
	g.relayFree = append(g.relayFree, r)
	return true, 0, true
}

// queueRelay schedules the attacker's forwarded copy of the frame just
// built: source MAC the attacker's, destination the gateway's, IPv4 TTL one
// less with the header checksum recomputed.
func (g *Generator) queueRelay(attacker *host) {
	var r *relay
	if n := len(g.relayFree); n > 0 {
		r, g.relayFree = g.relayFree[n-1], g.relayFree[:n-1]
	} else {
		r = &relay{}
	}
	r.data = append(r.data[:0], g.buf.Bytes()...)
	copy(r.data[0:6], g.lan.gw.mac)
	copy(r.data[6:12], attacker.mac)
	ip := r.data[14:]
	ihl := int(ip[0]&0x0f) * 4
	ip[8]--
	ip[10], ip[11] = 0, 0
	var sum uint32
	for i := 0; i < ihl; i += 2 {
		sum += uint32(ip[i])<<8 | uint32(ip[i+1])
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	ip[10], ip[11] = byte(^sum>>8), byte(^sum)
	g.schedule(g.between(30*time.Microsecond, 150*time.Microsecond), EpisodeARPSpoof, r)
}

var ampNames = [][]byte{[]byte("example.com"), []byte("example.org"), []byte("example.net")}

// dnsAmplification is what a victim of a reflection attack sees: large ANY
// answers (many TXT records) from many internet resolvers, to queries it
// never sent (the attacker spoofed its address), arriving through the
// router. The victim answers some with ICMP port unreachable.
type dnsAmplification struct {
	victim    *host
	resolvers []host
	left      int
	gap       time.Duration
	dport     uint16
	unreach   bool
	quoted    [28]byte // IP header + 8 bytes of the last answer, for the ICMP error
	from      *host
}

func (g *Generator) newDNSAmplification() *dnsAmplification {
	a := &dnsAmplification{victim: pickHost(g, g.lan.clients), left: g.intn(800, 3000),
		gap: g.between(80*time.Microsecond, 400*time.Microsecond), dport: uint16(g.intn(1024, 65535))}
	a.resolvers = make([]host, g.intn(20, 120))
	for i := range a.resolvers {
		r := &a.resolvers[i]
		g.spoofAddress(r)
		r.name, r.ttl, r.ipid = "resolver", uint8(g.intn(40, 60)), uint16(g.rng.Uint32())
	}
	return a
}

func (a *dnsAmplification) act(g *Generator) (bool, time.Duration, bool) {
	if a.unreach {
		a.unreach = false
		n := g.ipv4(a.victim, a.from, layers.IPProtocolICMPv4, false)
		g.icmp4 = layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort)}
		g.stack[n] = &g.icmp4
		g.pl = a.quoted[:]
		g.stack[n+1] = &g.pl
		g.serialize(n + 2)
		return a.next(g)
	}
	a.from = &a.resolvers[g.rng.IntN(len(a.resolvers))]
	g.txtAnswer(a.from, a.victim, 53, a.dport, uint16(g.rng.Uint32()), ampNames[g.rng.IntN(len(ampNames))], g.intn(6, 10), true)
	if g.rng.IntN(12) == 0 {
		copy(a.quoted[:], g.buf.Bytes()[14:14+28])
		a.unreach = true
		a.left--
		return true, g.between(10*time.Microsecond, 80*time.Microsecond), false
	}
	return a.next(g)
}

func (a *dnsAmplification) next(g *Generator) (bool, time.Duration, bool) {
	a.left--
	if a.left <= 0 {
		g.episodeDone()
		return true, 0, true
	}
	return true, g.exp(a.gap), false
}

// broadcastStorm is a switching loop: one broadcast frame (an ARP request,
// a DHCP discover or an SSDP search) circulating and copied at line rate,
// thousands of times.
type broadcastStorm struct {
	frame []byte
	left  int
	gap   time.Duration
}

func (g *Generator) newBroadcastStorm() *broadcastStorm {
	l := &g.lan
	h := pickHost(g, l.clients)
	switch g.rng.IntN(3) {
	case 0:
		g.buildARP(h.mac, broadcastMAC, 0, layers.ARPRequest, h.mac, h.ip, nil, pickHost(g, l.all).ip)
	case 1:
		l.zero.mac = h.mac
		g.buildDHCP(&l.zero, &l.bcast, h, l.gw, layers.DHCPMsgTypeDiscover, g.rng.Uint32(), l.zero.ip, nil)
	default:
		g.ttl = 4
		g.buildUDP(h, &l.ssdp, h.ephemeral(), 1900, nil, append(g.text[:0], ssdpSearchText...))
	}
	return &broadcastStorm{
		frame: append([]byte(nil), g.buf.Bytes()...),
		left:  g.intn(1500, 5000),
		gap:   g.between(5*time.Microsecond, 40*time.Microsecond),
	}
}

func (s *broadcastStorm) act(g *Generator) (bool, time.Duration, bool) {
	g.buf.Clear()
	b, _ := g.buf.AppendBytes(len(s.frame))
	copy(b, s.frame)
	s.left--
	if s.left <= 0 {
		g.episodeDone()
		return true, 0, true
	}
	return true, g.exp(s.gap), false
}
